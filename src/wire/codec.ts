/**
 * The Alibaba RPC wire codec, shared by the client (encode), the docs' example requests (encode)
 * and the servers (decode), so all of them agree on the wire format:
 *
 * - scalars travel as text: booleans `true`/`false`, integers in decimal (int64 kept exact, and
 *   refused outside the bounds the contract gives, compared exactly);
 * - `x-acs-style: repeatList` lists are flattened with 1-based indexes: `ResourceId.1=…`,
 *   `Tag.1.Key=…&Tag.1.Value=…`;
 * - `x-acs-style: simple` lists are joined with commas: `VpcId=vpc-a,vpc-b` (the older
 *   `VpcId.1=…` form is accepted on decode);
 * - each parameter goes where the contract places it (query or form body); GET puts everything
 *   in the query. Servers accept any parameter in either place, as the real gateway does (but not
 *   in both: the router refuses that);
 * - {@link formEncode} writes the bytes that are sent, byte for byte as the official runtime
 *   does (`querystring.stringify` in @alicloud/tea-typescript and tea-util's `toFormString`).
 *
 * Browser-safe: no Node imports.
 */
import type { OperationSpec, ParameterSpec } from '../contract/model.ts';
import type { WireParameter } from '../contract/wire-facts.ts';
import type { WireCode } from './errors.ts';

/** What encoding needs of an operation: an {@link OperationSpec}, or the client's wire facts. */
export interface EncodableOperation {
  readonly action: string;
  readonly parameters: readonly WireParameter[];
  readonly byName: { has(name: string): boolean };
}
/** Ordered name/value pairs, already percent-decoded. */
export type WirePairs = Array<[string, string]>;

export interface EncodedParams {
  query: WirePairs;
  body: WirePairs;
}

/** A parameter problem found while decoding, in Alibaba terms. */
export interface ParameterProblem {
  code: Extract<WireCode, 'MissingParameter' | 'InvalidParameter'>;
  /** Wire name of the parameter, e.g. `Bandwidth`, `Tag.2.Key`. */
  parameter: string;
  /** Sentence explaining the rule that was broken (empty for MissingParameter). */
  reason: string;
}

export interface DecodedParams {
  /** Logical parameters, e.g. `{ Tag: [{ Key: 'env', Value: 'dev' }], Bandwidth: 100 }`. */
  params: Record<string, unknown>;
  /** Exact decimal text of every integer, by wire name: int64 IDs can exceed 2^53. */
  exactIntegers: Map<string, string>;
}

