/**
 * Signature verification for servers, both versions: the structural checks (shared with the
 * detector in presence.ts), the body hash (V3), then the signature, compared in constant time.
 * Time and nonce are separate pieces (time.ts, nonce.ts). A `SignatureDoesNotMatch` carries the
 * server's string to sign (and, V3, its canonical request) for the client to compare, with any
 * security token shown as `***`; no result ever contains the AccessKey secret. Never throws.
 * Browser-safe.
 */
import { V1, V3 } from './names.ts';
import { detectSignatureVersion, UNSIGNED } from './presence.ts';
import { headerValue, incomplete, isWireRequest, sha256Hex, timingSafeEqual, type RawWireRequest } from './primitives.ts';
import { checkV1Structure, signatureV1, stringToSignV1, v1Signature } from './v1.ts';
import { canonicalRequestV3, checkV3Structure, signatureV3, stringToSignV3 } from './v3.ts';

/** What a security token is replaced with wherever a string to sign is echoed. */
export const MASK = '***';

/**
 * Why a signature was refused. A server maps these to Alibaba error codes of the same name.
 * - `IncompleteSignature`: the signature material is missing or malformed (no/garbled
 *   `Authorization`, a missing `x-acs-date`, an unsigned `x-acs-*` header, a missing
 *   `SignatureNonce`, an unsupported algorithm…).
 * - `SignatureDoesNotMatch`: everything is present but the signature (or the body hash) is wrong.
 */
export type SignatureFailureReason = 'IncompleteSignature' | 'SignatureDoesNotMatch';

/** A refused signature. `detail` is a short English explanation, never containing a secret. */
export interface SignatureFailure {
  readonly ok: false;
  readonly reason: SignatureFailureReason;
  /** What exactly is wrong, e.g. `missing header x-acs-date`. Safe to show to the client. */
  readonly detail: string;
  /**
   * The server's string to sign (V1: the `POST&%2F&…` line; V3: `ACS3-HMAC-SHA256\n<hash>`),
   * set on `SignatureDoesNotMatch`. Contains no secret; Alibaba echoes the same in its message.
   */
  readonly stringToSign?: string;
  /** V3 only: the server's canonical request, for debugging. Contains no secret. */
  readonly canonicalRequest?: string;
}

/** Outcome of {@link verifyV3} / {@link verifyV1}. */
export type VerifyResult = { readonly ok: true } | SignatureFailure;

/** The canonical request with the security token header's value masked. */
function maskV3Token(canonicalRequest: string, request: RawWireRequest): string {
  if (headerValue(request.headers, V3.securityToken) === undefined) return canonicalRequest;
  return canonicalRequest
    .split('\n')
    .map((line) => (line.startsWith(`${V3.securityToken}:`) ? `${V3.securityToken}:${MASK}` : line))
    .join('\n');
}

/**
 * Verifies an ACS3-HMAC-SHA256 request with the secret of the AccessKey named in its
 * `Authorization` (get the id first with {@link readSignatureContext}). Checks, in order:
 * the Authorization syntax; that `host`, `x-acs-date`, `x-acs-signature-nonce`,
 * `x-acs-content-sha256` are present and signed; that every signed header is present and every
 * `host`/`content-type`/`x-acs-*` header is signed (all `IncompleteSignature`); that
 * `x-acs-content-sha256` is the SHA-256 of the body, then the signature (both
 * `SignatureDoesNotMatch`). Time and nonce are not checked here: see {@link checkAcsDate},
 * {@link NonceTracker}. Never throws.
 */
export async function verifyV3(request: RawWireRequest, accessKeySecret: string): Promise<VerifyResult> {
  try {
    if (!isWireRequest(request)) return incomplete('malformed request');
    const auth = checkV3Structure(request);
    if (!auth.ok) return auth;
    const claimedHash = (headerValue(request.headers, V3.contentSha256) ?? '').trim();
    const actualHash = await sha256Hex(request.body ?? '');
    if (!timingSafeEqual(claimedHash.toLowerCase(), actualHash)) {
      return { ok: false, reason: 'SignatureDoesNotMatch', detail: `${V3.contentSha256} is not the SHA-256 of the body` };
    }
    const canonicalRequest = canonicalRequestV3({
      method: request.method,
      path: request.path,
      query: request.query,
      headers: request.headers,
      hashedPayload: claimedHash,
      signedHeaders: auth.signedHeaders,
    });
    const stringToSign = await stringToSignV3(canonicalRequest);
    const expected = await signatureV3(stringToSign, accessKeySecret);
    if (!timingSafeEqual(expected, auth.signature)) {
      return { ok: false, reason: 'SignatureDoesNotMatch', detail: 'signature does not match', stringToSign, canonicalRequest: maskV3Token(canonicalRequest, request) };
    }
    return { ok: true };
  } catch {
    return incomplete('malformed request');
  }
}

/**
 * Verifies a V1 (HMAC-SHA1) request with the secret of its `AccessKeyId`. Signs the union of
 * the query and, when the body is form-encoded, the body parameters (body wins on a name in
 * both, as in the SDK). `IncompleteSignature`: a signing parameter missing, an unsupported
 * `SignatureMethod`/`SignatureVersion`, or a name repeated within the query or within the body
 * (the SDK never sends that, and the codec could read another value than the one signed).
 * `SignatureDoesNotMatch` carries the server's `stringToSign`. Time and nonce are not checked
 * here. Never throws.
 */
export async function verifyV1(request: RawWireRequest, accessKeySecret: string): Promise<VerifyResult> {
  try {
    if (!isWireRequest(request)) return incomplete('malformed request');
    const signature = v1Signature(request);
    if (!signature) return incomplete(`missing parameter ${V1.signature}`);
    const params = checkV1Structure(request);
    if (!(params instanceof Map)) return params;
    const stringToSign = stringToSignV1(request.method, [...params]);
    const expected = await signatureV1(stringToSign, accessKeySecret);
    if (!timingSafeEqual(expected, signature)) {
      // The echoed string to sign shows the token as MASK: the token is a credential.
      const masked = params.has(V1.securityToken) ? stringToSignV1(request.method, [...params].map(([n, v]) => [n, n === V1.securityToken ? MASK : v] as const)) : stringToSign;
      return { ok: false, reason: 'SignatureDoesNotMatch', detail: 'signature does not match', stringToSign: masked };
    }
    return { ok: true };
  } catch {
    return incomplete('malformed request');
  }
}

/**
 * Verifies a request of either scheme (picked by {@link detectSignatureVersion}); an unsigned
 * request gives `IncompleteSignature`. Never throws.
 */
export async function verifyRequest(request: RawWireRequest, accessKeySecret: string): Promise<VerifyResult> {
  const version = detectSignatureVersion(request);
  if (version === 'V3') return verifyV3(request, accessKeySecret);
  if (version === 'V1') return verifyV1(request, accessKeySecret);
  return incomplete(UNSIGNED);
}
