/**
 * The small pure pieces both signature versions share: wire types, UTF-8 bytes, SHA-256, HMAC,
 * Base64, hex, constant-time comparison, RFC 3986 percent-encoding (the signature encoding, not
 * the one requests are sent with: that is `formEncode` in src/wire/codec.ts), case-insensitive
 * header lookup and the `IncompleteSignature` result. WebCrypto only: browser-safe.
 */

/** Query parameters in wire order, already decoded (`[name, value]`). */
export type QueryPairs = ReadonlyArray<readonly [string, string]>;

/** One header value as a server sees it (Node's `IncomingHttpHeaders` fits this). */
export type HeaderValue = string | readonly string[] | undefined;

/** Headers keyed by name, any letter case. */
export type WireHeaders = Readonly<Record<string, HeaderValue>>;

/** A request body: UTF-8 text or raw bytes (for RPC, an `application/x-www-form-urlencoded` string). */
export type WireBody = string | Uint8Array;

/**
 * A request as received by a server, input of the verifiers. Unlike the router's
 * `WireRequest` (decoded body pairs), this carries the **raw body**: V3 hashes its bytes.
 * src/server/request.ts reads one as `{ method, path, query, headers, body: rawBody }`.
 */
export interface RawWireRequest {
  /** HTTP method, e.g. `POST`. Compared upper-cased. */
  readonly method: string;
  /** The path without the query string, as sent on the wire (`/` for VpcPeer). */
  readonly path: string;
  /** Decoded query pairs in wire order (form decoding: `+` is a space). */
  readonly query: QueryPairs;
  /** Request headers, any letter case; array values are repeated headers. */
  readonly headers: WireHeaders;
  /** The raw body; absent or empty when there is none. */
  readonly body?: WireBody | undefined;
}

/** A structural error: the signature material is missing or malformed. */
export interface IncompleteSignatureError {
  readonly ok: false;
  readonly reason: 'IncompleteSignature';
  readonly detail: string;
}

export function incomplete(detail: string): IncompleteSignatureError {
  return { ok: false, reason: 'IncompleteSignature', detail };
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

function subtle(): SubtleCrypto {
  const c = globalThis.crypto;
  if (c === undefined || c.subtle === undefined) {
    throw new Error('WebCrypto (globalThis.crypto.subtle) is not available: browsers expose it only in secure contexts (https:, http://localhost, http://127.0.0.1)');
  }
  return c.subtle;
}

/** Copies into a fresh ArrayBuffer-backed array (WebCrypto wants `BufferSource`). */
function toBytes(data: WireBody): Uint8Array<ArrayBuffer> {
  if (typeof data === 'string') return utf8Encoder.encode(data);
  const out = new Uint8Array(data.byteLength);
  out.set(data);
  return out;
}

export function bodyText(body: WireBody | undefined): string {
  if (body === undefined) return '';
  return typeof body === 'string' ? body : utf8Decoder.decode(body);
}

export function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Standard Base64 (with padding) of bytes, without `Buffer`. */
export function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** Lowercase hex SHA-256 of a string (UTF-8) or bytes. */
export async function sha256Hex(data: WireBody): Promise<string> {
  const digest = await subtle().digest('SHA-256', toBytes(data));
  return hex(new Uint8Array(digest));
}

export async function hmac(hash: 'SHA-1' | 'SHA-256', key: string, data: string): Promise<Uint8Array> {
  let keyBytes = utf8Encoder.encode(key);
  // WebCrypto refuses zero-length HMAC keys. HMAC zero-pads keys to the block size, so an
  // empty key and a single 0x00 byte give the same MAC (this is what Node's createHmac does).
  if (keyBytes.byteLength === 0) keyBytes = new Uint8Array(1);
  const cryptoKey = await subtle().importKey('raw', keyBytes, { name: 'HMAC', hash }, false, ['sign']);
  const mac = await subtle().sign('HMAC', cryptoKey, utf8Encoder.encode(data));
  return new Uint8Array(mac);
}

/**
 * Compares two strings in time that depends only on their lengths, not on where they differ.
 * Used for signatures (hex or Base64), so no secret-dependent early exit.
 */
export function timingSafeEqual(a: string, b: string): boolean {
  const len = Math.max(a.length, b.length);
  let diff = a.length ^ b.length;
  for (let i = 0; i < len; i++) {
    diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  }
  return diff === 0;
}

export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const UNRESERVED = /^[A-Za-z0-9\-_.~]$/;

/**
 * RFC 3986 percent-encoding of the UTF-8 bytes of `value`, as both signature versions use it:
 * `A–Z a–z 0–9 - _ . ~` stay, everything else becomes `%XX` (uppercase hex). So space is
 * `%20` (never `+`), `*` is `%2A`, `~` stays, `/` is `%2F`, `中` is `%E4%B8%AD`.
 * Identical to the SDK's `encodeURIComponent` + `!'()*` fix-up, except that a lone UTF-16
 * surrogate becomes `%EF%BF%BD` (U+FFFD) instead of throwing.
 */
export function percentEncode(value: string): string {
  let out = '';
  for (const byte of utf8Encoder.encode(value)) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && UNRESERVED.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** All values of a header, looked up case-insensitively (several keys and arrays are merged). */
export function headerValues(headers: WireHeaders, name: string): string[] {
  const out: string[] = [];
  const wanted = name.toLowerCase();
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    const v = headers[key];
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) for (const item of v) if (typeof item === 'string') out.push(item);
  }
  return out;
}

/** A single header value (several values are joined with `,`), or `undefined`. */
export function headerValue(headers: WireHeaders, name: string): string | undefined {
  const values = headerValues(headers, name);
  return values.length === 0 ? undefined : values.join(',');
}

/** Whether a value has the shape of a {@link RawWireRequest} (callers may pass anything). */
export function isWireRequest(request: unknown): request is RawWireRequest {
  if (typeof request !== 'object' || request === null) return false;
  const r = request as Record<string, unknown>;
  return (
    typeof r['method'] === 'string' &&
    typeof r['path'] === 'string' &&
    Array.isArray(r['query']) &&
    r['query'].every((p) => Array.isArray(p) && typeof p[0] === 'string' && typeof p[1] === 'string') &&
    typeof r['headers'] === 'object' &&
    r['headers'] !== null &&
    (r['body'] === undefined || typeof r['body'] === 'string' || r['body'] instanceof Uint8Array)
  );
}
