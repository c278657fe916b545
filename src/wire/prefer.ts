/**
 * The `Prefer` header the mock and the emulator share (`Prefer: code=400, example=X`): its
 * parameters as a map, and the one check they both make of `code`. Browser-safe.
 */

/** `code=400, example="X"; dynamic` → `code` → `400`, `example` → `X`, `dynamic` → `` (names lower-cased). */
export function preferParameters(header: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const part of header.split(/[,;]/)) {
    const [key, ...rest] = part.split('=');
    const name = key?.trim().toLowerCase();
    if (name) entries.set(name, rest.join('=').trim().replace(/^"|"$/g, ''));
  }
  return entries;
}

/** The HTTP status a `code` parameter asks for, or why it is not one. */
export function preferStatus(text: string): { ok: true; status: number } | { ok: false; reason: string } {
  if (!/^[1-5]\d\d$/.test(text)) return { ok: false, reason: `code must be an HTTP status, got "${text.slice(0, 16)}".` };
  return { ok: true, status: Number(text) };
}
