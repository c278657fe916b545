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

/** Environment variables in which CI services name a pull request's target branch. */
export const CI_BASE_VARIABLES = [
  'GITHUB_BASE_REF', // GitHub Actions
  'CI_MERGE_REQUEST_TARGET_BRANCH_NAME', // GitLab CI
  'BITBUCKET_PR_DESTINATION_BRANCH', // Bitbucket Pipelines
  'SYSTEM_PULLREQUEST_TARGETBRANCH', // Azure Pipelines (refs/heads/<branch>)
  'CHANGE_TARGET', // Jenkins multibranch
] as const;

/** No base to compare with could be found; the message says what was tried and what to fetch. */
export class BaseNotFoundError extends Error {
  override name = 'BaseNotFoundError';
}

export interface BaseRef {
  /** The commit to compare with. */
  ref: string;
  /** e.g. `merge base with origin/main (1a2b3c4)`. */
  label: string;
}

function tryGit(args: string[], cwd: string): string | undefined {
  try {
    return gitText(args, cwd);
  } catch {
    return undefined;
  }
}

/**
 * The commit a pull request's contract is compared with, tried in this order: the merge base of
 * HEAD with `main`, with `origin/main`, then with the branch a CI service names as the pull
 * request's target (GITHUB_BASE_REF and the like, as a local branch or on origin). Throws
 * BaseNotFoundError, naming what to fetch, when none works (a shallow clone, a clone without
 * the base branch): a comparison that was not made never reads as "no changes".
 */
export function resolveBaseRef(cwd: string = repoRoot, env: NodeJS.ProcessEnv = process.env): BaseRef {
  if (tryGit(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], cwd) === undefined) {
    throw new BaseNotFoundError('the repository has no commit yet (HEAD does not exist): commit the contract, or pass the base ref explicitly.');
  }
  const ciBranches: Array<{ variable: string; branch: string }> = [];
  for (const variable of CI_BASE_VARIABLES) {
    const value = env[variable]?.trim().replace(/^refs\/heads\//, '');
    if (value) ciBranches.push({ variable, branch: value });
  }
  const candidates: Array<{ name: string; why: string; branch: string }> = [
    { name: 'main', why: 'main', branch: 'main' },
    { name: 'origin/main', why: 'origin/main', branch: 'main' },
  ];
  for (const { variable, branch } of ciBranches) {
    for (const name of [branch, `origin/${branch}`]) {
      if (!candidates.some((c) => c.name === name)) candidates.push({ name, why: `${name} (${variable})`, branch });
    }
  }
  const tried: string[] = [];
  for (const c of candidates) {
    if (tryGit(['rev-parse', '--verify', '--quiet', `${c.name}^{commit}`], cwd) === undefined) {
      tried.push(`${c.why}: no such ref`);
      continue;
    }
    const base = tryGit(['merge-base', 'HEAD', c.name], cwd);
    if (base === undefined) {
      tried.push(`${c.why}: no common history with HEAD`);
      continue;
    }
    return { ref: base, label: `merge base with ${c.name} (${gitText(['rev-parse', '--short', base], cwd)})` };
  }
  const branch = ciBranches[0]?.branch ?? 'main';
  const shallow = tryGit(['rev-parse', '--is-shallow-repository'], cwd) === 'true';
  const remote = tryGit(['remote'], cwd)?.split('\n').find((r) => r === 'origin') ?? tryGit(['remote'], cwd)?.split('\n')[0];
  const refspec = `+refs/heads/${branch}:refs/remotes/${remote ?? 'origin'}/${branch}`;
  const fetch = remote === undefined
    ? `git remote add origin <url> && git fetch origin ${refspec}`
    : shallow
      ? `git fetch --deepen=50 ${remote} ${refspec}`
      : `git fetch ${remote} ${refspec}`;
  throw new BaseNotFoundError(
    [
      `no base to compare the contract with${shallow ? ' (this is a shallow clone)' : ''}. Tried the merge base of HEAD with:`,
      ...tried.map((t) => `  ${t}`),
      `Fetch the base branch${shallow ? ' and enough history to reach the merge base' : ''}, for example:`,
      `  ${fetch}`,
      ...(shallow ? ['  (in GitHub Actions: actions/checkout with fetch-depth: 0)'] : []),
      'or name the base explicitly: npm run diff -- <git-ref>',
    ].join('\n'),
  );
}

/** `main (1a2b3c4)`, or the short hash alone when the ref is a hash. */
export function describeRef(ref: string, cwd: string = repoRoot): string {
  const short = gitText(['rev-parse', '--short', `${ref}^{commit}`], cwd);
  return ref.startsWith(short) || /^[0-9a-f]{7,40}$/.test(ref) ? short : `${ref} (${short})`;
}

function unknownRefMessage(ref: string, cwd: string): string {
  const lines = [`Unknown git ref "${ref}" (try a branch, a tag or a commit hash).`];
  const remote = tryGit(['remote'], cwd)?.split('\n').find((r) => r.length > 0);
  if (remote !== undefined && /^[\w./-]+$/.test(ref) && !/^[0-9a-f]{7,40}$/.test(ref)) {
    const branch = ref.startsWith(`${remote}/`) ? ref.slice(remote.length + 1) : ref;
    const shallow = tryGit(['rev-parse', '--is-shallow-repository'], cwd) === 'true';
    lines.push(`If it is a branch of ${remote}, fetch it first: git fetch${shallow ? ' --deepen=50' : ''} ${remote} +refs/heads/${branch}:refs/remotes/${remote}/${branch}`);
  }
  return lines.join('\n');
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
    throw new Error(unknownRefMessage(ref, cwd));
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

/** Loads both sides of a comparison; `from` defaults to resolveBaseRef(), `to` to the working tree. */
export async function loadComparison(
  from: string | undefined,
  to: string | undefined,
  cwd: string = repoRoot,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Comparison> {
  const base = from === undefined ? resolveBaseRef(cwd, env) : undefined;
  const [a, b] = await Promise.all([bundleSpecAtRef(base?.ref ?? from ?? WORKTREE, { cwd }), bundleSpecAtRef(to ?? WORKTREE, { cwd })]);
  return { from: base !== undefined ? { ...a, label: base.label } : a, to: b };
}
