/**
 * Negative tests generated from the contract: for every parameter constraint (required, type,
 * enum, length, pattern, range, list size, item constraints, at-least-one-of, and the per-Action
 * codes of `x-acs-violation-codes`) one request that breaks only that constraint, with the code
 * and status the contract documents for it (computed by the contract's own request validator).
 *
 * Safe by construction: the base request is the contract's example (IDs that do not exist on
 * any account) with DryRun=true where the Action takes it, so an endpoint that forgets a check
 * still cannot change anything. DryRun itself is never broken (a malformed flag might be read
 * as false), nor are IDs replaced by real ones.
 */
import { exampleParams, type JsonSchema, type ParameterSpec } from '../contract/model.ts';
import { contract } from '../contract/index.ts';
import { validators } from './check.ts';
import { takesDryRun, takesClientToken, operation } from './facts.ts';
import type { NegativeMode } from './options.ts';

export interface NegativeCase {
  action: string;
  /** `<parameter> <keyword>` (and a variant number in `all` mode). */
  constraint: string;
  parameter: string;
  keyword: string;
  params: Record<string, unknown>;
  code: string;
  status: number;
}

/** A constraint the generator knows but does not send, and why. */
export interface SkippedConstraint {
  action: string;
  constraint: string;
  reason: string;
}

const PATTERN_CANDIDATES = ['http://example.com', 'acs:x', 'aliyunx', '1abc', '-x', 'a b', '!!', 'x', 'ABC'];

/** Values that break one keyword of a scalar schema; `[]` when the keyword cannot be broken on the wire. */
function breakers(schema: JsonSchema, keyword: string): unknown[] {
  const s = schema as Record<string, unknown>;
  switch (keyword) {
    case 'type':
      if (s.type === 'integer') return ['abc', '1.5'];
      if (s.type === 'boolean') return ['maybe', '2'];
      return [];
    case 'enum': {
      const values = (s.enum as unknown[]).map(String);
      const lower = values[0]!.toLowerCase() === values[0] ? values[0]!.toUpperCase() : values[0]!.toLowerCase();
      return ['NotADocumentedValue', ...(values.includes(lower) ? [] : [lower])];
    }
    case 'minLength':
      // An empty value is indistinguishable from an absent one on the wire.
      return (s.minLength as number) > 1 ? ['a'.repeat((s.minLength as number) - 1)] : [];
    case 'maxLength':
      return ['a'.repeat((s.maxLength as number) + 1)];
    case 'pattern': {
      const re = new RegExp(s.pattern as string, 'u');
      return PATTERN_CANDIDATES.map((c) => (c.length < ((s.minLength as number | undefined) ?? 0) ? c.padEnd(s.minLength as number, 'a') : c)).filter((c) => !re.test(c) && c.length <= ((s.maxLength as number | undefined) ?? Infinity)).slice(0, 3);
    }
    case 'minimum':
      return [(s.minimum as number) - 1];
    case 'maximum':
      return [(s.maximum as number) + 1];
    default:
      return [];
  }
}

const unbreakable = (keyword: string) =>
  keyword === 'minLength' ? 'not sent: an empty value cannot be told from an absent one on the wire' : `not sent: no generated value breaks this ${keyword} alone`;

const SCALAR_KEYWORDS = ['type', 'enum', 'minLength', 'maxLength', 'pattern', 'minimum', 'maximum'];

function keywordsOf(schema: JsonSchema): string[] {
  return SCALAR_KEYWORDS.filter((k) => (k === 'type' ? schema.type === 'integer' || schema.type === 'boolean' : schema[k] !== undefined));
}

/** The base request: the contract's example, the region under test, DryRun=true where taken. */
export function negativeBase(action: string, regionId: string | undefined, clientToken: () => string): Record<string, unknown> {
  const op = operation(action);
  const params = exampleParams(contract, action);
  if (regionId !== undefined && op.byName.has('RegionId')) params.RegionId = regionId;
  if (takesDryRun(action)) params.DryRun = true;
  if (takesClientToken(action)) params.ClientToken = clientToken();
  return params;
}

