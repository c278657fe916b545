/**
 * The checker run as users run it: against the mock (answers from examples) and a fresh
 * emulator (strict fields, full lifecycle, every Action's success body), a full default run
 * (its duration printed), "could not test" on an empty account, record and replay offline with
 * secrets redacted, the run deadline, and the CLI's usage errors.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../src/contract/index.ts';
import { formatConsole, replayConformance, runConformance, type ConformanceReport } from '../src/conformance/index.ts';
import { startEmulatorTarget, type EmulatorTarget } from '../src/conformance/emulator-target.ts';
import { startMockTarget } from '../src/conformance/mock-target.ts';
import { startDefectProxy } from './defect-proxy.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vpcpeer-conformance-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const explain = (r: ConformanceReport) => `${r.couldNotTest ?? ''}\n${r.findings.map((f) => `${f.severity}: ${f.message}`).join('\n')}`;

describe('against the mock', () => {
  it('conforms: reads, DryRun, negative tests, rehearsed errors and the lifecycle (static answers)', async () => {
    const mock = await startMockTarget();
    try {
      const report = await runConformance({ endpoint: mock.baseUrl, credentials: { accessKeyId: 'LTAIcontractFakeId', accessKeySecret: 'fake' }, peerCredentials: { accessKeyId: 'LTAIcontractFakePeer', accessKeySecret: 'fake' }, staticAnswers: true, rehearseErrors: true, lifecycle: true, strictFields: true });
      expect(report.exitCode, explain(report)).toBe(0);
      expect(report.failures).toBe(0);
      expect(report.coverage.percent).toBe(100);
      for (const action of contract.actions) expect(report.cases.some((c) => c.action === action && c.status === 'passed' && c.suite !== 'negative'), action).toBe(true);
      expect(report.cases.filter((c) => c.name.startsWith('mock-error ')).every((c) => c.status === 'passed')).toBe(true);
    } finally {
      await mock.close();
    }
  });
});

describe('against a fresh emulator', () => {
  let target: EmulatorTarget;
  beforeAll(async () => {
    target = await startEmulatorTarget();
  });
  afterAll(async () => target?.close());
  const base = () => ({ endpoint: target.baseUrl, credentials: target.owner, peerCredentials: target.peer, values: target.values, strictFields: true, pollMs: 20, waitMs: 5000 });

  it('a full default run conforms (safe mode, negative tests sampled); its duration is printed', async () => {
    const started = Date.now();
    const report = await runConformance({ ...base() });
    console.log(`full default run against the emulator: ${Date.now() - started} ms, ${report.requests} requests, ${report.negative.sent} negative`);
    expect(report.exitCode, explain(report)).toBe(0);
    expect(report.successActions).toBeGreaterThanOrEqual(report.minSuccess);
    expect(report.cases.find((c) => c.name === 'safe TagResources')).toMatchObject({ status: 'skipped', reason: expect.stringContaining('skipped because unsafe') });
    expect(formatConsole(report)).toContain('verdict: conforms');
  });

  it('with the lifecycle, every Action has a validated success body (coverage 100%)', async () => {
    const report = await runConformance({ ...base(), lifecycle: true, negative: 'off', minCoverage: 100 });
    expect(report.exitCode, explain(report)).toBe(0);
    expect(report.coverage.rows.filter((r) => !r.successValidated).map((r) => r.action)).toEqual([]);
    expect(report.cases.filter((c) => c.suite === 'lifecycle' && c.status !== 'passed')).toEqual([]);
    expect(report.leftovers).toEqual([]);
  });

  it('records every exchange with the secrets redacted, and replays it offline', async () => {
    const recordFile = path.join(dir, 'run.jsonl');
    const live = await runConformance({ ...base(), recordFile, signature: 'v1' });
    expect(live.exitCode, explain(live)).toBe(0);
    const text = readFileSync(recordFile, 'utf8');
    for (const secret of [target.owner.accessKeySecret, target.owner.accessKeyId]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/[?&]Signature=(?!%5Bredacted%5D)/);
    expect(text.split('\n').filter(Boolean)).toHaveLength(live.requests);

    const replayed = replayConformance({ files: [recordFile], strictFields: true });
    expect(replayed.exitCode, explain(replayed)).toBe(0);
    expect(replayed.requests).toBe(live.requests);

    // A recorded answer that the current contract rejects is caught offline, naming the Action.
    const lines = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { action: string; status: number; body: string });
    const get = lines.find((l) => l.action === 'GetVpcPeerConnectionAttribute' && l.status === 200)!;
    get.body = get.body.replace(/"Bandwidth":(-?\d+)/, '"Bandwidth":"$1"');
    const tampered = path.join(dir, 'tampered.jsonl');
    writeFileSync(tampered, lines.map((l) => JSON.stringify(l)).join('\n'));
    const caught = replayConformance({ files: [tampered] });
    expect(caught.exitCode).toBe(1);
    expect(caught.findings.filter((f) => f.severity === 'failure').map((f) => `${f.action}: ${f.message}`)).toEqual([expect.stringMatching(/^GetVpcPeerConnectionAttribute: GetVpcPeerConnectionAttribute HTTP 200: \$\.Bandwidth \[type\] must be integer \(got "-?\d+"\)$/)]);
  });

  it('an account with nothing to read: "could not test" (exit 3) saying what to fix', async () => {
    const empty = await startEmulatorTarget({ seed: false });
    try {
      const { InstanceId: _none, ...values } = empty.values;
      const report = await runConformance({ endpoint: empty.baseUrl, credentials: empty.owner, values, negative: 'off' });
      expect(report.exitCode).toBe(3);
      expect(report.couldNotTest).toMatch(/^nothing was tested: only 1 Actions had a success body to validate, fewer than --min-success 3; give the run a connection to read \(CONTRACT_INSTANCE_ID, CONTRACT_REGION\) or lower --min-success$/);
      expect(report.cases.find((c) => c.name === 'read GetVpcPeerConnectionAttribute')?.reason).toContain('set CONTRACT_INSTANCE_ID');
    } finally {
      await empty.close();
    }
  });

  it('the run deadline cuts the call in flight and names its Action', async () => {
    const proxy = await startDefectProxy(target.baseUrl);
    proxy.defect = { intercept: (req) => (req.action === 'GetVpcPeerConnectionAttribute' ? { status: 0, headers: {}, body: '', delivery: 'hang' } : undefined) };
    try {
      const junitFile = path.join(dir, 'deadline.xml');
      const report = await runConformance({ ...base(), endpoint: proxy.baseUrl, deadlineMs: 1500, negative: 'off', junitFile });
      expect(report.interrupted).toBe('deadline');
      expect(report.exitCode).toBe(1);
      expect(report.cases.find((c) => c.name === 'read GetVpcPeerConnectionAttribute')).toMatchObject({ status: 'interrupted', reason: 'the run deadline (1500 ms) cut GetVpcPeerConnectionAttribute' });
      expect(report.notes).toContain('the run deadline (1500 ms) cut GetVpcPeerConnectionAttribute');
      expect(report.failures).toBe(0);
      expect(readFileSync(junitFile, 'utf8')).toContain('name="interrupted"');
    } finally {
      await proxy.close();
    }
  });
});

describe('the CLI', () => {
  const cli = (args: string[], env: Record<string, string> = {}) => {
    const clean: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VITEST') && !k.startsWith('CONTRACT_')) clean[k] = v;
    return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/conformance.ts', ...args], { encoding: 'utf8', env: { ...clean, ...env }, timeout: 60_000 });
  };

  it.each([
    [['--negative', 'some'], 'conformance: --negative must be off, sample or all'],
    [['--endpoint', 'ftp://x'], 'conformance: endpoint must be http: or https:'],
    [['--endpoint', 'http://127.0.0.1:9', '--lifecycle'], 'conformance: the lifecycle needs CONTRACT_REGION, CONTRACT_VPC_ID, CONTRACT_ACCEPTING_ALIUID, CONTRACT_ACCEPTING_REGION, CONTRACT_ACCEPTING_VPC_ID (the VPCs to peer)'],
    [['--max-pages', 'many'], 'conformance: --max-pages must be a whole number, got "many"'],
    [['--emulator', '--endpoint', 'http://127.0.0.1:9'], 'conformance: --emulator and --endpoint exclude each other'],
  ])('usage error %j: exit 2 with the reason', (args, message) => {
    const result = cli(args);
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('--emulator: a fresh emulator, strict fields, the whole signed cross-account lifecycle; every Action passes', () => {
    const json = path.join(dir, 'emulator.json');
    const junit = path.join(dir, 'emulator.xml');
    const result = cli(['--emulator', '--json', json, '--junit', junit]);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('lifecycle OPTED IN');
    expect(result.stdout).toContain('verdict: conforms');
    const report = JSON.parse(readFileSync(json, 'utf8')) as ConformanceReport;
    expect(report.coverage.percent).toBe(100);
    expect(report.failures).toBe(0);
    expect(report.cases.filter((c) => c.status !== 'passed')).toEqual([]);
    expect(readFileSync(junit, 'utf8')).toMatch(/<testsuites name="vpcpeer-conformance" tests="\d+" failures="0" errors="0" skipped="0"/);
  });

  it('an endpoint that does not answer: exit 3, JUnit written with the reason', () => {
    const junit = path.join(dir, 'down.xml');
    const result = cli(['--endpoint', 'http://127.0.0.1:9', '--junit', junit, '--timeout-ms', '2000']);
    expect(result.status, result.stdout + result.stderr).toBe(3);
    expect(result.stdout).toContain('COULD NOT TEST: ListVpcPeerConnections got no answer from http://127.0.0.1:9');
    expect(readFileSync(junit, 'utf8')).toContain('type="could-not-test"');
  });

  it('--replay re-checks a recording offline', async () => {
    const mock = await startMockTarget();
    const file = path.join(dir, 'mock.jsonl');
    try {
      await runConformance({ endpoint: mock.baseUrl, credentials: 'anonymous', staticAnswers: true, negative: 'off', recordFile: file });
    } finally {
      await mock.close();
    }
    const result = cli(['--replay', file, '--static']);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('verdict: conforms');
  });
});
