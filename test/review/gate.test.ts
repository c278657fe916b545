/**
 * The review gate in each checkout shape a CI job meets, in real git repositories built in
 * temporary folders: a full clone, a pull-request clone with only origin/main, a shallow clone
 * (exit 2 naming the fetch, which then works), a CI-named base branch, an unknown ref, an
 * unchanged contract, and a repository without commits. A comparison that was not made never
 * reads "No changes".
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaseNotFoundError, CI_BASE_VARIABLES, resolveBaseRef } from '../../src/review/contract-source.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const fixtures = path.join(here, 'fixtures');
const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
const BREAKING = 'parameter `Name` (form body) removed';

let tmp: string;
/** Upstream with `main` (unchanged contract, then a later unrelated commit) and `feature` (breaking). */
let upstream: string;
/** Upstream whose default branch is `trunk`: no `main` anywhere. */
let trunkUpstream: string;

const cleanEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', GIT_CONFIG_NOSYSTEM: '1' };
for (const name of CI_BASE_VARIABLES) delete cleanEnv[name];

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Review Test', '-c', 'user.email=review@example.com', '-c', 'commit.gpgsign=false', '-c', 'protocol.file.allow=always', ...args], {
    cwd,
    encoding: 'utf8',
    env: cleanEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

function commitSpec(repo: string, fixture: string, side: 'before' | 'after', message: string): void {
  mkdirSync(path.join(repo, 'spec'), { recursive: true });
  copyFileSync(path.join(fixtures, fixture, `${side}.yaml`), path.join(repo, 'spec', 'openapi.yaml'));
  git(repo, 'add', 'spec');
  git(repo, 'commit', '--quiet', '--allow-empty', '-m', message);
}

function makeUpstream(name: string, branch: string): string {
  const repo = path.join(tmp, name);
  mkdirSync(repo);
  git(repo, 'init', '--quiet', `--initial-branch=${branch}`);
  commitSpec(repo, 'unchanged', 'before', 'contract');
  git(repo, 'checkout', '--quiet', '-b', 'feature');
  commitSpec(repo, 'parameter-removed', 'after', 'drop Name');
  git(repo, 'checkout', '--quiet', branch);
  git(repo, 'commit', '--quiet', '--allow-empty', '-m', 'later work on the base branch');
  return repo;
}

function clone(from: string, name: string, ...args: string[]): string {
  const dest = path.join(tmp, name);
  git(tmp, 'clone', '--quiet', ...args, pathToFileURL(from).href, dest);
  return dest;
}

function run(cwd: string, cli: 'diff' | 'changelog', args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(tsx, [path.join(repoRoot, 'src', 'cli', `${cli}.ts`), ...args], { cwd, encoding: 'utf8', env: { ...cleanEnv, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'vpcpeer-gate-'));
  upstream = makeUpstream('upstream', 'main');
  trunkUpstream = makeUpstream('trunk-upstream', 'trunk');
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

// Each case spawns the CLI (tsx) one or more times: slow on a loaded machine, not a timing check.
describe('the diff gate in each checkout shape', { timeout: 120_000 }, () => {
  it('full clone on the feature branch: the merge base with main; breaking, exit 1', () => {
    const repo = clone(upstream, 'full');
    git(repo, 'checkout', '--quiet', 'feature');
    const base = git(repo, 'merge-base', 'HEAD', 'main');
    const r = run(repo, 'diff');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`Contract changes: merge base with main (${base.slice(0, 7)}`);
    expect(r.stdout).toContain(BREAKING);
  });

  it('pull-request clone where main exists only as origin/main: the merge base with origin/main', () => {
    const repo = clone(upstream, 'pr', '--branch', 'feature');
    expect(git(repo, 'branch', '--list', 'main')).toBe('');
    const r = run(repo, 'diff');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('Contract changes: merge base with origin/main (');
    expect(r.stdout).toContain(BREAKING);
    expect(resolveBaseRef(repo, {}).ref).toBe(git(repo, 'merge-base', 'HEAD', 'origin/main'));
  });

  it('shallow clone: exit 2 naming the fetch; after that fetch the gate works', () => {
    const repo = clone(upstream, 'shallow', '--depth', '1', '--branch', 'feature');
    expect(git(repo, 'rev-parse', '--is-shallow-repository')).toBe('true');
    const fetch = 'git fetch --deepen=50 origin +refs/heads/main:refs/remotes/origin/main';
    for (const cli of ['diff', 'changelog'] as const) {
      const r = run(repo, cli);
      expect(r.status, `${cli}: ${r.stderr}`).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`${cli}: no base to compare the contract with (this is a shallow clone)`);
      expect(r.stderr).toContain(`  ${fetch}\n`);
      expect(r.stderr).not.toContain('No changes');
    }
    git(repo, ...fetch.split(' ').slice(1), '--quiet');
    const after = run(repo, 'diff');
    expect(after.status).toBe(1);
    expect(after.stdout).toContain('merge base with origin/main (');
    expect(after.stdout).toContain(BREAKING);
  });

  it('shallow clone with origin/main fetched too shallow: no common history, exit 2', () => {
    const repo = clone(upstream, 'shallow-both', '--depth', '1', '--no-single-branch', '--branch', 'feature');
    expect(git(repo, 'rev-parse', '--verify', 'origin/main')).toMatch(/^[0-9a-f]{40}$/);
    const r = run(repo, 'diff');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('  origin/main: no common history with HEAD');
    expect(r.stderr).toContain('git fetch --deepen=50 origin');
  });

  it('the base branch a CI names (GITHUB_BASE_REF) when there is no main at all; exit 2 without it', () => {
    const repo = clone(trunkUpstream, 'trunk-pr', '--branch', 'feature');
    const r = run(repo, 'diff', [], { GITHUB_BASE_REF: 'trunk' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('Contract changes: merge base with origin/trunk (');
    expect(r.stdout).toContain(BREAKING);
    const azure = resolveBaseRef(repo, { SYSTEM_PULLREQUEST_TARGETBRANCH: 'refs/heads/trunk' });
    expect(azure.label).toMatch(/^merge base with origin\/trunk \(/);

    const none = run(repo, 'diff');
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('  main: no such ref\n  origin/main: no such ref\n');
    expect(none.stderr).toContain('  git fetch origin +refs/heads/main:refs/remotes/origin/main\n');
    expect(() => resolveBaseRef(repo, {})).toThrow(BaseNotFoundError);
  });

  it('an unknown explicit ref: exit 2 with the fetch that would bring it', () => {
    const repo = path.join(tmp, 'pr');
    const r = run(repo, 'diff', ['release-9']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('diff: Unknown git ref "release-9"');
    expect(r.stderr).toContain('fetch it first: git fetch origin +refs/heads/release-9:refs/remotes/origin/release-9');
  });

  it('an unchanged contract: "No changes." and exit 0, only after a real comparison', () => {
    const repo = clone(upstream, 'on-main');
    const r = run(repo, 'diff');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`Contract changes: merge base with main (${git(repo, 'rev-parse', '--short', 'HEAD')}) → working tree\n\nNo changes.\n`);
  });

  it('a repository without any commit: exit 2', () => {
    const repo = path.join(tmp, 'empty');
    mkdirSync(path.join(repo, 'spec'), { recursive: true });
    git(repo, 'init', '--quiet', '--initial-branch=main');
    copyFileSync(path.join(fixtures, 'unchanged', 'before.yaml'), path.join(repo, 'spec', 'openapi.yaml'));
    const r = run(repo, 'diff');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('diff: the repository has no commit yet');
  });
});
