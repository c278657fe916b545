/**
 * What changed in the contract between two bundles, per Action, and what it means for clients.
 *
 * api-smart-diff does the structural work: it resolves `$ref`s, merges `allOf`, folds path-level
 * parameters into each operation, pairs parameters by name and location and array items by value,
 * and reports every atomic change with a JSON path and a generic REST classification. This module
 * only adds what is specific to an Alibaba RPC contract:
 * - the path key `/#Action=<Action>` names the Action each change belongs to;
 * - query parameters and the fields of the form body are both "parameters" of the call;
 * - error codes are the named examples of the 4xx/5xx responses, so a code that disappears, moves
 *   to another HTTP status or appears is reported as such (a new code is additive but flagged:
 *   an exhaustive `switch` on `Code` notices it);
 * - wire-level details (`x-acs-style`, the RAM action) count as breaking;
 * - a request type change is breaking: every value travels as text, and a typed client changes;
 * - who may call an operation (`x-acs-caller`) and in which statuses (`x-acs-allowed-statuses`)
 *   are behaviour: a narrowing is breaking.
 * The rules are two tables: OPERATION_RULES (by the key under the operation a change touches)
 * and SCHEMA_RULES (by the schema keyword, classified for a request and for a response).
 */
import { apiCompare, type Diff } from 'api-smart-diff';
import { actionOfPathKey, deref, HTTP_METHODS, isErrorStatus, isObj, listActions, pointerGet, pointerOf, type Obj } from './openapi.ts';

export type Severity = 'breaking' | 'additive' | 'compatible' | 'docs';
export const SEVERITIES: readonly Severity[] = ['breaking', 'additive', 'compatible', 'docs'];

export type ChangeKind =
  | 'operation-removed'
  | 'operation-added'
  | 'parameter-removed'
  | 'parameter-renamed'
  | 'parameter-moved'
  | 'parameter-required'
  | 'parameter-narrowed'
  | 'parameter-wire-style'
  | 'parameter-added'
  | 'parameter-widened'
  | 'response-field-removed'
  | 'response-field-retyped'
  | 'response-field-added'
  | 'response-field-changed'
  | 'error-code-removed'
  | 'error-status-changed'
  | 'error-code-added'
  | 'error-message-changed'
  | 'ram-action-changed'
  | 'caller-changed'
  | 'allowed-statuses-changed'
  | 'other'
  | 'documentation';

export interface Change {
  /** The Action, or '' for a change to the document as a whole (info, servers, security). */
  action: string;
  kind: ChangeKind;
  severity: Severity;
  /** One sentence, Markdown with backticks around names and values. */
  message: string;
  /** Why a non-breaking change still deserves a look. */
  flag?: string;
  /**
   * Further changes to the same field folded into this one, e.g. a retyped field's dropped
   * `format` and `minimum`: one change, one line.
   */
  details?: string[];
  /** Where api-smart-diff saw it, as a JSON pointer into its merged document. */
  pointer: string;
}

export interface ContractDiff {
  changes: Change[];
  /** Actions with at least one change, in document order ('' first for document-level changes). */
  actions: string[];
  counts: Record<Severity, number>;
}

export const NEW_CODE_FLAG = 'exhaustive `switch`es on `Code` notice it';
const NEW_VALUE_FLAG = 'exhaustive `switch`es on this field notice it';

const DOC_KEYWORDS = new Set([
  'description',
  'summary',
  'title',
  'example',
  'examples',
  '$comment',
  'externalDocs',
  'x-acs-unverified',
  'tags',
]);
const UPPER_BOUNDS = new Set(['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems', 'maxProperties', 'maxContains']);
const LOWER_BOUNDS = new Set(['minLength', 'minimum', 'exclusiveMinimum', 'minItems', 'minProperties', 'minContains']);
const RESTRICTIONS = new Set(['pattern', 'format', 'multipleOf', 'uniqueItems', 'propertyNames', 'contentEncoding', 'contentMediaType']);
const COMBINATORS = new Set(['allOf', 'anyOf', 'oneOf']);

type Direction = 'request' | 'response';

/** What a schema change is about: a parameter (request) or a response body (status). */
interface Subject {
  direction: Direction;
  /** e.g. 'parameter `Tag` (query)' or 'response field' */
  label: (field: string[]) => string;
  /** The parameter name for request subjects. */
  param?: string;
  status?: string;
}

function fmt(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const short = text.length > 80 ? `${text.slice(0, 77)}…` : text;
  return `\`${short.replace(/`/g, "'")}\``;
}

function libSeverity(type: Diff['type']): Severity {
  if (type === 'breaking') return 'breaking';
  if (type === 'non-breaking' || type === 'deprecated') return 'compatible';
  return 'docs';
}

function verb(d: Diff, replaced = 'changed'): string {
  return d.action === 'add' ? 'added' : d.action === 'remove' ? 'removed' : replaced;
}

function fieldName(field: string[]): string {
  return field.join('.').replace(/\.\[\]/g, '[]');
}

/** Splits a schema-relative path into the field it is about and the keyword path inside it. */
function splitSchemaPath(inner: ReadonlyArray<string | number>): { field: string[]; keyword: Array<string | number> } {
  const field: string[] = [];
  let i = 0;
  while (i < inner.length) {
    const k = inner[i];
    if (k === 'properties' && i + 1 < inner.length) {
      field.push(String(inner[i + 1]));
      i += 2;
    } else if (k === 'items' && i + 1 < inner.length) {
      field.push('[]');
      i += 1;
    } else if (typeof k === 'string' && COMBINATORS.has(k) && typeof inner[i + 1] === 'number') {
      i += 2;
    } else {
      break;
    }
  }
  return { field, keyword: inner.slice(i) };
}

