/**
 * Former signing-presence check, kept while src/emulator migrates: it now answers from the one
 * detector in src/wire/signing/presence.ts (the verifier's structural checks), with the old
 * result shape (`missing`: the missing names, or the detector's sentence for any other problem).
 */
import { signingPresence as detect, type DecodedWireRequest } from './signing/presence.ts';

export type SigningPresence =
  | { ok: true; style: 'V1' | 'V3'; accessKeyId: string }
  | { ok: false; missing: string[] };

export function signingPresence(request: DecodedWireRequest): SigningPresence {
  const found = detect(request);
  if (found.ok) return found;
  // "missing parameters A, B" / "missing header x" → the names; any other problem as its sentence.
  const names = /^missing (?:parameters?|header) (.+)$/.exec(found.detail);
  return { ok: false, missing: names ? names[1]!.split(', ') : [found.detail] };
}
