/**
 * Alibaba Cloud request signing for the VpcPeer contract kit: one module shared by the typed
 * client (which signs) and the emulator (which verifies).
 *
 * Two schemes are implemented, byte-compatible with the official Node runtime
 * (`@alicloud/openapi-client` 0.4.15 + `@alicloud/openapi-util` 0.3.3):
 *
 * - **V3, `ACS3-HMAC-SHA256`** (the SDK default, `doRequest` + `OpenApiUtil.getAuthorization`):
 *   a canonical request over method, path, query, the `host`/`content-type`/`x-acs-*` headers and
 *   the SHA-256 of the body, signed into an `Authorization` header.
 * - **V1, `HMAC-SHA1`** (the SDK with `signatureAlgorithm: 'v2'`, `doRPCRequest` +
 *   `OpenApiUtil.getRPCSignature`): every parameter of the query *and* of the form body is
 *   signed, and the result travels as the `Signature` query parameter.
 *
 * Everything works on wire-level inputs (method, path, ordered query pairs, a header record,
 * an already form-encoded body) and knows nothing about the codec or the spec.
 *
 * Portability: only WebCrypto (`globalThis.crypto.subtle`, `crypto.randomUUID`), `TextEncoder`,
 * `TextDecoder`, `URLSearchParams` and `btoa` are used, so the module runs unchanged in Node ≥ 20
 * and in browsers. Every function that hashes is async. Browsers expose `crypto.subtle` and
 * `crypto.randomUUID` only in secure contexts (https pages, or http on localhost/127.0.0.1).
 *
 * Secrets: the AccessKey secret is only ever used as an HMAC key. It is never logged, never put
 * in a returned value, a `detail` text or an error message. The `stringToSign` and
 * `canonicalRequest` values returned by the verifiers contain no secret (they do contain the
 * AccessKey id and, with STS, the security token, both of which the caller sent in clear).
 *
 * @module
 */

// ---------------------------------------------------------------------------------------------
// Wire types
// ---------------------------------------------------------------------------------------------

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
 * From `src/wire/node-request.ts`: `{ method, path, query, headers, body: rawBody }`.
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

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

/** The V3 algorithm name used in `Authorization` and in the string to sign. */
export const ACS3_HMAC_SHA256 = 'ACS3-HMAC-SHA256';

/** Lowercase hex SHA-256 of the empty body (the `x-acs-content-sha256` of a body-less request). */
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** The time window Alibaba allows between `x-acs-date`/`Timestamp` and the server clock: 15 minutes. */
export const DEFAULT_TIME_WINDOW_MS = 15 * 60 * 1000;

/** Query parameters {@link signV1} adds; a caller's query must not contain them already. */
export const V1_SIGNING_PARAMETERS: readonly string[] = [
  'AccessKeyId',
  'SignatureMethod',
  'SignatureVersion',
  'SignatureNonce',
  'Timestamp',
  'SecurityToken',
  'Signature',
];

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

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

/** A structural error from {@link parseV3Authorization} / {@link readSignatureContext}. */
export interface IncompleteSignatureError {
  readonly ok: false;
  readonly reason: 'IncompleteSignature';
  readonly detail: string;
}

/** A parsed V3 `Authorization` header. */
export interface ParsedV3Authorization {
  readonly ok: true;
  readonly algorithm: typeof ACS3_HMAC_SHA256;
  readonly accessKeyId: string;
  /** Lowercase header names, in the order of the header. */
  readonly signedHeaders: readonly string[];
  /** Lowercase hex signature. */
  readonly signature: string;
}

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

/** Outcome of {@link checkAcsDate}. */
export type TimestampCheck =
  | { readonly ok: true; readonly timeMs: number }
  | {
      readonly ok: false;
      /** `InvalidTimeStamp.Format`: not `YYYY-MM-DDThh:mm:ssZ`. `InvalidTimeStamp.Expired`: outside the window. */
      readonly reason: 'InvalidTimeStamp.Format' | 'InvalidTimeStamp.Expired';
      readonly detail: string;
    };