const TYPE_WIDENINGS = new Set(['integer>number']);

function typeSet(value: unknown): Set<string> {
  return new Set(Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)]);
}

function isWiderType(before: unknown, after: unknown): boolean {
  const b = typeSet(before);
  const a = typeSet(after);
  if (b.size === 1 && a.size === 1 && TYPE_WIDENINGS.has(`${[...b][0]}>${[...a][0]}`)) return true;
  return [...b].every((t) => a.has(t) || (t === 'integer' && a.has('number'))) && a.size > b.size;
}

interface Ctx {
  before: unknown;
  after: unknown;
  merged: unknown;
  changes: Change[];
  /** Parameters added or removed as a whole, for rename/move pairing. */
  paramAdds: Array<{ action: string; name: string; where: string; schema: unknown; required: boolean; index: number }>;
  paramRemoves: Array<{ action: string; name: string; where: string; schema: unknown; index: number }>;
  /** Form-body fields named in a `required` array that gained an entry. */
  requiredAdds: Array<{ action: string; name: string; index: number }>;
  codeAdds: Array<{ action: string; code: string; status: string; index: number }>;
  codeRemoves: Array<{ action: string; code: string; status: string; index: number }>;
  /** Actions whose allowed statuses were already compared (one change per Action). */
  statusesCompared: Set<string>;
  /** Index of a change inside a schema → the field it is about, and whether it is a type change. */
  fields: Map<number, { label: string; retype: boolean }>;
}

function push(ctx: Ctx, change: Omit<Change, 'pointer'>, d: Diff): number {
  ctx.changes.push({ ...change, pointer: pointerOf(d.path) });
  return ctx.changes.length - 1;
}

/** Resolves every local `$ref` and drops documentation keywords, to compare two schemas by meaning. */
function canonical(doc: unknown, value: unknown, depth = 0): unknown {
  if (depth > 20) return value;
  const v = deref(doc, value);
  if (Array.isArray(v)) return v.map((x) => canonical(doc, x, depth + 1));
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const key of Object.keys(v).sort()) {
    if (DOC_KEYWORDS.has(key)) continue;
    out[key] = canonical(doc, v[key], depth + 1);
  }
  return out;
}

function sameSchema(a: { schema: unknown }, b: { schema: unknown }, ctx: Ctx): boolean {
  return JSON.stringify(canonical(ctx.before, a.schema)) === JSON.stringify(canonical(ctx.after, b.schema));
}

/** Classifies a change inside a schema (of a parameter or of a response body). */
function schemaChange(ctx: Ctx, action: string, subject: Subject, inner: ReadonlyArray<string | number>, d: Diff): void {
  const { field, keyword } = splitSchemaPath(inner);
  const what = subject.label(field);
  const req = subject.direction === 'request';
  const add = (kind: ChangeKind, severity: Severity, message: string, flag?: string): void => {
    const index = push(ctx, flag === undefined ? { action, kind, severity, message } : { action, kind, severity, message, flag }, d);
    if (keyword.length > 0 && severity !== 'docs') ctx.fields.set(index, { label: what, retype: String(keyword[0]) === 'type' });
  };

  if (keyword.length === 0) {
    // A whole (nested) field appeared or disappeared.
    if (field.length === 0) {
      add('other', libSeverity(d.type), `${what}: schema ${verb(d, 'replaced')}`);
      return;
    }
    if (d.action === 'remove') {
      if (req) add('parameter-removed', 'breaking', `${what} removed`);
      else add('response-field-removed', 'breaking', `${what} removed`);
    } else if (d.action === 'add') {
      if (req) add('parameter-added', 'additive', `new optional ${what}`);
      else add('response-field-added', 'additive', `new ${what}`);
    } else {
      add(req ? 'parameter-narrowed' : 'response-field-retyped', 'breaking', `${what} replaced`);
    }
    return;
  }

  const kw = String(keyword[0]);
  const rule = SCHEMA_RULES.find((r) => r.applies(kw));
  const outcome = rule?.classify({ kw, keyword, what, d, nested: (name) => subject.label([...field, name]) });
  if (outcome === undefined) {
    add('other', libSeverity(d.type), `${what}: ${keyword.join('.')} ${verb(d)}${d.description ? ` (${d.description})` : ''}`);
    return;
  }
  const [kind, severity] = req ? outcome.request : outcome.response;
  const flag = req ? outcome.requestFlag : outcome.responseFlag;
  add(kind, severity, req ? outcome.message : (outcome.responseMessage ?? outcome.message), flag);
}

/** What a schema rule sees of one keyword change. */
interface KeywordCase {
  /** The keyword, e.g. `maxLength`, and the keyword path (`['type', 1]` for one member of a type array). */
  kw: string;
  keyword: ReadonlyArray<string | number>;
  /** The field it is about, e.g. 'parameter `Name` (form body)'. */
  what: string;
  d: Diff;
  /** The label of a field nested in this one (for `required`). */
  nested: (name: string) => string;
}

type Outcome = readonly [ChangeKind, Severity];

/** How one keyword change reads, and what it means for a request parameter and for a response. */
interface Classification {
  message: string;
  /** When a response reads differently ("no longer always present" rather than "no longer required"). */
  responseMessage?: string;
  request: Outcome;
  response: Outcome;
  requestFlag?: string;
  responseFlag?: string;
}

