/**
 * Which signing style a request uses and whether its signing material is all there. The mock's
 * `--require-auth` uses this presence check; the emulator's `verify` mode goes on to check the
 * signature itself with `signing.ts`. Browser-safe: no Node imports.
 */
import type { WireRequest } from './router.ts';

/** Query parameters every V1 (HMAC-SHA1) request carries. */
export const V1_PARAMETERS = ['AccessKeyId', 'Signature', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'Timestamp'] as const;
/** Headers every V3 (ACS3-HMAC-SHA256) request carries besides `authorization`. */
export const V3_HEADERS = ['x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256'] as const;

export type SigningPresence =
  | { ok: true; style: 'V1'; accessKeyId: string }
  | { ok: true; style: 'V3'; accessKeyId: string }
  | { ok: false; missing: string[] };

const V3_AUTHORIZATION = /^ACS3-[A-Z0-9-]+ Credential=([^,\s]+),\s*SignedHeaders=[^,\s]+,\s*Signature=[0-9a-fA-F]+$/;

export function signingPresence(request: WireRequest): SigningPresence {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = V3_AUTHORIZATION.exec(authorization.trim());
    const missing: string[] = V3_HEADERS.filter((h) => !request.headers[h]);
    if (!match) missing.unshift('Authorization');
    if (match && missing.length === 0) return { ok: true, style: 'V3', accessKeyId: match[1]! };
    return { ok: false, missing };
  }
  const present = new Map(request.query);
  if (present.has('Signature') || present.has('AccessKeyId')) {
    const missing: string[] = V1_PARAMETERS.filter((p) => !present.get(p));
    if (missing.length === 0) return { ok: true, style: 'V1', accessKeyId: present.get('AccessKeyId')! };
    return { ok: false, missing };
  }
  return { ok: false, missing: ['Authorization'] };
}
