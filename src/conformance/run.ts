/**
 * One Action's conformance run, independent of vitest so the broken-server test can drive it
 * too: call it through the typed client as the safety model allows, then check every raw
 * answer against the contract.
 */
import { VpcPeerError, type Action } from '../client/index.ts';
import { contract } from '../contract/index.ts';
import { checkExchange } from './check.ts';
import { clientFor, modeOf, sampleParams, type Mode, type Target } from './target.ts';

export interface ActionOutcome {
  action: string;
  mode: Mode;
  result: 'passed' | 'failed' | 'skipped-unsafe';
  /** One precise line per defect. */
  failures: string[];
  /** Answers checked. */
  answers: number;
}

/** The first 400 code an Action documents beyond the common ones (for the mock's error probe). */
function ownErrorCode(action: string): string | undefined {
  const op = contract.operations.get(action)!;
  const codes = op.errorCodes.get('400') ?? [];
  return codes.find((c) => !/^(MissingParameter|InvalidParameter|InvalidVersion|IncompleteSignature|SignatureDoesNotMatch|InvalidTimeStamp|SignatureNonceUsed|Throttling)/.test(c)) ?? codes[0];
}

export async function runAction(target: Target, action: string): Promise<ActionOutcome> {
  const op = contract.operations.get(action);
  if (!op) throw new Error(`Unknown Action ${action}`);
  const mode = modeOf(op);
  if (mode === 'unsafe' && !target.mayMutate) return { action, mode, result: 'skipped-unsafe', failures: [], answers: 0 };

  const failures: string[] = [];
  const params = sampleParams(action);
  if (mode === 'dry-run') params.DryRun = true;

  const { client, exchanges } = clientFor(target);
  const attempt = async (label: string, run: () => Promise<unknown>) => {
    try {
      await run();
    } catch (error) {
      if (error instanceof VpcPeerError) {
        if (error.httpStatus === 0) failures.push(`${action} (${label}): no answer: ${error.code}: ${error.message}`);
      } else {
        failures.push(`${action} (${label}): the client failed: ${(error as Error)?.message ?? String(error)}`);
      }
    }
  };

  await attempt('call', () => client.call(action as Action, params as never));
  const main = exchanges.at(-1);
  if (mode === 'dry-run' && !target.staticAnswers && main && main.status >= 200 && main.status < 300) {
    failures.push(`${action} HTTP ${main.status}: DryRun=true was answered with success; expected DryRunOperation or a documented validation error (the change may have been carried out)`);
  }

  // The self-started mock can also rehearse a documented error, so error bodies get checked too.
  const code = target.rehearseErrors ? ownErrorCode(action) : undefined;
  if (code !== undefined) {
    await attempt(`error ${code}`, () => client.call(action as Action, params as never, { headers: { prefer: `code=400, example=${code}` } }));
  }

  for (const exchange of exchanges) failures.push(...checkExchange(exchange));
  // A retried answer (throttling, 5xx) repeats its defects: report each once.
  const unique = [...new Set(failures)];
  return { action, mode, result: unique.length === 0 ? 'passed' : 'failed', failures: unique, answers: exchanges.length };
}

/** The per-Action console summary. */
export function summaryTable(outcomes: readonly ActionOutcome[], target: Target): string {
  const width = Math.max(...outcomes.map((o) => o.action.length), 6);
  const lines = [`VpcPeer contract conformance: ${target.kind === 'self-mock' ? 'the mock (started by the suite)' : target.baseUrl}, signing ${target.credentials === 'anonymous' ? 'off' : target.signature.toUpperCase()}${target.lifecycle ? ', lifecycle opted in' : ''}`];
  for (const o of [...outcomes].sort((a, b) => a.action.localeCompare(b.action))) {
    const mark = o.result === 'passed' ? 'passed ' : o.result === 'failed' ? 'FAILED ' : 'skipped';
    const note = o.result === 'skipped-unsafe' ? 'skipped because unsafe (changes state, no DryRun; opt in with --lifecycle)' : `${o.mode}, ${o.answers} answer(s) checked${o.failures.length ? `, ${o.failures.length} defect(s)` : ''}`;
    lines.push(`  ${mark}  ${o.action.padEnd(width)}  ${note}`);
    for (const f of o.failures) lines.push(`             - ${f}`);
  }
  const count = (r: ActionOutcome['result']) => outcomes.filter((o) => o.result === r).length;
  lines.push(`  ${count('passed')} passed, ${count('failed')} failed, ${count('skipped-unsafe')} skipped because unsafe`);
  return lines.join('\n');
}
