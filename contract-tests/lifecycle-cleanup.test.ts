/**
 * The lifecycle's teardown, proven against static stand-ins ("create" returns the example ID):
 * a step failing in the middle, and a Ctrl+C (SIGINT to the whole process group) while the run
 * is paused after "create", both still end with the teardown's DeleteVpcPeerConnection
 * (Force=true, no DryRun) for what was created, and an empty ledger.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '../test/helpers/mock.ts';
import { startBrokenServer, successExample, type BrokenServer } from '../src/conformance/broken-server.ts';
import { readLedger, runStep, startLifecycle } from '../src/conformance/lifecycle.ts';
import type { Target } from '../src/conformance/target.ts';

let mock: RunningMock;
let dir: string;
const CREATED = String(successExample('CreateVpcPeerConnection').InstanceId);

beforeAll(async () => {
  mock = await startMock({ logLevel: 'info' });
  dir = mkdtempSync(path.join(tmpdir(), 'vpcpeer-cleanup-'));
});
afterAll(async () => {
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});

const RUNNER = path.resolve('src/cli/conformance.ts');

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VITEST') && !k.startsWith('CONTRACT_')) env[k] = v;
  return { ...env, ...extra };
}

/** Runs `npm run conformance` (as tsx) in its own process group; resolves with exit code and output. */
function runRunner(args: string[], env: Record<string, string>, onOutput?: (text: string, pid: number) => void): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', RUNNER, ...args], { env: childEnv(env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const take = (chunk: Buffer) => {
      output += chunk.toString();
      onOutput?.(output, child.pid!);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

/** The teardown's deletes: Force=true and no DryRun (the safe suite's Delete carries DryRun=true). */
function teardownDeletes(server: BrokenServer): string[] {
  return server.requests.filter((r) => r.action === 'DeleteVpcPeerConnection' && r.params.Force === 'true' && r.params.DryRun === undefined).map((r) => r.params.InstanceId!);
}

describe('lifecycle teardown', () => {
  it('a step failing in the middle: the janitor still deletes what was created (against the mock)', async () => {
    const ledger = path.join(dir, 'in-process.json');
    const saved = { ...process.env };
    process.env.CONTRACT_LEDGER = ledger;
    process.env.CONTRACT_LIFECYCLE_FAIL_AT = 'modify';
    mock.lines.length = 0;
    try {
      const target: Target = { kind: 'endpoint', baseUrl: mock.baseUrl, staticAnswers: true, rehearseErrors: false, mayMutate: true, lifecycle: true, credentials: 'fake', signature: 'v3', close: async () => {} };
      const run = startLifecycle(target, 'run-inprocess');
      const id = await runStep(run, 'create');
      expect(id).toBe(CREATED);
      expect(readLedger(ledger)).toEqual([{ instanceId: id, account: 'owner', runId: 'run-inprocess' }]);
      await runStep(run, 'get');
      await expect(runStep(run, 'modify')).rejects.toThrow('injected failure at step modify');
      const actions = () => mock.lines.map((l) => l.split(' ')[1]);
      expect(actions()).toEqual(['CreateVpcPeerConnection', 'GetVpcPeerConnectionAttribute']);
      expect(await run.janitor.cleanup()).toEqual([id]);
      expect(actions().at(-1)).toBe('DeleteVpcPeerConnection');
      expect(mock.lines.at(-1)).toMatch(/^POST DeleteVpcPeerConnection 200 /);
      expect(existsSync(ledger)).toBe(false);
    } finally {
      process.env = saved;
    }
  });

  it('the runner: a failing step fails the run, and teardown issues the Delete', async () => {
    const server = await startBrokenServer({ defects: {} });
    try {
      const { code, output } = await runRunner(['--endpoint', server.baseUrl, '--lifecycle'], { CONTRACT_LIFECYCLE_FAIL_AT: 'tag' });
      expect(code, output).toBe(1);
      expect(output).toContain('injected failure at step tag');
      expect(teardownDeletes(server)).toEqual([CREATED]);
      expect(output).not.toContain('could NOT delete');
    } finally {
      await server.close();
    }
  });

  it('Ctrl+C while paused after create: the run stops with 130 and the connection is deleted', async () => {
    const server = await startBrokenServer({ defects: {} });
    try {
      let sent = false;
      let deletesBeforeSignal = -1;
      const { code, output } = await runRunner(['--endpoint', server.baseUrl, '--lifecycle'], { CONTRACT_LIFECYCLE_PAUSE_AFTER: 'create' }, (text, pid) => {
        if (!sent && text.includes('lifecycle paused after create')) {
          sent = true;
          deletesBeforeSignal = teardownDeletes(server).length;
          process.kill(-pid, 'SIGINT'); // the whole process group, as a terminal does
        }
      });
      expect(sent, output).toBe(true);
      expect(deletesBeforeSignal).toBe(0);
      expect(code, output).toBe(130);
      expect(teardownDeletes(server)).toContain(CREATED);
      expect(server.requests.some((r) => r.action === 'ModifyVpcPeerConnection' && r.params.DryRun === undefined)).toBe(false);
      expect(output).not.toContain('could NOT delete');
    } finally {
      await server.close();
    }
  });
});
