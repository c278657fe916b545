/**
 * The review commands as a user runs them, in a throw-away git repository whose spec/ is a
 * fixture: exit codes, the default base ref, the output formats and files, and that nothing in
 * the repository is changed. (Each checkout shape of a CI job: gate.test.ts.)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CI_BASE_VARIABLES } from '../../src/review/contract-source.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const fixtures = path.join(here, 'fixtures');
const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
let work: string;

function git(...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Review Test', '-c', 'user.email=review@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd: work,
    encoding: 'utf8',
  }).trim();
}

function useSpec(fixture: string, side: 'before' | 'after'): void {
  copyFileSync(path.join(fixtures, fixture, `${side}.yaml`), path.join(work, 'spec', 'openapi.yaml'));
}

/** The environment of a local run: no CI base-branch variables from wherever the test runs. */
const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
for (const name of CI_BASE_VARIABLES) delete env[name];

function run(cli: 'diff' | 'changelog' | 'docs', ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(tsx, [path.join(repoRoot, 'src', 'cli', `${cli}.ts`), ...args], { cwd: work, encoding: 'utf8', env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'vpcpeer-review-cli-'));
  mkdirSync(path.join(work, 'spec'));
  git('init', '--quiet', '--initial-branch=main');
  useSpec('unchanged', 'before');
  git('add', 'spec');
  git('commit', '--quiet', '-m', 'contract');
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

// Each case spawns the CLI (tsx) one or more times: slow on a loaded machine, not a timing check.
describe('npm run diff', { timeout: 120_000 }, () => {
  it('prints help and exits 0', () => {
    const r = run('diff', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: npm run diff -- [<git-ref>] [options]');
  });

  it('is quiet and exits 0 on an unchanged contract (default ref on main: HEAD)', () => {
    const r = run('diff');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // On main, the merge base of HEAD and main is HEAD.
    expect(r.stdout).toBe(`Contract changes: merge base with main (${git('rev-parse', '--short', 'HEAD')}) → working tree\n\nNo changes.\n`);
  });

  it('exits 1 on a breaking change and 0 with --allow-breaking, leaving the repository as it was', () => {
    useSpec('error-status-changed', 'after');
    const statusBefore = git('status', '--porcelain');
    const head = git('rev-parse', 'HEAD');
    const r = run('diff', 'main');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('BREAKING    error code `IncorrectStatus.Vpc` now answered with HTTP 403 instead of 400');
    expect(r.stdout).toContain('Breaking changes found: exit status 1');
    const allowed = run('diff', 'main', '--allow-breaking');
    expect(allowed.status).toBe(0);
    expect(allowed.stdout).toContain('Breaking changes allowed by --allow-breaking.');
    expect(git('status', '--porcelain')).toBe(statusBefore);
    expect(git('rev-parse', 'HEAD')).toBe(head);
    expect(readFileSync(path.join(work, 'spec', 'openapi.yaml'), 'utf8')).toBe(readFileSync(path.join(fixtures, 'error-status-changed', 'after.yaml'), 'utf8'));
  });

  it('exits 0 on additive changes and can print JSON', () => {
    useSpec('new-error-code', 'after');
    const r = run('diff', 'main', '--json');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout) as { counts: Record<string, number>; changes: Array<{ kind: string; flag?: string }> };
    expect(json.counts).toEqual({ breaking: 0, additive: 1, compatible: 0, docs: 0 });
    expect(json.changes[0]).toMatchObject({ kind: 'error-code-added', flag: 'exhaustive `switch`es on `Code` notice it' });
  });

  it('compares with the merge base of HEAD and main by default', () => {
    useSpec('unchanged', 'before');
    git('checkout', '--quiet', '-b', 'feature');
    useSpec('parameter-removed', 'after');
    git('commit', '--quiet', '-am', 'drop Name');
    // The working tree equals the feature branch; the base is main's commit.
    const r = run('diff');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('parameter `Name` (form body) removed');
    expect(r.stdout).toContain(`Contract changes: merge base with main (${git('rev-parse', '--short', 'main')}) → working tree`);
    git('checkout', '--quiet', 'main');
  });

  it('explains a bad ref or a bad flag with exit 2', () => {
    const bad = run('diff', 'no-such-branch');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('diff: Unknown git ref "no-such-branch"');
    const flag = run('diff', '--frobnicate');
    expect(flag.status).toBe(2);
    expect(flag.stderr).toContain("Unknown option '--frobnicate'");
  });
});

describe('npm run changelog', { timeout: 120_000 }, () => {
  it('writes the comparison of two refs as Markdown', () => {
    const out = path.join(work, 'CHANGES.md');
    const r = run('changelog', 'main', 'feature', '--output', out);
    expect(r.status).toBe(0);
    expect(existsSync(out)).toBe(true);
    const md = readFileSync(out, 'utf8');
    expect(md).toMatch(/^## Contract changes: main \([0-9a-f]+\) → feature \([0-9a-f]+\)\n/);
    expect(md).toContain('### `CreateVpcPeerConnection`');
    expect(md).toContain('- parameter `Name` (form body) removed');
    rmSync(out);
  });

  it('prints to standard output and exits 0 even when the changes are breaking', () => {
    useSpec('response-field-removed', 'after');
    const r = run('changelog', 'main');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('→ working tree');
    expect(r.stdout).toContain('- response field `Bandwidth` (HTTP 200) removed');
  });

  it('rejects more than two refs', () => {
    const r = run('changelog', 'a', 'b', 'c');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('expected at most two git refs');
  });
});

describe('output a pull request can show', { timeout: 120_000 }, () => {
  it('--format github: one annotation per change at its spec line, then the summary; -o writes the same bytes', () => {
    useSpec('narrowed-length', 'after');
    const r = run('diff', 'main', '--format', 'github');
    expect(r.status).toBe(1);
    const spec = readFileSync(path.join(work, 'spec', 'openapi.yaml'), 'utf8').split('\n');
    const create = spec.findIndex((l) => l.includes('/#Action=CreateVpcPeerConnection'));
    const nameLine = spec.findIndex((l, i) => i > create && /^\s+Name:$/.test(l)) + 1;
    expect(nameLine).toBeGreaterThan(create + 1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      `::error file=spec/openapi.yaml,line=${nameLine},title=Breaking%3A CreateVpcPeerConnection::parameter \`Name\` (form body): maxLength lowered from \`128\` to \`64\``,
    );
    expect(lines[1]).toMatch(/^::notice title=Contract changes%3A main \([0-9a-f]+\) → working tree::1 change in 1 Action: 1 breaking, /);

    const out = path.join(work, 'annotations.txt');
    const written = run('diff', 'main', '--format', 'github', '-o', out);
    expect(written.status).toBe(1);
    expect(written.stdout).toBe('');
    expect(written.stderr).toBe(`diff: wrote ${out} (1 changes, 1 breaking)\n`);
    expect(readFileSync(out, 'utf8')).toBe(r.stdout);
    rmSync(out);
  });

  it('--format markdown and json from diff; a retyped field is one line with its details', () => {
    useSpec('narrowed-type', 'after');
    const md = run('diff', 'main', '--format', 'markdown');
    expect(md.status).toBe(1);
    expect(md.stdout).toMatch(/^## Contract changes: main \([0-9a-f]+\) → working tree\n/);
    expect(md.stdout).toContain('- parameter `Name` (form body): type changed from `string` to `integer`');
    const json = JSON.parse(run('diff', 'main', '--format', 'json').stdout) as { changes: Array<{ kind: string; location: { file: string; line: number } }> };
    expect(json.changes.filter((c) => c.kind !== 'documentation')).toHaveLength(1);
    expect(json.changes[0]?.location.file).toBe('spec/openapi.yaml');
    expect(json.changes[0]?.location.line).toBeGreaterThan(1);
  });

  it('changelog -o FILE holds the Markdown and nothing else', () => {
    useSpec('parameter-removed', 'after');
    const out = path.join(work, 'CHANGES.md');
    const r = run('changelog', '-o', out);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    const md = readFileSync(out, 'utf8');
    expect(md.split('\n')[0]).toMatch(/^## Contract changes: merge base with main \([0-9a-f]+\) → working tree$/);
    expect(md).not.toContain('> vpcpeer-contract-kit');
    rmSync(out);
  });

  it('rejects an unknown format, and --json with another --format, with exit 2', () => {
    const bad = run('diff', 'main', '--format', 'yaml');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--format must be text, markdown, json, github; got "yaml"');
    expect(run('diff', 'main', '--json', '--format', 'text').status).toBe(2);
    expect(run('changelog', '--format', 'html').status).toBe(2);
  });
});
