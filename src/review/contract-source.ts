/**
 * Reads the contract as it is at a git ref, or in the working tree, and bundles it.
 *
 * A ref is read with `git archive <ref> spec`, unpacked into a temporary folder and bundled
 * there; the working tree, the index and HEAD are never touched.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleSpec, root as repoRoot } from '../contract/bundle.ts';

/** The name used for the working tree wherever a ref is expected. */
export const WORKTREE = 'WORKTREE';

export interface ContractSource {
  /** What the user asked for: a ref, or WORKTREE. */
  ref: string;
  /** How to show it: `main (1a2b3c4)` or `working tree`. */
  label: string;
  document: Record<string, unknown>;
}

function git(args: string[], cwd: string, input?: Buffer): Buffer {
  return execFileSync('git', args, { cwd, input, maxBuffer: 256 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] });
}

function gitText(args: string[], cwd: string): string {
  return git(args, cwd).toString('utf8').trim();
}

function stderrOf(error: unknown): string {
  const e = error as { stderr?: Buffer; message?: string };
  return (e.stderr?.toString('utf8').trim() || e.message || String(error)).split('\n')[0] ?? '';
}

/** The top folder of the git work tree that holds `start` (the current directory by default). */
export function findRepoRoot(start: string = process.cwd()): string {
  try {
    return gitText(['rev-parse', '--show-toplevel'], start);
  } catch (error) {
    throw new Error(`${start} is not inside a git work tree: ${stderrOf(error)}`);
  }
}

/** The merge base of HEAD and `main`; HEAD itself when there is none (e.g. on main, or no main). */
export function defaultBaseRef(cwd: string = repoRoot): { ref: string; label: string } {
  let ref: string;
  let what: string;
  try {
    ref = gitText(['merge-base', 'HEAD', 'main'], cwd);
    what = 'merge base with main';
  } catch {
    try {
      ref = gitText(['rev-parse', '--verify', 'HEAD'], cwd);
      what = 'HEAD, no merge base with main';
    } catch (error) {
      throw new Error(`No git ref to compare with: ${stderrOf(error)}`);
    }
  }
  return { ref, label: `${what} (${gitText(['rev-parse', '--short', ref], cwd)})` };
}

/** `main (1a2b3c4)`, or the short hash alone when the ref is a hash. */
export function describeRef(ref: string, cwd: string = repoRoot): string {
  const short = gitText(['rev-parse', '--short', `${ref}^{commit}`], cwd);
  return ref.startsWith(short) || /^[0-9a-f]{7,40}$/.test(ref) ? short : `${ref} (${short})`;
}

/** Bundles the contract at `ref` (or the working tree for WORKTREE). */
export async function bundleSpecAtRef(ref: string, options: { cwd?: string; specDir?: string } = {}): Promise<ContractSource> {
  const cwd = options.cwd ?? repoRoot;
  const specDir = options.specDir ?? 'spec';
  if (ref === WORKTREE) {
    const entry = path.join(cwd, specDir, 'openapi.yaml');
    return { ref, label: 'working tree', document: await bundleSpec(entry) };
  }
  try {
    gitText(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], cwd);
  } catch {
    throw new Error(`Unknown git ref "${ref}" (try a branch, a tag or a commit hash).`);
  }
  const label = describeRef(ref, cwd);
  const tmp = await mkdtemp(path.join(tmpdir(), 'vpcpeer-contract-'));
  try {
    let tar: Buffer;
    try {
      tar = git(['archive', '--format=tar', ref, '--', specDir], cwd);
    } catch (error) {
      throw new Error(`${label} has no ${specDir}/ folder to compare: ${stderrOf(error)}`);
    }
    execFileSync('tar', ['-x', '-C', tmp], { input: tar, stdio: ['pipe', 'pipe', 'pipe'] });
    const entry = path.join(tmp, specDir, 'openapi.yaml');
    if (!existsSync(entry)) throw new Error(`${label} has no ${specDir}/openapi.yaml.`);
    return { ref, label, document: await bundleSpec(entry) };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

export interface Comparison {
  from: ContractSource;
  to: ContractSource;
}

/** Loads both sides of a comparison; `from` defaults to defaultBaseRef(), `to` to the working tree. */
export async function loadComparison(from: string | undefined, to: string | undefined, cwd: string = repoRoot): Promise<Comparison> {
  const base = from === undefined ? defaultBaseRef(cwd) : undefined;
  const [a, b] = await Promise.all([bundleSpecAtRef(base?.ref ?? from ?? WORKTREE, { cwd }), bundleSpecAtRef(to ?? WORKTREE, { cwd })]);
  return { from: base !== undefined ? { ...a, label: base.label } : a, to: b };
}
