/**
 * V3 signing, `ACS3-HMAC-SHA256` (the SDK default, `doRequest` + `OpenApiUtil.getAuthorization`
 * of @alicloud/openapi-util 0.3.3): a canonical request over method, path, query, the
 * `host`/`content-type`/`x-acs-*` headers and the SHA-256 of the body, signed into an
 * `Authorization` header. Signing, the canonical pieces, and the structural checks of a received
 * `Authorization`. Browser-safe.
 */
import { V3, V3_REQUIRED_HEADERS } from './names.ts';
import { randomNonce } from './nonce.ts';
import {
  compareCodeUnits,
  headerValue,
  headerValues,
  hex,
  hmac,
  incomplete,
  percentEncode,
  sha256Hex,
  type IncompleteSignatureError,
  type QueryPairs,
  type RawWireRequest,
  type WireBody,
  type WireHeaders,
} from './primitives.ts';
import { formatAcsDate } from './time.ts';

/** The V3 algorithm name used in `Authorization` and in the string to sign. */
export const ACS3_HMAC_SHA256 = 'ACS3-HMAC-SHA256';

/** Lowercase hex SHA-256 of the empty body (the `x-acs-content-sha256` of a body-less request). */
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

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

/** The headers V3 signs: `host`, `content-type` and every `x-acs-*` header. */
export function isV3SignedHeaderName(lowercaseName: string): boolean {
  return lowercaseName === 'host' || lowercaseName === 'content-type' || lowercaseName.startsWith('x-acs-');
}

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
  headers[V3.date] = typeof input.date === 'string' ? input.date : formatAcsDate(input.date ?? new Date());
  headers[V3.nonce] = input.nonce ?? randomNonce();
  const hashedPayload = await sha256Hex(input.body ?? '');
  headers[V3.contentSha256] = hashedPayload;
  if (input.securityToken !== undefined && input.securityToken !== '') {
    headers[V3.accessKeyId] = input.accessKeyId;
    headers[V3.securityToken] = input.securityToken;
  } else {
    delete headers[V3.accessKeyId];
    delete headers[V3.securityToken];
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

/** Structural checks of a V3 request; returns the parsed Authorization or the first problem. */
export function checkV3Structure(request: RawWireRequest): ParsedV3Authorization | IncompleteSignatureError {
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