/** A valid item for a list parameter: from the example, else built from the item schema. */
function validItem(p: ParameterSpec, example: unknown): unknown {
  if (Array.isArray(example) && example.length > 0) return structuredClone(example[0]);
  const items = contract.deref(p.schema.items);
  if (items.type === 'object') {
    const out: Record<string, string> = {};
    for (const field of p.itemFields ?? []) out[field] = `conformance${field}`;
    return out;
  }
  return ((items.examples as unknown[] | undefined)?.[0] ?? 'conformance-item') as unknown;
}

/** Every negative case of an Action (all variants), plus the constraints it cannot send. */
export function negativeCases(action: string, regionId: string | undefined, clientToken: () => string): { cases: NegativeCase[]; skipped: SkippedConstraint[] } {
  const op = operation(action);
  const v = validators();
  const cases: NegativeCase[] = [];
  const skipped: SkippedConstraint[] = [];
  const add = (parameter: string, keyword: string, params: Record<string, unknown>, variant: number) => {
    const rejection = v.checkRequest(action, params);
    const constraint = `${parameter} ${keyword}`;
    if (!rejection) return skipped.push({ action, constraint, reason: 'the generated value passes the contract (no request sent)' });
    const code = rejection.code;
    const status = v.catalog.status(code, action);
    if (status === undefined) return skipped.push({ action, constraint, reason: `${code} has no documented status` });
    cases.push({ action, constraint: variant > 0 ? `${constraint} #${variant + 1}` : constraint, parameter, keyword, params, code, status });
  };
  const fresh = () => negativeBase(action, regionId, clientToken);

  for (const p of op.parameters) {
    if (p.placement === 'header' || p.name === 'DryRun') continue;
    if (p.required) {
      const params = fresh();
      delete params[p.name];
      add(p.name, 'required', params, 0);
    }
    if (p.listStyle) {
      const example = fresh()[p.name];
      const item = validItem(p, example);
      if (typeof p.schema.maxItems === 'number') {
        const params = fresh();
        params[p.name] = Array.from({ length: (p.schema.maxItems as number) + 1 }, (_, i) => (item && typeof item === 'object' ? { ...(item as object), ...('Key' in (item as object) && { Key: `conformance${i}` }) } : `${String(item)}${i}`));
        add(p.name, 'maxItems', params, 0);
      }
      const itemSchema = contract.deref(p.schema.items);
      const fields: Array<[string | undefined, JsonSchema]> = itemSchema.type === 'object'
        ? Object.entries((itemSchema.properties ?? {}) as Record<string, unknown>).map(([f, s]) => [f, contract.deref(s)])
        : [[undefined, itemSchema]];
      for (const [field, schema] of fields) {
        for (const keyword of keywordsOf(schema)) {
          const values = breakers(schema, keyword);
          if (values.length === 0) skipped.push({ action, constraint: `${p.name}.*${field ? `.${field}` : ''} ${keyword}`, reason: unbreakable(keyword) });
          values.forEach((bad, variant) => {
            const params = fresh();
            params[p.name] = [field ? { ...(item as object), [field]: bad } : bad];
            add(`${p.name}.1${field ? `.${field}` : ''}`, keyword, params, variant);
          });
        }
      }
      continue;
    }
    for (const keyword of keywordsOf(p.schema)) {
      const values = breakers(p.schema, keyword);
      if (values.length === 0) skipped.push({ action, constraint: `${p.name} ${keyword}`, reason: unbreakable(keyword) });
      values.forEach((bad, variant) => {
        const params = fresh();
        params[p.name] = bad;
        add(p.name, keyword, params, variant);
      });
    }
  }
  if (op.atLeastOneOf) {
    const params = fresh();
    for (const name of op.atLeastOneOf.parameters) delete params[name];
    add(op.atLeastOneOf.parameters.join('|'), 'atLeastOneOf', params, 0);
  }
  return { cases, skipped };
}

/** The cases a mode sends: none, one per constraint kind per parameter, or every variant. */
export function selectCases(cases: readonly NegativeCase[], mode: NegativeMode): NegativeCase[] {
  if (mode === 'off') return [];
  if (mode === 'all') return [...cases];
  const seen = new Set<string>();
  return cases.filter((c) => {
    const key = `${c.parameter} ${c.keyword}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
