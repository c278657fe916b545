/**
 * The typed client at runtime: whole-request known answers against the official runtime
 * (V3 and V1, with and without STS), the wire format, int64 precision, errors, retries with a
 * stable ClientToken, timeouts, aborts, credentials from @alicloud/credentials, and secrets.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createNodeClient, credentialProvider } from '../../src/client/node.ts';
import { VpcPeerClient, VpcPeerError, type ClientOptions } from '../../src/client/index.ts';
import { verifyV1, verifyV3 } from '../../src/wire/signing/index.ts';
import { OpenApiUtil, callOfficial, startCaptureServer, toWireRequest, type CaptureServer, type CapturedRequest } from '../helpers/official-sdk.ts';
import { startMock, type RunningMock } from '../helpers/mock.ts';

const AK = 'LTAI5tClientKatId';
const SECRET = 'client-kat-SECRET-never-leak-9x';
const TOKEN = 'CAIS+client/sts==';
const CLIENT_TOKEN = '0c593ea1-3bea-11e9-b96b-88e9fe637760';

/** Logical params of a CreateVpcPeerConnection with query-placed Tag list and LinkType, and a body with spaces, `*`, `~`, Chinese and a boolean. */
const CREATE = {
  LinkType: 'Gold',
  Tag: [
    { Key: 'env', Value: 'staging *~' },
    { Key: 'team 中', Value: 'net/ops' },
  ],
  RegionId: 'cn-hangzhou',
  VpcId: 'vpc-bp1a',
  AcceptingAliUid: '253460731706911260',
  AcceptingRegionId: 'cn-shanghai',
  AcceptingVpcId: 'vpc-uf6b',
  Name: 'peer name',
  Description: "a*b~c/d 中文 (x)!'",
  Bandwidth: 100,
  DryRun: false,
  ClientToken: CLIENT_TOKEN,
} as const;

/** The same request as a generated Alibaba SDK hands it to the runtime: query flat, body logical (in the contract's order). */
const SDK_QUERY = OpenApiUtil.query({ LinkType: CREATE.LinkType, Tag: CREATE.Tag }) as Record<string, string>;
const SDK_BODY = {
  RegionId: CREATE.RegionId, VpcId: CREATE.VpcId, AcceptingAliUid: CREATE.AcceptingAliUid, AcceptingRegionId: CREATE.AcceptingRegionId,
  AcceptingVpcId: CREATE.AcceptingVpcId, Name: CREATE.Name, Description: CREATE.Description, Bandwidth: CREATE.Bandwidth, DryRun: CREATE.DryRun,
  ClientToken: CREATE.ClientToken,
};

let capture: CaptureServer;
let mock: RunningMock;
beforeAll(async () => {
  capture = await startCaptureServer();
  mock = await startMock({ logLevel: 'silent' });
});
afterAll(async () => {
  await capture.close();
  await mock.close();
});

function header(req: CapturedRequest, name: string): string {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : (v ?? '');
}

