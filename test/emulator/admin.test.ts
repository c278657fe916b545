/**
 * The admin API: state dump, clock, reset, unknown endpoints; it refuses browsers (no CORS, a
 * JSON content type for changes, a loopback Host, the optional token), proven with raw requests
 * and with a real page in Chromium; every value is range-checked.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import http, { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.ts';
import { ALICE, createParams, startHarness, VPC, type Harness } from './helpers.ts';

describe('admin API', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
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
});

/** A raw request, so the test controls Host and every header. */
function raw(port: number, method: string, pathName: string, headers: Record<string, string>, body = ''): Promise<{ status: number; headers: Record<string, unknown>; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path: pathName, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the admin API refuses browsers and bad values', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });
  const json = { 'content-type': 'application/json' };

  it('no CORS headers, a refused preflight, a JSON content type for changes, a loopback Host', async () => {
    const port = h.running.port;
    const origin = { origin: 'https://evil.example' };
    const preflight = await raw(port, 'OPTIONS', '/__emulator/reset', { ...origin, host: `127.0.0.1:${port}`, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' });
    expect(preflight.status).toBe(403);
    expect(Object.keys(preflight.headers).filter((k) => k.startsWith('access-control-'))).toEqual([]);
    const state = await raw(port, 'GET', '/__emulator/state', { ...origin, host: `127.0.0.1:${port}` });
    expect(state.status).toBe(200);
    expect(Object.keys(state.headers).filter((k) => k.startsWith('access-control-'))).toEqual([]);
    // A simple (no-preflight) cross-origin POST carries text/plain or a form type: refused.
    for (const type of ['text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const reset = await raw(port, 'POST', '/__emulator/reset', { ...origin, host: `127.0.0.1:${port}`, 'content-type': type }, '{}');
      expect(reset.status, type).toBe(415);
    }
    const bare = await raw(port, 'POST', '/__emulator/reset', { host: `127.0.0.1:${port}` });
    expect(bare.status).toBe(415);
    // DNS rebinding: the socket is loopback but the Host names another site.
    for (const host of ['evil.example', `evil.example:${port}`, '192.168.1.10', `[::2]:${port}`, 'localhost.evil.example']) {
      const rebound = await raw(port, 'GET', '/__emulator/state', { host });
      expect(rebound.status, host).toBe(403);
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'app.localhost', '127.1.2.3']) {
      expect((await raw(port, 'GET', '/__emulator/clock', { host })).status, host).toBe(200);
    }
    // The API proper still answers CORS for the console.
    const api = await raw(port, 'OPTIONS', '/', { ...origin, host: `127.0.0.1:${port}` });
    expect(api.status).toBe(204);
    expect(api.headers['access-control-allow-origin']).toBe('https://evil.example');
  });

  it('every number and duration is range-checked: 400 InvalidParameter naming the field, never 500', async () => {
    const before = (await h.admin('GET', '/__emulator/clock')).body.nowMs;
    const bad: Array<[unknown, string]> = [
      [{ advance: 1e308 }, 'advance'],
      [{ advance: '1e308' }, 'advance'],
      [{ advance: '36600d' }, 'advance'],
      [{ advance: 'P99999D' }, 'advance'],
      [{ advanceMs: -1 }, 'advanceMs'],
      [{ advance: -5 }, 'advance'],
      [{ to: '+275760-09-13T00:00:00Z' }, 'to'],
      [{ to: 'tomorrow' }, 'to'],
      [{ speed: 2 }, 'speed'],
    ];
    for (const [body, field] of bad) {
      const r = await h.admin('POST', '/__emulator/clock', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.code).toBe('InvalidParameter');
      expect(r.body.error, JSON.stringify(body)).toContain(field);
    }
    expect((await h.admin('GET', '/__emulator/clock')).body.nowMs).toBe(before);
    // Ninety-nine years is fine, and every read still answers.
    expect((await h.admin('POST', '/__emulator/clock', { advance: '36135d' })).status).toBe(200);
    expect((await h.call('ListVpcPeerConnections', {})).status).toBe(200);
    expect((await h.admin('GET', '/__emulator/state')).status).toBe(200);
    const fault = await h.admin('POST', '/__emulator/faults', { action: 'ListVpcPeerConnections', latencyMs: 1e308 });
    expect(fault.status).toBe(400);
    expect(fault.body.error).toContain('latencyMs');
  });

  it('--admin-token: without the token nothing is answered', async () => {
    const guarded = await startHarness({ adminToken: 'sesame-0123456789' });
    try {
      const port = guarded.running.port;
      const host = `127.0.0.1:${port}`;
      expect((await raw(port, 'GET', '/__emulator/state', { host })).status).toBe(401);
      expect((await raw(port, 'POST', '/__emulator/reset', { host, ...json, 'x-emulator-admin-token': 'sesame-wrong-000000' })).status).toBe(401);
      expect((await raw(port, 'POST', '/__emulator/reset', { host, ...json, 'x-emulator-admin-token': 'sesame-0123456789' })).status).toBe(200);
      const denied = await raw(port, 'GET', '/__emulator/state', { host });
      expect(JSON.stringify(denied.body)).not.toContain('sesame');
    } finally {
      await guarded.close();
    }
  });
});

describe('a page in Chromium cannot reset, read or change the emulator', () => {
  let h: Harness;
  let page: http.Server;
  let browser: Browser;
  let id: string;
  beforeAll(async () => {
    h = await startHarness();
    id = (await h.call('CreateVpcPeerConnection', createParams())).body.InstanceId;
    page = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>elsewhere</title><form id="f" method="post" enctype="text/plain"></form>');
    });
    await new Promise<void>((r) => page.listen(0, '127.0.0.1', r));
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => page.close(r));
    await h.close();
  });

  /** What a page's script sees when it tries every way in. */
  const attack = (target: string) => `(async () => {
    const seen = [];
    const tryIt = async (name, run) => { try { const r = await run(); seen.push(name + ':' + (r.type === 'opaque' ? 'opaque' : r.status + ':' + (await r.text()).slice(0, 40))); } catch (e) { seen.push(name + ':blocked'); } };
    await tryIt('read-state', () => fetch('${target}/__emulator/state'));
    await tryIt('reset-simple', () => fetch('${target}/__emulator/reset', { method: 'POST', mode: 'no-cors', body: '{}' }));
    await tryIt('clock-simple', () => fetch('${target}/__emulator/clock', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: '{"advance":"7d"}' }));
    await tryIt('reset-json', () => fetch('${target}/__emulator/reset', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }));
    await tryIt('fault-json', () => fetch('${target}/__emulator/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"code":"InternalError"}' }));
    try { navigator.sendBeacon('${target}/__emulator/reset', new Blob(['{}'], { type: 'text/plain' })); seen.push('beacon:sent'); } catch { seen.push('beacon:blocked'); }
    return seen;
  })()`;

  const unchanged = async () => {
    const got = await h.call('GetVpcPeerConnectionAttribute', { InstanceId: id });
    expect(got.status).toBe(200);
    expect((await h.admin('GET', '/__emulator/faults')).body.faults).toEqual([]);
    expect((await h.admin('GET', '/__emulator/clock')).body.nowMs).toBe(Date.parse('2025-03-01T08:00:00Z'));
  };

  it('from another origin: every read is opaque or blocked, every change refused', async () => {
    const context = await browser.newContext();
    try {
      const tab = await context.newPage();
      await tab.goto(`http://127.0.0.1:${(page.address() as AddressInfo).port}/`);
      const seen: string[] = await tab.evaluate(attack(h.baseUrl));
      expect(seen.filter((s) => s.startsWith('read-state') || s.startsWith('reset-json') || s.startsWith('fault-json'))).toEqual(['read-state:blocked', 'reset-json:blocked', 'fault-json:blocked']);
      // A form post is a navigation the page cannot read; it is refused all the same.
      await tab.evaluate(`(() => { const f = document.getElementById('f'); f.action = '${h.baseUrl}/__emulator/reset'; const i = document.createElement('input'); i.name = '{"x":"'; i.value = '"}'; f.appendChild(i); f.submit(); })()`);
      await tab.waitForLoadState('load');
      await new Promise((r) => setTimeout(r, 300));
      await unchanged();
    } finally {
      await context.close();
    }
  });

  it('after DNS rebinding (the attacker’s name now points at the emulator): refused by Host', async () => {
    const port = h.running.port;
    const context = await browser.newContext();
    try {
      const tab = await context.newPage();
      // The attacker's page, served under its own name on the emulator's port; its fetches then
      // reach the emulator as same-origin requests with Host: rebind.test.
      await context.route(`http://rebind.test:${port}/`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>rebound</title>' }));
      await context.route(/rebind\.test.*__emulator/, async (route) => {
        const request = route.request();
        const answer = await raw(port, request.method(), new URL(request.url()).pathname, { ...(await request.allHeaders()), host: `rebind.test:${port}` }, request.postData() ?? '');
        await route.fulfill({ status: answer.status, contentType: 'application/json', body: JSON.stringify(answer.body) });
      });
      await tab.goto(`http://rebind.test:${port}/`);
      const seen: string[] = await tab.evaluate(attack(`http://rebind.test:${port}`));
      for (const s of seen.filter((x) => !x.startsWith('beacon'))) expect(s).toMatch(/:(403|opaque|blocked)/);
      expect(seen.find((s) => s.startsWith('read-state'))).toMatch(/^read-state:403:/);
      await new Promise((r) => setTimeout(r, 300));
      await unchanged();
    } finally {
      await context.close();
    }
  });
});