// ---------------------------------------------------------------------------------------------
// Small portable helpers
// ---------------------------------------------------------------------------------------------

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

function bodyText(body: WireBody | undefined): string {
  if (body === undefined) return '';
  return typeof body === 'string' ? body : utf8Decoder.decode(body);
}

function hex(bytes: Uint8Array): string {
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

async function hmac(hash: 'SHA-1' | 'SHA-256', key: string, data: string): Promise<Uint8Array> {
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

function randomNonce(): string {
  return globalThis.crypto.randomUUID();
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Encoding and time
// ---------------------------------------------------------------------------------------------

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

/** Formats a date as Alibaba wants it in `x-acs-date` and `Timestamp`: UTC `YYYY-MM-DDThh:mm:ssZ`. */
export function formatAcsDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const ACS_DATE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

/**
 * Parses an `x-acs-date` / `Timestamp` value (strictly `YYYY-MM-DDThh:mm:ssZ`, a real calendar
 * date) to epoch milliseconds, or `undefined` when it is not in that format.
 */
export function parseAcsDate(value: string): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = ACS_DATE.exec(value);
  if (m === null) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (
    back.getUTCFullYear() !== y ||
    back.getUTCMonth() !== mo - 1 ||
    back.getUTCDate() !== d ||
    back.getUTCHours() !== h ||
    back.getUTCMinutes() !== mi ||
    back.getUTCSeconds() !== s
  ) {
    return undefined;
  }
  return ms;
}

/**
 * Checks a request time against the server clock: the format, then `|now − time| ≤ windowMs`
 * (the window is symmetric, so clocks running ahead are refused too).
 * @param value `x-acs-date` (V3) or `Timestamp` (V1), e.g. from {@link readSignatureContext}.
 * @param nowMs server time in epoch ms (default `Date.now()`).
 * @param windowMs allowed skew (default {@link DEFAULT_TIME_WINDOW_MS}, 15 minutes).
 */
export function checkAcsDate(value: string, nowMs: number = Date.now(), windowMs: number = DEFAULT_TIME_WINDOW_MS): TimestampCheck {
  const timeMs = parseAcsDate(value);
  if (timeMs === undefined) {
    return { ok: false, reason: 'InvalidTimeStamp.Format', detail: 'timestamp is not in the format YYYY-MM-DDThh:mm:ssZ' };
  }
  if (Math.abs(nowMs - timeMs) > windowMs) {
    return { ok: false, reason: 'InvalidTimeStamp.Expired', detail: `timestamp is more than ${Math.round(windowMs / 1000)} s away from the server time` };
  }
  return { ok: true, timeMs };
}

/**
 * Remembers signature nonces per AccessKey id so a server can answer `SignatureNonceUsed`.
 * A nonce is kept for twice the time window after it was first seen (long enough to outlive
 * any request time that {@link checkAcsDate} could still accept), then forgotten. Record a
 * nonce only after the signature verified, so forged requests cannot burn nonces.
 */
export class NonceTracker {
  readonly #ttlMs: number;
  readonly #seen = new Map<string, number>();

  /** @param windowMs the time window used with {@link checkAcsDate}. */
  constructor(windowMs: number = DEFAULT_TIME_WINDOW_MS) {
    this.#ttlMs = 2 * windowMs;
  }

  /** Returns `false` if `nonce` was already used with `accessKeyId`, else records it and returns `true`. */
  use(accessKeyId: string, nonce: string, nowMs: number = Date.now()): boolean {
    for (const [key, expiry] of this.#seen) {
      if (expiry > nowMs) break; // insertion order = expiry order
      this.#seen.delete(key);
    }
    const key = `${accessKeyId}\u0000${nonce}`;
    if (this.#seen.has(key)) return false;
    this.#seen.set(key, nowMs + this.#ttlMs);
    return true;
  }

  /** Number of nonces currently remembered. */
  get size(): number {
    return this.#seen.size;
  }
}

// ---------------------------------------------------------------------------------------------
// Header access
// ---------------------------------------------------------------------------------------------

/** All values of a header, looked up case-insensitively (several keys and arrays are merged). */
function headerValues(headers: WireHeaders, name: string): string[] {
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
function headerValue(headers: WireHeaders, name: string): string | undefined {
  const values = headerValues(headers, name);
  return values.length === 0 ? undefined : values.join(',');
}

/** The headers V3 signs: `host`, `content-type` and every `x-acs-*` header. */
export function isV3SignedHeaderName(lowercaseName: string): boolean {
  return lowercaseName === 'host' || lowercaseName === 'content-type' || lowercaseName.startsWith('x-acs-');
}

// ---------------------------------------------------------------------------------------------
// V3: ACS3-HMAC-SHA256
// ---------------------------------------------------------------------------------------------

/**
 * V3 CanonicalQueryString: pairs sorted by name (UTF-16 code-unit order, like the SDK's
 * `Object.keys(query).sort()`; equal names by encoded value), each `name=percentEncode(value)`,
 * joined with `&`. As in the official runtime, **names are not encoded** (VpcPeer names are
 * `[A-Za-z0-9.]` only, where it makes no difference). An empty value gives `name=`.
 */
export function canonicalQueryStringV3(query: QueryPairs): string {
  const items = query.map(([name, value]) => [name, percentEncode(value)] as const);
  items.sort((a, b) => compareCodeUnits(a[0], b[0]) || compareCodeUnits(a[1], b[1]));
  return items.map(([name, value]) => `${name}=${value}`).join('&');
}

/**
 * V3 CanonicalURI: the path with `+`→`%20`, `*`→`%2A`, `%7E`→`~` (the SDK replaces the first
 * occurrence only; we replace all, which only differs on paths VpcPeer never uses).
 */
export function canonicalUriV3(path: string): string {
  return path.replaceAll('+', '%20').replaceAll('*', '%2A').replaceAll('%7E', '~');
}

/**
 * V3 CanonicalHeaders and SignedHeaders.
 * @param headers request headers, any case.
 * @param names which headers to include (lowercase). Default: every header the SDK signs
 *   (`host`, `content-type`, `x-acs-*`) present in `headers`.
 * @returns `canonicalHeaders`: one `name:value\n` line per name, sorted; the values of a name
 *   trimmed, sorted and joined with `,`. `signedHeaders`: the names joined with `;`.
 */
export function canonicalHeadersV3(
  headers: WireHeaders,
  names?: readonly string[],
): { canonicalHeaders: string; signedHeaders: string } {
  const wanted = new Set<string>();
  if (names === undefined) {
    for (const key of Object.keys(headers)) {
      const lower = key.toLowerCase();
      if (isV3SignedHeaderName(lower) && headerValues(headers, lower).length > 0) wanted.add(lower);
    }
  } else {
    for (const n of names) wanted.add(n.toLowerCase());
  }
  const sorted = [...wanted].sort(compareCodeUnits);
  let canonicalHeaders = '';
  for (const name of sorted) {
    const values = headerValues(headers, name).map((v) => v.trim()).sort(compareCodeUnits);
    canonicalHeaders += `${name}:${values.join(',')}\n`;
  }
  return { canonicalHeaders, signedHeaders: sorted.join(';') };
}

/** Input of {@link canonicalRequestV3}. */
export interface CanonicalRequestV3Input {
  readonly method: string;
  readonly path: string;
  readonly query: QueryPairs;
  readonly headers: WireHeaders;
  /** Lowercase hex SHA-256 of the body (the `x-acs-content-sha256` value). */
  readonly hashedPayload: string;
  /** Headers to sign (lowercase); default: all signable headers present. */
  readonly signedHeaders?: readonly string[];
}

/**
 * V3 CanonicalRequest:
 * `METHOD\nCanonicalURI\nCanonicalQueryString\nCanonicalHeaders\nSignedHeaders\nHashedPayload`
 * (CanonicalHeaders ends with `\n`, so an empty line precedes SignedHeaders).
 */
export function canonicalRequestV3(input: CanonicalRequestV3Input): string {
  const { canonicalHeaders, signedHeaders } = canonicalHeadersV3(input.headers, input.signedHeaders);
  return [
    input.method.toUpperCase(),
    canonicalUriV3(input.path),
    canonicalQueryStringV3(input.query),
    canonicalHeaders,
    signedHeaders,
    input.hashedPayload,
  ].join('\n');
}

/** V3 StringToSign: `ACS3-HMAC-SHA256\n` + hex(SHA-256(canonicalRequest)). */
export async function stringToSignV3(canonicalRequest: string): Promise<string> {
  return `${ACS3_HMAC_SHA256}\n${await sha256Hex(canonicalRequest)}`;
}

/** V3 signature: lowercase hex HMAC-SHA256(key = AccessKey secret, stringToSign). */
export async function signatureV3(stringToSign: string, accessKeySecret: string): Promise<string> {
  return hex(await hmac('SHA-256', accessKeySecret, stringToSign));
}

/** Input of {@link signV3}. */
export interface SignV3Input {
  /** HTTP method; sent and signed upper-cased. */
  readonly method: string;
  /** Host (and port, if not default) exactly as the `Host` header will carry it. */
  readonly host: string;
  /** Path, default `/`. */
  readonly path?: string;
  /** Query pairs that will be sent (decoded values). */
  readonly query?: QueryPairs;
  /** The caller's headers, e.g. `x-acs-action`, `x-acs-version`, `content-type`, `accept`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The exact body bytes that will be sent (form-encoded string for RPC). */
  readonly body?: WireBody;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** STS token: adds `x-acs-security-token` (and `x-acs-accesskey-id`, as the SDK does). */
  readonly securityToken?: string | undefined;
  /** `x-acs-date`: a Date, or a preformatted string used as is. Default: now. */
  readonly date?: Date | string;
  /** `x-acs-signature-nonce`. Default: `crypto.randomUUID()`. */
  readonly nonce?: string;
}

/**
 * Signs a request with ACS3-HMAC-SHA256 and returns the complete header set to send: the
 * caller's headers (names lower-cased) plus `host`, `x-acs-date`, `x-acs-signature-nonce`,
 * `x-acs-content-sha256`, with a token `x-acs-accesskey-id` and `x-acs-security-token`, and
 * `Authorization`. Every `host`/`content-type`/`x-acs-*` header is signed.
 *
 * In a browser, `fetch` refuses to set `host`; drop it, the browser sends the same value.
 * @throws TypeError if two caller headers differ only by case (a programming error).
 */
export async function signV3(input: SignV3Input): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    const lower = name.toLowerCase();
    if (lower === 'authorization') continue;
    if (Object.hasOwn(headers, lower)) throw new TypeError(`header ${lower} is given twice`);
    headers[lower] = value;
  }
  headers['host'] = input.host;
  headers['x-acs-date'] = typeof input.date === 'string' ? input.date : formatAcsDate(input.date ?? new Date());
  headers['x-acs-signature-nonce'] = input.nonce ?? randomNonce();
  const hashedPayload = await sha256Hex(input.body ?? '');
  headers['x-acs-content-sha256'] = hashedPayload;
  if (input.securityToken !== undefined && input.securityToken !== '') {
    headers['x-acs-accesskey-id'] = input.accessKeyId;
    headers['x-acs-security-token'] = input.securityToken;
  } else {
    delete headers['x-acs-accesskey-id'];
    delete headers['x-acs-security-token'];
  }
  const canonical = canonicalRequestV3({
    method: input.method,
    path: input.path ?? '/',
    query: input.query ?? [],
    headers,
    hashedPayload,
  });
  const { signedHeaders } = canonicalHeadersV3(headers);
  const signature = await signatureV3(await stringToSignV3(canonical), input.accessKeySecret);
  headers['Authorization'] = `${ACS3_HMAC_SHA256} Credential=${input.accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`;
  return headers;
}

const HEADER_TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

function incomplete(detail: string): IncompleteSignatureError {
  return { ok: false, reason: 'IncompleteSignature', detail };
}

/**
 * Parses `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<a;b;…>,Signature=<hex>` (spaces
 * after commas tolerated, fields in any order, each exactly once). Never throws: anything
 * else (missing, empty, other scheme, missing/duplicate/unknown field, bad names, non-hex
 * signature) gives an `IncompleteSignature` error value.
 */
export function parseV3Authorization(header: string | null | undefined): ParsedV3Authorization | IncompleteSignatureError {
  if (typeof header !== 'string' || header.trim() === '') return incomplete('missing Authorization header');
  const text = header.trim();
  const space = text.indexOf(' ');
  const scheme = space < 0 ? text : text.slice(0, space);
  if (scheme !== ACS3_HMAC_SHA256) {
    return incomplete(`unsupported Authorization scheme (expected ${ACS3_HMAC_SHA256})`);
  }
  const fields = new Map<string, string>();
  for (const part of text.slice(space + 1).split(',')) {
    const item = part.trim();
    const eq = item.indexOf('=');
    if (eq <= 0) return incomplete('malformed Authorization header');
    const key = item.slice(0, eq);
    if (key !== 'Credential' && key !== 'SignedHeaders' && key !== 'Signature') {
      return incomplete(`unknown Authorization field ${JSON.stringify(key.slice(0, 40))}`);
    }
    if (fields.has(key)) return incomplete(`duplicate Authorization field ${key}`);
    fields.set(key, item.slice(eq + 1).trim());
  }
  const accessKeyId = fields.get('Credential');
  const signedHeadersText = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!accessKeyId) return incomplete('Authorization has no Credential');
  if (!signedHeadersText) return incomplete('Authorization has no SignedHeaders');
  if (!signature) return incomplete('Authorization has no Signature');
  const signedHeaders = signedHeadersText.split(';');
  for (const name of signedHeaders) {
    if (!HEADER_TOKEN.test(name)) return incomplete('SignedHeaders contains an invalid header name');
  }
  if (!/^[0-9a-fA-F]+$/.test(signature)) return incomplete('Signature is not hexadecimal');
  return { ok: true, algorithm: ACS3_HMAC_SHA256, accessKeyId, signedHeaders, signature: signature.toLowerCase() };
}

/** Headers a V3 request must carry and sign. */
const V3_REQUIRED_HEADERS = ['host', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256'] as const;

/** Structural checks of a V3 request; returns the parsed Authorization or the first problem. */
function checkV3Structure(request: RawWireRequest): ParsedV3Authorization | IncompleteSignatureError {
  const auth = parseV3Authorization(headerValue(request.headers, 'authorization'));
  if (!auth.ok) return auth;
  const signed = new Set(auth.signedHeaders);
  for (const name of V3_REQUIRED_HEADERS) {
    if (headerValue(request.headers, name) === undefined) return incomplete(`missing header ${name}`);
    if (!signed.has(name)) return incomplete(`header ${name} is not in SignedHeaders`);
  }
  for (const name of signed) {
    if (headerValue(request.headers, name) === undefined) return incomplete(`signed header ${name} is not in the request`);
  }
  for (const key of Object.keys(request.headers)) {
    const lower = key.toLowerCase();
    if (isV3SignedHeaderName(lower) && headerValues(request.headers, lower).length > 0 && !signed.has(lower)) {
      return incomplete(`header ${lower} is not in SignedHeaders`);
    }
  }
  return auth;
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
    const claimedHash = (headerValue(request.headers, 'x-acs-content-sha256') ?? '').trim();
    const actualHash = await sha256Hex(request.body ?? '');
    if (!timingSafeEqual(claimedHash.toLowerCase(), actualHash)) {
      return { ok: false, reason: 'SignatureDoesNotMatch', detail: 'x-acs-content-sha256 is not the SHA-256 of the body' };
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
      return { ok: false, reason: 'SignatureDoesNotMatch', detail: 'signature does not match', stringToSign, canonicalRequest };
    }
    return { ok: true };
  } catch {
    return incomplete('malformed request');
  }
}

// ---------------------------------------------------------------------------------------------
// V1: HMAC-SHA1
// ---------------------------------------------------------------------------------------------

/**
 * Decodes an `application/x-www-form-urlencoded` body into pairs (WHATWG rules: `+` is a
 * space, bad `%` sequences stay literal, bad UTF-8 becomes U+FFFD). Never throws.
 */
export function decodeFormBody(body: WireBody | undefined): Array<[string, string]> {
  const text = bodyText(body);
  if (text === '') return [];
  return [...new URLSearchParams(text)];
}

/**
 * The V1 parameter set: query pairs then body pairs; a later pair with the same name replaces an
 * earlier one (the SDK builds `{...query, ...body}`). `Signature` is dropped.
 */
function mergeV1Params(query: QueryPairs, bodyPairs: QueryPairs): Map<string, string> {
  const params = new Map<string, string>();
  for (const [name, value] of [...query, ...bodyPairs]) {
    if (name !== 'Signature') params.set(name, value);
  }
  return params;
}

/**
 * V1 CanonicalizedQueryString of a parameter set: sorted by name (UTF-16 code-unit order of the
 * raw names, as the SDK's `normalize` does), each `percentEncode(name)=percentEncode(value)`,
 * joined with `&`. Names given twice: the last value wins. `Signature` is ignored.
 */
export function canonicalizedQueryV1(params: QueryPairs): string {
  const merged = mergeV1Params(params, []);
  return [...merged.keys()]
    .sort(compareCodeUnits)
    .map((name) => `${percentEncode(name)}=${percentEncode(merged.get(name) ?? '')}`)
    .join('&');
}

/**
 * V1 StringToSign: `METHOD&%2F&percentEncode(CanonicalizedQueryString)`.
 * @param params every signed parameter: the query pairs followed by the decoded form-body pairs.
 */
export function stringToSignV1(method: string, params: QueryPairs): string {
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonicalizedQueryV1(params))}`;
}

/** V1 signature: Base64(HMAC-SHA1(key = AccessKey secret + `&`, stringToSign)). */
export async function signatureV1(stringToSign: string, accessKeySecret: string): Promise<string> {
  return base64(await hmac('SHA-1', `${accessKeySecret}&`, stringToSign));
}

/** Input of {@link signV1}. */
export interface SignV1Input {
  /** HTTP method; signed upper-cased. */
  readonly method: string;
  /** The query pairs to send, including `Action`, `Version`, `Format` and any query params. */
  readonly query: QueryPairs;
  /** The form-encoded body that will be sent, if any; its parameters are signed too. */
  readonly body?: WireBody | undefined;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** STS token: adds the `SecurityToken` query parameter. */
  readonly securityToken?: string | undefined;
  /** `Timestamp`: a Date, or a preformatted string used as is. Default: now. */
  readonly timestamp?: Date | string;
  /** `SignatureNonce`. Default: `crypto.randomUUID()`. */
  readonly nonce?: string;
}

/**
 * Signs a request with V1 HMAC-SHA1 and returns the query pairs to send: the caller's pairs,
 * then `AccessKeyId`, `SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0`, `SignatureNonce`,
 * `Timestamp`, `SecurityToken` (with a token) and `Signature`. The body is sent unchanged.
 * @throws TypeError if the query already holds one of {@link V1_SIGNING_PARAMETERS}.
 */
export async function signV1(input: SignV1Input): Promise<Array<[string, string]>> {
  for (const [name] of input.query) {
    if (V1_SIGNING_PARAMETERS.includes(name)) throw new TypeError(`query already contains ${name}`);
  }
  const query: Array<[string, string]> = input.query.map(([n, v]) => [n, v]);
  query.push(['AccessKeyId', input.accessKeyId]);
  query.push(['SignatureMethod', 'HMAC-SHA1']);
  query.push(['SignatureVersion', '1.0']);
  query.push(['SignatureNonce', input.nonce ?? randomNonce()]);
  query.push([
    'Timestamp',
    typeof input.timestamp === 'string' ? input.timestamp : formatAcsDate(input.timestamp ?? new Date()),
  ]);
  if (input.securityToken !== undefined && input.securityToken !== '') query.push(['SecurityToken', input.securityToken]);
  const stringToSign = stringToSignV1(input.method, [...query, ...decodeFormBody(input.body)]);
  query.push(['Signature', await signatureV1(stringToSign, input.accessKeySecret)]);
  return query;
}

/** Whether a request body is form-encoded (or untyped but present), so its params are signed in V1. */
function hasFormBody(request: RawWireRequest): boolean {
  if (bodyText(request.body) === '') return false;
  const type = headerValue(request.headers, 'content-type');
  return type === undefined || type.trim().toLowerCase().startsWith('application/x-www-form-urlencoded');
}

function duplicateName(pairs: QueryPairs): string | undefined {
  const seen = new Set<string>();
  for (const [name] of pairs) {
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}

/** The V1 parameter set of a received request, or the first structural problem. */
function v1Params(request: RawWireRequest): Map<string, string> | IncompleteSignatureError {
  const bodyPairs = hasFormBody(request) ? decodeFormBody(request.body) : [];
  const dupQuery = duplicateName(request.query);
  if (dupQuery !== undefined) return incomplete(`parameter ${JSON.stringify(dupQuery.slice(0, 64))} appears twice in the query`);
  const dupBody = duplicateName(bodyPairs);
  if (dupBody !== undefined) return incomplete(`parameter ${JSON.stringify(dupBody.slice(0, 64))} appears twice in the body`);
  const params = mergeV1Params(request.query, bodyPairs);
  for (const name of ['AccessKeyId', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'Timestamp']) {
    if (!params.get(name)) return incomplete(`missing parameter ${name}`);
  }
  if (params.get('SignatureMethod') !== 'HMAC-SHA1') return incomplete('unsupported SignatureMethod (expected HMAC-SHA1)');
  if (params.get('SignatureVersion') !== '1.0') return incomplete('unsupported SignatureVersion (expected 1.0)');
  return params;
}

/** The `Signature` a V1 request carries (query first, else body). */
function v1Signature(request: RawWireRequest): string | undefined {
  for (const [name, value] of request.query) if (name === 'Signature') return value;
  if (hasFormBody(request)) for (const [name, value] of decodeFormBody(request.body)) if (name === 'Signature') return value;
  return undefined;
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
    if (!signature) return incomplete('missing parameter Signature');
    const params = v1Params(request);
    if (!(params instanceof Map)) return params;
    const stringToSign = stringToSignV1(request.method, [...params]);
    const expected = await signatureV1(stringToSign, accessKeySecret);
    if (!timingSafeEqual(expected, signature)) {
      return { ok: false, reason: 'SignatureDoesNotMatch', detail: 'signature does not match', stringToSign };
    }
    return { ok: true };
  } catch {
    return incomplete('malformed request');
  }
}

// ---------------------------------------------------------------------------------------------
// Server entry points
// ---------------------------------------------------------------------------------------------

function isWireRequest(request: unknown): request is RawWireRequest {
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
    if (version === undefined) return incomplete('request is not signed (no Authorization header, no Signature parameter)');
    if (version === 'V3') {
      const auth = checkV3Structure(request);
      if (!auth.ok) return auth;
      const token = headerValue(request.headers, 'x-acs-security-token');
      return {
        ok: true,
        version,
        accessKeyId: auth.accessKeyId,
        nonce: headerValue(request.headers, 'x-acs-signature-nonce') ?? '',
        timestamp: headerValue(request.headers, 'x-acs-date') ?? '',
        ...(token !== undefined && token !== '' ? { securityToken: token } : {}),
      };
    }
    const params = v1Params(request);
    if (!(params instanceof Map)) return params;
    const token = params.get('SecurityToken');
    return {
      ok: true,
      version,
      accessKeyId: params.get('AccessKeyId') ?? '',
      nonce: params.get('SignatureNonce') ?? '',
      timestamp: params.get('Timestamp') ?? '',
      ...(token !== undefined && token !== '' ? { securityToken: token } : {}),
    };
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
  return incomplete('request is not signed (no Authorization header, no Signature parameter)');
}