const NARROWED: Outcome = ['parameter-narrowed', 'breaking'];
const WIDENED: Outcome = ['parameter-widened', 'compatible'];
/** A request accepts less (breaking) or more (compatible). */
const request = (narrows: boolean): Outcome => (narrows ? NARROWED : WIDENED);
const RESPONSE_TIGHTER: Outcome = ['response-field-changed', 'compatible'];

function change(d: Diff, added: string, removed: string, changed: string): string {
  return d.action === 'add' ? added : d.action === 'remove' ? removed : changed;
}

/**
 * The diff's rules for a change inside a schema, one row per keyword (or family of keywords),
 * first match wins; a keyword no row names is reported as `other` with the library's class.
 * For requests a row says whether the change narrows what is accepted; for responses, what a
 * client that reads the field will notice.
 */
const SCHEMA_RULES: ReadonlyArray<{ name: string; applies: (kw: string) => boolean; classify: (c: KeywordCase) => Classification }> = [
  {
    name: 'wording',
    applies: (kw) => DOC_KEYWORDS.has(kw),
    classify: ({ kw, what, d }) => ({ message: `${what}: ${kw} ${verb(d)}`, request: ['documentation', 'docs'], response: ['documentation', 'docs'] }),
  },
  {
    name: 'deprecation',
    applies: (kw) => kw === 'deprecated',
    classify: ({ what, d }) => {
      const flag = d.after === true ? 'plan its removal' : undefined;
      return {
        message: `${what} ${d.after === true ? 'deprecated' : 'no longer deprecated'}`,
        request: WIDENED,
        response: ['response-field-changed', 'compatible'],
        ...(flag !== undefined && { requestFlag: flag, responseFlag: flag }),
      };
    },
  },
  {
    name: 'type',
    applies: (kw) => kw === 'type',
    classify: ({ keyword, what, d }) => {
      if (keyword.length > 1) {
        const widened = d.action === 'add';
        return {
          message: `${what}: type ${fmt(d.after ?? d.before)} ${widened ? 'allowed' : 'no longer allowed'}`,
          responseMessage: `${what}: type ${fmt(d.after ?? d.before)} ${widened ? 'may now be returned' : 'no longer returned'}`,
          request: request(!widened),
          response: ['response-field-retyped', widened ? 'breaking' : 'compatible'],
        };
      }
      if (d.action === 'add' || d.action === 'remove') {
        // A type where there was none narrows what is accepted or promised; dropping one widens it.
        const narrowed = d.action === 'add';
        return {
          message: `${what}: type ${fmt(narrowed ? d.after : d.before)} ${narrowed ? 'declared' : 'no longer declared'}`,
          request: request(narrowed),
          response: narrowed ? RESPONSE_TIGHTER : ['response-field-retyped', 'breaking'],
        };
      }
      return {
        message: `${what}: type changed from ${fmt(d.before)} to ${fmt(d.after)}`,
        request: request(!isWiderType(d.before, d.after)),
        response: ['response-field-retyped', 'breaking'],
      };
    },
  },
  {
    name: 'enumerated values',
    applies: (kw) => kw === 'enum' || kw === 'const',
    classify: ({ kw, keyword, what, d }) => {
      if (kw === 'const' || keyword.length === 1) {
        // The whole list (or the const) set, dropped or replaced.
        return {
          message: `${what}: ${kw} ${change(d, `set to ${fmt(d.after)}`, `${fmt(d.before)} removed`, `changed from ${fmt(d.before)} to ${fmt(d.after)}`)}`,
          request: request(d.action !== 'remove'),
          response: d.action === 'add' ? RESPONSE_TIGHTER : ['response-field-changed', 'additive'],
          ...(d.action !== 'add' && { responseFlag: NEW_VALUE_FLAG }),
        };
      }
      // One value of the list.
      if (d.action === 'remove') return { message: `${what}: value ${fmt(d.before)} removed`, request: NARROWED, response: RESPONSE_TIGHTER };
      return {
        message: d.action === 'add' ? `${what}: new value ${fmt(d.after)}` : `${what}: value ${fmt(d.before)} replaced by ${fmt(d.after)}`,
        request: request(d.action !== 'add'),
        response: ['response-field-changed', 'additive'],
        responseFlag: NEW_VALUE_FLAG,
      };
    },
  },
  {
    name: 'bounds',
    applies: (kw) => UPPER_BOUNDS.has(kw) || LOWER_BOUNDS.has(kw),
    classify: ({ kw, what, d }) => {
      const upper = UPPER_BOUNDS.has(kw);
      const [before, after] = [Number(d.before), Number(d.after)];
      const narrows = d.action === 'add' ? upper || after > 0 : d.action === 'remove' ? false : upper ? after < before : after > before;
      return {
        message: `${what}: ${kw} ${change(d, `${fmt(d.after)} added`, `${fmt(d.before)} removed`, `${after < before ? 'lowered' : 'raised'} from ${fmt(d.before)} to ${fmt(d.after)}`)}`,
        request: request(narrows),
        response: RESPONSE_TIGHTER,
      };
    },
  },
  {
    name: 'restrictions',
    applies: (kw) => RESTRICTIONS.has(kw) || kw === 'additionalProperties' || kw === 'unevaluatedProperties',
    classify: ({ kw, what, d }) => ({
      message: `${what}: ${kw} ${change(d, `${fmt(d.after)} added`, `${fmt(d.before)} removed`, `changed from ${fmt(d.before)} to ${fmt(d.after)}`)}`,
      request: request(d.action !== 'remove' && !(kw.endsWith('Properties') && d.after !== false)),
      response: RESPONSE_TIGHTER,
    }),
  },
  {
    name: 'required fields',
    applies: (kw) => kw === 'required',
    classify: ({ d, nested }) => {
      const label = nested(String(d.action === 'remove' ? d.before : d.after));
      return d.action === 'remove'
        ? { message: `${label} no longer required`, responseMessage: `${label} no longer always present`, request: WIDENED, response: ['response-field-changed', 'breaking'] }
        : { message: `${label} became required`, responseMessage: `${label} now always present`, request: ['parameter-required', 'breaking'], response: RESPONSE_TIGHTER };
    },
  },
  {
    name: 'list style on the wire',
    applies: (kw) => kw === 'x-acs-style',
    classify: ({ what, d }) => ({
      message: `${what}: list style on the wire changed from ${fmt(d.before)} to ${fmt(d.after)}`,
      request: ['parameter-wire-style', 'breaking'],
      response: ['other', 'compatible'],
    }),
  },
  {
    name: 'default value',
    applies: (kw) => kw === 'default',
    classify: ({ what, d }) => ({
      message: `${what}: default changed from ${fmt(d.before)} to ${fmt(d.after)}`,
      request: WIDENED,
      requestFlag: 'callers that omit it get another behaviour',
      response: ['documentation', 'docs'],
    }),
  },
];

