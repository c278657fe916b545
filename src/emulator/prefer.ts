/**
 * `Prefer` in the emulator, with the mock's syntax: `Prefer: code=400, example=IncorrectStatus.VpcPeer`
 * answers that documented error for this one call (after request validation, without touching
 * the state). `code` alone picks the Action's first documented code under that status;
 * `code=200` runs the call as usual. Fault rules remain the tool for sequences and rates.
 */
import type { OperationSpec } from '../contract/model.ts';
import type { ErrorCatalog } from '../wire/errors.ts';
import { preferParameters, preferStatus } from '../wire/prefer.ts';

export type PreferChoice =
  | { kind: 'none' }
  | { kind: 'error'; code: string }
  | { kind: 'invalid'; reason: string };

export function preferChoice(header: string | undefined, op: OperationSpec, catalog: ErrorCatalog): PreferChoice {
  if (header === undefined || header.trim() === '') return { kind: 'none' };
  const entries = preferParameters(header);
  for (const name of entries.keys()) {
    if (name !== 'code' && name !== 'example') return { kind: 'invalid', reason: `The emulator's Prefer takes code and example, not "${name.slice(0, 32)}".` };
  }
  const codes = catalog.codesOf(op.action);
  const statusText = entries.get('code');
  let status: number | undefined;
  if (statusText !== undefined) {
    const asked = preferStatus(statusText);
    if (!asked.ok) return { kind: 'invalid', reason: asked.reason };
    status = asked.status;
  }
  const example = entries.get('example');
  if (example) {
    if (!codes.includes(example)) return { kind: 'invalid', reason: `${op.action} documents no error "${example.slice(0, 64)}"; documented: ${codes.join(', ')}.` };
    const documented = catalog.status(example, op.action);
    if (status !== undefined && status !== documented) return { kind: 'invalid', reason: `${example} is documented with HTTP ${documented}, not ${status}.` };
    return { kind: 'error', code: example };
  }
  if (status === undefined || status === 200) return { kind: 'none' };
  const first = op.errorCodes.get(String(status))?.[0];
  if (!first) return { kind: 'invalid', reason: `${op.action} documents no error under HTTP ${status}.` };
  return { kind: 'error', code: first };
}
