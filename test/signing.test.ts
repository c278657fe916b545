/**
 * src/wire/signing.ts against the official Alibaba runtime (@alicloud/openapi-util 0.3.3,
 * @alicloud/openapi-client 0.4.15): known-answer tests with fixed inputs, then real SDK traffic
 * captured on 127.0.0.1, then garbage input.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EMPTY_BODY_SHA256,
  NonceTracker,
  base64,
  canonicalQueryStringV3,
  canonicalRequestV3,
  canonicalizedQueryV1,
  checkAcsDate,
  decodeFormBody,
  detectSignatureVersion,
  formatAcsDate,
  parseAcsDate,
  parseV3Authorization,
  percentEncode,
  readSignatureContext,
  sha256Hex,
  signV1,
  signV3,
  signatureV1,
  signatureV3,
  stringToSignV1,
  stringToSignV3,
  timingSafeEqual,
  verifyRequest,
  verifyV1,
  verifyV3,
  type VerifyResult,
  type RawWireRequest,
} from '../src/wire/signing.ts';
import {
  OpenApiUtil,
  callOfficial,
  startCaptureServer,
  toWireRequest,
  type CaptureServer,
  type CapturedRequest,
} from './helpers/official-sdk.ts';

// ---------------------------------------------------------------------------------------------
// Fixed inputs
// ---------------------------------------------------------------------------------------------

const AK = 'LTAI5tKnownAnswerTestId';
const SECRET = 'kat-SECRET-must-never-leak-7Qz9';
const TOKEN = 'CAIS+sts/Token==';
const DATE = '2024-05-06T07:08:09Z';
const NONCE = '3a5c9e8f-0000-4000-8000-000000000001';
const HOST = 'vpcpeer.aliyuncs.com';

/** Query parameters (flat strings, as generated SDKs pass `query`): includes `ResourceId.10` to pin the sort order. */
const QUERY: Record<string, string> = {
  RegionId: 'cn-hangzhou',
  LinkType: 'Gold',
  'ResourceId.1': 'pcc-a',
  'ResourceId.2': 'pcc-b',
  'ResourceId.10': 'pcc-j',
  ResourceGroupId: 'rg a*b~c/d 中文',
  Empty: '',
};

/** The logical form body: a `Tag.N.Key` list (11 entries, so `Tag.10`/`Tag.11` sort before `Tag.2`), spaces, `*`, `~`, `/`, Chinese. */
const BODY = {
  Name: 'peer name with spaces',
  Description: "a*b~c/d 中文描述 (x)! ' +plus",
  Tag: Array.from({ length: 11 }, (_, i) => ({ Key: `key ${i + 1}*`, Value: i === 0 ? '中/~ *' : `v${i + 1}~` })),
  DryRun: false,
  Bandwidth: 1024,
};

/** The form body exactly as the official runtime encodes it (`OpenApiUtil.toForm`). */
const FORM_BODY: string = OpenApiUtil.toForm(BODY);
/** The flattened body params, as the SDK merges them into the V1 signed set (`OpenApiUtil.query`). */
const FLAT_BODY: Record<string, string> = OpenApiUtil.query(BODY);

const V3_CALLER_HEADERS = {
  'x-acs-action': 'CreateVpcPeerConnection',
  'x-acs-version': '2022-01-01',
  'content-type': 'application/x-www-form-urlencoded',
  accept: 'application/json',
  'user-agent': 'kat-test',
};

type OfficialRequest = Parameters<typeof OpenApiUtil.getAuthorization>[0];

/** The official V3 Authorization for exactly these headers (minus our Authorization). */
function officialAuthorization(method: string, query: Record<string, string>, headers: Record<string, string>, secret = SECRET): string {
  const { Authorization: _ignored, ...rest } = headers;
  const request = { method, pathname: '/', query, headers: rest } as unknown as OfficialRequest;
  return OpenApiUtil.getAuthorization(request, 'ACS3-HMAC-SHA256', rest['x-acs-content-sha256'] ?? '', AK, secret);
}

function pairs(record: Record<string, string>): Array<[string, string]> {
  return Object.entries(record);
}

