/**
 * src/wire/signing/verify.ts (and the structural checks it shares with presence.ts) against
 * real traffic from @alicloud/openapi-client 0.4.15 captured on 127.0.0.1, then garbage input;
 * no failure result contains the secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAcsDate, detectSignatureVersion, parseAcsDate, parseV3Authorization, readSignatureContext, sha256Hex, signV1, signV3, verifyRequest, verifyV1, verifyV3, type RawWireRequest } from '../../../src/wire/signing/index.ts';
import {
  OpenApiUtil,
  callOfficial,
  startCaptureServer,
  toWireRequest,
  type CaptureServer,
  type CapturedRequest,
} from '../../helpers/official-sdk.ts';
import { AK, SECRET, TOKEN, BODY, FORM_BODY, failures, fail } from './fixtures.ts';

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


describe('secrets', () => {
  it('no failure result produced in this file contains the secret', () => {
    expect(failures.length).toBeGreaterThan(60);
    for (const f of failures) expect(JSON.stringify(f)).not.toContain(SECRET);
    expect(JSON.stringify(failures)).not.toContain('another-secret');
  });
});
