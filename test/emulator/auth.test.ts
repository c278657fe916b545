/**
 * Accounts and the three authentication modes. `verify` is exercised with the official SDK
 * runtime (V3 by default, V1 with signatureAlgorithm 'v2') and with hand-made bad requests.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callOfficial, OpenApiUtil } from '../helpers/official-sdk.ts';
import { formEncode } from '../../src/wire/codec.ts';
import { formatAcsDate, signV1, signV3 } from '../../src/wire/signing/index.ts';
import { ALICE, BOB, CAROL, DELAYS, startHarness, validators, VPC, WORLD, expectConforms, type Harness } from './helpers.ts';

type SdkAnswer = { statusCode: number; body: Record<string, any> };

/** A raw request on loopback (fetch cannot set `host`, which V3 signs). */
function raw(port: number, method: string, path: string, headers: Record<string, string>, body = ''): Promise<{ status: number; body: Record<string, any>; text: string; contentType: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), text, contentType: String(res.headers['content-type']) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('verify mode with the official SDK runtime', () => {
  let h: Harness;
  let port: number;
  beforeAll(async () => {
    h = await startHarness({ config: { auth: 'verify', accounts: [ALICE, BOB, CAROL], world: WORLD, delays: DELAYS } });
    port = h.running.port;
  });
  afterAll(async () => {
    await h.close();
  });

  const sdk = (scheme: 'v3' | 'v1', key: { id: string; secret: string }, action: string, query: Record<string, unknown>, body: Record<string, unknown>) =>
    callOfficial({
      port,
      scheme,
      accessKeyId: key.id,
      accessKeySecret: key.secret,
      action,
      query: OpenApiUtil.query(query) as Record<string, string>,
      body: OpenApiUtil.parseToMap(body) as Record<string, unknown>,
    }) as Promise<SdkAnswer>;

  /** The SDK throws on errors; this returns the code and checks the body against the contract. */
  const sdkError = async (action: string, promise: Promise<unknown>): Promise<string> => {
    try {
      await promise;
    } catch (error) {
      const e = error as { code?: string; statusCode?: number; data?: Record<string, unknown> };
      // The SDK adds the HTTP status to the parsed body as `statusCode`; the wire body is the rest.
      const { statusCode: _s, ...wire } = e.data ?? {};
      expect(validators.checkResponse(action, e.statusCode ?? 0, wire)).toEqual([]);
      return e.code ?? 'no code';
    }
    return 'no error';
  };

  for (const scheme of ['v3', 'v1'] as const) {
    it(`${scheme}: a signed cross-account flow, each account known by its AccessKey`, async () => {
      const alice = ALICE.accessKeys[0]!;
      const bob = BOB.accessKeys[0]!;
      const created = await sdk(scheme, alice, 'CreateVpcPeerConnection', { Tag: [{ Key: 'env', Value: 'sdk' }] }, {
        RegionId: 'cn-hangzhou', VpcId: scheme === 'v3' ? VPC.aliceHz1 : VPC.aliceHz2, AcceptingAliUid: BOB.uid, AcceptingRegionId: 'cn-shanghai', AcceptingVpcId: VPC.bobSh, Bandwidth: 100,
      });
      expect(created.statusCode).toBe(200);
      expect(validators.checkResponse('CreateVpcPeerConnection', 200, created.body)).toEqual([]);
      const id = created.body.InstanceId as string;
      await h.advance('1s');
      expect(await sdkError('AcceptVpcPeerConnection', sdk(scheme, alice, 'AcceptVpcPeerConnection', {}, { InstanceId: id }))).toBe('Forbidden.RAM');
      const accepted = await sdk(scheme, bob, 'AcceptVpcPeerConnection', {}, { InstanceId: id });
      expect(accepted.statusCode).toBe(200);
      await h.advance('1s');
      const got = await sdk(scheme, bob, 'GetVpcPeerConnectionAttribute', {}, { InstanceId: id });
      expect(got.body.Status).toBe('Activated');
      expect(validators.checkResponse('GetVpcPeerConnectionAttribute', 200, got.body)).toEqual([]);
      const list = await sdk(scheme, alice, 'ListVpcPeerConnections', { Tags: [{ Key: 'env', Value: 'sdk' }] }, { RegionId: 'cn-hangzhou', VpcId: OpenApiUtil.arrayToStringWithSpecifiedStyle([scheme === 'v3' ? VPC.aliceHz1 : VPC.aliceHz2, VPC.bobSh], 'VpcId', 'simple') });
      expect(list.body.VpcPeerConnects.map((c: { InstanceId: string }) => c.InstanceId)).toContain(id);
      expect(validators.checkResponse('ListVpcPeerConnections', 200, list.body)).toEqual([]);
    });

    it(`${scheme}: wrong secret → SignatureDoesNotMatch, unknown key → InvalidAccessKeyId.NotFound`, async () => {
      const bad = { id: ALICE.accessKeys[0]!.id, secret: 'not-the-secret' };
      expect(await sdkError('GetVpcPeerConnectionAttribute', sdk(scheme, bad, 'GetVpcPeerConnectionAttribute', {}, { InstanceId: 'pcc-x' }))).toBe('SignatureDoesNotMatch');
      expect(await sdkError('GetVpcPeerConnectionAttribute', sdk(scheme, { id: 'LTAI5tNobody', secret: 's' }, 'GetVpcPeerConnectionAttribute', {}, { InstanceId: 'pcc-x' }))).toBe('InvalidAccessKeyId.NotFound');
    });
  }

  it('unsigned → IncompleteSignature; the secret is never echoed', async () => {
    const a = await h.call('GetVpcPeerConnectionAttribute', { InstanceId: 'pcc-x' });
    expect(a.body.Code).toBe('IncompleteSignature');
    const bad = { id: ALICE.accessKeys[0]!.id, secret: 'not-the-secret' };
    try {
      await sdk('v1', bad, 'GetVpcPeerConnectionAttribute', {}, { InstanceId: 'pcc-x' });
    } catch (error) {
      const text = JSON.stringify((error as { data?: unknown }).data);
      expect(text).not.toContain(ALICE.accessKeys[0]!.secret);
      expect(text).not.toContain('not-the-secret');
    }
  });

  it('V3 outside 15 minutes → InvalidTimeStamp.Expired; a replayed nonce → SignatureNonceUsed', async () => {
    const key = ALICE.accessKeys[0]!;
    const host = `127.0.0.1:${port}`;
    const body = formEncode([['InstanceId', 'pcc-unknown']]);
    const base = { 'x-acs-action': 'GetVpcPeerConnectionAttribute', 'x-acs-version': '2022-01-01', 'content-type': 'application/x-www-form-urlencoded' };
    const old = await signV3({ method: 'POST', host, headers: base, body, accessKeyId: key.id, accessKeySecret: key.secret, date: new Date(Date.now() - 16 * 60 * 1000) });
    const expired = await raw(port, 'POST', '/', old, body);
    expect(expired.body.Code).toBe('InvalidTimeStamp.Expired');
    expectConforms('GetVpcPeerConnectionAttribute', expired, expired.contentType);

    const fresh = await signV3({ method: 'POST', host, headers: base, body, accessKeyId: key.id, accessKeySecret: key.secret, nonce: 'nonce-replayed-once' });
    const first = await raw(port, 'POST', '/', fresh, body);
    expect(first.body.Code).toBe('ResourceNotFound.InstanceId');
    const replay = await raw(port, 'POST', '/', fresh, body);
    expect(replay.body.Code).toBe('SignatureNonceUsed');
    expectConforms('GetVpcPeerConnectionAttribute', replay, replay.contentType);
  });

  it('V1 outside 15 minutes → InvalidTimeStamp.Expired', async () => {
    const key = BOB.accessKeys[0]!;
    const query = await signV1({
      method: 'GET',
      query: [['Action', 'ListVpcPeerConnections'], ['Version', '2022-01-01'], ['Format', 'JSON']],
      accessKeyId: key.id,
      accessKeySecret: key.secret,
      timestamp: formatAcsDate(new Date(Date.now() + 20 * 60 * 1000)),
    });
    const answer = await raw(port, 'GET', `/?${formEncode(query)}`, {});
    expect(answer.body.Code).toBe('InvalidTimeStamp.Expired');
    expectConforms('ListVpcPeerConnections', answer, answer.contentType);
  });
});

