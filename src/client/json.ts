/**
 * Lossless JSON for answers: account IDs (`format: int64`) can exceed 2^53 and `JSON.parse`
 * would silently round them (253460731706911260 → 253460731706911260 becomes …264).
 *
 * Choice: answers are parsed with `lossless-json` (a maintained, dependency-free, browser-safe
 * parser) keeping every number as its source text; then every field the contract types
 * `format: int64` becomes a `string` holding that exact text, and every other number becomes a
 * JS `number` as `JSON.parse` would give it. Strings are JSON-serialisable, display as is and
 * go back into requests unchanged; use `BigInt(value)` for arithmetic.
 */
import { isLosslessNumber, parse } from 'lossless-json';

import type { Contract } from '../contract/model.ts';

/** Names of every property the contract types `format: int64` (the model's, as a new Set). */
export function int64FieldNames(contract: Contract): Set<string> {
  return new Set(contract.int64Fields);
}

/** A number as it appeared in the JSON text. */
class RawNumber {
  constructor(readonly text: string) {}
}

/**
 * Parses an answer body without losing precision: `int64Fields` become exact decimal strings,
 * other numbers plain numbers. Throws a SyntaxError on text that is not JSON.
 */
export function parseAnswer(text: string, int64Fields: ReadonlySet<string>): unknown {
  const raw = parse(text, null, (value: string) => new RawNumber(value));
  const convert = (node: unknown, key: string | undefined): unknown => {
    if (node instanceof RawNumber) {
      return key !== undefined && int64Fields.has(key) ? normaliseInteger(node.text) : Number(node.text);
    }
    if (isLosslessNumber(node)) return Number(node.value);
    if (Array.isArray(node)) return node.map((item) => convert(item, key));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) out[k] = convert(v, k);
      return out;
    }
    return node;
  };
  return convert(raw, undefined);
}

/** `"1.2e3"` stays as sent; integers lose only a redundant `+`/leading zeros. */
function normaliseInteger(text: string): string {
  return /^-?\d+$/.test(text) ? text.replace(/^(-?)0+(?=\d)/, '$1') : text;
}
