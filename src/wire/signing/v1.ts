/**
 * V1 signing, `HMAC-SHA1` (the SDK with `signatureAlgorithm: 'v2'`, `doRPCRequest` +
 * `OpenApiUtil.getRPCSignature` of @alicloud/openapi-util 0.3.3): every parameter of the query
 * *and* of the form body is signed, and the result travels as the `Signature` query parameter.
 * Signing, the canonical pieces, and the structural checks of a received request. Browser-safe.
 */
import { V1, V1_REQUIRED, V1_SIGNING_PARAMETERS } from './names.ts';
import { randomNonce } from './nonce.ts';
import {
  base64,
  bodyText,
  compareCodeUnits,
  headerValue,
  hmac,
  incomplete,
  percentEncode,
  type IncompleteSignatureError,
  type QueryPairs,
  type RawWireRequest,
  type WireBody,
} from './primitives.ts';
import { formatAcsDate } from './time.ts';

export { V1_SIGNING_PARAMETERS } from './names.ts';

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
    if (name !== V1.signature) params.set(name, value);
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
  query.push([V1.accessKeyId, input.accessKeyId]);
  query.push([V1.signatureMethod, V1.methodValue]);
  query.push([V1.signatureVersion, V1.versionValue]);
  query.push([V1.nonce, input.nonce ?? randomNonce()]);
  query.push([
    V1.timestamp,
    typeof input.timestamp === 'string' ? input.timestamp : formatAcsDate(input.timestamp ?? new Date()),
  ]);
  if (input.securityToken !== undefined && input.securityToken !== '') query.push([V1.securityToken, input.securityToken]);
  const stringToSign = stringToSignV1(input.method, [...query, ...decodeFormBody(input.body)]);
  query.push([V1.signature, await signatureV1(stringToSign, input.accessKeySecret)]);
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
export function checkV1Structure(request: RawWireRequest): Map<string, string> | IncompleteSignatureError {
  const bodyPairs = hasFormBody(request) ? decodeFormBody(request.body) : [];
  const dupQuery = duplicateName(request.query);
  if (dupQuery !== undefined) return incomplete(`parameter ${JSON.stringify(dupQuery.slice(0, 64))} appears twice in the query`);
  const dupBody = duplicateName(bodyPairs);
  if (dupBody !== undefined) return incomplete(`parameter ${JSON.stringify(dupBody.slice(0, 64))} appears twice in the body`);
  const params = mergeV1Params(request.query, bodyPairs);
  const missing = V1_REQUIRED.filter((name) => !params.get(name));
  if (missing.length > 0) return incomplete(`missing parameter${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  if (params.get(V1.signatureMethod) !== V1.methodValue) return incomplete(`unsupported ${V1.signatureMethod} (expected ${V1.methodValue})`);
  if (params.get(V1.signatureVersion) !== V1.versionValue) return incomplete(`unsupported ${V1.signatureVersion} (expected ${V1.versionValue})`);
  return params;
}

/** The `Signature` a V1 request carries (query first, else body). */
export function v1Signature(request: RawWireRequest): string | undefined {
  for (const [name, value] of request.query) if (name === V1.signature) return value;
  if (hasFormBody(request)) for (const [name, value] of decodeFormBody(request.body)) if (name === V1.signature) return value;
  return undefined;
}