function queryPairs(req: CapturedRequest): Array<[string, string]> {
  return [...new URLSearchParams(req.url.slice(req.url.indexOf('?') + 1))].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

async function officialThenOurs(scheme: 'v3' | 'v1', token?: string): Promise<{ official: CapturedRequest; ours: CapturedRequest }> {
  await callOfficial({
    port: capture.port, scheme, accessKeyId: AK, accessKeySecret: SECRET, action: 'CreateVpcPeerConnection',
    query: SDK_QUERY, body: SDK_BODY, ...(token !== undefined && { securityToken: token }),
  });
  const official = capture.requests.at(-1)!;
  const date = scheme === 'v3' ? header(official, 'x-acs-date') : new URLSearchParams(official.url.split('?')[1]).get('Timestamp')!;
  const nonce = scheme === 'v3' ? header(official, 'x-acs-signature-nonce') : new URLSearchParams(official.url.split('?')[1]).get('SignatureNonce')!;
  // The same @alicloud/credentials provider the runtime builds from its Config (static_ak / static_sts).
  const provider = credentialProvider(
    token === undefined
      ? { type: 'access_key', accessKeyId: AK, accessKeySecret: SECRET }
      : { type: 'sts', accessKeyId: AK, accessKeySecret: SECRET, securityToken: token },
  );
  const client = new VpcPeerClient({
    endpoint: `http://127.0.0.1:${capture.port}`,
    credentials: provider,
    signatureVersion: scheme,
    clock: () => new Date(date),
    nonce: () => nonce,
  });
  await client.createVpcPeerConnection(CREATE);
  return { official, ours: capture.requests.at(-1)! };
}

describe('known answers: the whole signed request equals what the official runtime sends', () => {
  it.each([
    ['without STS', undefined],
    ['with an STS token', TOKEN],
  ])('V3 ACS3-HMAC-SHA256 %s', async (_label, token) => {
    const { official, ours } = await officialThenOurs('v3', token);
    expect(ours.method).toBe('POST');
    expect(queryPairs(ours)).toEqual(queryPairs(official));
    expect(ours.url).toBe(official.url);
    expect(new TextDecoder().decode(ours.body)).toBe(new TextDecoder().decode(official.body));
    for (const name of ['host', 'content-type', 'accept', 'x-acs-action', 'x-acs-version', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256', 'x-acs-security-token', 'x-acs-accesskey-id', 'x-acs-credentials-provider']) {
      expect(header(ours, name), name).toBe(header(official, name));
    }
    expect(header(ours, 'authorization')).toBe(header(official, 'authorization'));
    expect(await verifyV3(toWireRequest(ours), SECRET)).toEqual({ ok: true });
  });

  it.each([
    ['without STS', undefined],
    ['with an STS token', TOKEN],
  ])('V1 HMAC-SHA1 %s', async (_label, token) => {
    const { official, ours } = await officialThenOurs('v1', token);
    const oursQuery = Object.fromEntries(queryPairs(ours));
    const officialQuery = Object.fromEntries(queryPairs(official));
    // The runtime sends Format=json; the contract's enum says JSON, which the client sends.
    expect(officialQuery['Format']).toBe('json');
    expect(oursQuery['Format']).toBe('JSON');
    const strip = ({ Format: _f, Signature: _s, ...rest }: Record<string, string>) => rest;
    expect(strip(oursQuery)).toEqual(strip(officialQuery));
    expect(new TextDecoder().decode(ours.body)).toBe(new TextDecoder().decode(official.body));
    // Our Signature is the one the official runtime computes over exactly what we send.
    const signedParams = { ...strip(oursQuery), Format: 'JSON', ...Object.fromEntries(new URLSearchParams(new TextDecoder().decode(ours.body))) };
    expect(oursQuery['Signature']).toBe(OpenApiUtil.getRPCSignature(signedParams, 'POST', SECRET));
    // And with the runtime's Format value, ours would equal the runtime's own Signature.
    expect(OpenApiUtil.getRPCSignature({ ...signedParams, Format: 'json' }, 'POST', SECRET)).toBe(officialQuery['Signature']);
    expect(await verifyV1(toWireRequest(ours), SECRET)).toEqual({ ok: true });
  });
});

describe('wire format', () => {
  const client = new VpcPeerClient({ endpoint: 'http://127.0.0.1:9', credentials: 'anonymous', clientToken: () => 'tok-1' });

  it('places parameters per the contract: Tag.N.Key repeat lists, comma lists, booleans, int64 exact', async () => {
    const create = await client.prepare('CreateVpcPeerConnection', { ...CREATE, ClientToken: undefined, AcceptingAliUid: 253460731706911260n, DryRun: true });
    expect(create.url).toBe('http://127.0.0.1:9/?LinkType=Gold&Tag.1.Key=env&Tag.1.Value=staging%20*~&Tag.2.Key=team%20%E4%B8%AD&Tag.2.Value=net%2Fops');
    expect(create.body).toContain('AcceptingAliUid=253460731706911260&');
    expect(create.body).toContain('DryRun=true');
    const list = await client.prepare('ListVpcPeerConnections', { VpcId: ['vpc-a', 'vpc-b'], MaxResults: 20, Tags: [{ Key: 'k', Value: 'v' }] });
    expect(list.url).toBe('http://127.0.0.1:9/?Tags.1.Key=k&Tags.1.Value=v');
    expect(list.body).toBe('VpcId=vpc-a%2Cvpc-b&MaxResults=20');
    expect(list.headers).toMatchObject({ 'x-acs-action': 'ListVpcPeerConnections', 'x-acs-version': '2022-01-01', 'content-type': 'application/x-www-form-urlencoded' });
    const tag = await client.prepare('TagResources', { RegionId: 'cn-hangzhou', ResourceType: 'PeerConnection', ResourceId: ['pcc-1'], Tag: [{ Key: 'a', Value: 'b' }] });
    expect(tag.body).toBeUndefined();
    expect(tag.headers['content-type']).toBeUndefined();
  });

  it('refuses a number above 2^53 and an unknown parameter at run time too', async () => {
    await expect(client.prepare('CreateVpcPeerConnection', { ...CREATE, AcceptingAliUid: 253460731706911260 })).rejects.toThrow(/exceeds 2\^53/);
    await expect(client.prepare('GetVpcPeerConnectionAttribute', { InstanceId: 'x', Bogus: 1 } as never)).rejects.toThrow(/no parameter named Bogus/);
  });

  it('GET puts everything in the query', async () => {
    const get = new VpcPeerClient({ endpoint: 'http://127.0.0.1:9', credentials: 'anonymous', method: 'GET' });
    const req = await get.prepare('GetVpcPeerConnectionAttribute', { InstanceId: 'pcc-1' });
    expect(req).toMatchObject({ method: 'GET', url: 'http://127.0.0.1:9/?InstanceId=pcc-1', body: undefined });
  });
});

describe('against the mock', () => {
  it('V3-signed calls with fake credentials succeed and return the documented shape, int64 as strings', async () => {
    const client = new VpcPeerClient({ endpoint: mock.baseUrl, credentials: { accessKeyId: 'fake', accessKeySecret: 'fake' } });
    const got = await client.getVpcPeerConnectionAttribute({ InstanceId: 'pcc-lnk0m24khwvtkm7q2j1x' });
    expect(typeof got.OwnerId).toBe('string');
    expect(got.OwnerId).toMatch(/^\d+$/);
    expect(got.RequestId).toMatch(/^[0-9A-F-]{36}$/);
    const list = await client.listVpcPeerConnections();
    expect(Array.isArray(list.VpcPeerConnects)).toBe(true);
  });

  it('V1-signed and unsigned calls succeed too', async () => {
    const v1 = new VpcPeerClient({ endpoint: mock.baseUrl, credentials: { accessKeyId: 'fake', accessKeySecret: 'fake' }, signatureVersion: 'v1' });
    expect((await v1.call('DeleteVpcPeerConnection', { InstanceId: 'pcc-1' })).RequestId).toBeTruthy();
    const anon = new VpcPeerClient({ endpoint: mock.baseUrl, credentials: 'anonymous' });
    expect((await anon.call('ListTagResources', { RegionId: 'cn-hangzhou', ResourceType: 'PeerConnection', ResourceId: ['pcc-1'] })).RequestId).toBeTruthy();
  });

  it('a documented error becomes a typed VpcPeerError with code, message, requestId, httpStatus, recommend', async () => {
    const client = new VpcPeerClient({ endpoint: mock.baseUrl, credentials: 'anonymous', headers: { prefer: 'code=400, example=OperationDenied.RouteEntryExist' } });
    const error = await client.deleteVpcPeerConnection({ InstanceId: 'pcc-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VpcPeerError);
    const e = error as VpcPeerError<'DeleteVpcPeerConnection'>;
    expect(e).toMatchObject({ action: 'DeleteVpcPeerConnection', code: 'OperationDenied.RouteEntryExist', httpStatus: 400, attempts: 1 });
    expect(e.message.length).toBeGreaterThan(0);
    expect(e.requestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(e.recommend).toContain(e.requestId);
  });
});

// ---------------------------------------------------------------------------------------------
// Scripted answers through a fake fetch (deterministic: no real waits)
// ---------------------------------------------------------------------------------------------

interface Seen { url: string; headers: Record<string, string>; body: string }
type Answer = { status: number; body: unknown; headers?: Record<string, string> } | 'network-error' | 'hang';

function scripted(answers: Answer[], extra: Partial<ClientOptions> = {}) {
  const seen: Seen[] = [];
  const sleeps: number[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    seen.push({ url: String(input), headers: { ...(init?.headers as Record<string, string>) }, body: String(init?.body ?? '') });
    const answer = answers[Math.min(seen.length - 1, answers.length - 1)]!;
    if (answer === 'network-error') throw new TypeError('fetch failed');
    if (answer === 'hang') {
      return new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    }
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    return new Response(text, { status: answer.status, headers: { 'content-type': 'application/json', ...answer.headers } });
  };
  const client = new VpcPeerClient({
    endpoint: 'https://vpcpeer.example.test',
    credentials: { accessKeyId: AK, accessKeySecret: SECRET, securityToken: TOKEN },
    fetch: fetchImpl,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...extra,
  });
  return { client, seen, sleeps };
}

const throttled = { status: 400, body: { RequestId: 'R1', HostId: 'vpcpeer.aliyuncs.com', Code: 'Throttling.User', Message: 'Request was denied due to user flow control.', Recommend: 'https://x' } };
const unavailable = { status: 503, body: { RequestId: 'R2', HostId: 'h', Code: 'ServiceUnavailable', Message: 'busy', Recommend: '' } };
const created = { status: 200, body: { RequestId: 'R3', InstanceId: 'pcc-new' } };

describe('retries', () => {
  it('retries throttling and 5xx with exponential backoff and jitter; the ClientToken stays, the nonce changes', async () => {
    const { client, seen, sleeps } = scripted([throttled, unavailable, created], { retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000 } });
    const result = await client.createVpcPeerConnection({ ...CREATE, ClientToken: undefined });
    expect(result).toEqual({ RequestId: 'R3', InstanceId: 'pcc-new' });
    expect(seen).toHaveLength(3);
    const tokens = seen.map((s) => new URLSearchParams(s.body).get('ClientToken'));
    expect(tokens[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(tokens).size).toBe(1);
    expect(new Set(seen.map((s) => s.headers['x-acs-signature-nonce'])).size).toBe(3);
    expect(sleeps).toEqual([50, 100]); // random 0.5 × 100·2^0, × 100·2^1
  });

  it('honours x-acs-retry-after (bounded by maxDelayMs) and gives up after maxAttempts with the last error', async () => {
    const slow = { ...throttled, headers: { 'x-acs-retry-after': '700' } };
    const { client, seen, sleeps } = scripted([slow, { ...throttled, headers: { 'x-acs-retry-after': '99999' } }, throttled], { retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 5000 } });
    const error = (await client.listVpcPeerConnections().catch((e: unknown) => e)) as VpcPeerError;
    expect(error).toBeInstanceOf(VpcPeerError);
    expect(error).toMatchObject({ code: 'Throttling.User', httpStatus: 400, requestId: 'R1', attempts: 3 });
    expect(seen).toHaveLength(3);
    expect(sleeps).toEqual([700, 5000]);
  });

  it('does not retry a documented client error', async () => {
    const notFound = { status: 400, body: { RequestId: 'R4', HostId: 'h', Code: 'ResourceNotFound.InstanceId', Message: 'not found', Recommend: 'r' } };
    const { client, seen } = scripted([notFound, created]);
    await expect(client.getVpcPeerConnectionAttribute({ InstanceId: 'pcc-x' })).rejects.toMatchObject({ code: 'ResourceNotFound.InstanceId', attempts: 1 });
    expect(seen).toHaveLength(1);
  });

  it('retries network failures only when the call is safe to repeat (reads, or writes with a ClientToken)', async () => {
    const read = scripted(['network-error', created]);
    await expect(read.client.getVpcPeerConnectionAttribute({ InstanceId: 'pcc-x' })).resolves.toBeTruthy();
    expect(read.seen).toHaveLength(2);
    const move = scripted(['network-error', created]);
    const error = await move.client.moveResourceGroup({ RegionId: 'r', ResourceType: 'PeerConnection', ResourceId: 'pcc-1', NewResourceGroupId: 'rg-1' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'VpcPeerError', code: 'NetworkError', httpStatus: 0 });
    expect(move.seen).toHaveLength(1);
  });

  it('retry: false makes one attempt', async () => {
    const { client, seen } = scripted([throttled, created], { retry: false });
    await expect(client.listVpcPeerConnections()).rejects.toMatchObject({ code: 'Throttling.User' });
    expect(seen).toHaveLength(1);
  });

  it('an answer that is not an Alibaba body is InvalidResponse; an undocumented code is kept as is', async () => {
    const html = scripted([{ status: 502, body: '<html>bad gateway</html>' }], { retry: false });
    await expect(html.client.listVpcPeerConnections()).rejects.toMatchObject({ code: 'InvalidResponse', httpStatus: 502 });
    const odd = scripted([{ status: 400, body: { RequestId: 'R', Code: 'Brand.New', Message: 'm' } }]);
    await expect(odd.client.listVpcPeerConnections()).rejects.toMatchObject({ code: 'Brand.New', httpStatus: 400 });
  });
});

describe('timeouts and AbortSignal', () => {
  it('a per-attempt timeout gives RequestTimeout (retried for reads)', async () => {
    const { client, seen } = scripted(['hang'], { timeoutMs: 20, retry: { maxAttempts: 2 } });
    await expect(client.listVpcPeerConnections()).rejects.toMatchObject({ code: 'RequestTimeout', httpStatus: 0, attempts: 2 });
    expect(seen).toHaveLength(2);
  });

  it("a caller's abort rejects with the signal's reason and is never retried", async () => {
    const { client, seen } = scripted(['hang'], { timeoutMs: 0 });
    const controller = new AbortController();
    const pending = client.listVpcPeerConnections({}, { signal: controller.signal });
    // Abort once the request is in flight (not after a fixed delay: signing takes longer under load).
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    controller.abort(new Error('user cancelled'));
    await expect(pending).rejects.toThrow('user cancelled');
    expect(seen).toHaveLength(1);
    const already = AbortSignal.abort(new Error('too late'));
    await expect(client.listVpcPeerConnections({}, { signal: already })).rejects.toThrow('too late');
  });
});

describe('int64 precision', () => {
  it('OwnerId above 2^53 keeps every digit (JSON.parse would round it)', async () => {
    const text = '{"RequestId":"R","InstanceId":"pcc-1","OwnerId":253460731706911263,"AcceptingOwnerUid":1210123456123456,"Bandwidth":1024}';
    expect(String(JSON.parse(text).OwnerId)).toBe('253460731706911260'); // rounded
    const { client } = scripted([{ status: 200, body: text }]);
    const got = await client.getVpcPeerConnectionAttribute({ InstanceId: 'pcc-1' });
    expect(got.OwnerId).toBe('253460731706911263');
    expect(got.AcceptingOwnerUid).toBe('1210123456123456');
    expect(got.Bandwidth).toBe(1024);
    const list = scripted([{ status: 200, body: `{"RequestId":"R","TotalCount":1,"VpcPeerConnects":[${text}]}` }]);
    const listed = await list.client.listVpcPeerConnections();
    expect(listed.VpcPeerConnects?.[0]?.OwnerId).toBe('253460731706911263');
  });
});

describe('credentials', () => {
  it('the Node entry uses the @alicloud/credentials default chain (environment variables here)', async () => {
    const saved = { ...process.env };
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = 'LTAIenvChainId';
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = 'env-chain-secret';
    process.env.ALIBABA_CLOUD_SECURITY_TOKEN = 'env-sts-token';
    try {
      const client = createNodeClient({ endpoint: `http://127.0.0.1:${capture.port}` });
      await client.getVpcPeerConnectionAttribute({ InstanceId: 'pcc-1' });
      const sent = toWireRequest(capture.requests.at(-1)!);
      expect(sent.headers['authorization']).toContain('Credential=LTAIenvChainId,');
      expect(sent.headers['x-acs-security-token']).toBe('env-sts-token');
      expect(await verifyV3(sent, 'env-chain-secret')).toEqual({ ok: true });
    } finally {
      process.env = saved;
    }
  });

  it('a provider is asked before every attempt; an empty credential is a typed error', async () => {
    let calls = 0;
    const provider = { getCredential: async () => ({ accessKeyId: `id-${++calls}`, accessKeySecret: 's' }) };
    const { client, seen } = scripted([throttled, created], { credentials: provider });
    await client.listVpcPeerConnections();
    expect(seen.map((s) => /Credential=([^,]+)/.exec(s.headers['Authorization'] ?? '')?.[1])).toEqual(['id-1', 'id-2']);
    const empty = scripted([created], { credentials: { getCredential: async () => ({}) } });
    await expect(empty.client.listVpcPeerConnections()).rejects.toMatchObject({ code: 'InvalidCredentials' });
  });

  it('the browser-safe constructor demands credentials', () => {
    expect(() => new VpcPeerClient({} as ClientOptions)).toThrow(/needs credentials/);
  });
});

describe('secrets', () => {
  it('never appear in util.inspect, JSON, errors or retry events', async () => {
    const events: unknown[] = [];
    const { client } = scripted([throttled, unavailable, 'network-error'], { onRetry: (e) => events.push(e), retry: { maxAttempts: 3 } });
    const error = await client.createVpcPeerConnection({ ...CREATE, ClientToken: undefined }).catch((e: unknown) => e);
    const texts = [inspect(client, { showHidden: true, depth: 10 }), JSON.stringify(client), inspect(error, { showHidden: true, depth: 10 }), JSON.stringify(events), String((error as Error).stack)];
    for (const text of texts) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(TOKEN);
    }
    expect(inspect(client)).toContain('[redacted]');
    expect(events).toHaveLength(2);
  });
});
