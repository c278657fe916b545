/**
 * src/wire/signing/presence.ts, the one signing-style detector: table-driven cases, each run
 * through the detector for raw requests (readSignatureContext, the emulator's presence and
 * verify modes), the one for decoded requests (signingPresence, the mock's --require-auth) and
 * the verifier, which must all agree on the structure; and the masking of security tokens in
 * the string to sign a verifier echoes.
 */
import { describe, expect, it } from 'vitest';
import { formEncode } from '../../../src/wire/codec.ts';
import {
  MASK,
  V1,
  V1_REQUIRED,
  V3,
  V3_REQUIRED_HEADERS,
  readSignatureContext,
  signV1,
  signV3,
  signingPresence,
  verifyRequest,
  type RawWireRequest,
} from '../../../src/wire/signing/index.ts';
import { contract } from '../../../src/contract/index.ts';
import { AK, DATE, NONCE, SECRET, TOKEN } from './fixtures.ts';

const FORM = 'application/x-www-form-urlencoded';
const CALLER: Array<[string, string]> = [['Action', 'GetVpcPeerConnectionAttribute'], ['Version', '2022-01-01']];
const BODY: Array<[string, string]> = [['InstanceId', 'pcc-1']];

async function v1Query(token?: string): Promise<Array<[string, string]>> {
  return signV1({ method: 'POST', query: CALLER, body: formEncode(BODY), accessKeyId: AK, accessKeySecret: SECRET, timestamp: DATE, nonce: NONCE, ...(token && { securityToken: token }) });
}

async function v3Request(token?: string): Promise<RawWireRequest> {
  const body = formEncode(BODY);
  const headers = await signV3({ method: 'POST', host: 'h', query: CALLER, headers: { 'content-type': FORM }, body, accessKeyId: AK, accessKeySecret: SECRET, date: DATE, nonce: NONCE, ...(token && { securityToken: token }) });
  return { method: 'POST', path: '/', query: CALLER, headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])), body };
}

/** A raw request as the servers see it, and its decoded twin (what the router passes on). */
function both(query: Array<[string, string]>, headers: Record<string, string>, body: Array<[string, string]>) {
  const raw: RawWireRequest = { method: 'POST', path: '/', query, headers: body.length ? { ...headers, 'content-type': FORM } : headers, body: formEncode(body) };
  return { raw, decoded: { method: 'POST', path: '/', query, headers: raw.headers as Record<string, string>, body } };
}

describe('names come from the contract', () => {
  it('every V1 parameter and V3 header is a common parameter of the contract', () => {
    for (const name of [V1.accessKeyId, V1.signatureMethod, V1.signatureVersion, V1.nonce, V1.timestamp, V1.securityToken]) {
      expect(contract.commonParameters.has(name), name).toBe(true);
    }
    for (const name of [V3.date, V3.nonce, V3.contentSha256, V3.securityToken]) expect(contract.commonParameters.has(name), name).toBe(true);
    expect(V1_REQUIRED).not.toContain(V1.securityToken);
    expect(V3_REQUIRED_HEADERS).toContain('host');
    expect([V1.methodValue, V1.versionValue]).toEqual(['HMAC-SHA1', '1.0']);
  });
});