/** Error codes held by a removed or added subtree of an error response (response, content, media, examples). */
function codesIn(doc: unknown, status: string, value: unknown): string[] {
  const out: string[] = [];
  const visit = (node: unknown, depth: number): void => {
    const v = deref(doc, node);
    if (!isObj(v) || depth > 4) return;
    if (isObj(v.examples)) {
      for (const [name, ex] of Object.entries(v.examples)) {
        const example = deref(doc, ex);
        const code = isObj(example) && isObj(example.value) && typeof example.value.Code === 'string' ? example.value.Code : name;
        out.push(code);
      }
      return;
    }
    if (isObj(v.content)) for (const media of Object.values(v.content)) visit(media, depth + 1);
    else if (depth === 0 && status) for (const media of Object.values(v)) visit(media, depth + 1);
  };
  visit(value, 0);
  return out;
}

function codeChange(ctx: Ctx, action: string, code: string, status: string, act: 'add' | 'remove', d: Diff): void {
  if (act === 'remove') {
    const index = push(ctx, { action, kind: 'error-code-removed', severity: 'breaking', message: `error code \`${code}\` (HTTP ${status}) removed` }, d);
    ctx.codeRemoves.push({ action, code, status, index });
  } else {
    const index = push(ctx, { action, kind: 'error-code-added', severity: 'additive', message: `new error code \`${code}\` (HTTP ${status})`, flag: NEW_CODE_FLAG }, d);
    ctx.codeAdds.push({ action, code, status, index });
  }
}

function errorResponseChange(ctx: Ctx, action: string, status: string, rest: ReadonlyArray<string | number>, d: Diff): void {
  // rest starts after ['responses', status].
  const e = rest.indexOf('examples');
  if (e >= 0 && e === rest.length - 1 && (d.action === 'add' || d.action === 'remove')) {
    // The whole set of named examples appeared or went away.
    const doc = d.action === 'remove' ? ctx.before : ctx.after;
    for (const code of codesIn(doc, status, { examples: d.action === 'remove' ? d.before : d.after })) codeChange(ctx, action, code, status, d.action, d);
    return;
  }
  if (e >= 0 && rest.length === e + 2) {
    const name = String(rest[e + 1]);
    const example = deref(d.action === 'remove' ? ctx.before : ctx.after, d.action === 'remove' ? d.before : d.after);
    const code = isObj(example) && isObj(example.value) && typeof example.value.Code === 'string' ? example.value.Code : name;
    if (d.action === 'add' || d.action === 'remove') codeChange(ctx, action, code, status, d.action, d);
    else push(ctx, { action, kind: 'documentation', severity: 'docs', message: `error example \`${name}\` (HTTP ${status}) replaced` }, d);
    return;
  }
  if (e >= 0) {
    const name = String(rest[e + 1]);
    const inner = rest.slice(e + 2);
    if (inner[0] === 'value' && inner[1] === 'Message') {
      push(ctx, { action, kind: 'error-message-changed', severity: 'compatible', message: `error code \`${name}\` (HTTP ${status}): message template changed from ${fmt(d.before)} to ${fmt(d.after)}` }, d);
    } else if (inner[0] === 'value' && inner[1] === 'Code') {
      if (typeof d.before === 'string') codeChange(ctx, action, d.before, status, 'remove', d);
      if (typeof d.after === 'string') codeChange(ctx, action, d.after, status, 'add', d);
    } else {
      push(ctx, { action, kind: 'documentation', severity: 'docs', message: `error code \`${name}\` (HTTP ${status}): ${inner.filter((x) => x !== 'value').join('.') || 'example'} changed` }, d);
    }
    return;
  }
  const s = rest.indexOf('schema');
  if (s >= 0) {
    const inner = rest.slice(s + 1);
    // The Code enums restate the examples' codes, which are compared above; only their wording counts.
    const split = splitSchemaPath(inner);
    if (split.field[0] === 'Code' && !DOC_KEYWORDS.has(String(split.keyword[0]))) return;
    schemaChange(ctx, action, { direction: 'response', status, label: (f) => (f.length > 0 ? `error body field \`${fieldName(f)}\` (HTTP ${status})` : `error body (HTTP ${status})`) }, inner, d);
    return;
  }
  if (d.action === 'add' || d.action === 'remove') {
    const value = d.action === 'remove' ? d.before : d.after;
    const doc = d.action === 'remove' ? ctx.before : ctx.after;
    const codes = codesIn(doc, status, value);
    if (codes.length > 0 && rest.length <= 2) {
      for (const code of codes) codeChange(ctx, action, code, status, d.action, d);
      return;
    }
  }
  const last = String(rest[rest.length - 1] ?? '');
  const severity = DOC_KEYWORDS.has(last) ? 'docs' : libSeverity(d.type);
  push(ctx, { action, kind: severity === 'docs' ? 'documentation' : 'other', severity, message: `HTTP ${status} response: ${rest.join('.') || 'response'} ${verb(d)}` }, d);
}

