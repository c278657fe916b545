/**
 * The drift check: the contract against Alibaba's own OpenAPI metadata for the product (the
 * `api-docs` format: `apis` keyed by Action, each with `parameters` and `errorCodes`), per
 * Action, every difference classified the way the contract diff classifies a change (what it
 * would mean for clients if the contract followed upstream), minus the reviewed, explained
 * differences of the allow-list (spec/drift-allowlist.json).
 */
import type { Contract, OperationSpec, ParameterSpec } from '../contract/model.ts';
import type { Severity } from './diff.ts';
import { commonCodeSet } from './error-codes.ts';

export type DriftKind =
  | 'operation-added-upstream'
  | 'operation-missing-upstream'
  | 'parameter-added-upstream'
  | 'parameter-missing-upstream'
  | 'parameter-moved'
  | 'parameter-wire-style'
  | 'parameter-retyped'
  | 'parameter-required'
  | 'parameter-limit'
  | 'parameter-enum'
  | 'error-code-added-upstream'
  | 'error-code-missing-upstream'
  | 'error-status-changed';

export const DRIFT_KINDS: readonly DriftKind[] = [
  'operation-added-upstream',
  'operation-missing-upstream',
  'parameter-added-upstream',
  'parameter-missing-upstream',
  'parameter-moved',
  'parameter-wire-style',
  'parameter-retyped',
  'parameter-required',
  'parameter-limit',
  'parameter-enum',
  'error-code-added-upstream',
  'error-code-missing-upstream',
  'error-status-changed',
];

export interface Drift {
  action: string;
  kind: DriftKind;
  /** The parameter or error code the difference is about ('' for a whole operation). */
  subject: string;
  /** What following upstream would mean for clients, as in the contract diff. */
  severity: Exclude<Severity, 'docs'>;
  /** One sentence, Markdown with backticks around names and values. */
  message: string;
  /** Set when an allow-list entry explains the difference. */
  allowed?: string;
}

/** A limit keyword both sides may state; `upper` ones narrow when lowered. */
const LIMITS = { minLength: false, maxLength: true, minimum: false, maximum: true, minItems: false, maxItems: true } as const;
type Limit = keyof typeof LIMITS;

export interface UpstreamParameter {
  name: string;
  /** As the metadata writes it: `query`, `formData`, `body`, `header`, `path`. */
  in: string;
  style?: string;
  type?: string;
  format?: string;
  required: boolean;
  limits: Partial<Record<Limit, number>>;
  enum?: string[];
}

export interface UpstreamApi {
  action: string;
  parameters: UpstreamParameter[];
  /** Error code → HTTP status. */
  errorCodes: Map<string, string>;
}

export interface UpstreamMetadata {
  product?: string;
  version?: string;
  apis: Map<string, UpstreamApi>;
}

/** The metadata file is not what the drift check reads; the message names the offending part. */
export class MetadataError extends Error {
  override name = 'MetadataError';
}

