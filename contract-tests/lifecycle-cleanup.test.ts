/**
 * The lifecycle's cleanup, against the real emulator behind the defect proxy: a failing step,
 * a Delete acknowledged but not carried out (once, and for ever), SIGINT while a create is in
 * flight and SIGINT between steps. Each time nothing of the run is left in the emulator (or the
 * leftover is reported and fails the run), and the JUnit file is complete.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance, TAG_KEY, type ConformanceOptions } from '../src/conformance/index.ts';
import { startEmulatorTarget, type EmulatorTarget } from '../src/conformance/emulator-target.ts';
import { STEPS } from '../src/conformance/lifecycle.ts';
import { fail } from './defects.ts';
import { param, startDefectProxy, type Defect, type DefectProxy } from './defect-proxy.ts';

let target: EmulatorTarget;
let proxy: DefectProxy;
let dir: string;
let n = 0;

beforeAll(async () => {
  target = await startEmulatorTarget({ config: { auth: 'presence' } });
  proxy = await startDefectProxy(target.baseUrl);
  dir = mkdtempSync(path.join(tmpdir(), 'vpcpeer-cleanup-'));
});
afterAll(async () => {
  await proxy?.close();
  await target?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Connections carrying a run's tag that still exist (not Deleted) in the emulator. */
async function leftInEmulator(): Promise<string[]> {
  const res = await fetch(`${target.baseUrl}/__emulator/state`, { headers: { accept: 'application/json', 'content-type': 'application/json' } });
  const state = (await res.json()) as { connections: Array<{ id: string; status: string; owner: { tags: Array<{ Key: string }> } }> };
  return state.connections.filter((c) => c.status !== 'Deleted' && c.owner.tags.some((t) => t.Key === TAG_KEY)).map((c) => `${c.id} ${c.status}`);
}

/** The JUnit file is whole: parsable shape, every lifecycle step present, counts consistent. */
function expectCompleteJUnit(file: string): string {
  const text = readFileSync(file, 'utf8');
  expect(text.startsWith('<?xml')).toBe(true);
  expect(text.trimEnd().endsWith('</testsuites>')).toBe(true);
  for (const step of STEPS) expect(text).toContain(`name="lifecycle ${step}"`);
  const tests = Number(/<testsuites [^>]*tests="(\d+)"/.exec(text)?.[1]);
  expect((text.match(/<testcase /g) ?? []).length).toBe(tests);
  expect(existsSync(`${file}.${process.pid}.tmp`)).toBe(false);
  return text;
}

function options(extra: Partial<ConformanceOptions> = {}): ConformanceOptions {
  n++;
  return { endpoint: proxy.baseUrl, credentials: target.owner, peerCredentials: target.peer, values: target.values, lifecycle: true, negative: 'off', pollMs: 20, waitMs: 1500, runId: `cleanup-${n}`, ledgerFile: path.join(dir, `ledger-${n}.json`), junitFile: path.join(dir, `junit-${n}.xml`), ...extra };
}

const deleteNotCarriedOut = (times: number): Defect => ({
  intercept: (req, state) => {
    if (req.action !== 'DeleteVpcPeerConnection' || param(req, 'DryRun') === 'true') return undefined;
    state.swallowed = Number(state.swallowed ?? 0) + 1;
    if (Number(state.swallowed) > times) return undefined;
    return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ RequestId: crypto.randomUUID().toUpperCase() }) };
  },
});