function bodyFieldsOf(doc: unknown, value: unknown): Array<{ name: string; schema: unknown; required: boolean }> {
  // value: a request body, a content map, a media type object or a schema.
  let v = deref(doc, value);
  if (isObj(v) && isObj(v.content)) v = Object.values(v.content)[0];
  if (isObj(v) && v.schema !== undefined && v.type === undefined) v = deref(doc, v.schema);
  if (isObj(v) && !isObj(v.properties) && Object.values(v).some((m) => isObj(m) && 'schema' in m)) {
    const media = Object.values(v)[0];
    v = isObj(media) ? deref(doc, media.schema) : undefined;
  }
  if (!isObj(v) || !isObj(v.properties)) return [];
  const required = Array.isArray(v.required) ? v.required.map(String) : [];
  return Object.entries(v.properties).map(([name, schema]) => ({ name, schema, required: required.includes(name) }));
}

/** A parameter of the operation (or of its path item): added, removed, required, renamed, moved, its schema or wire style. */
function parameterChange(ctx: Ctx, action: string, opPath: ReadonlyArray<string | number>, rest: ReadonlyArray<string | number>, d: Diff): void {
  const index = rest[1];
  const param = pointerGet(ctx.merged, pointerOf([...opPath, 'parameters', index ?? -1]));
  const fromDiff = isObj(d.after) ? d.after : isObj(d.before) ? d.before : {};
  const name = String((isObj(param) ? param.name : undefined) ?? fromDiff.name ?? `#${String(index)}`);
  const where = String((isObj(param) ? param.in : undefined) ?? fromDiff.in ?? 'query');
  const label = (f: string[]): string => (f.length > 0 ? `field \`${fieldName(f)}\` of parameter \`${name}\` (${where})` : `parameter \`${name}\` (${where})`);
  if (rest.length === 2) {
    if (d.action === 'remove') {
      const index2 = push(ctx, { action, kind: 'parameter-removed', severity: 'breaking', message: `parameter \`${name}\` (${where}) removed` }, d);
      ctx.paramRemoves.push({ action, name, where, schema: isObj(d.before) ? d.before.schema : undefined, index: index2 });
    } else if (d.action === 'add') {
      const required = isObj(d.after) && d.after.required === true;
      const index2 = push(ctx, required
        ? { action, kind: 'parameter-required', severity: 'breaking', message: `new required parameter \`${name}\` (${where})` }
        : { action, kind: 'parameter-added', severity: 'additive', message: `new optional parameter \`${name}\` (${where})` }, d);
      ctx.paramAdds.push({ action, name, where, schema: isObj(d.after) ? d.after.schema : undefined, required, index: index2 });
    } else {
      push(ctx, { action, kind: 'parameter-narrowed', severity: 'breaking', message: `parameter \`${name}\` (${where}) replaced` }, d);
    }
    return;
  }
  const key = String(rest[2]);
  if (key === 'required') {
    if (d.after === true) push(ctx, { action, kind: 'parameter-required', severity: 'breaking', message: `parameter \`${name}\` (${where}) became required` }, d);
    else push(ctx, { action, kind: 'parameter-widened', severity: 'compatible', message: `parameter \`${name}\` (${where}) no longer required` }, d);
  } else if (key === 'schema') {
    schemaChange(ctx, action, { direction: 'request', param: name, label }, rest.slice(3), d);
  } else if (key === 'name' || key === 'in') {
    push(ctx, { action, kind: key === 'name' ? 'parameter-renamed' : 'parameter-moved', severity: 'breaking', message: `parameter \`${String(d.before)}\` ${key === 'name' ? 'renamed to' : 'moved to'} ${fmt(d.after)}` }, d);
  } else if (key === 'style' || key === 'explode' || key === 'x-acs-style') {
    push(ctx, { action, kind: 'parameter-wire-style', severity: 'breaking', message: `parameter \`${name}\` (${where}): ${key} changed from ${fmt(d.before)} to ${fmt(d.after)}` }, d);
  } else if (DOC_KEYWORDS.has(key)) {
    push(ctx, { action, kind: 'documentation', severity: 'docs', message: `parameter \`${name}\` (${where}): ${key} changed` }, d);
  } else {
    push(ctx, { action, kind: 'other', severity: libSeverity(d.type), message: `parameter \`${name}\` (${where}): ${rest.slice(2).join('.')} changed` }, d);
  }
}