describe('seeding for frontends: accounts, VPCs, resource groups, connections in any status', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vpcpeer-seed-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('adds them at run time, seeds every status with consistent timestamps, and keeps it all across a restart', async () => {
    const stateFile = path.join(dir, 'seeded.json');
    const h = await startHarness({ stateFile });
    const dave = { uid: '1330123456123450', name: 'dave', accessKeyId: 'LTAI5tDaveSeeded00001', accessKeySecret: 'dave-seeded-secret-0001' };
    const ids = new Map<string, string>();
    try {
      expect((await h.admin('POST', '/__emulator/accounts', dave)).status).toBe(200);
      expect((await h.admin('POST', '/__emulator/accounts', dave)).status).toBe(409);
      expect((await h.admin('POST', '/__emulator/resource-groups', { uid: 'dave', resourceGroupId: 'rg-dave-console' })).status).toBe(200);
      const vpcs = ['vpc-dave-hz-1', 'vpc-dave-hz-2', 'vpc-dave-hz-3', 'vpc-dave-hz-4', 'vpc-dave-hz-5', 'vpc-dave-hz-6', 'vpc-dave-hz-7', 'vpc-dave-hz-8'];
      for (const vpcId of vpcs) expect((await h.admin('POST', '/__emulator/vpcs', { uid: dave.uid, regionId: 'cn-hangzhou', vpcId, ipv4Cidrs: ['10.9.0.0/16'] })).status).toBe(200);
      expect((await h.admin('POST', '/__emulator/vpcs', { uid: dave.uid, regionId: 'mars-1', vpcId: 'vpc-mars' })).body.field).toBe('regionId');
      // One connection per status, from dave to alice's VPC (cross-account) or between dave's own.
      const statuses = ['Creating', 'Accepting', 'Updating', 'Activated', 'Rejected', 'Expired', 'Deleting', 'Deleted'];
      for (const [i, status] of statuses.entries()) {
        const r = await h.admin('POST', '/__emulator/connections', { vpcId: vpcs[i], acceptingVpcId: VPC.aliceHz1, status, name: `seeded-${status}` });
        expect(r.status, status).toBe(200);
        expect(r.body.connection.Status).toBe(status);
        ids.set(status, r.body.connection.InstanceId);
      }
      const seen = async (status: string) => (await h.call('GetVpcPeerConnectionAttribute', { InstanceId: ids.get(status) }, 'dave')).body;
      const accepting = await seen('Accepting');
      expect(Date.parse(accepting.GmtExpired) - Date.parse(accepting.GmtCreate)).toBe(7 * 24 * 3600 * 1000);
      const expired = await seen('Expired');
      expect(expired.GmtExpired).toBe(expired.GmtModified);
      expect(Date.parse(expired.GmtExpired) - Date.parse(expired.GmtCreate)).toBe(7 * 24 * 3600 * 1000);
      expect((await seen('Rejected')).GmtExpired).toBeNull();
      // alice sees the cross-account ones as the accepter, and may accept the waiting one.
      expect((await h.call('AcceptVpcPeerConnection', { InstanceId: ids.get('Accepting') }, 'alice')).status).toBe(200);
      // Transient states move on like the real ones.
      await h.advance('1s');
      expect((await seen('Creating')).Status).toBe('Accepting');
      expect((await seen('Updating')).Status).toBe('Activated');
      expect((await seen('Deleting')).Status).toBe('Deleted');
      // Bad seeds are refused with the field.
      const dup = await h.admin('POST', '/__emulator/connections', { vpcId: vpcs[3], acceptingVpcId: VPC.aliceHz1, status: 'Activated' });
      expect(dup.status).toBe(409);
      expect((await h.admin('POST', '/__emulator/connections', { vpcId: vpcs[0], acceptingVpcId: vpcs[1], status: 'Accepting' })).body.field).toBe('status');
      expect((await h.admin('POST', '/__emulator/connections', { vpcId: vpcs[0], acceptingVpcId: 'vpc-nope', status: 'Activated' })).body.field).toBe('acceptingVpcId');
      expect((await h.admin('POST', '/__emulator/connections', { vpcId: vpcs[0], acceptingVpcId: vpcs[1], status: 'Frozen' })).body.field).toBe('status');
      // The new account's own resource group works through the API.
      expect((await h.call('MoveResourceGroup', { RegionId: 'cn-hangzhou', ResourceType: 'PeerConnection', ResourceId: ids.get('Activated'), NewResourceGroupId: 'rg-dave-console' }, 'dave')).body.Success).toBe(true);
    } finally {
      await h.close();
    }
    const again = await startHarness({ stateFile });
    try {
      const state = (await again.admin('GET', '/__emulator/state')).body;
      expect(state.accounts.map((a: { name: string }) => a.name)).toContain('dave');
      expect(state.world.accounts[dave.uid].vpcs['cn-hangzhou']).toHaveLength(8);
      expect((await again.call('GetVpcPeerConnectionAttribute', { InstanceId: ids.get('Activated') }, 'dave')).body).toMatchObject({ Status: 'Activated', ResourceGroupId: 'rg-dave-console' });
      expect((await again.call('GetVpcPeerConnectionAttribute', { InstanceId: ids.get('Expired') }, 'alice')).body.Status).toBe('Expired');
    } finally {
      await again.close();
    }
  });

  it('with --auth off, an unknown UID in x-emulator-account is an empty account made on the fly (and kept)', async () => {
    const stateFile = path.join(dir, 'on-the-fly.json');
    const uid = '1770123456123459';
    const h = await startHarness({ stateFile });
    try {
      const list = await h.call('ListVpcPeerConnections', {}, uid);
      expect(list.status).toBe(200);
      expect(list.body.TotalCount).toBe(0);
      expect((await h.admin('POST', '/__emulator/vpcs', { uid, regionId: 'cn-hangzhou', vpcId: 'vpc-fly-1' })).status).toBe(200);
      const created = await h.call('CreateVpcPeerConnection', { RegionId: 'cn-hangzhou', VpcId: 'vpc-fly-1', AcceptingAliUid: ALICE.uid, AcceptingRegionId: 'cn-hangzhou', AcceptingVpcId: VPC.aliceHz2 }, uid);
      expect(created.status).toBe(200);
      // Names that are not UIDs are still unknown accounts.
      expect((await h.call('ListVpcPeerConnections', {}, 'mallory')).body.Code).toBe('InvalidAccessKeyId.NotFound');
    } finally {
      await h.close();
    }
    const again = await startHarness({ stateFile });
    try {
      expect((await again.admin('GET', '/__emulator/state')).body.accounts.map((a: { uid: string }) => a.uid)).toContain(uid);
      expect((await again.call('ListVpcPeerConnections', {}, uid)).body.TotalCount).toBe(1);
    } finally {
      await again.close();
    }
    const verify = await startHarness({ config: { auth: 'presence' } });
    try {
      expect((await verify.call('ListVpcPeerConnections', {}, uid)).body.Code).toBe('IncompleteSignature');
    } finally {
      await verify.close();
    }
  });
});
