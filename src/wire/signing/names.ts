/**
 * The signing names, read once from the contract's common parameters (`contract.signing`, from
 * `x-acs-signing`, as generated into generated/wire-facts.ts): which V1 query parameter and which V3 header plays each part. Nothing in
 * src/wire/signing/ spells one by hand. Browser-safe.
 */
// The generated wire facts, not the bundled document: the browser bundle stays small.
import { wireFacts } from '../../contract/bundled-facts.ts';
import type { SigningRole } from '../../contract/signing.ts';

function need(table: Partial<Record<SigningRole, string>>, role: SigningRole, style: string): string {
  const name = table[role];
  if (name === undefined) throw new Error(`The contract has no ${style} common parameter with x-acs-signing: ${role}`);
  return name;
}

const { v1, v3, v1Values } = wireFacts.signing;

/** The V1 (HMAC-SHA1) query parameters by part, and the values the contract fixes. */
export const V1 = {
  accessKeyId: need(v1, 'access-key-id', 'V1'),
  signatureMethod: need(v1, 'signature-method', 'V1'),
  signatureVersion: need(v1, 'signature-version', 'V1'),
  nonce: need(v1, 'nonce', 'V1'),
  timestamp: need(v1, 'timestamp', 'V1'),
  securityToken: need(v1, 'security-token', 'V1'),
  /** The signature itself: the one V1 parameter no operation declares (it is never signed). */
  signature: 'Signature',
  methodValue: need(v1Values, 'signature-method', 'V1 const'),
  versionValue: need(v1Values, 'signature-version', 'V1 const'),
} as const;

/** The V3 (ACS3-HMAC-SHA256) headers (lower case) by part. */
export const V3 = {
  date: need(v3, 'timestamp', 'V3'),
  nonce: need(v3, 'nonce', 'V3'),
  contentSha256: need(v3, 'content-sha256', 'V3'),
  securityToken: need(v3, 'security-token', 'V3'),
  /** The AccessKey id header the SDK adds with STS credentials (an `x-acs-*` header, so signed). */
  accessKeyId: 'x-acs-accesskey-id',
} as const;

/** Query parameters {@link signV1} adds; a caller's query must not contain them already. */
export const V1_SIGNING_PARAMETERS: readonly string[] = [V1.accessKeyId, V1.signatureMethod, V1.signatureVersion, V1.nonce, V1.timestamp, V1.securityToken, V1.signature];

/** Parameters every V1 request carries (the token only comes with STS credentials). */
export const V1_REQUIRED: readonly string[] = [V1.accessKeyId, V1.signatureMethod, V1.signatureVersion, V1.nonce, V1.timestamp];

/** Headers every V3 request carries and signs, besides `authorization`. */
export const V3_REQUIRED_HEADERS: readonly string[] = ['host', V3.date, V3.nonce, V3.contentSha256];