/** The form body: its fields (each a parameter of the call), their `required` list and schemas. */
function requestBodyChange(ctx: Ctx, action: string, opPath: ReadonlyArray<string | number>, rest: ReadonlyArray<string | number>, d: Diff): void {
  const s = rest.indexOf('schema');
  if (s < 0) {
    if ((d.action === 'add' || d.action === 'remove') && rest.length <= 3) {
      const doc = d.action === 'remove' ? ctx.before : ctx.after;
      const fields = bodyFieldsOf(doc, d.action === 'remove' ? d.before : d.after);
      if (fields.length > 0) {
        for (const f of fields) bodyField(ctx, action, f.name, d.action, f.schema, f.required, d);
        return;
      }
    }
    const last = String(rest[rest.length - 1]);
    const severity = DOC_KEYWORDS.has(last) ? 'docs' : last === 'required' ? 'compatible' : libSeverity(d.type);
    push(ctx, { action, kind: severity === 'docs' ? 'documentation' : 'other', severity, message: `request body: ${rest.slice(1).join('.') || 'body'} ${verb(d)}` }, d);
    return;
  }
  const inner = rest.slice(s + 1);
  if (inner.length === 0 && (d.action === 'add' || d.action === 'remove')) {
    const doc = d.action === 'remove' ? ctx.before : ctx.after;
    for (const f of bodyFieldsOf(doc, d.action === 'remove' ? d.before : d.after)) bodyField(ctx, action, f.name, d.action, f.schema, f.required, d);
    return;
  }
  const { field, keyword } = splitSchemaPath(inner);
  if (field.length === 1 && keyword.length === 0 && (d.action === 'add' || d.action === 'remove')) {
    const name = field[0] ?? '';
    bodyField(ctx, action, name, d.action, d.action === 'remove' ? d.before : d.after, false, d);
    return;
  }
  if (field.length === 0 && keyword[0] === 'required') {
    const names = d.action === 'replace' ? [d.before, d.after] : [d.action === 'remove' ? d.before : d.after];
    const actions: Array<'remove' | 'add'> = d.action === 'replace' ? ['remove', 'add'] : [d.action === 'remove' ? 'remove' : 'add'];
    names.forEach((n, i) => {
      const name = String(n);
      if (actions[i] === 'remove') {
        push(ctx, { action, kind: 'parameter-widened', severity: 'compatible', message: `parameter \`${name}\` (form body) no longer required` }, d);
      } else {
        const index = push(ctx, { action, kind: 'parameter-required', severity: 'breaking', message: `parameter \`${name}\` (form body) became required` }, d);
        ctx.requiredAdds.push({ action, name, index });
      }
    });
    return;
  }
  if (field.length === 0) {
    schemaChange(ctx, action, { direction: 'request', label: () => 'form body' }, inner, d);
    return;
  }
  const name = field[0] ?? '';
  const label = (f: string[]): string => (f.length > 1 ? `field \`${fieldName(f.slice(1))}\` of parameter \`${name}\` (form body)` : `parameter \`${name}\` (form body)`);
  schemaChange(ctx, action, { direction: 'request', param: name, label }, inner, d);
}

/** A response: error responses by their codes, other responses by their schema. */
function responseChange(ctx: Ctx, action: string, opPath: ReadonlyArray<string | number>, rest: ReadonlyArray<string | number>, d: Diff): void {
  const status = String(rest[1]);
  if (rest.length >= 2 && isErrorStatus(status)) {
    errorResponseChange(ctx, action, status, rest.slice(2), d);
    return;
  }
  if (rest.length === 2) {
    push(ctx, d.action === 'remove'
      ? { action, kind: 'other', severity: 'breaking', message: `HTTP ${status} response removed` }
      : { action, kind: 'other', severity: d.action === 'add' ? 'additive' : libSeverity(d.type), message: `HTTP ${status} response ${d.action === 'add' ? 'added' : 'changed'}` }, d);
    return;
  }
  const s = rest.indexOf('schema');
  if (s >= 0) {
    const label = (f: string[]): string => (f.length > 0 ? `response field \`${fieldName(f)}\` (HTTP ${status})` : `response body (HTTP ${status})`);
    schemaChange(ctx, action, { direction: 'response', status, label }, rest.slice(s + 1), d);
    return;
  }
  const last = String(rest[rest.length - 1]);
  const docs = rest.includes('examples') || DOC_KEYWORDS.has(last);
  push(ctx, { action, kind: docs ? 'documentation' : 'other', severity: docs ? 'docs' : libSeverity(d.type), message: `HTTP ${status} response: ${rest.slice(2).join('.')} ${verb(d)}` }, d);
}

/** The RAM action: policies name it, so any change is breaking. */
function ramActionChange(ctx: Ctx, action: string, opPath: ReadonlyArray<string | number>, rest: ReadonlyArray<string | number>, d: Diff): void {
  push(ctx, { action, kind: 'ram-action-changed', severity: 'breaking', message: `RAM action changed from ${fmt(d.before)} to ${fmt(d.after)}: RAM policies that allow the old name no longer allow the call` }, d);
}

/** Who may call it: anything but `either` (or no rule) narrows the callers. */
function callerChange(ctx: Ctx, action: string, opPath: ReadonlyArray<string | number>, rest: ReadonlyArray<string | number>, d: Diff): void {
  // Who may call it: anything but `either` (or no rule) narrows the callers.
  const narrowed = d.after !== undefined && d.after !== 'either';
  push(ctx, {
    action,
    kind: 'caller-changed',
    severity: narrowed ? 'breaking' : 'compatible',
    message: `behaviour: who may call it changed from ${fmt(d.before)} to ${fmt(d.after)}${narrowed ? ': other callers are now refused' : ''}`,
  }, d);
}

