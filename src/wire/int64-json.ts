/**
 * JSON with exact int64 fields, both directions, for every part that reads or writes answers:
 * account IDs (`format: int64`, `contract.int64Fields`) can exceed 2^53, where `JSON.parse`
 * and a JS `number` silently round them (253460731706911263 would read as …264).
 *
 * - {@link parseAnswer} (the client): parsed with `lossless-json` (maintained, dependency-free,
 *   browser-safe), keeping every number as its source text; every int64 field becomes a
 *   `string` holding that exact text, every other number a JS `number` as `JSON.parse` gives it.
 * - {@link stringifyAnswer} (servers): values hold int64 fields as decimal strings; after the
 *   native `JSON.stringify`, those fields are written back as bare JSON numbers. The match needs
 *   an unescaped `"Key":"digits"` right after `{` or `,`, which a string value can never contain
 *   (its quotes are escaped), so user text is never rewritten.
 *
 * Browser-safe: no Node imports.
 */
import { isLosslessNumber, parse } from 'lossless-json';
import type { Contract } from '../contract/model.ts';

/** The int64 field names of a contract (kept for the client's public API; same as `contract.int64Fields`). */
export function int64FieldNames(contract: Pick<Contract, 'int64Fields'>): ReadonlySet<string> {
  return contract.int64Fields;
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

const WRITERS = new WeakMap<ReadonlySet<string>, (text: string) => string>();

function writerFor(int64Fields: ReadonlySet<string>): (text: string) => string {
  let writer = WRITERS.get(int64Fields);
  if (!writer) {
    const names = [...int64Fields].map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    if (names.length === 0) {
      writer = (text) => text;
    } else {
      const pattern = new RegExp(`([{,])"(${names.join('|')})":"(-?\\d{1,20})"`, 'g');
      writer = (text) => text.replace(pattern, (_match, lead: string, key: string, digits: string) => `${lead}"${key}":${digits}`);
    }
    WRITERS.set(int64Fields, writer);
  }
  return writer;
}

/** `JSON.stringify`, with int64 fields held as decimal strings written as exact JSON numbers. */
export function stringifyAnswer(value: unknown, int64Fields: ReadonlySet<string>): string {
  return writerFor(int64Fields)(JSON.stringify(value));
}
