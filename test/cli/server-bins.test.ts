/**
 * The server command lines as a dev setup and CI use them: the readiness line, the cheap health
 * endpoint, log lines naming the error Code and the parameters (never their values), and the
 * mock's --watch reloading the contract on the same port.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const children: ChildProcessWithoutNullStreams[] = [];

function start(cli: 'mock' | 'emulator', args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', `src/cli/${cli}.ts`, '--port', '0', ...args], { cwd: root });
  children.push(child);
  let text = '';
  child.stdout.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr.on('data', (d: Buffer) => (text += d.toString()));
  return { child, output: () => text };
}

async function waitFor<T>(probe: () => T | undefined, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const readiness = (output: () => string) => waitFor(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output())?.[1]);

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

describe.each(['mock', 'emulator'] as const)('vpcpeer-%s', (cli) => {
  it('prints a readiness line with its URL, answers GET /__health with 200 at once, and stops on SIGTERM', async () => {
    const p = start(cli, ['--log-level', 'info']);
    const base = await readiness(p.output);
    const health = await fetch(`${base}/__health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ Status: 'ok' });
    // Not an Action: a POST to the same path is routed like any request and refused.
    expect((await fetch(`${base}/__health`, { method: 'POST' })).status).not.toBe(200);
    // Health polls stay out of the info log.
    expect(p.output()).not.toContain('__health 200');
    p.child.kill('SIGTERM');
    await waitFor(() => (p.child.exitCode !== null ? true : undefined));
    expect(p.child.exitCode).toBe(0);
  });
});

// The mock runs on the shared pipeline (src/server/pipeline.ts), which names the Code and parameters.
describe('vpcpeer-mock log lines', () => {
  it('logs an error with its Code and the parameter names, never their values', async () => {
    const p = start('mock', ['--log-level', 'info']);
    const base = await readiness(p.output);
    const secret = 'sig-VALUE-never-in-logs';
    const res = await fetch(`${base}/?Action=GetVpcPeerConnectionAttribute&Version=2022-01-01&Signature=${secret}&Bandwidth=secret-bandwidth`, { method: 'POST' });
    expect(res.status).toBe(400);
    const line = await waitFor(() => p.output().split('\n').find((l) => l.startsWith('POST GetVpcPeerConnectionAttribute 400')));
    expect(line).toMatch(/^POST GetVpcPeerConnectionAttribute 400 (MissingParameter|InvalidParameter) params=Bandwidth /);
    expect(p.output()).not.toContain(secret);
    expect(p.output()).not.toContain('secret-bandwidth');
    p.child.kill('SIGTERM');
  });
});

describe('vpcpeer-mock --watch', () => {
  it('reloads a changed --spec on the same port, and keeps serving the old one when the change is broken', async () => {
    const work = await mkdtemp(path.join(tmpdir(), 'vpcpeer-watch-'));
    try {
      const spec = path.join(work, 'openapi.json');
      await copyFile(path.join(root, 'generated', 'openapi.json'), spec);
      const p = start('mock', ['--spec', spec, '--watch', '--log-level', 'info']);
      const base = await readiness(p.output);
      const get = async () => {
        const res = await fetch(`${base}/?Action=GetVpcPeerConnectionAttribute&Version=2022-01-01&InstanceId=pcc-1`, { method: 'POST' });
        return (await res.json()) as { Name?: string };
      };
      const before = (await get()).Name;
      expect(before).toBeTruthy();

      const text = await readFile(spec, 'utf8');
      await writeFile(spec, text.split(JSON.stringify(before)).join(JSON.stringify('renamed-by-watch')));
      await waitFor(() => (p.output().includes('reloaded the contract') ? true : undefined));
      expect((await get()).Name).toBe('renamed-by-watch');
      expect(p.output()).toMatch(/reloaded the contract after a change in .*openapi\.json .*still listening/);

      await writeFile(spec, '{ not json');
      await waitFor(() => (p.output().includes('cannot be served, keeping the previous one') ? true : undefined));
      expect((await get()).Name).toBe('renamed-by-watch');
      p.child.kill('SIGTERM');
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  it('without --spec, in the repository, watches spec/ (installed, it needs --spec: see the consumer tests)', async () => {
    const p = start('mock', ['--watch', '--log-level', 'info']);
    await readiness(p.output);
    expect(p.output()).toContain(`vpcpeer-mock: watching ${path.join(root, 'spec')} for changes`);
    p.child.kill('SIGTERM');
  });
});