/** The statuses it is carried out in: fewer is breaking, more compatible (one change per Action). */
function allowedStatusesChange(ctx: Ctx, action: string, opPath: ReadonlyArray<string | number>, rest: ReadonlyArray<string | number>, d: Diff): void {
  if (ctx.statusesCompared.has(action)) return;
  ctx.statusesCompared.add(action);
  const statusesOf = (doc: unknown): string[] | undefined => {
    const value = listActions(doc).find((o) => o.action === action)?.operation['x-acs-allowed-statuses'];
    return Array.isArray(value) ? value.map(String) : undefined;
  };
  const before = statusesOf(ctx.before);
  const after = statusesOf(ctx.after);
  const lost = before === undefined ? [] : (before.filter((x) => !(after ?? before).includes(x)));
  const gained = (after ?? []).filter((x) => before !== undefined && !before.includes(x));
  if (before !== undefined && after !== undefined && lost.length === 0 && gained.length === 0) return; // reordered only
  // No list before means "in any status": declaring one narrows it.
  const narrowed = lost.length > 0 || (before === undefined && after !== undefined);
  const parts = [
    ...(lost.length > 0 ? [`no longer carried out in ${lost.map((x) => `\`${x}\``).join(', ')}`] : []),
    ...(gained.length > 0 ? [`now also in ${gained.map((x) => `\`${x}\``).join(', ')}`] : []),
  ];
  push(ctx, {
    action,
    kind: 'allowed-statuses-changed',
    severity: narrowed ? 'breaking' : 'compatible',
    message: `behaviour: allowed statuses changed from ${fmt(before)} to ${fmt(after)}${parts.length > 0 ? ` (${parts.join('; ')})` : ''}`,
  }, d);
}

/** An at-least-one-of rule: adding or changing one narrows what is accepted. */
function atLeastOneOfChange(ctx: Ctx, action: string, opPath: ReadonlyArray<string | number>, rest: ReadonlyArray<string | number>, d: Diff): void {
  const narrowed = d.action !== 'remove';
  push(ctx, { action, kind: narrowed ? 'parameter-narrowed' : 'parameter-widened', severity: narrowed ? 'breaking' : 'compatible', message: `at-least-one-of rule ${verb(d)}: ${fmt(d.after ?? d.before)}` }, d);
}

/** The operationId: typed clients are keyed by it. */
function operationIdChange(ctx: Ctx, action: string, opPath: ReadonlyArray<string | number>, rest: ReadonlyArray<string | number>, d: Diff): void {
  push(ctx, { action, kind: 'other', severity: 'breaking', message: `operationId changed from ${fmt(d.before)} to ${fmt(d.after)} (typed clients are keyed by it)` }, d);
}

/**
 * The diff's rules for a change to an operation, by the key under the operation it touches;
 * wording (summary, description, …) is documentation, any other `x-acs-*` key compatible, and
 * the rest keeps the library's class.
 */
const OPERATION_RULES: Readonly<Record<string, (ctx: Ctx, action: string, opPath: ReadonlyArray<string | number>, rest: ReadonlyArray<string | number>, d: Diff) => void>> = {
  parameters: parameterChange,
  requestBody: requestBodyChange,
  responses: responseChange,
  'x-acs-ram-action': ramActionChange,
  'x-acs-caller': callerChange,
  'x-acs-allowed-statuses': allowedStatusesChange,
  'x-acs-at-least-one-of': atLeastOneOfChange,
  operationId: operationIdChange,
};

function operationChange(ctx: Ctx, action: string, opPath: ReadonlyArray<string | number>, rest: ReadonlyArray<string | number>, d: Diff): void {
  const head = String(rest[0]);
  const rule = Object.hasOwn(OPERATION_RULES, head) ? OPERATION_RULES[head] : undefined;
  if (rule !== undefined) {
    rule(ctx, action, opPath, rest, d);
    return;
  }
  if (DOC_KEYWORDS.has(head)) {
    push(ctx, { action, kind: 'documentation', severity: 'docs', message: `${head} changed` }, d);
    return;
  }
  if (head.startsWith('x-acs-')) {
    push(ctx, { action, kind: 'other', severity: 'compatible', message: `${head} changed from ${fmt(d.before)} to ${fmt(d.after)}` }, d);
    return;
  }
  push(ctx, { action, kind: 'other', severity: libSeverity(d.type), message: `${rest.join('.')} ${verb(d)}${d.description ? ` (${d.description})` : ''}` }, d);
}

function bodyField(ctx: Ctx, action: string, name: string, act: 'add' | 'remove', schema: unknown, required: boolean, d: Diff): void {
  if (act === 'remove') {
    const index = push(ctx, { action, kind: 'parameter-removed', severity: 'breaking', message: `parameter \`${name}\` (form body) removed` }, d);
    ctx.paramRemoves.push({ action, name, where: 'form body', schema, index });
  } else {
    const index = push(ctx, required
      ? { action, kind: 'parameter-required', severity: 'breaking', message: `new required parameter \`${name}\` (form body)` }
      : { action, kind: 'parameter-added', severity: 'additive', message: `new optional parameter \`${name}\` (form body)` }, d);
    ctx.paramAdds.push({ action, name, where: 'form body', schema, required, index });
  }
}

