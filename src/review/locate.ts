/**
 * Where a change of the contract diff sits in the hand-written spec: the file and line that a
 * GitHub annotation points at. The Action's own file (spec/paths/<Action>.yaml), at the first
 * line that names the changed parameter, field or code (as a YAML key first, then anywhere);
 * line 1 of that file when the name is gone (a removal); the root document for changes to the
 * document as a whole.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
/** What locating needs of a diff change or a drift finding. */
export interface Locatable {
  action: string;
  kind: string;
  message: string;
}

export interface Location {
  /** Relative to the repository root, with forward slashes: `spec/paths/CreateVpcPeerConnection.yaml`. */
  file: string;
  line: number;
}

/** What a change names first (its first backticked name): a code whole, a field path by its last step. */
export function subjectOf(change: Locatable): string | undefined {
  const name = /`([^`]+)`/.exec(change.message)?.[1];
  if (name === undefined || name === change.action) return undefined;
  if (change.kind.startsWith('error-')) return name;
  const steps = name.split('.').map((step) => step.replace(/\[\]$/, '')).filter((step) => step.length > 0);
  return steps[steps.length - 1];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The 1-based line of `text` that names `subject` at or after line `from` (and before line
 * `until`): as a YAML key or list entry first, then anywhere; `from` itself when none does.
 */
export function lineOf(text: string, subject: string | undefined, from = 1, until = Infinity): number {
  if (subject === undefined) return from;
  const lines = text.split(/\r?\n/);
  const word = escapeRegExp(subject);
  const asKey = new RegExp(`^\\s*(-\\s+)?(name:\\s*)?['"]?${word}['"]?\\s*(:|$)`);
  const anywhere = new RegExp(`(^|[^\\w.-])${word}([^\\w-]|$)`);
  for (const pattern of [asKey, anywhere]) {
    for (let i = from - 1; i < Math.min(lines.length, until - 1); i += 1) if (pattern.test(lines[i] ?? '')) return i + 1;
  }
  return from;
}

/** Locates a change in the spec folder `specDir` of the repository at `repoRoot`. */
export function locateChange(change: Locatable, repoRoot: string, specDir = 'spec'): Location {
  const relative = (file: string): string => path.relative(repoRoot, file).split(path.sep).join('/');
  const root = path.join(repoRoot, specDir, 'openapi.yaml');
  const own = path.join(repoRoot, specDir, 'paths', `${change.action}.yaml`);
  const file = change.action !== '' && existsSync(own) ? own : root;
  if (!existsSync(file)) return { file: relative(file), line: 1 };
  const text = readFileSync(file, 'utf8');
  if (file === root && change.action !== '') {
    // An Action without its own file (a one-file spec, or a removed Action): inside its path
    // item of the root, from its path key up to the next one.
    const key = lineOf(text, `/#Action=${change.action}`);
    const next = text.split(/\r?\n/).findIndex((l, i) => i >= key && /^\s*['"]?\/#Action=/.test(l));
    return { file: relative(file), line: lineOf(text, subjectOf(change), key, next >= 0 ? next + 1 : Infinity) };
  }
  return { file: relative(file), line: lineOf(text, subjectOf(change)) };
}