describe('presence and off modes', () => {
  it('presence: signing material must be there and name a known key; the key picks the account', async () => {
    const h = await startHarness({ config: { auth: 'presence', accounts: [ALICE, BOB], world: WORLD } });
    try {
      expect((await h.call('ListVpcPeerConnections', {})).body.Code).toBe('IncompleteSignature');
      const v3 = (id: string) => ({ authorization: `ACS3-HMAC-SHA256 Credential=${id},SignedHeaders=content-type;host;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce,Signature=00`, 'x-acs-date': formatAcsDate(new Date()), 'x-acs-signature-nonce': 'n', 'x-acs-content-sha256': 'e3' });
      expect((await h.call('ListVpcPeerConnections', {}, 'alice', v3('LTAI5tNobody'))).body.Code).toBe('InvalidAccessKeyId.NotFound');
      const created = await h.call('CreateVpcPeerConnection', { RegionId: 'cn-shanghai', VpcId: VPC.bobSh, AcceptingAliUid: BOB.uid, AcceptingRegionId: 'cn-beijing', AcceptingVpcId: VPC.bobBj }, 'alice', v3(BOB.accessKeys[0]!.id));
      expect(created.status).toBe(200);
    } finally {
      await h.close();
    }
  });

  it('off: the x-emulator-account header (name or UID) or the default account', async () => {
    const h = await startHarness();
    try {
      const created = await h.call('CreateVpcPeerConnection', { RegionId: 'cn-hangzhou', VpcId: VPC.bobHz, AcceptingAliUid: ALICE.uid, AcceptingRegionId: 'cn-hangzhou', AcceptingVpcId: VPC.aliceHz1 }, BOB.uid);
      expect(created.status).toBe(200);
      const res = await fetch(`${h.baseUrl}/?Action=GetVpcPeerConnectionAttribute&Version=2022-01-01&InstanceId=${created.body.InstanceId}`);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body.Status).toBe('Creating'); // the default account is alice, the accepter
      expect((await h.call('ListVpcPeerConnections', {}, 'nobody')).body.Code).toBe('InvalidAccessKeyId.NotFound');
    } finally {
      await h.close();
    }
  });
});
