/**
 * The one signing-style detector: which scheme a request uses and whether its signing material
 * is structurally complete, by the same checks the verifier runs before it computes anything.
 * The mock's `--require-auth`, and the emulator's `presence` and `verify` modes all use it, so a
 * request that passes one passes all three (a V1 `Signature` in the form body counts everywhere).
 * Browser-safe.
 */
import { formEncode, type WirePairs } from '../codec.ts';
import { V1, V3 } from './names.ts';
import { headerValue, incomplete, isWireRequest, type IncompleteSignatureError, type RawWireRequest } from './primitives.ts';
import { checkV1Structure, v1Signature } from './v1.ts';
import { checkV3Structure } from './v3.ts';

/** The signature-related fields a server checks before (and besides) verifying the signature. */
export interface SignatureContext {
  readonly ok: true;
  readonly version: 'V3' | 'V1';
  /** From `Authorization: … Credential=` (V3) or the `AccessKeyId` parameter (V1). */
  readonly accessKeyId: string;
  /** `x-acs-signature-nonce` (V3) or `SignatureNonce` (V1). */
  readonly nonce: string;
  /** `x-acs-date` (V3) or `Timestamp` (V1), unparsed; check it with {@link checkAcsDate}. */
  readonly timestamp: string;
  /** `x-acs-security-token` (V3) or `SecurityToken` (V1) when an STS token was used. */
  readonly securityToken?: string;
}

/** Why an unsigned request is incomplete. */
export const UNSIGNED = 'request is not signed (no Authorization header, no Signature parameter)';

/**
 * Which signature scheme a request uses: `V3` when it has an `Authorization` header, `V1` when
 * it has a `Signature` parameter (query or form body), else `undefined` (unsigned).
 */
export function detectSignatureVersion(request: RawWireRequest): 'V3' | 'V1' | undefined {
  if (!isWireRequest(request)) return undefined;
  if (headerValue(request.headers, 'authorization') !== undefined) return 'V3';
  if (v1Signature(request) !== undefined) return 'V1';
  return undefined;
}

/**
 * Reads what a server needs before verifying: the scheme, the AccessKey id (to look up the
 * secret or answer `InvalidAccessKeyId.NotFound`), the nonce (`SignatureNonceUsed`), the raw
 * timestamp (`InvalidTimeStamp.*` via {@link checkAcsDate}) and the STS token. Runs the same
 * structural checks as the verifiers, so an `ok` context means only the time, the nonce, the key
 * and the signature itself remain to check. Never throws.
 *
 * Suggested server order: this → {@link checkAcsDate} → look up the key → `verifyV3`/`verifyV1`
 * → {@link NonceTracker.use}.
 */
export function readSignatureContext(request: RawWireRequest): SignatureContext | IncompleteSignatureError {
  try {
    const version = detectSignatureVersion(request);
    if (version === undefined) return incomplete(UNSIGNED);
    if (version === 'V3') {
      const auth = checkV3Structure(request);
      if (!auth.ok) return auth;
      const token = headerValue(request.headers, V3.securityToken);
      return {
        ok: true,
        version,
        accessKeyId: auth.accessKeyId,
        nonce: headerValue(request.headers, V3.nonce) ?? '',
        timestamp: headerValue(request.headers, V3.date) ?? '',
        ...(token !== undefined && token !== '' ? { securityToken: token } : {}),
      };
    }
    const params = checkV1Structure(request);
    if (!(params instanceof Map)) return params;
    const token = params.get(V1.securityToken);
    return {
      ok: true,
      version,
      accessKeyId: params.get(V1.accessKeyId) ?? '',
      nonce: params.get(V1.nonce) ?? '',
      timestamp: params.get(V1.timestamp) ?? '',
      ...(token !== undefined && token !== '' ? { securityToken: token } : {}),
    };
  } catch {
    return incomplete('malformed request');
  }
}

/** A request with its body already decoded into pairs (the router's `WireRequest`). */
export interface DecodedWireRequest {
  method: string;
  path: string;
  query: WirePairs;
  headers: Record<string, string | undefined>;
  body: WirePairs;
}

export type SigningPresence =
  | { ok: true; style: 'V1' | 'V3'; accessKeyId: string }
  | { ok: false; /** What is missing or malformed, as a sentence fragment. */ detail: string };

/**
 * {@link readSignatureContext} for a request whose body is already decoded: the structural
 * checks only (no time, key or signature), e.g. for a mock that only demands signing material.
 */
export function signingPresence(request: DecodedWireRequest): SigningPresence {
  // Unsigned (the common case with `--auth off`): said without re-encoding the body to look.
  const named = ([name]: readonly [string, string]) => name === V1.signature;
  if (headerValue(request.headers, 'authorization') === undefined && !request.query.some(named) && !request.body.some(named)) return { ok: false, detail: UNSIGNED };
  const headers: Record<string, string | undefined> = { ...request.headers };
  if (request.body.length > 0) headers['content-type'] = 'application/x-www-form-urlencoded';
  const context = readSignatureContext({ method: request.method, path: request.path, query: request.query, headers, body: formEncode(request.body) });
  if (!context.ok) return { ok: false, detail: context.detail };
  return { ok: true, style: context.version, accessKeyId: context.accessKeyId };
}