function isObj(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** Reads an api-docs document (already parsed JSON). Throws MetadataError on a wrong shape. */
export function readApiDocs(json: unknown): UpstreamMetadata {
  if (!isObj(json) || !isObj(json.apis)) throw new MetadataError('the metadata has no "apis" object (expected Alibaba\'s api-docs format: { info, apis: { <Action>: { parameters, errorCodes } } })');
  const info = isObj(json.info) ? json.info : {};
  const apis = new Map<string, UpstreamApi>();
  for (const [action, raw] of Object.entries(json.apis)) {
    if (!isObj(raw)) throw new MetadataError(`apis.${action} is not an object`);
    const parameters: UpstreamParameter[] = [];
    const list = raw.parameters ?? [];
    if (!Array.isArray(list)) throw new MetadataError(`apis.${action}.parameters is not an array`);
    for (const [i, p] of list.entries()) {
      if (!isObj(p) || typeof p.name !== 'string' || typeof p.in !== 'string') {
        throw new MetadataError(`apis.${action}.parameters[${i}] needs a string "name" and "in"`);
      }
      const schema = isObj(p.schema) ? p.schema : {};
      const limits: Partial<Record<Limit, number>> = {};
      for (const key of Object.keys(LIMITS) as Limit[]) {
        const n = numberOf(schema[key]);
        if (n !== undefined) limits[key] = n;
      }
      const param: UpstreamParameter = {
        name: p.name,
        in: p.in,
        required: schema.required === true || p.required === true,
        limits,
      };
      if (typeof p.style === 'string') param.style = p.style;
      if (typeof schema.type === 'string') param.type = schema.type;
      if (typeof schema.format === 'string') param.format = schema.format;
      if (Array.isArray(schema.enum)) param.enum = schema.enum.map(String);
      parameters.push(param);
    }
    const errorCodes = new Map<string, string>();
    const codes = raw.errorCodes ?? {};
    if (!isObj(codes)) throw new MetadataError(`apis.${action}.errorCodes is not an object keyed by HTTP status`);
    for (const [status, entries] of Object.entries(codes)) {
      if (!Array.isArray(entries)) throw new MetadataError(`apis.${action}.errorCodes.${status} is not an array`);
      for (const [i, e] of entries.entries()) {
        if (!isObj(e) || typeof e.errorCode !== 'string') throw new MetadataError(`apis.${action}.errorCodes.${status}[${i}] has no string "errorCode"`);
        errorCodes.set(e.errorCode, status);
      }
    }
    apis.set(action, { action, parameters, errorCodes });
  }
  const out: UpstreamMetadata = { apis };
  if (typeof info.product === 'string') out.product = info.product;
  if (typeof info.version === 'string') out.version = info.version;
  return out;
}

/** The contract's placement in the metadata's words. */
function upstreamPlacement(p: ParameterSpec): string {
  return p.placement === 'body' ? 'formData' : p.placement;
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : `\`${Array.isArray(value) ? value.join(', ') : String(value)}\``;
}

function compareParameter(action: string, mine: ParameterSpec, theirs: UpstreamParameter, out: Drift[]): void {
  const name = mine.name;
  const add = (kind: DriftKind, severity: Drift['severity'], message: string): void => {
    out.push({ action, kind, subject: name, severity, message: `parameter \`${name}\`: ${message}` });
  };
  const placement = upstreamPlacement(mine);
  const theirPlacement = theirs.in === 'body' ? 'formData' : theirs.in;
  if (placement !== theirPlacement) add('parameter-moved', 'breaking', `upstream sends it in ${show(theirs.in)}, the contract in ${show(placement)}`);
  const style = mine.listStyle;
  if ((theirs.style ?? undefined) !== style && (theirs.style !== undefined || style !== undefined)) {
    add('parameter-wire-style', 'breaking', `wire style upstream ${show(theirs.style)}, in the contract ${show(style)}`);
  }
  const type = typeof mine.schema.type === 'string' ? mine.schema.type : undefined;
  const format = typeof mine.schema.format === 'string' ? mine.schema.format : undefined;
  if (theirs.type !== undefined && theirs.type !== type) {
    add('parameter-retyped', 'breaking', `type upstream ${show(theirs.type)}, in the contract ${show(type)}`);
  } else if (theirs.format !== undefined && theirs.format !== format) {
    add('parameter-retyped', 'breaking', `format upstream ${show(theirs.format)}, in the contract ${show(format)}`);
  }
  if (theirs.required !== mine.required) {
    add('parameter-required', theirs.required ? 'breaking' : 'compatible', theirs.required ? 'required upstream, optional in the contract' : 'optional upstream, required in the contract');
  }
  for (const [key, upper] of Object.entries(LIMITS) as Array<[Limit, boolean]>) {
    const their = theirs.limits[key];
    if (their === undefined) continue; // only what upstream states is compared
    const raw = mine.schema[key];
    const own = typeof raw === 'number' ? raw : undefined;
    if (own === their) continue;
    const narrower = own === undefined ? true : upper ? their < own : their > own;
    add('parameter-limit', narrower ? 'breaking' : 'compatible', `${key} upstream ${show(their)}, in the contract ${show(own)}`);
  }
  if (theirs.enum !== undefined) {
    const own = Array.isArray(mine.schema.enum) ? mine.schema.enum.map(String) : [];
    const added = theirs.enum.filter((v) => !own.includes(v));
    const dropped = own.filter((v) => !theirs.enum?.includes(v));
    if (added.length > 0) add('parameter-enum', 'compatible', `upstream also allows ${show(added)}`);
    if (dropped.length > 0) add('parameter-enum', 'breaking', `upstream no longer allows ${show(dropped)}`);
  }
}

function compareOperation(op: OperationSpec, api: UpstreamApi, common: Set<string>, out: Drift[]): void {
  const action = op.action;
  for (const theirs of api.parameters) {
    const mine = op.byName.get(theirs.name);
    if (mine === undefined) {
      out.push({
        action,
        kind: 'parameter-added-upstream',
        subject: theirs.name,
        severity: theirs.required ? 'breaking' : 'additive',
        message: `new upstream ${theirs.required ? 'required ' : ''}parameter \`${theirs.name}\` (${theirs.in}${theirs.style !== undefined ? `, ${theirs.style}` : ''}${theirs.type !== undefined ? `, ${theirs.type}` : ''}) is not in the contract`,
      });
    } else {
      compareParameter(action, mine, theirs, out);
    }
  }
  for (const mine of op.parameters) {
    if (api.parameters.some((p) => p.name === mine.name)) continue;
    out.push({ action, kind: 'parameter-missing-upstream', subject: mine.name, severity: 'breaking', message: `parameter \`${mine.name}\` (${upstreamPlacement(mine)}) is not in the upstream metadata` });
  }
  for (const [code, status] of api.errorCodes) {
    const own = op.statusOfCode.get(code);
    if (own === undefined) {
      out.push({ action, kind: 'error-code-added-upstream', subject: code, severity: 'additive', message: `new upstream error code \`${code}\` (HTTP ${status}) is not documented in the contract` });
    } else if (String(own) !== status) {
      out.push({ action, kind: 'error-status-changed', subject: code, severity: 'breaking', message: `error code \`${code}\`: HTTP ${status} upstream, ${own} in the contract` });
    }
  }
  for (const [code, status] of op.statusOfCode) {
    if (api.errorCodes.has(code) || common.has(code)) continue;
    out.push({ action, kind: 'error-code-missing-upstream', subject: code, severity: 'breaking', message: `error code \`${code}\` (HTTP ${status}) is documented in the contract but not upstream` });
  }
}

/** Every difference between the contract and the metadata, per Action in contract order. */
export function driftOf(contract: Contract, upstream: UpstreamMetadata): Drift[] {
  const out: Drift[] = [];
  // Codes every Action documents (gateway, signature): compared only when upstream lists them.
  const common = commonCodeSet(contract.document);
  for (const op of contract.operations.values()) {
    const api = upstream.apis.get(op.action);
    if (api === undefined) {
      out.push({ action: op.action, kind: 'operation-missing-upstream', subject: '', severity: 'breaking', message: `Action \`${op.action}\` is not in the upstream metadata` });
    } else {
      compareOperation(op, api, common, out);
    }
  }
  for (const action of upstream.apis.keys()) {
    if (!contract.operations.has(action)) {
      out.push({ action, kind: 'operation-added-upstream', subject: '', severity: 'additive', message: `new upstream Action \`${action}\` is not in the contract` });
    }
  }
  return out;
}

export interface AllowEntry {
  /** An Action, or `*` for every Action. */
  action: string;
  kind: DriftKind;
  /** The parameter or error code, `''` for a whole operation. */
  subject: string;
  reason: string;
}

/** Reads and checks the allow-list (parsed JSON: `{ "entries": [...] }`). */
export function readAllowList(json: unknown, file = 'the allow-list'): AllowEntry[] {
  const entries = isObj(json) ? json.entries : undefined;
  if (!Array.isArray(entries)) throw new MetadataError(`${file} has no "entries" array`);
  return entries.map((e, i) => {
    const where = `${file}: entries[${i}]`;
    if (!isObj(e)) throw new MetadataError(`${where} is not an object`);
    if (typeof e.action !== 'string' || e.action === '') throw new MetadataError(`${where} needs an "action" (an Action name or "*")`);
    if (typeof e.kind !== 'string' || !(DRIFT_KINDS as readonly string[]).includes(e.kind)) {
      throw new MetadataError(`${where} has kind ${JSON.stringify(e.kind)}; expected one of ${DRIFT_KINDS.join(', ')}`);
    }
    if (typeof e.subject !== 'string') throw new MetadataError(`${where} needs a "subject" (a parameter or error code, "" for an operation)`);
    if (typeof e.reason !== 'string' || e.reason.trim().length < 10) throw new MetadataError(`${where} needs a "reason" that says why the difference is intended`);
    return { action: e.action, kind: e.kind as DriftKind, subject: e.subject, reason: e.reason.trim() };
  });
}

export interface DriftReport {
  drifts: Drift[];
  /** Differences no allow-list entry explains. */
  unexplained: number;
  /** Allow-list entries that matched nothing (stale, or for another metadata revision). */
  unused: AllowEntry[];
}

/** Marks the differences an allow-list entry explains. Inputs are not changed. */
export function applyAllowList(drifts: Drift[], allow: AllowEntry[]): DriftReport {
  const used = new Set<AllowEntry>();
  const out = drifts.map((d) => {
    const entry = allow.find((e) => (e.action === '*' || e.action === d.action) && e.kind === d.kind && e.subject === d.subject);
    if (entry === undefined) return d;
    used.add(entry);
    return { ...d, allowed: entry.reason };
  });
  return { drifts: out, unexplained: out.filter((d) => d.allowed === undefined).length, unused: allow.filter((e) => !used.has(e)) };
}