function scalarToWire(name: string, value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${name} must be a finite number`);
      if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
        throw new TypeError(`${name} exceeds 2^53; pass it as a string or a bigint to keep it exact`);
      }
      return String(value);
    default:
      throw new TypeError(`${name} must be a string, number, boolean or bigint, got ${typeof value}`);
  }
}

function encodeOne(spec: WireParameter, value: unknown, out: WirePairs): void {
  if (value === undefined || value === null) return;
  if (!spec.listStyle) {
    const text = scalarToWire(spec.name, value);
    // Only what int64 itself cannot carry is refused here; a value the schema forbids (below its
    // minimum) is sent, so the server's answer to it can be tested (the conformance checker's
    // negative tests do) and the caller gets the service's own InvalidParameter.
    if (spec.schema?.format === 'int64' && /^-?\d+$/.test(text) && (BigInt(text) < INT64_MIN || BigInt(text) > INT64_MAX)) {
      throw new RangeError(`${spec.name} must be an int64 (from ${INT64_MIN} to ${INT64_MAX}), got ${text}`);
    }
    out.push([spec.name, text]);
    return;
  }
  if (!Array.isArray(value)) throw new TypeError(`${spec.name} must be an array`);
  if (spec.listStyle === 'simple') {
    out.push([spec.name, value.map((v, i) => scalarToWire(`${spec.name}[${i}]`, v)).join(',')]);
    return;
  }
  value.forEach((item, i) => {
    const base = `${spec.name}.${i + 1}`;
    if (spec.itemFields) {
      if (item === null || typeof item !== 'object') throw new TypeError(`${base} must be an object`);
      for (const field of spec.itemFields) {
        const v = (item as Record<string, unknown>)[field];
        if (v !== undefined && v !== null) out.push([`${base}.${field}`, scalarToWire(`${base}.${field}`, v)]);
      }
      for (const key of Object.keys(item as object)) {
        if (!spec.itemFields.includes(key)) throw new TypeError(`${base} has unknown field ${key}`);
      }
    } else {
      out.push([base, scalarToWire(base, item)]);
    }
  });
}

/**
 * Turns logical parameters into wire pairs placed as the contract says (POST), or all in the
 * query (GET). Unknown names are a programming error and throw a TypeError naming them.
 */
export function encodeParams(
  op: EncodableOperation,
  params: Record<string, unknown>,
  method: 'POST' | 'GET' = 'POST',
): EncodedParams {
  const query: WirePairs = [];
  const body: WirePairs = [];
  for (const name of Object.keys(params)) {
    if (!op.byName.has(name)) throw new TypeError(`${op.action} has no parameter named ${name}`);
  }
  for (const spec of op.parameters) {
    if (spec.placement === 'header') continue;
    const target = method === 'GET' || spec.placement === 'query' ? query : body;
    encodeOne(spec, params[spec.name], target);
  }
  return { query, body };
}

/**
 * One name or value as the official Node runtime writes it in a query string or form body:
 * `encodeURIComponent`, which is what Node's `querystring.escape` does for well-formed text, so
 * space is `%20` and `A-Z a-z 0-9 - _ . ! ~ * ' ( )` stay as they are. (The signatures use the
 * stricter RFC 3986 encoding of src/wire/signing/primitives.ts, over decoded values.) A lone
 * UTF-16 surrogate throws a URIError, as in the runtime.
 */
export function formEncodeComponent(text: string): string {
  return encodeURIComponent(text);
}

/** Wire pairs to `name=value&…`: the exact query string or form body the client sends. */
export function formEncode(pairs: WirePairs): string {
  return pairs.map(([k, v]) => `${formEncodeComponent(k)}=${formEncodeComponent(v)}`).join('&');
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Exact bounds of an int64 parameter: its schema's minimum/maximum, within the int64 range. */
export function int64Bounds(schema: Record<string, unknown>): { min: bigint; max: bigint } | undefined {
  if (schema.format !== 'int64') return undefined;
  // A bound near 2^63 arrives as a double (9223372036854775807 reads as 2^63): clamp to int64.
  const bound = (value: unknown, fallback: bigint, pick: (a: bigint, b: bigint) => bigint) =>
    typeof value === 'number' && Number.isFinite(value) ? pick(BigInt(Math.trunc(value)), fallback) : fallback;
  return {
    min: bound(schema.minimum, INT64_MIN, (a, b) => (a > b ? a : b)),
    max: bound(schema.maximum, INT64_MAX, (a, b) => (a < b ? a : b)),
  };
}

const INDEXED = /^([A-Za-z][A-Za-z0-9]*)\.(\d+)(?:\.([A-Za-z][A-Za-z0-9]*))?$/;
const INTEGER = /^-?\d{1,20}$/;

function coerce(
  wireName: string,
  text: string,
  type: ParameterSpec['scalarType'],
  exact: Map<string, string>,
  bounds?: { min: bigint; max: bigint },
): unknown {
  if (type === 'integer') {
    if (!INTEGER.test(text)) return { problem: `It must be a whole number, got "${text}".` };
    if (bounds) {
      const value = BigInt(text);
      if (value < bounds.min || value > bounds.max) return { problem: `It must be from ${bounds.min} to ${bounds.max}, got "${text}".` };
    }
    exact.set(wireName, text.replace(/^(-?)0+(?=\d)/, '$1'));
    return Number(text);
  }
  if (type === 'number') {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) return { problem: `It must be a number, got "${text}".` };
    return n;
  }
  if (type === 'boolean') {
    if (/^true$/i.test(text)) return true;
    if (/^false$/i.test(text)) return false;
    return { problem: `It must be true or false, got "${text}".` };
  }
  return text;
}