/** Second pass: pair removals with additions (renames, moves, status changes) and merge duplicates. */
function pairUp(ctx: Ctx): void {
  const drop = new Set<number>();
  // A form field that was added and, in the same change set, listed in `required`.
  for (const r of ctx.requiredAdds) {
    const added = ctx.paramAdds.find((a) => a.action === r.action && a.name === r.name && a.where === 'form body');
    const change = added !== undefined ? ctx.changes[added.index] : undefined;
    if (added === undefined || change === undefined) continue;
    added.required = true;
    change.kind = 'parameter-required';
    change.severity = 'breaking';
    change.message = `new required parameter \`${r.name}\` (form body)`;
    drop.add(r.index);
  }
  // Same name in another place: moved. Same schema under another name, same place: renamed.
  const usedAdds = new Set<number>();
  for (const rem of ctx.paramRemoves) {
    const candidates = ctx.paramAdds.filter((a) => a.action === rem.action && !usedAdds.has(a.index));
    const moved = candidates.find((a) => a.name === rem.name && a.where !== rem.where);
    const renamedAll = candidates.filter((a) => a.name !== rem.name && a.where === rem.where && sameSchema(rem, a, ctx));
    const renamed = renamedAll.length === 1 ? renamedAll[0] : undefined;
    const partner = moved ?? renamed;
    const change = ctx.changes[rem.index];
    if (partner === undefined || change === undefined) continue;
    usedAdds.add(partner.index);
    drop.add(partner.index);
    change.kind = moved !== undefined ? 'parameter-moved' : 'parameter-renamed';
    change.message = moved !== undefined
      ? `parameter \`${rem.name}\` moved from the ${rem.where} to the ${partner.where}`
      : `parameter \`${rem.name}\` (${rem.where}) renamed to \`${partner.name}\`${partner.required ? ' (required)' : ''}`;
  }
  // A code that left one status and arrived at another.
  for (const rem of ctx.codeRemoves) {
    const partner = ctx.codeAdds.find((a) => a.action === rem.action && a.code === rem.code && a.status !== rem.status && !drop.has(a.index));
    const change = ctx.changes[rem.index];
    if (partner === undefined || change === undefined) continue;
    drop.add(partner.index);
    change.kind = 'error-status-changed';
    change.message = `error code \`${rem.code}\` now answered with HTTP ${partner.status} instead of ${rem.status}`;
  }
  // A retyped field is one change: the other keywords of the same field that changed with it
  // (a dropped `format`, `minimum`, …) become its details, and the worst severity wins.
  for (const [index, field] of ctx.fields) {
    const change = ctx.changes[index];
    if (!field.retype || change === undefined || drop.has(index)) continue;
    for (const [other, otherField] of ctx.fields) {
      const folded = ctx.changes[other];
      if (other === index || otherField.retype || otherField.label !== field.label || folded === undefined || folded.action !== change.action || drop.has(other)) continue;
      (change.details ??= []).push(folded.message.startsWith(`${field.label}: `) ? folded.message.slice(field.label.length + 2) : folded.message);
      if (SEVERITIES.indexOf(folded.severity) < SEVERITIES.indexOf(change.severity)) change.severity = folded.severity;
      drop.add(other);
    }
  }
  const seen = new Set<string>();
  ctx.changes = ctx.changes.filter((c, i) => {
    if (drop.has(i)) return false;
    const key = `${c.action}\u0000${c.kind}\u0000${c.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Compares two bundled documents. Neither input is changed. */
export function diffContracts(before: unknown, after: unknown): ContractDiff {
  const { diffs, merged } = apiCompare(structuredClone(before), structuredClone(after));
  const ctx: Ctx = { before, after, merged, changes: [], paramAdds: [], paramRemoves: [], requiredAdds: [], codeAdds: [], codeRemoves: [], fields: new Map(), statusesCompared: new Set() };
  for (const d of diffs) {
    const p = d.path;
    if (p[0] === 'components') continue; // reported where an Action uses them
    if (p[0] !== 'paths' || p.length < 2) {
      const severity = DOC_KEYWORDS.has(String(p[p.length - 1])) || p[0] === 'info' || p[0] === 'tags' ? 'docs' : libSeverity(d.type);
      push(ctx, { action: '', kind: severity === 'docs' ? 'documentation' : 'other', severity, message: `${p.join('.') || 'document'} ${verb(d)}` }, d);
      continue;
    }
    const pathKey = String(p[1]);
    const action = actionOfPathKey(pathKey) ?? pathKey;
    const method = p[2];
    const isMethod = typeof method === 'string' && (HTTP_METHODS as readonly string[]).includes(method);
    if (p.length === 2 || (p.length === 3 && isMethod)) {
      if (d.action === 'remove') push(ctx, { action, kind: 'operation-removed', severity: 'breaking', message: `Action \`${action}\` removed` }, d);
      else if (d.action === 'add') push(ctx, { action, kind: 'operation-added', severity: 'additive', message: `new Action \`${action}\`` }, d);
      else push(ctx, { action, kind: 'other', severity: libSeverity(d.type), message: `Action \`${action}\` replaced` }, d);
      continue;
    }
    if (!isMethod) {
      // Path-item level (parameters shared by every method, summary, description).
      operationChange(ctx, action, p.slice(0, 2), p.slice(2), d);
      continue;
    }
    operationChange(ctx, action, p.slice(0, 3), p.slice(3), d);
  }
  pairUp(ctx);

  const order = new Map<string, number>([['', -1]]);
  for (const doc of [after, before]) for (const a of listActions(doc)) if (!order.has(a.action)) order.set(a.action, order.size);
  const rank = (s: Severity): number => SEVERITIES.indexOf(s);
  const changes = ctx.changes
    .map((c, i) => ({ c, i }))
    .sort((x, y) => (order.get(x.c.action) ?? 1e6) - (order.get(y.c.action) ?? 1e6) || x.c.action.localeCompare(y.c.action) || rank(x.c.severity) - rank(y.c.severity) || x.i - y.i)
    .map(({ c }) => c);
  const counts: Record<Severity, number> = { breaking: 0, additive: 0, compatible: 0, docs: 0 };
  for (const c of changes) counts[c.severity] += 1;
  const actions = [...new Set(changes.map((c) => c.action))];
  return { changes, actions, counts };
}

export function hasBreaking(diff: ContractDiff): boolean {
  return diff.counts.breaking > 0;
}
