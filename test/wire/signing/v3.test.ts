/**
 * src/wire/signing/v3.ts against the official runtime (@alicloud/openapi-util 0.3.3): known
 * answers for the canonical pieces, the string to sign, the signature and signV3.
 */
import { describe, expect, it } from 'vitest';
import { EMPTY_BODY_SHA256, canonicalQueryStringV3, canonicalRequestV3, checkAcsDate, readSignatureContext, sha256Hex, signV3, stringToSignV3, verifyRequest, verifyV3, type RawWireRequest } from '../../../src/wire/signing/index.ts';
import { OpenApiUtil } from '../../helpers/official-sdk.ts';
import { AK, SECRET, TOKEN, DATE, NONCE, HOST, QUERY, FORM_BODY, V3_CALLER_HEADERS, officialAuthorization, pairs } from './fixtures.ts';

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

