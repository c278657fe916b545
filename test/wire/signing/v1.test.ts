/**
 * src/wire/signing/v1.ts against the official runtime (@alicloud/openapi-util 0.3.3): known
 * answers for the canonical query, the string to sign, the signature and signV1.
 */
import { describe, expect, it } from 'vitest';
import { canonicalizedQueryV1, detectSignatureVersion, readSignatureContext, signV1, stringToSignV1, verifyRequest, verifyV1, type RawWireRequest } from '../../../src/wire/signing/index.ts';
import { OpenApiUtil } from '../../helpers/official-sdk.ts';
import { AK, SECRET, TOKEN, DATE, NONCE, QUERY, FORM_BODY, FLAT_BODY, pairs, failures, fail } from './fixtures.ts';

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


describe('secrets', () => {
  it('no failure result produced in this file contains the secret', () => {
    for (const f of failures) expect(JSON.stringify(f)).not.toContain(SECRET);
  });
});
