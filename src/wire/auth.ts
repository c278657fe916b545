/**
 * Former signing-presence check, kept while src/emulator migrates: it now answers from the one
 * detector in src/wire/signing/presence.ts (the verifier's structural checks), with the old
 * result shape (`missing` holds the detector's sentence).
 */
import { signingPresence as detect, type DecodedWireRequest } from './signing/presence.ts';

export type SigningPresence =
  | { ok: true; style: 'V1' | 'V3'; accessKeyId: string }
  | { ok: false; missing: string[] };

export function signingPresence(request: DecodedWireRequest): SigningPresence {
  const found = detect(request);
  return found.ok ? found : { ok: false, missing: [found.detail] };
}