describe('lifecycle cleanup (in process)', () => {
  it('an interrupt before the lifecycle starts: nothing is created, every step is listed as not sent', async () => {
    const controller = new AbortController();
    controller.abort('SIGTERM');
    const o = options({ signal: controller.signal });
    const before = proxy.log.length;
    const report = await runConformance(o);
    expect(proxy.log.slice(before).filter((l) => l.action === 'CreateVpcPeerConnection')).toEqual([]);
    expect(report.interrupted).toBe('SIGTERM');
    expect(report.cases.filter((c) => c.suite === 'lifecycle').map((c) => c.reason)).toEqual(STEPS.map(() => 'not sent: the run was interrupted (SIGTERM)'));
    expect(expectCompleteJUnit(o.junitFile!)).toContain('name="interrupted"');
  });

  it('a failing step: later steps are not sent, cleanup deletes and confirms, JUnit is complete', async () => {
    proxy.defect = { intercept: (req) => (req.action === 'TagResources' ? fail('InternalError') : undefined) };
    const o = options();
    const report = await runConformance(o);
    proxy.defect = undefined;
    expect(report.exitCode).toBe(1);
    expect(report.findings.map((f) => f.message)).toContain('TagResources HTTP 500: [server-error] a 5xx answer is always a failure (got InternalError: The request processing has failed due to some unknown error, exception or failure.)');
    const untag = report.cases.find((c) => c.name === 'lifecycle untag');
    expect(untag).toMatchObject({ status: 'skipped', reason: 'not sent: the earlier step tag failed (cleanup still deletes what was created)' });
    expect(report.leftovers).toEqual([]);
    expect(report.notes.some((l) => /cleanup: pcc-\w+ deleted and confirmed gone/.test(l))).toBe(true);
    expect(existsSync(o.ledgerFile!)).toBe(false);
    expect(await leftInEmulator()).toEqual([]);
    expectCompleteJUnit(o.junitFile!);
  });

  it('a Delete acknowledged but not carried out: the step fails, the ledger keeps the ID, cleanup deletes it', async () => {
    proxy.defect = deleteNotCarriedOut(1);
    proxy.state = {};
    const o = options();
    const report = await runConformance(o);
    proxy.defect = undefined;
    expect(report.exitCode).toBe(1);
    const message = report.findings.find((f) => f.check === 'lifecycle')?.message ?? '';
    expect(message).toMatch(/^DeleteVpcPeerConnection: acknowledged, but the connection pcc-\w+ is still Activated after 1500 ms \(Get\)$/);
    expect(report.leftovers).toEqual([]);
    expect(await leftInEmulator()).toEqual([]);
    expectCompleteJUnit(o.junitFile!);
  });

  it('a Delete never carried out: the leftover is reported with the reason and fails the run', async () => {
    proxy.defect = deleteNotCarriedOut(Infinity);
    proxy.state = {};
    const o = options();
    const report = await runConformance(o);
    proxy.defect = undefined;
    expect(report.exitCode).toBe(1);
    expect(report.leftovers).toHaveLength(1);
    expect(report.leftovers[0]).toMatch(/^pcc-\w+: Delete acknowledged but the connection is still Activated after 1500 ms$/);
    expect(JSON.parse(readFileSync(o.ledgerFile!, 'utf8')).entries).toHaveLength(1);
    const text = expectCompleteJUnit(o.junitFile!);
    expect(text).toContain('cleanup: could not delete pcc-');
    // Clean the emulator by hand for the next tests.
    const left = (await leftInEmulator()).map((l) => l.split(' ')[0]!);
    expect(left).toHaveLength(1);
    const { VpcPeerClient } = await import('../src/client/client.ts');
    await new VpcPeerClient({ endpoint: target.baseUrl, credentials: target.owner }).deleteVpcPeerConnection({ InstanceId: left[0]!, Force: true });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await leftInEmulator()).toEqual([]);
  });

  it('an abort between steps: no further step is sent, cleanup runs, JUnit has the interrupted case', async () => {
    const controller = new AbortController();
    let at = -1;
    const o = options({ signal: controller.signal, log: (line) => {
      if (line === 'lifecycle: tag done' && at < 0) {
        at = proxy.log.length;
        controller.abort('SIGINT');
      }
    } });
    const report = await runConformance(o);
    expect(at).toBeGreaterThan(0);
    const after = proxy.log.slice(at);
    expect(after.filter((l) => ['ListTagResources', 'UnTagResources', 'MoveResourceGroup', 'RejectVpcPeerConnection', 'ModifyVpcPeerConnection'].includes(l.action))).toEqual([]);
    expect(after.every((l) => ['GetVpcPeerConnectionAttribute', 'ListVpcPeerConnections', 'DeleteVpcPeerConnection'].includes(l.action))).toBe(true);
    expect(report.interrupted).toBe('SIGINT');
    expect(report.exitCode).toBe(1);
    expect(report.cases.find((c) => c.name === 'lifecycle list-tags')).toMatchObject({ status: 'skipped', reason: 'not sent: the run was interrupted (SIGINT)' });
    expect(await leftInEmulator()).toEqual([]);
    expect(expectCompleteJUnit(o.junitFile!)).toContain('name="interrupted"');
  });
});

const CLI = path.resolve('src/cli/conformance.ts');

