/**
 * The `npm start` command line: help, bad flags, a clear message when the port is taken, a
 * clean exit on SIGTERM/SIGINT.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the CLI from source, or (`bundle`) the way `npm start` runs it: scripts/mock-bundle.mjs. */
function run(args: string[], bundle = false): { child: ChildProcessWithoutNullStreams; output: () => string; exited: Promise<number | null> } {
  const entry = bundle ? ['scripts/mock-bundle.mjs'] : ['--import', 'tsx', 'src/cli/mock.ts'];
  const child = spawn(process.execPath, [...entry, ...args], { cwd: root, env: { ...process.env, VPCPEER_MOCK_PORT: '' } });
  let text = '';
  child.stdout.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr.on('data', (d: Buffer) => (text += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

async function waitFor(predicate: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('mock command line', () => {
  it('--help prints the options and exits 0', async () => {
    const p = run(['--help']);
    expect(await p.exited).toBe(0);
    expect(p.output()).toContain('--require-auth');
    expect(p.output()).toContain('--dynamic');
  });

  it('an unknown flag exits 2 with the reason and the help', async () => {
    const p = run(['--bogus']);
    expect(await p.exited).toBe(2);
    expect(p.output()).toMatch(/Unknown option '--bogus'/);
  });

  it('a bad server limit exits 2 naming the flag', async () => {
    const p = run(['--port', '0', '--headers-timeout', '0']);
    expect(await p.exited).toBe(2);
    expect(p.output()).toContain('--headers-timeout must be a whole number of at least 1, got "0"');
  });

  it('a taken port exits 2 with a clear message', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const p = run(['--port', String(port)]);
      expect(await p.exited).toBe(2);
      expect(p.output()).toContain(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  });

  for (const [signal, bundle] of [['SIGTERM', true], ['SIGINT', false]] as const) {
    it(`serves on 127.0.0.1 and exits 0 on ${signal}${bundle ? ' (as npm start runs it)' : ''}`, async () => {
      const p = run(['--port', '0', '--log-level', 'info'], bundle);
      await waitFor(() => /listening on http:\/\/127\.0\.0\.1:(\d+)/.test(p.output()));
      const port = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(p.output())![1];
      const res = await fetch(`http://127.0.0.1:${port}/?Action=GetVpcPeerConnectionAttribute&Version=2022-01-01&InstanceId=pcc-1`);
      expect(res.status).toBe(200);
      await waitFor(() => p.output().includes('GET GetVpcPeerConnectionAttribute 200'));
      p.child.kill(signal);
      expect(await p.exited).toBe(0);
    });
  }
});
