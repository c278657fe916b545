/**
 * Fault injection, persistence across a restart, the admin API's guard rails, and the request
 * shapes the mock accepts (GET, header or form-body Action).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, startEmulator, StateFileError } from '../../src/emulator/index.ts';
import { ALICE, BOB, CAROL, DELAYS, createParams, expectConforms, startHarness, WORLD, type Harness } from './helpers.ts';

describe('fault injection', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('the next N calls of an Action fail with a chosen documented code, then it works again', async () => {
    const added = await h.admin('POST', '/__emulator/faults', { action: 'CreateVpcPeerConnection', code: 'ServiceUnavailable', count: 2 });
    expect(added.status).toBe(200);
    for (let i = 0; i < 2; i += 1) {
      const a = await h.call('CreateVpcPeerConnection', createParams());
      expect(a.status).toBe(503);
      expect(a.body.Code).toBe('ServiceUnavailable');
    }
    expect((await h.call('CreateVpcPeerConnection', createParams())).status).toBe(200);
    expect((await h.admin('GET', '/__emulator/faults')).body.faults).toEqual([]);
  });

  it('refuses codes the Action does not document', async () => {
    const r = await h.admin('POST', '/__emulator/faults', { action: 'GetVpcPeerConnectionAttribute', code: 'IncorrectStatus.VpcPeer' });
    expect(r.status).toBe(400);
    expect(r.body.error).toContain('not a documented error code');
  });

  it('throttles at a rate with Throttling', async () => {
    // One call per 100 s: the first passes, the next ones are throttled.
    await h.admin('POST', '/__emulator/faults', { action: 'ListVpcPeerConnections', ratePerSecond: 0.01 });
    const codes: string[] = [];
    for (let i = 0; i < 3; i += 1) codes.push((await h.call('ListVpcPeerConnections', {})).body.Code ?? 'ok');
    expect(codes).toEqual(['ok', 'Throttling', 'Throttling']);
    expect((await h.call('GetVpcPeerConnectionAttribute', { InstanceId: 'pcc-x' })).body.Code).toBe('ResourceNotFound.InstanceId');
    await h.admin('DELETE', '/__emulator/faults');
    expect((await h.call('ListVpcPeerConnections', {})).status).toBe(200);
  });

  it('adds latency (and config rules apply from the start)', async () => {
    const slow = await startHarness({ config: { accounts: [ALICE, BOB], world: WORLD, faults: [{ action: 'ListVpcPeerConnections', latencyMs: 500 }] } });
    try {
      // Started together, the delayed List answers after the undelayed Get.
      const order: string[] = [];
      await Promise.all([
        slow.call('ListVpcPeerConnections', {}).then((a) => order.push(`List ${a.status}`)),
        slow.call('GetVpcPeerConnectionAttribute', { InstanceId: 'pcc-x' }).then((a) => order.push(`Get ${a.status}`)),
      ]);
      expect(order).toEqual(['Get 400', 'List 200']);
    } finally {
      await slow.close();
    }
  });
});

describe('persistence (--state FILE)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vpcpeer-emulator-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a restart keeps the world: connections, statuses, tags, tokens and the clock', async () => {
    const stateFile = path.join(dir, 'state.json');
    const config = { accounts: [ALICE, BOB, CAROL], world: WORLD, delays: DELAYS };
    const first = await startHarness({ config, stateFile });
    const created = await first.call('CreateVpcPeerConnection', createParams({ ClientToken: 'persist-1', Tag: [{ Key: 'k', Value: 'v' }] }));
    await first.advance('1s');
    await first.close();
    expect(JSON.parse(await readFile(stateFile, 'utf8')).connections).toHaveLength(1);

    const second = await startHarness({ config, stateFile });
    try {
      const got = await second.call('GetVpcPeerConnectionAttribute', { InstanceId: created.body.InstanceId }, 'bob');
      expect(got.body.Status).toBe('Accepting');
      expect((await second.call('GetVpcPeerConnectionAttribute', { InstanceId: created.body.InstanceId })).body.Tags).toEqual([{ Key: 'k', Value: 'v' }]);
      const replay = await second.call('CreateVpcPeerConnection', createParams({ ClientToken: 'persist-1', Tag: [{ Key: 'k', Value: 'v' }] }));
      expect(replay.body.InstanceId).toBe(created.body.InstanceId);
      // Saved on change, without a clean shutdown: on disk before the answer, so a third
      // emulator reading the same files while the second still runs sees it at once.
      await second.call('AcceptVpcPeerConnection', { InstanceId: created.body.InstanceId }, 'bob');
      const third = createEmulator({ config, stateFile, clock: 'manual', logLevel: 'silent' });
      expect(third.store.byId.get(created.body.InstanceId)?.status).toBe('Updating');
    } finally {
      await second.close();
    }
  });

  it('a corrupt file is a clear error, never a silent reset', async () => {
    const bad = path.join(dir, 'corrupt.json');
    await writeFile(bad, '{"format": "vpcpeer-emulator-state", "version": 1, "connections": [');
    expect(() => createEmulator({ stateFile: bad, logLevel: 'silent' })).toThrow(StateFileError);
    expect(() => createEmulator({ stateFile: bad, logLevel: 'silent' })).toThrow(/corrupt\.json is not a usable emulator state file/);
    await writeFile(bad, JSON.stringify({ format: 'something-else' }));
    expect(() => createEmulator({ stateFile: bad, logLevel: 'silent' })).toThrow(/"format"/);
    expect(await readFile(bad, 'utf8')).toContain('something-else');
  });
});

describe('wire shapes and admin guard rails', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('GET with everything in the query, the x-acs-action header, and Action in the form body', async () => {
    const get = await fetch(`${h.baseUrl}/?Action=ListVpcPeerConnections&Version=2022-01-01&MaxResults=5`);
    const getBody = { status: get.status, body: (await get.json()) as Record<string, any>, text: '' };
    expect(getBody.body.MaxResults).toBe(5);
    expectConforms('ListVpcPeerConnections', getBody, get.headers.get('content-type'));
    const header = await fetch(`${h.baseUrl}/`, { method: 'POST', headers: { 'x-acs-action': 'ListVpcPeerConnections', 'x-acs-version': '2022-01-01', 'content-type': 'application/x-www-form-urlencoded' }, body: 'MaxResults=7' });
    expect(((await header.json()) as { MaxResults: number }).MaxResults).toBe(7);
    const form = await fetch(`${h.baseUrl}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListVpcPeerConnections&Version=2022-01-01&MaxResults=9' });
    expect(((await form.json()) as { MaxResults: number }).MaxResults).toBe(9);
    const unknown = await fetch(`${h.baseUrl}/?Action=DescribeVpcs&Version=2022-01-01`);
    expect(((await unknown.json()) as { Code: string }).Code).toBe('InvalidAction.NotFound');
    const preflight = await fetch(`${h.baseUrl}/`, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-emulator-account');
  });

  it('admin: state dump, clock, reset, unknown endpoints', async () => {
    await h.call('CreateVpcPeerConnection', createParams());
    const state = await h.admin('GET', '/__emulator/state');
    expect(state.body.connections).toHaveLength(1);
    expect(JSON.stringify(state.body)).not.toContain(ALICE.accessKeys[0]!.secret);
    const before = (await h.admin('GET', '/__emulator/clock')).body.nowMs;
    expect((await h.admin('POST', '/__emulator/clock', { advance: '2h' })).body.nowMs).toBe(before + 7_200_000);
    expect((await h.admin('POST', '/__emulator/clock', { advance: 'soon' })).status).toBe(400);
    expect((await h.admin('POST', '/__emulator/clock', { to: '2000-01-01T00:00:00Z' })).status).toBe(400);
    expect((await h.admin('POST', '/__emulator/reset')).status).toBe(200);
    expect((await h.admin('GET', '/__emulator/state')).body.connections).toEqual([]);
    expect((await h.admin('GET', '/__emulator/nope')).status).toBe(404);
  });

  it('startEmulator picks a free port and closes cleanly', async () => {
    const a = await startEmulator();
    const b = await startEmulator();
    try {
      expect(a.port).not.toBe(b.port);
      expect((await fetch(`${a.baseUrl}/__emulator/clock`)).status).toBe(200);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