/** Runs the CLI in its own process group against the proxy, with the emulator's accounts. */
function runCli(args: string[], onOutput: (text: string, pid: number) => void): Promise<{ code: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VITEST') && !k.startsWith('CONTRACT_') && !k.startsWith('ALIBABA_CLOUD_')) env[k] = v;
  const v = target.values;
  Object.assign(env, {
    ALIBABA_CLOUD_ACCESS_KEY_ID: target.owner.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: target.owner.accessKeySecret,
    CONTRACT_PEER_ACCESS_KEY_ID: target.peer.accessKeyId,
    CONTRACT_PEER_ACCESS_KEY_SECRET: target.peer.accessKeySecret,
    CONTRACT_REGION: v.RegionId,
    CONTRACT_VPC_ID: v.VpcId,
    CONTRACT_ACCEPTING_REGION: v.AcceptingRegionId,
    CONTRACT_ACCEPTING_VPC_ID: v.AcceptingVpcId,
    CONTRACT_ACCEPTING_ALIUID: v.AcceptingAliUid,
    CONTRACT_INSTANCE_ID: v.InstanceId,
    CONTRACT_POLL_MS: '20',
    CONTRACT_WAIT_MS: '3000',
    FORCE_COLOR: '0',
  });
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--endpoint', proxy.baseUrl, '--credentials', 'default', '--lifecycle', '--negative', 'off', ...args], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const take = (chunk: Buffer) => {
      output += chunk.toString();
      onOutput(output, child.pid!);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('lifecycle cleanup (the CLI, real signals)', () => {
  it('SIGINT while the create is in flight: the sweep by tag finds and deletes it; exit 130; JUnit complete', async () => {
    const junit = path.join(dir, 'cli-inflight.xml');
    let pid = 0;
    let signalledAt = -1;
    proxy.state = {};
    proxy.defect = {
      answer: (req, up, state) => {
        if (req.action === 'CreateVpcPeerConnection' && param(req, 'DryRun') !== 'true' && !state.held) {
          state.held = true;
          signalledAt = proxy.log.length;
          process.kill(-pid, 'SIGINT'); // the whole process group, as a terminal does
          return { ...up, delivery: 'hang' };
        }
        return up;
      },
    };
    const { code, output } = await runCli(['--junit', junit], (_text, p) => (pid = p));
    proxy.defect = undefined;
    expect(signalledAt, output).toBeGreaterThan(0);
    expect(code, output).toBe(130);
    expect(output).toMatch(/cleanup: pcc-\w+ deleted and confirmed gone/);
    expect(output).not.toContain('LEFT BEHIND');
    const after = proxy.log.slice(signalledAt);
    expect(after.filter((l) => !['GetVpcPeerConnectionAttribute', 'ListVpcPeerConnections', 'DeleteVpcPeerConnection'].includes(l.action)).map((l) => l.action)).toEqual([]);
    expect(await leftInEmulator()).toEqual([]);
    const text = expectCompleteJUnit(junit);
    expect(text).toContain('name="interrupted"');
    expect(text).toMatch(/name="lifecycle create"[^>]*>\s*<error message="interrupted while CreateVpcPeerConnection was in flight"/);
  }, 60_000);

  it('SIGINT between steps: no later step completes, cleanup runs; exit 130; JUnit complete', async () => {
    const junit = path.join(dir, 'cli-between.xml');
    let at = -1;
    const { code, output } = await runCli(['--junit', junit], (text, pid) => {
      if (at < 0 && text.includes('conformance: lifecycle: tag done')) {
        at = proxy.log.length;
        process.kill(-pid, 'SIGINT');
      }
    });
    expect(at, output).toBeGreaterThan(0);
    expect(code, output).toBe(130);
    // The request of the next step may already have left when the signal landed; it is then cut. Nothing after it.
    const steps = proxy.log.slice(at).filter((l) => !['GetVpcPeerConnectionAttribute', 'ListVpcPeerConnections', 'DeleteVpcPeerConnection'].includes(l.action));
    expect(steps.length, JSON.stringify(steps)).toBeLessThanOrEqual(1);
    expect(steps.every((l) => l.action === 'ListTagResources')).toBe(true);
    expect(output).not.toContain('LEFT BEHIND');
    expect(await leftInEmulator()).toEqual([]);
    expect(expectCompleteJUnit(junit)).toContain('name="interrupted"');
  }, 60_000);
});