/** Every failure result produced in this file, checked at the end for secret leaks. */
const failures: unknown[] = [];
function fail<T extends VerifyResult | { readonly ok: boolean }>(result: T): T {
  failures.push(result);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Encoding and time
// ---------------------------------------------------------------------------------------------

describe('percentEncode', () => {
  it('matches the official encoder (RFC 3986: space %20, * %2A, ~ kept, / %2F, UTF-8)', () => {
    const samples = ['', 'abcXYZ019', '-_.~', 'a b', '*', '~', '/', '中文', "!'()", '+', '=&?#%', 'é ü ß', '😀', '\t\n'];
    for (const s of samples) expect(percentEncode(s), s).toBe(OpenApiUtil.getEncodeParam(s));
    expect(percentEncode('a b*~/中')).toBe('a%20b%2A~%2F%E4%B8%AD');
  });

  it('encodes a lone surrogate as U+FFFD instead of throwing', () => {
    expect(percentEncode('\uD800')).toBe('%EF%BF%BD');
  });
});

describe('timestamps', () => {
  it('formats and parses YYYY-MM-DDThh:mm:ssZ', () => {
    expect(formatAcsDate(new Date(Date.UTC(2024, 4, 6, 7, 8, 9, 999)))).toBe(DATE);
    expect(parseAcsDate(DATE)).toBe(Date.UTC(2024, 4, 6, 7, 8, 9));
    for (const bad of ['', '2024-05-06T07:08:09', '2024-05-06 07:08:09Z', '2024-02-30T00:00:00Z', '2024-05-06T24:00:00Z', '2024-05-06T07:08:09.123Z', 'garbage']) {
      expect(parseAcsDate(bad), bad).toBeUndefined();
    }
  });

  it('checks the 15-minute window both ways', () => {
    const t = Date.UTC(2024, 4, 6, 7, 8, 9);
    expect(checkAcsDate(DATE, t + 15 * 60_000)).toEqual({ ok: true, timeMs: t });
    expect(checkAcsDate(DATE, t - 15 * 60_000)).toEqual({ ok: true, timeMs: t });
    expect(fail(checkAcsDate(DATE, t + 15 * 60_000 + 1))).toMatchObject({ ok: false, reason: 'InvalidTimeStamp.Expired' });
    expect(fail(checkAcsDate(DATE, t - 15 * 60_000 - 1))).toMatchObject({ ok: false, reason: 'InvalidTimeStamp.Expired' });
    expect(fail(checkAcsDate('2024-05-06', t))).toMatchObject({ ok: false, reason: 'InvalidTimeStamp.Format' });
    expect(checkAcsDate(DATE, t + 60_000, 30_000)).toMatchObject({ ok: false, reason: 'InvalidTimeStamp.Expired' });
  });
});

describe('NonceTracker', () => {
  it('refuses a reused nonce per AccessKey and forgets it after twice the window', () => {
    const tracker = new NonceTracker(1000);
    expect(tracker.use('ak1', 'n', 0)).toBe(true);
    expect(tracker.use('ak1', 'n', 10)).toBe(false);
    expect(tracker.use('ak2', 'n', 10)).toBe(true);
    expect(tracker.use('ak1', 'm', 10)).toBe(true);
    expect(tracker.size).toBe(3);
    expect(tracker.use('ak1', 'n', 1999)).toBe(false);
    expect(tracker.use('ak1', 'n', 2000)).toBe(true); // expired at 0 + 2000, recorded again
    expect(tracker.size).toBe(3);
    expect(tracker.use('ak1', 'x', 2010)).toBe(true); // the two nonces seen at 10 expire now
    expect(tracker.size).toBe(2);
  });
});

describe('primitives', () => {
  it('sha256Hex, base64 and HMACs agree with node:crypto, including an empty secret', async () => {
    expect(await sha256Hex('')).toBe(EMPTY_BODY_SHA256);
    expect(await sha256Hex(new TextEncoder().encode('中'))).toBe(await sha256Hex('中'));
    expect(base64(new Uint8Array([0, 1, 2, 250, 251, 252, 253, 254, 255]))).toBe(Buffer.from([0, 1, 2, 250, 251, 252, 253, 254, 255]).toString('base64'));
    for (const secret of ['', 'k', 'a-much-longer-secret-than-the-sha-block-size-of-sixty-four-bytes-0123456789', '中文']) {
      expect(await signatureV3('msg 中', secret)).toBe(createHmac('sha256', secret).update('msg 中').digest('hex'));
      expect(await signatureV1('msg 中', secret)).toBe(createHmac('sha1', `${secret}&`).update('msg 中').digest('base64'));
    }
    expect(await signatureV3('x', '')).toBe(createHmac('sha256', '').update('x').digest('hex'));
  });

  it('timingSafeEqual compares whole strings', () => {
    expect(timingSafeEqual('abc', 'abc')).toBe(true);
    expect(timingSafeEqual('abc', 'abd')).toBe(false);
    expect(timingSafeEqual('abc', 'ab')).toBe(false);
    expect(timingSafeEqual('', '')).toBe(true);
  });

  it('decodeFormBody reads what the official form encoder writes', () => {
    expect(Object.fromEntries(decodeFormBody(FORM_BODY))).toEqual(FLAT_BODY);
    expect(decodeFormBody(new TextEncoder().encode('a=1+2&b=%E4%B8%AD'))).toEqual([['a', '1 2'], ['b', '中']]);
    expect(decodeFormBody(undefined)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Known answers: V3
// ---------------------------------------------------------------------------------------------

describe('V3 (ACS3-HMAC-SHA256) known answers', () => {
  it('the body fixture is what the SDK sends (a Tag.N.Key list, %20, raw * and ~)', () => {
    expect(FORM_BODY).toContain('Tag.1.Key=key%201*&Tag.1.Value=%E4%B8%AD%2F~%20*');
    expect(FORM_BODY).toContain('Tag.11.Value=v11~');
    expect(FORM_BODY).toContain('DryRun=false&Bandwidth=1024');
  });

  it('canonical pieces have the documented shape', async () => {
    expect(canonicalQueryStringV3(pairs(QUERY))).toBe(
      'Empty=&LinkType=Gold&RegionId=cn-hangzhou&ResourceGroupId=rg%20a%2Ab~c%2Fd%20%E4%B8%AD%E6%96%87&ResourceId.1=pcc-a&ResourceId.10=pcc-j&ResourceId.2=pcc-b',
    );
    const canonical = canonicalRequestV3({
      method: 'post',
      path: '/',
      query: [['B', '2'], ['A', '1']],
      headers: { Host: HOST, 'X-Acs-Date': ` ${DATE} `, 'user-agent': 'not signed' },
      hashedPayload: EMPTY_BODY_SHA256,
    });
    expect(canonical).toBe(`POST\n/\nA=1&B=2\nhost:${HOST}\nx-acs-date:${DATE}\n\nhost;x-acs-date\n${EMPTY_BODY_SHA256}`);
    expect(await stringToSignV3(canonical)).toBe(`ACS3-HMAC-SHA256\n${await sha256Hex(canonical)}`);
  });

  it('signV3 equals OpenApiUtil.getAuthorization for the same request', async () => {
    const headers = await signV3({
      method: 'POST',
      host: HOST,
      path: '/',
      query: pairs(QUERY),
      headers: V3_CALLER_HEADERS,
      body: FORM_BODY,
      accessKeyId: AK,
      accessKeySecret: SECRET,
      date: DATE,
      nonce: NONCE,
    });
    expect(headers).toMatchObject({
      ...V3_CALLER_HEADERS,
      host: HOST,
      'x-acs-date': DATE,
      'x-acs-signature-nonce': NONCE,
      'x-acs-content-sha256': OpenApiUtil.hexEncode(OpenApiUtil.hash(Buffer.from(FORM_BODY), 'ACS3-HMAC-SHA256')),
    });
    expect(headers).not.toHaveProperty('x-acs-security-token');
    expect(headers['Authorization']).toBe(officialAuthorization('POST', QUERY, headers));
    expect(headers['Authorization']).toBe(
      'ACS3-HMAC-SHA256 Credential=LTAI5tKnownAnswerTestId,SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=204ae3c967db4fa6b9670ba8accea5e7cf77e81cefef7cc6f04341176d9e8b78',
    );
  });

  it('signV3 with an STS token adds x-acs-security-token and x-acs-accesskey-id, as the SDK does', async () => {
    const headers = await signV3({
      method: 'POST',
      host: HOST,
      query: pairs(QUERY),
      headers: V3_CALLER_HEADERS,
      body: new TextEncoder().encode(FORM_BODY),
      accessKeyId: AK,
      accessKeySecret: SECRET,
      securityToken: TOKEN,
      date: new Date(Date.parse(DATE)),
      nonce: NONCE,
    });
    expect(headers['x-acs-security-token']).toBe(TOKEN);
    expect(headers['x-acs-accesskey-id']).toBe(AK);
    expect(headers['Authorization']).toBe(officialAuthorization('POST', QUERY, headers));
    expect(headers['Authorization']).toContain('SignedHeaders=content-type;host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,');
  });

  it('signV3 with no body and no query (GET-style) equals the official value', async () => {
    const headers = await signV3({
      method: 'GET',
      host: HOST,
      headers: { 'X-Acs-Action': 'ListVpcPeerConnections', 'x-acs-version': '2022-01-01' },
      accessKeyId: AK,
      accessKeySecret: SECRET,
      date: DATE,
      nonce: NONCE,
    });
    expect(headers['x-acs-content-sha256']).toBe(EMPTY_BODY_SHA256);
    expect(headers['x-acs-action']).toBe('ListVpcPeerConnections');
    expect(headers['Authorization']).toBe(officialAuthorization('GET', {}, headers));
  });

  it('defaults: now as x-acs-date, a random UUID nonce', async () => {
    const before = Date.now();
    const a = await signV3({ method: 'POST', host: HOST, accessKeyId: AK, accessKeySecret: SECRET });
    const b = await signV3({ method: 'POST', host: HOST, accessKeyId: AK, accessKeySecret: SECRET });
    expect(checkAcsDate(a['x-acs-date'] ?? '', before).ok).toBe(true);
    expect(a['x-acs-signature-nonce']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a['x-acs-signature-nonce']).not.toBe(b['x-acs-signature-nonce']);
  });

  it('round-trips through verifyV3 and readSignatureContext', async () => {
    const headers = await signV3({
      method: 'POST', host: HOST, query: pairs(QUERY), headers: V3_CALLER_HEADERS, body: FORM_BODY,
      accessKeyId: AK, accessKeySecret: SECRET, securityToken: TOKEN, date: DATE, nonce: NONCE,
    });
    const request: RawWireRequest = { method: 'POST', path: '/', query: pairs(QUERY), headers, body: FORM_BODY };
    expect(await verifyV3(request, SECRET)).toEqual({ ok: true });
    expect(await verifyRequest(request, SECRET)).toEqual({ ok: true });
    expect(readSignatureContext(request)).toEqual({ ok: true, version: 'V3', accessKeyId: AK, nonce: NONCE, timestamp: DATE, securityToken: TOKEN });
  });
});

// ---------------------------------------------------------------------------------------------
// Known answers: V1
// ---------------------------------------------------------------------------------------------

describe('V1 (HMAC-SHA1) known answers', () => {
  const COMMON = { Action: 'CreateVpcPeerConnection', Format: 'json', Version: '2022-01-01' };

  it('stringToSignV1 has the documented shape', () => {
    expect(canonicalizedQueryV1([['b', 'x y'], ['a', '*~'], ['Signature', 'dropped'], ['Tag.10.Key', '1'], ['Tag.2.Key', '2']])).toBe(
      'Tag.10.Key=1&Tag.2.Key=2&a=%2A~&b=x%20y',
    );
    expect(stringToSignV1('post', [['b', 'x y'], ['a', '中']])).toBe('POST&%2F&a%3D%25E4%25B8%25AD%26b%3Dx%2520y');
  });

  it('signV1 equals OpenApiUtil.getRPCSignature over query + flattened body params', async () => {
    const sent = await signV1({
      method: 'POST',
      query: pairs({ ...COMMON, ...QUERY }),
      body: FORM_BODY,
      accessKeyId: AK,
      accessKeySecret: SECRET,
      timestamp: DATE,
      nonce: NONCE,
    });
    const sentMap = Object.fromEntries(sent);
    const { Signature, ...signedQuery } = sentMap;
    expect(signedQuery).toEqual({
      ...COMMON, ...QUERY,
      AccessKeyId: AK, SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0', SignatureNonce: NONCE, Timestamp: DATE,
    });
    expect(Signature).toBe(OpenApiUtil.getRPCSignature({ ...signedQuery, ...FLAT_BODY }, 'POST', SECRET));
    expect(Signature).toBe('/R7WVAkzofKaqoaqNG0euUrCMLo=');
    // The body params really are signed: without them the official value differs.
    expect(Signature).not.toBe(OpenApiUtil.getRPCSignature(signedQuery, 'POST', SECRET));
  });

  it('signV1 with an STS token adds SecurityToken', async () => {
    const sent = await signV1({
      method: 'POST', query: pairs(COMMON), body: FORM_BODY,
      accessKeyId: AK, accessKeySecret: SECRET, securityToken: TOKEN, timestamp: new Date(Date.parse(DATE)), nonce: NONCE,
    });
    const { Signature, ...signedQuery } = Object.fromEntries(sent);
    expect(signedQuery['SecurityToken']).toBe(TOKEN);
    expect(signedQuery['Timestamp']).toBe(DATE);
    expect(Signature).toBe(OpenApiUtil.getRPCSignature({ ...signedQuery, ...FLAT_BODY }, 'POST', SECRET));
  });

  it('signV1 for GET with everything in the query equals the official value', async () => {
    const sent = await signV1({
      method: 'GET', query: pairs({ ...COMMON, ...QUERY, ...FLAT_BODY }),
      accessKeyId: AK, accessKeySecret: SECRET, timestamp: DATE, nonce: NONCE,
    });
    const { Signature, ...signedQuery } = Object.fromEntries(sent);
    expect(Signature).toBe(OpenApiUtil.getRPCSignature(signedQuery, 'GET', SECRET));
  });

  it('refuses to sign over caller-supplied signing parameters', async () => {
    await expect(signV1({ method: 'POST', query: [['Timestamp', DATE]], accessKeyId: AK, accessKeySecret: SECRET })).rejects.toThrow(TypeError);
    await expect(signV1({ method: 'POST', query: [['Timestamp', DATE]], accessKeyId: AK, accessKeySecret: SECRET })).rejects.not.toThrow(SECRET);
  });

  it('round-trips through verifyV1 and readSignatureContext', async () => {
    const query = await signV1({
      method: 'POST', query: pairs({ ...COMMON, ...QUERY }), body: FORM_BODY,
      accessKeyId: AK, accessKeySecret: SECRET, securityToken: TOKEN, timestamp: DATE, nonce: NONCE,
    });
    const request: RawWireRequest = { method: 'POST', path: '/', query, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: FORM_BODY };
    expect(detectSignatureVersion(request)).toBe('V1');
    expect(await verifyV1(request, SECRET)).toEqual({ ok: true });
    expect(await verifyRequest(request, SECRET)).toEqual({ ok: true });
    expect(readSignatureContext(request)).toEqual({ ok: true, version: 'V1', accessKeyId: AK, nonce: NONCE, timestamp: DATE, securityToken: TOKEN });
    // Dropping a body parameter breaks the signature.
    const shorter = FORM_BODY.replace(/&Bandwidth=1024$/, '');
    expect(shorter).not.toBe(FORM_BODY);
    expect(fail(await verifyV1({ ...request, body: shorter }, SECRET))).toMatchObject({ ok: false, reason: 'SignatureDoesNotMatch' });
  });
});

// ---------------------------------------------------------------------------------------------
// Real SDK traffic
// ---------------------------------------------------------------------------------------------

const SDK_QUERY = { RegionId: 'cn-hangzhou', ResourceGroupId: 'rg a*b~c/d 中文' };
const SDK_BODY = BODY;

/** Headers the server receives that our signV3 adds itself (or that Node adds). */
const ADDED_BY_SIGNV3 = new Set(['host', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256', 'x-acs-accesskey-id', 'x-acs-security-token', 'authorization']);
const ADDED_BY_TRANSPORT = new Set(['connection', 'transfer-encoding', 'content-length']);

function header(c: CapturedRequest, name: string): string {
  const v = c.headers[name];
  if (typeof v !== 'string') throw new Error(`captured request has no single ${name} header`);
  return v;
}

function withQuery(request: RawWireRequest, name: string, value: string): RawWireRequest {
  return { ...request, query: request.query.map(([n, v]) => [n, n === name ? value : v] as const) };
}

function withHeaders(request: RawWireRequest, changes: Record<string, string | undefined>): RawWireRequest {
  const headers: Record<string, string | string[] | undefined> = { ...(request.headers as Record<string, string | string[] | undefined>) };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete headers[k];
    else headers[k] = v;
  }
  return { ...request, headers };
}

describe('real traffic from @alicloud/openapi-client', () => {
  let server: CaptureServer;
  beforeAll(async () => {
    server = await startCaptureServer();
  });
  afterAll(async () => {
    await server.close();
  });

  async function capture(scheme: 'v3' | 'v1', securityToken?: string): Promise<CapturedRequest> {
    const response = await callOfficial({
      port: server.port, scheme, accessKeyId: AK, accessKeySecret: SECRET,
      ...(securityToken !== undefined ? { securityToken } : {}),
      action: 'CreateVpcPeerConnection', query: SDK_QUERY, body: SDK_BODY,
    });
    expect(response).toMatchObject({ statusCode: 200, body: { RequestId: `req-${server.requests.length}` } });
    const captured = server.requests.at(-1);
    if (captured === undefined) throw new Error('nothing captured');
    return captured;
  }

  describe.each([
    ['without STS', undefined],
    ['with an STS token', TOKEN],
  ])('V3 %s', (_label, token) => {
    let captured: CapturedRequest;
    let request: RawWireRequest;
    beforeAll(async () => {
      captured = await capture('v3', token);
      request = toWireRequest(captured);
    });

    it('is sent as documented: POST /, query in the URL, form body, x-acs-* headers', () => {
      expect(captured.method).toBe('POST');
      expect(request.path).toBe('/');
      expect(Object.fromEntries(request.query)).toEqual(SDK_QUERY);
      expect(new TextDecoder().decode(captured.body)).toBe(FORM_BODY);
      expect(captured.headers).toMatchObject({
        host: `127.0.0.1:${server.port}`,
        'x-acs-action': 'CreateVpcPeerConnection',
        'x-acs-version': '2022-01-01',
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      });
      expect(captured.headers['x-acs-security-token']).toBe(token);
      expect(captured.headers['x-acs-accesskey-id']).toBe(token === undefined ? undefined : AK);
    });

    it('verifyV3 accepts it and readSignatureContext reads it', async () => {
      expect(detectSignatureVersion(request)).toBe('V3');
      expect(await verifyV3(request, SECRET)).toEqual({ ok: true });
      const context = readSignatureContext(request);
      expect(context).toEqual({
        ok: true, version: 'V3', accessKeyId: AK,
        nonce: header(captured, 'x-acs-signature-nonce'),
        timestamp: header(captured, 'x-acs-date'),
        ...(token !== undefined ? { securityToken: token } : {}),
      });
      expect(checkAcsDate(header(captured, 'x-acs-date')).ok).toBe(true);
    });

    it('signV3 recomputes the exact Authorization from the wire request', async () => {
      const callerHeaders: Record<string, string> = {};
      for (const [name, value] of Object.entries(captured.headers)) {
        if (typeof value === 'string' && !ADDED_BY_SIGNV3.has(name) && !ADDED_BY_TRANSPORT.has(name)) callerHeaders[name] = value;
      }
      const ours = await signV3({
        method: captured.method,
        host: header(captured, 'host'),
        path: request.path,
        query: request.query,
        headers: callerHeaders,
        body: captured.body,
        accessKeyId: AK,
        accessKeySecret: SECRET,
        securityToken: token,
        date: header(captured, 'x-acs-date'),
        nonce: header(captured, 'x-acs-signature-nonce'),
      });
      expect(ours['x-acs-content-sha256']).toBe(header(captured, 'x-acs-content-sha256'));
      expect(ours['Authorization']).toBe(header(captured, 'authorization'));
    });

    it('rejects tampering with SignatureDoesNotMatch', async () => {
      const cases: RawWireRequest[] = [
        withQuery(request, 'RegionId', 'cn-beijing'),
        { ...request, query: [...request.query, ['Extra', '1']] },
        withHeaders(request, { 'x-acs-action': 'DeleteVpcPeerConnection' }),
        withHeaders(request, { host: 'evil.example' }),
        { ...request, method: 'GET' },
      ];
      for (const tampered of cases) {
        const result = fail(await verifyV3(tampered, SECRET));
        expect(result).toMatchObject({ ok: false, reason: 'SignatureDoesNotMatch', detail: 'signature does not match' });
        if (!result.ok && 'stringToSign' in result) expect(result.stringToSign).toMatch(/^ACS3-HMAC-SHA256\n[0-9a-f]{64}$/);
      }
      // A changed body no longer matches x-acs-content-sha256 …
      const body = new TextDecoder().decode(captured.body).replace('Bandwidth=1024', 'Bandwidth=2048');
      expect(fail(await verifyV3({ ...request, body }, SECRET))).toEqual({
        ok: false, reason: 'SignatureDoesNotMatch', detail: 'x-acs-content-sha256 is not the SHA-256 of the body',
      });
      // … and fixing the hash header too breaks the signature.
      const rehashed = withHeaders({ ...request, body }, { 'x-acs-content-sha256': await sha256Hex(body) });
      expect(fail(await verifyV3(rehashed, SECRET))).toMatchObject({ ok: false, reason: 'SignatureDoesNotMatch', detail: 'signature does not match' });
      // The wrong secret.
      const wrong = fail(await verifyV3(request, 'another-secret'));
      expect(wrong).toMatchObject({ ok: false, reason: 'SignatureDoesNotMatch' });
      expect(!wrong.ok && 'canonicalRequest' in wrong ? wrong.canonicalRequest : '').toContain('x-acs-action:CreateVpcPeerConnection\n');
    });

    it('rejects structural damage with IncompleteSignature', async () => {
      const cases: Array<[RawWireRequest, string]> = [
        [withHeaders(request, { authorization: undefined }), 'missing Authorization header'],
        [withHeaders(request, { 'x-acs-date': undefined }), 'missing header x-acs-date'],
        [withHeaders(request, { 'x-acs-signature-nonce': undefined }), 'missing header x-acs-signature-nonce'],
        [withHeaders(request, { 'x-acs-content-sha256': undefined }), 'missing header x-acs-content-sha256'],
        [withHeaders(request, { 'x-acs-smuggled': 'yes' }), 'header x-acs-smuggled is not in SignedHeaders'],
        [withHeaders(request, { 'x-acs-version': undefined }), 'signed header x-acs-version is not in the request'],
        [withHeaders(request, { authorization: header(captured, 'authorization').replace('ACS3-HMAC-SHA256', 'ACS3-HMAC-SM3') }), 'unsupported Authorization scheme (expected ACS3-HMAC-SHA256)'],
      ];
      for (const [damaged, detail] of cases) {
        expect(fail(await verifyV3(damaged, SECRET)), detail).toEqual({ ok: false, reason: 'IncompleteSignature', detail });
        expect(fail(readSignatureContext(damaged)).ok, detail).toBe(false);
      }
    });
  });

  describe.each([
    ['without STS', undefined],
    ['with an STS token', TOKEN],
  ])('V1 (signatureAlgorithm v2) %s', (_label, token) => {
    let captured: CapturedRequest;
    let request: RawWireRequest;
    beforeAll(async () => {
      captured = await capture('v1', token);
      request = toWireRequest(captured);
    });

    it('is sent as documented: common params + query params in the URL, form body, Signature in the query', () => {
      const query = Object.fromEntries(request.query);
      expect(query).toMatchObject({
        ...SDK_QUERY,
        Action: 'CreateVpcPeerConnection', Format: 'json', Version: '2022-01-01',
        AccessKeyId: AK, SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0',
      });
      expect(query['SecurityToken']).toBe(token);
      expect(query['Signature']).toMatch(/^[A-Za-z0-9+/]{27}=$/);
      expect(parseAcsDate(query['Timestamp'] ?? '')).toBeDefined();
      expect(new TextDecoder().decode(captured.body)).toBe(FORM_BODY);
      expect(captured.headers['authorization']).toBeUndefined();
      expect(captured.headers['x-acs-action']).toBe('CreateVpcPeerConnection');
    });

    it('verifyV1 accepts it and readSignatureContext reads it', async () => {
      expect(detectSignatureVersion(request)).toBe('V1');
      expect(await verifyV1(request, SECRET)).toEqual({ ok: true });
      const query = Object.fromEntries(request.query);
      expect(readSignatureContext(request)).toEqual({
        ok: true, version: 'V1', accessKeyId: AK, nonce: query['SignatureNonce'], timestamp: query['Timestamp'],
        ...(token !== undefined ? { securityToken: token } : {}),
      });
    });

    it('signV1 recomputes the exact Signature from the wire request', async () => {
      const query = Object.fromEntries(request.query);
      const callerQuery = request.query.filter(([name]) => !['AccessKeyId', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'Timestamp', 'SecurityToken', 'Signature'].includes(name));
      const ours = await signV1({
        method: captured.method, query: callerQuery, body: captured.body,
        accessKeyId: AK, accessKeySecret: SECRET, securityToken: token,
        timestamp: query['Timestamp'] ?? '', nonce: query['SignatureNonce'] ?? '',
      });
      expect(Object.fromEntries(ours)['Signature']).toBe(query['Signature']);
    });

    it('rejects tampering with SignatureDoesNotMatch and damage with IncompleteSignature', async () => {
      const body = new TextDecoder().decode(captured.body);
      const mismatches: RawWireRequest[] = [
        withQuery(request, 'RegionId', 'cn-beijing'),
        withQuery(request, 'Action', 'DeleteVpcPeerConnection'),
        { ...request, body: body.replace('Bandwidth=1024', 'Bandwidth=2048') },
        { ...request, body: `${body}&Extra=1` },
        { ...request, method: 'GET' },
      ];
      for (const tampered of mismatches) {
        const result = fail(await verifyV1(tampered, SECRET));
        expect(result).toMatchObject({ ok: false, reason: 'SignatureDoesNotMatch' });
        expect(!result.ok && result.stringToSign).toMatch(/^(POST|GET)&%2F&/);
      }
      const wrong = fail(await verifyV1(request, 'another-secret'));
      expect(wrong).toMatchObject({ ok: false, reason: 'SignatureDoesNotMatch' });
      expect(!wrong.ok && wrong.stringToSign).toContain(`AccessKeyId%3D${AK}`);

      const without = (name: string): RawWireRequest => ({ ...request, query: request.query.filter(([n]) => n !== name) });
      const incompletes: Array<[RawWireRequest, string]> = [
        [without('Signature'), 'missing parameter Signature'],
        [without('SignatureNonce'), 'missing parameter SignatureNonce'],
        [without('Timestamp'), 'missing parameter Timestamp'],
        [without('AccessKeyId'), 'missing parameter AccessKeyId'],
        [withQuery(request, 'SignatureMethod', 'HMAC-SHA256'), 'unsupported SignatureMethod (expected HMAC-SHA1)'],
        [withQuery(request, 'SignatureVersion', '2.0'), 'unsupported SignatureVersion (expected 1.0)'],
        [{ ...request, query: [...request.query, ['RegionId', 'cn-beijing']] }, 'parameter "RegionId" appears twice in the query'],
        [{ ...request, body: `${body}&Name=other` }, 'parameter "Name" appears twice in the body'],
      ];
      for (const [damaged, detail] of incompletes) {
        expect(fail(await verifyV1(damaged, SECRET)), detail).toEqual({ ok: false, reason: 'IncompleteSignature', detail });
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Garbage input
// ---------------------------------------------------------------------------------------------

describe('garbage input never throws', () => {
  it('parseV3Authorization returns IncompleteSignature', () => {
    const garbage: unknown[] = [
      undefined, null, '', '   ', 42, {},
      'Bearer abc',
      'ACS3-HMAC-SHA256',
      'ACS3-HMAC-SHA256 ',
      'ACS3-HMAC-SHA256 Credential=ak',
      'ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host',
      'ACS3-HMAC-SHA256 Credential=ak,Signature=abcd',
      'ACS3-HMAC-SHA256 SignedHeaders=host,Signature=abcd',
      'ACS3-HMAC-SHA256 Credential=,SignedHeaders=host,Signature=abcd',
      'ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host,Signature=xyz!',
      'ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=Host;x y,Signature=abcd',
      'ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host;;x,Signature=abcd',
      'ACS3-HMAC-SHA256 Credential=ak,Credential=ak2,SignedHeaders=host,Signature=abcd',
      'ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host,Signature=abcd,Extra=1',
      'ACS3-HMAC-SHA256 Credential=ak,,SignedHeaders=host,Signature=abcd',
      'ACS3-HMAC-SHA256 =x',
      'HMAC-SHA256 Credential=ak,SignedHeaders=host,Signature=abcd',
    ];
    for (const g of garbage) {
      const result = parseV3Authorization(g as string);
      expect(result, String(g)).toMatchObject({ ok: false, reason: 'IncompleteSignature' });
      fail(result);
    }
    expect(parseV3Authorization(' ACS3-HMAC-SHA256 Credential=ak, SignedHeaders=host;x-acs-date, Signature=ABCD ')).toEqual({
      ok: true, algorithm: 'ACS3-HMAC-SHA256', accessKeyId: 'ak', signedHeaders: ['host', 'x-acs-date'], signature: 'abcd',
    });
  });

  it('verifyV3, verifyV1, verifyRequest, readSignatureContext and detectSignatureVersion on garbage', async () => {
    const requests: unknown[] = [
      undefined, null, 'POST /', {}, [],
      { method: 'POST', path: '/', query: 'Action=X', headers: {} },
      { method: 'POST', path: '/', query: [['a']], headers: {} },
      { method: 'POST', path: '/', query: [], headers: null },
      { method: 'POST', path: '/', query: [], headers: {}, body: 12 },
      { method: 'POST', path: '/', query: [], headers: {} },
      { method: 'POST', path: '/', query: [], headers: { authorization: '' } },
      { method: 'POST', path: '/', query: [], headers: { authorization: 'Basic Zm9vOmJhcg==' } },
      { method: 'POST', path: '/', query: [], headers: { Authorization: ['ACS3-HMAC-SHA256 Credential=a', 'x'] } },
      { method: 'POST', path: '/', query: [], headers: { authorization: 'ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host,Signature=00' } },
      { method: 'POST', path: '/', query: [], headers: { authorization: 'ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host;x-acs-date;x-acs-signature-nonce;x-acs-content-sha256,Signature=00', host: 'h', 'x-acs-date': 'd', 'x-acs-signature-nonce': 'n', 'x-acs-content-sha256': 'not hex' } },
      { method: 'POST', path: '/', query: [['Signature', '']], headers: {} },
      { method: 'POST', path: '/', query: [['Signature', 'x']], headers: {}, body: '%%%&=&==&%E4' },
      { method: 'POST', path: '/', query: [], headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new Uint8Array([0xff, 0xfe, 0x3d]) },
    ];
    for (const r of requests) {
      const request = r as RawWireRequest;
      for (const result of [await verifyV3(request, SECRET), await verifyV1(request, SECRET), await verifyRequest(request, SECRET)]) {
        expect(result.ok, JSON.stringify(r)).toBe(false);
        if (!result.ok) expect(['IncompleteSignature', 'SignatureDoesNotMatch']).toContain(result.reason);
        fail(result);
      }
      const context = fail(readSignatureContext(request));
      // Only the structurally complete request (index 14) yields a context; its signature still fails.
      expect(context.ok, JSON.stringify(r)).toBe(r === requests[14]);
      expect(() => detectSignatureVersion(request)).not.toThrow();
    }
    expect(await verifyRequest({ method: 'POST', path: '/', query: [], headers: {} }, SECRET)).toEqual({
      ok: false, reason: 'IncompleteSignature', detail: 'request is not signed (no Authorization header, no Signature parameter)',
    });
    // A structurally complete V3 request with a bogus hash: the body check answers.
    expect(await verifyV3(requests[14] as RawWireRequest, SECRET)).toMatchObject({ ok: false, reason: 'SignatureDoesNotMatch' });
  });
});

// ---------------------------------------------------------------------------------------------
// Secrets and portability
// ---------------------------------------------------------------------------------------------

describe('secrets and portability', () => {
  it('no failure result produced in this file contains the secret', () => {
    expect(failures.length).toBeGreaterThan(60);
    for (const f of failures) expect(JSON.stringify(f)).not.toContain(SECRET);
    expect(JSON.stringify(failures)).not.toContain('another-secret');
  });

  it('the module has no Node-only import, no Buffer and no logging', () => {
    const source = readFileSync(new URL('../src/wire/signing.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/^\s*import\b/m);
    expect(source).not.toMatch(/\brequire\s*\(/);
    expect(source).not.toMatch(/\bBuffer\s*[.(]/);
    expect(source).not.toMatch(/\bconsole\s*\./);
  });
});
