/**
 * The broken-server proof: the checker runs in its default (safe) mode against the real
 * emulator behind a proxy that plants one defect per case. Each defect must fail the run with
 * its precise message naming the right Action (or stop it as "could not test"), each benign
 * variant must pass, and across all these runs the checker must not send one request that
 * changed state (the proxy records them all).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VpcPeerClient } from '../src/client/client.ts';
import { runConformance, type ConformanceOptions, type ConformanceReport } from '../src/conformance/index.ts';
import { startEmulatorTarget, type EmulatorTarget } from '../src/conformance/emulator-target.ts';
import { BENIGN, DEFECTS } from './defects.ts';
import { startDefectProxy, stateChanging, type DefectProxy } from './defect-proxy.ts';

let target: EmulatorTarget;
let proxy: DefectProxy;
let before: string;
let runs = 0;

/**
 * The emulator's live connections, as the admin API dumps them (what must not change), leaving
 * out those a planted defect changed itself by carrying out a DryRun request.
 */
async function liveState(): Promise<string> {
  const res = await fetch(`${target.baseUrl}/__emulator/state`, { headers: { accept: 'application/json', 'content-type': 'application/json' } });
  const state = (await res.json()) as { connections: Array<Record<string, unknown>> };
  const touchedByDefects = new Set(proxy.log.filter((l) => l.dryRunStripped).map((l) => l.params.InstanceId));
  return JSON.stringify(state.connections.filter((c) => c.status !== 'Deleted' && c.status !== 'Deleting').map((c) => (touchedByDefects.has(String(c.id)) ? { id: c.id } : c)));
}

beforeAll(async () => {
  target = await startEmulatorTarget({ config: { auth: 'presence' } });
  const client = new VpcPeerClient({ endpoint: target.baseUrl, credentials: target.owner });
  const vpcs = target.emulator.emulator.config.world.accounts[target.emulator.emulator.config.accounts[0]!.uid]!.vpcs['cn-hangzhou']!;
  const groups = target.emulator.emulator.config.world.accounts[target.emulator.emulator.config.accounts[0]!.uid]!.resourceGroups;
  const uid = target.emulator.emulator.config.accounts[0]!.uid;
  await client.createVpcPeerConnection({ RegionId: 'cn-hangzhou', VpcId: vpcs[0]!.VpcId, AcceptingAliUid: uid, AcceptingRegionId: 'cn-hangzhou', AcceptingVpcId: vpcs[1]!.VpcId, Name: 'other-one' });
  await client.createVpcPeerConnection({ RegionId: 'cn-hangzhou', VpcId: vpcs[0]!.VpcId, AcceptingAliUid: uid, AcceptingRegionId: 'cn-hangzhou', AcceptingVpcId: vpcs[2]!.VpcId, Name: 'other-two', ResourceGroupId: groups[1]! });
  await new Promise((resolve) => setTimeout(resolve, 300));
  proxy = await startDefectProxy(target.baseUrl);
  before = await liveState();
  expect(JSON.parse(before)).toHaveLength(3);
}, 60_000);

afterAll(async () => {
  await proxy?.close();
  await target?.close();
});

function run(extra: Partial<ConformanceOptions> = {}): Promise<ConformanceReport> {
  runs++;
  return runConformance({
    endpoint: proxy.baseUrl,
    credentials: target.owner,
    peerCredentials: target.peer,
    values: target.values,
    negative: 'off',
    timeoutMs: 5000,
    pollMs: 20,
    waitMs: 5000,
    runId: `proof-${runs}`,
    ...extra,
  });
}

const failures = (report: ConformanceReport) => report.findings.filter((f) => f.severity === 'failure');
const describeReport = (report: ConformanceReport) => [report.couldNotTest ?? '', ...report.findings.map((f) => `${f.severity} ${f.action}: ${f.message} [${f.requests.join('; ')}]`)].join('\n');

describe('planted defects: each fails with its precise message, naming the right Action', () => {
  it('there are at least 40', () => expect(DEFECTS.length).toBeGreaterThanOrEqual(40));

  for (const c of DEFECTS) {
    it(c.name, async () => {
      proxy.defect = c.defect;
      proxy.state = { fixture: target.values.InstanceId };
      const report = await run(c.options);
      proxy.defect = undefined;
      expect(report.exitCode, describeReport(report)).toBe(c.exit);
      if (c.exit === 3) {
        expect(report.couldNotTest).toContain(c.message);
        return;
      }
      const found = failures(report).find((f) => f.message.includes(c.message!));
      expect(found, describeReport(report)).toBeDefined();
      expect(found!.action).toBe(c.action);
      // The failure cites its requests with their RequestIds (when the answer carried one).
      expect(found!.requests.length, describeReport(report)).toBeGreaterThan(0);
      if (c.alsoFails !== 'any') {
        const allowed = new Set([c.action, ...(c.alsoFails ?? [])]);
        expect(failures(report).filter((f) => !allowed.has(f.action)).map((f) => f.message), describeReport(report)).toEqual([]);
      }
    });
  }
});

describe('benign variants: each passes', () => {
  it('there are at least 12', () => expect(BENIGN.length).toBeGreaterThanOrEqual(12));

  for (const b of BENIGN) {
    it(b.name, async () => {
      proxy.defect = b.defect;
      proxy.state = {};
      const report = await run({ negative: 'sample', ...b.options });
      proxy.defect = undefined;
      expect(report.exitCode, describeReport(report)).toBe(0);
      expect(failures(report)).toEqual([]);
      if (b.warning) expect(report.findings.filter((f) => f.severity === 'warning').map((f) => f.message)).toContain(b.warning);
      if (b.warning) expect(report.unknownFields).toEqual([{ action: 'GetVpcPeerConnectionAttribute', path: '$.ServiceAddedField', severity: 'warning' }]);
    });
  }
});

describe('the default mode changes nothing', () => {
  it('a clean run with every negative test passes', async () => {
    const report = await run({ negative: 'all' });
    expect(report.exitCode, describeReport(report)).toBe(0);
    expect(report.negative.sent).toBeGreaterThan(100);
  });

  it('across every run above, no request the checker sent changed state', async () => {
    expect(runs).toBeGreaterThanOrEqual(DEFECTS.length + BENIGN.length);
    const counted = stateChanging(proxy.log);
    console.log(`state-changing requests sent by the default mode across ${runs} runs (${proxy.log.length} requests): ${counted.sent.length}; cleanup deletes of connections a broken endpoint created from a DryRun: ${counted.cleanupOfDefects.length}`);
    expect(counted.sent).toEqual([]);
    expect(counted.cleanupOfDefects.length).toBeGreaterThan(0);
    // And the emulator holds exactly what it held before (what a broken endpoint created was deleted).
    const touched = new Set(proxy.log.filter((l) => l.dryRunStripped).map((l) => l.params.InstanceId));
    expect(touched.size).toBeGreaterThan(0);
    const strip = (text: string) => JSON.stringify((JSON.parse(text) as Array<{ id: string }>).map((c) => (touched.has(c.id) ? { id: c.id } : c)));
    expect(await liveState()).toBe(strip(before));
  });
});