describe('one detector, three users', () => {
  it('table: detector (raw), detector (decoded) and verifier agree on the structure', async () => {
    const signed = await v1Query();
    const inBody = signed.filter(([n]) => n !== V1.signature);
    const signature = signed.find(([n]) => n === V1.signature)!;
    const v3 = await v3Request();
    const cases: Array<{ name: string; raw: RawWireRequest; decoded: ReturnType<typeof both>['decoded']; complete: boolean; verifies: boolean; detail?: RegExp }> = [
      { name: 'V1 in the query', ...both(signed, {}, BODY), complete: true, verifies: true },
      // The disagreement issue 9 found: Signature only in the form body.
      { name: 'V1 with Signature in the form body', ...both(inBody, {}, [...BODY, signature]), complete: true, verifies: true },
      { name: 'V1 without SignatureNonce', ...both(signed.filter(([n]) => n !== V1.nonce), {}, BODY), complete: false, verifies: false, detail: /missing parameter SignatureNonce/ },
      { name: 'V1 with several missing', ...both([...CALLER, [V1.accessKeyId, AK], [V1.signature, 'x']], {}, BODY), complete: false, verifies: false, detail: /missing parameters SignatureMethod, SignatureVersion, SignatureNonce, Timestamp/ },
      { name: 'V1 with another method', ...both(signed.map(([n, v]) => [n, n === V1.signatureMethod ? 'HMAC-MD5' : v]), {}, BODY), complete: false, verifies: false, detail: /SignatureMethod/ },
      { name: 'V1 with a name twice in the query', ...both([...signed, ['InstanceId', 'pcc-2'], ['InstanceId', 'pcc-3']], {}, []), complete: false, verifies: false, detail: /appears twice in the query/ },
      { name: 'unsigned', ...both(CALLER, {}, BODY), complete: false, verifies: false, detail: /not signed/ },
      { name: 'AccessKeyId alone', ...both([...CALLER, [V1.accessKeyId, AK]], {}, BODY), complete: false, verifies: false, detail: /not signed/ },
      { name: 'V3 signed', raw: v3, decoded: { method: 'POST', path: '/', query: CALLER, headers: v3.headers as Record<string, string>, body: BODY }, complete: true, verifies: true },
      {
        name: 'V3 with an unsigned x-acs header',
        ...both(CALLER, { ...(v3.headers as Record<string, string>), 'x-acs-extra': '1' }, BODY),
        complete: false, verifies: false, detail: /x-acs-extra is not in SignedHeaders/,
      },
      {
        name: 'V3 without x-acs-date',
        ...both(CALLER, Object.fromEntries(Object.entries(v3.headers as Record<string, string>).filter(([k]) => k !== V3.date)), BODY),
        complete: false, verifies: false, detail: /x-acs-date/,
      },
      { name: 'V3 with another scheme', ...both(CALLER, { ...(v3.headers as Record<string, string>), authorization: 'Bearer x' }, BODY), complete: false, verifies: false, detail: /unsupported Authorization scheme/ },
    ];
    for (const c of cases) {
      const context = readSignatureContext(c.raw);
      const presence = signingPresence(c.decoded);
      expect(context.ok, c.name).toBe(c.complete);
      expect(presence.ok, c.name).toBe(c.complete);
      if (!context.ok && !presence.ok) {
        expect(presence.detail, c.name).toBe(context.detail);
        if (c.detail) expect(context.detail, c.name).toMatch(c.detail);
      }
      const verdict = await verifyRequest(c.raw, SECRET);
      expect(verdict.ok, c.name).toBe(c.verifies);
      // Whatever the structure refuses, the verifier refuses as incomplete too.
      if (!c.complete) expect(verdict, c.name).toMatchObject({ ok: false, reason: 'IncompleteSignature' });
    }
  });
});

describe('security tokens are masked in echoed strings to sign', () => {
  it('V1: the string to sign shows *** where the token was; the signature still covers the token', async () => {
    const query = await v1Query(TOKEN);
    const { raw } = both(query, {}, BODY);
    expect((await verifyRequest(raw, SECRET)).ok).toBe(true);
    const verdict = await verifyRequest(raw, 'wrong-secret');
    expect(verdict.ok).toBe(false);
    const echoed = !verdict.ok ? verdict.stringToSign ?? '' : '';
    expect(echoed).toContain(`SecurityToken%3D${encodeURIComponent(MASK).replace(/\*/g, '%252A')}`);
    for (const form of [TOKEN, encodeURIComponent(TOKEN), encodeURIComponent(encodeURIComponent(TOKEN))]) expect(echoed).not.toContain(form);
    expect(JSON.stringify(verdict)).not.toContain('Token==');
    // Without a token nothing is masked.
    const plain = await verifyRequest(both(await v1Query(), {}, BODY).raw, 'wrong-secret');
    expect(!plain.ok && plain.stringToSign).not.toContain('SecurityToken');
  });

  it('V3: the canonical request shows x-acs-security-token:***', async () => {
    const request = await v3Request(TOKEN);
    expect((await verifyRequest(request, SECRET)).ok).toBe(true);
    const verdict = await verifyRequest(request, 'wrong-secret');
    expect(verdict).toMatchObject({ ok: false, reason: 'SignatureDoesNotMatch' });
    expect(!verdict.ok && verdict.canonicalRequest).toContain(`\n${V3.securityToken}:${MASK}\n`);
    expect(JSON.stringify(verdict)).not.toContain('Token==');
    expect(JSON.stringify(verdict)).not.toContain(SECRET);
  });
});