function isProblem(v: unknown): v is { problem: string } {
  return v !== null && typeof v === 'object' && 'problem' in (v as object);
}

/**
 * Rebuilds logical parameters from wire pairs (query and body merged, later pairs win). Names
 * are case-sensitive; unknown names are ignored, as the real service ignores them. Returns the
 * first problem in document order, or the decoded parameters.
 */
export function decodeParams(
  op: OperationSpec,
  pairs: WirePairs,
): { ok: true; value: DecodedParams } | { ok: false; problem: ParameterProblem } {
  const scalars = new Map<string, string>();
  // list name → index → field ('' for scalar items) → text
  const lists = new Map<string, Map<number, Map<string, string>>>();
  const invalid = (parameter: string, reason: string) =>
    ({ ok: false, problem: { code: 'InvalidParameter', parameter, reason } }) as const;

  for (const [key, text] of pairs) {
    const direct = op.byName.get(key);
    if (direct) {
      if (direct.listStyle === 'repeatList') {
        return invalid(key, `It is a list and must be sent as ${key}.1${direct.itemFields ? '.Key' : ''}, ${key}.2${direct.itemFields ? '.Key' : ''} and so on.`);
      }
      scalars.set(key, text);
      continue;
    }
    const m = INDEXED.exec(key);
    if (!m) continue;
    const [, base, indexText, field] = m;
    const spec = op.byName.get(base!);
    if (!spec?.listStyle) continue;
    const index = Number(indexText);
    if (index < 1 || index > 1000 || indexText!.startsWith('0')) {
      return invalid(key, 'List indexes start at 1 and have no leading zeros.');
    }
    if (spec.itemFields ? !field || !spec.itemFields.includes(field) : field !== undefined) continue;
    let items = lists.get(base!);
    if (!items) lists.set(base!, (items = new Map()));
    let item = items.get(index);
    if (!item) items.set(index, (item = new Map()));
    item.set(field ?? '', text);
  }

  const params: Record<string, unknown> = {};
  const exactIntegers = new Map<string, string>();
  for (const spec of op.parameters) {
    if (spec.placement === 'header') continue;
    if (!spec.listStyle) {
      const text = scalars.get(spec.name);
      if (text === undefined) continue;
      const value = coerce(spec.name, text, spec.scalarType, exactIntegers, int64Bounds(spec.schema));
      if (isProblem(value)) return invalid(spec.name, value.problem);
      params[spec.name] = value;
      continue;
    }
    if (spec.listStyle === 'simple' && scalars.has(spec.name)) {
      const parts = scalars.get(spec.name)!.split(',');
      const values: unknown[] = [];
      for (const [i, part] of parts.entries()) {
        const value = coerce(`${spec.name}.${i + 1}`, part, spec.scalarType, exactIntegers);
        if (isProblem(value)) return invalid(spec.name, value.problem);
        values.push(value);
      }
      params[spec.name] = values;
      continue;
    }
    const items = lists.get(spec.name);
    if (!items) continue;
    const values: unknown[] = [];
    for (const [position, [, item]] of [...items.entries()].sort((a, b) => a[0] - b[0]).entries()) {
      const wireBase = `${spec.name}.${position + 1}`;
      if (!spec.itemFields) {
        const value = coerce(wireBase, item.get('')!, spec.scalarType, exactIntegers);
        if (isProblem(value)) return invalid(wireBase, value.problem);
        values.push(value);
        continue;
      }
      const obj: Record<string, unknown> = {};
      for (const field of spec.itemFields) {
        const text = item.get(field);
        if (text !== undefined) obj[field] = text;
      }
      values.push(obj);
    }
    params[spec.name] = values;
  }
  return { ok: true, value: { params, exactIntegers } };
}
