/**
 * An index over the bundled contract (generated/openapi.json): for each Action, its parameters
 * with their place on the wire, their (reference-resolved) schemas and list styles, and its
 * documented responses. Every runtime (client, mock, emulator, validators) reads the API from
 * here.
 *
 * Browser-safe: no Node imports.
 */
import { actionOfPathKey, decodePointerToken, encodePointerToken, isErrorStatus } from './conventions.mjs';
import { buildErrorCatalog, type ErrorCatalog } from './errors.ts';

export type JsonSchema = Record<string, unknown>;
export type OpenApiDocument = Record<string, unknown>;

/** Where a parameter travels in a canonical (POST) request. */
export type Placement = 'query' | 'body' | 'header';
/** How a list is flattened on the wire (`x-acs-style`). */
export type ListStyle = 'repeatList' | 'simple';

export interface ParameterSpec {
  name: string;
  placement: Placement;
  required: boolean;
  /** The parameter's schema, its top-level `$ref`s followed. */
  schema: JsonSchema;
  /** JSON pointer (`#/...`) to the parameter's schema inside the document, for validators. */
  pointer: string;
  /** Set for arrays: how the list is written on the wire. */
  listStyle?: ListStyle;
  /** Set for arrays whose items are objects: the item's property names. */
  itemFields?: string[];
  /** Scalar type, or the scalar type of a list's items / an object item's fields. */
  scalarType: 'string' | 'integer' | 'boolean' | 'number' | 'object';
}

export interface AtLeastOneOf {
  parameters: string[];
  code: string;
}

/** `x-acs-violation-codes`: a schema keyword broken by a parameter maps to its own error code. */
export interface ViolationCode {
  /** Wire name, `*` for any list index: `Tag`, `Tag.*.Key`, `TagKey.*`. */
  parameter: string;
  keyword: string;
  code: string;
}

/** Who may call an operation on a connection (`x-acs-caller`). */
export type CallerRule = 'requester' | 'accepter' | 'either';

/** One move of the connection life cycle (an item of `x-acs-lifecycle.transitions`). */
export interface Transition<A extends string = string, S extends string = string> {
  /** State before; `null` when the connection does not exist yet, `'*'` for any state the Action allows. */
  from: S | null | '*';
  /** The Action whose call causes the move, when it is a call. */
  action?: A;
  /** The event that causes the move, when it is a timer: after this long in `from`. */
  timer?: { after: string; afterMs: number };
  /** The condition, in words. */
  when: string;
  /** Transient states passed through, in order. */
  via: S[];
  to: S;
}

/** The connection life cycle (`x-acs-lifecycle` on the `PeerConnectionStatus` schema). */
export interface Lifecycle<A extends string = string, S extends string = string> {
  /** Every status, in the enum's order. */
  states: S[];
  /** States a connection never leaves. */
  terminal: S[];
  transitions: Transition<A, S>[];
}

export interface OperationSpec<A extends string = string, S extends string = string> {
  action: A;
  pathKey: string;
  /** Operation parameters (not the common signing/dispatch ones), in document order. */
  parameters: ParameterSpec[];
  byName: Map<string, ParameterSpec>;
  atLeastOneOf?: AtLeastOneOf;
  violationCodes: ViolationCode[];
  operationType?: string;
  /** Status code (as a string) → the error codes documented under it, for error statuses. */
  errorCodes: Map<string, string[]>;
  /** Error code → HTTP status, over all of this operation's error responses. */
  statusOfCode: Map<string, number>;
  /** `x-acs-caller`: who may call it, for operations that act on a connection. */
  caller?: CallerRule;
  /** `x-acs-allowed-statuses`: the statuses in which it is carried out (others: `IncorrectStatus.VpcPeer`). */
  allowedStatuses?: S[];
  /** Whether it takes a `DryRun` flag. */
  takesDryRun: boolean;
  /** Whether it takes an idempotency `ClientToken`. */
  takesClientToken: boolean;
  /** Whether it only reads (`x-acs-operation-type` get or list). */
  readOnly: boolean;
}

export interface Contract<A extends string = string, S extends string = string> {
  document: OpenApiDocument;
  version: string;
  actions: A[];
  /** Every operation by Action name; a lookup by arbitrary text (a request's `Action`) may miss. */
  operations: ReadonlyMap<string, OperationSpec<A, S>>;
  /** The operation of an Action known at compile time (a misspelt name is a type error). */
  operation(action: A): OperationSpec<A, S>;
  /** The connection life cycle and its statuses. */
  lifecycle: Lifecycle<A, S>;
  /** Names of every property typed `format: int64` (account IDs can exceed 2^53). */
  int64Fields: ReadonlySet<string>;
  /** Every documented error code with its status and message template. */
  errors: ErrorCatalog;
  /** Names of the common parameters (signing, dispatch) shared by every Action. */
  commonParameters: Set<string>;
  /** Resolves a local `$ref` (`#/components/...`) to its target. */
  resolve(ref: string): unknown;
  /** Follows a node's `$ref` chain (siblings of a `$ref` override the target's keys). */
  deref(node: unknown): JsonSchema;
}

export { decodePointerToken, encodePointerToken } from './conventions.mjs';

function makeResolver(document: OpenApiDocument): (ref: string) => unknown {
  return (ref: string) => {
    if (!ref.startsWith('#/')) throw new Error(`Only local $refs are supported, got ${ref}`);
    let node: unknown = document;
    for (const token of ref.slice(2).split('/').map(decodePointerToken)) {
      if (node === null || typeof node !== 'object') throw new Error(`Dangling $ref ${ref}`);
      node = (node as Record<string, unknown>)[token];
    }
    if (node === undefined) throw new Error(`Dangling $ref ${ref}`);
    return node;
  };
}

/** Follows `$ref` chains; sibling keywords of a `$ref` override the target's (OAS 3.1). */
function deref(node: unknown, resolve: (ref: string) => unknown): JsonSchema {
  let current = node as JsonSchema;
  const seen = new Set<string>();
  while (current && typeof current.$ref === 'string') {
    const ref = current.$ref;
    if (seen.has(ref)) throw new Error(`Circular $ref ${ref}`);
    seen.add(ref);
    const { $ref: _ignored, ...siblings } = current;
    current = { ...(resolve(ref) as JsonSchema), ...siblings };
  }
  return current;
}

function scalarTypeOf(schema: JsonSchema): ParameterSpec['scalarType'] {
  const type = schema.type;
  if (type === 'integer' || type === 'boolean' || type === 'number' || type === 'object') return type;
  return 'string';
}

function describeParameter(
  name: string,
  placement: Placement,
  required: boolean,
  rawSchema: unknown,
  pointer: string,
  resolve: (ref: string) => unknown,
): ParameterSpec {
  const schema = deref(rawSchema, resolve);
  const spec: ParameterSpec = { name, placement, required, schema, pointer, scalarType: scalarTypeOf(schema) };
  if (schema.type === 'array') {
    const style = schema['x-acs-style'];
    if (style !== 'repeatList' && style !== 'simple') {
      throw new Error(`List parameter ${name} has no x-acs-style (repeatList or simple)`);
    }
    spec.listStyle = style;
    const items = deref(schema.items, resolve);
    spec.scalarType = scalarTypeOf(items);
    if (items.type === 'object') {
      spec.itemFields = Object.keys((items.properties as JsonSchema | undefined) ?? {});
    }
  }
  return spec;
}

/** Collects every `const`/`enum` string reachable through allOf/anyOf/oneOf/$ref. */
function collectCodes(schema: unknown, resolve: (ref: string) => unknown, out: Set<string>): void {
  const node = deref(schema, resolve);
  if (typeof node.const === 'string') out.add(node.const);
  if (Array.isArray(node.enum)) for (const v of node.enum) if (typeof v === 'string') out.add(v);
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = node[key];
    if (Array.isArray(list)) for (const sub of list) collectCodes(sub, resolve, out);
  }
}

function errorCodesOf(response: unknown, resolve: (ref: string) => unknown): string[] {
  const resolved = deref(response, resolve);
  const content = resolved.content as Record<string, { schema?: unknown }> | undefined;
  const schema = content?.['application/json']?.schema;
  if (!schema) return [];
  const codes = new Set<string>();
  const visit = (node: unknown): void => {
    const s = deref(node, resolve);
    const props = s.properties as Record<string, unknown> | undefined;
    if (props?.Code) collectCodes(props.Code, resolve, codes);
    for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
      const list = s[key];
      if (Array.isArray(list)) for (const sub of list) visit(sub);
    }
  };
  visit(schema);
  // ErrorBody itself says `Code: string`, which adds nothing; keep only enumerated codes.
  return [...codes];
}

export function indexContract(document: OpenApiDocument): Contract {
  const resolve = makeResolver(document);
  const paths = (document.paths ?? {}) as Record<string, JsonSchema>;
  const operations = new Map<string, OperationSpec>();
  const commonParameters = new Set<string>();

  for (const [pathKey, rawItem] of Object.entries(paths)) {
    const action = actionOfPathKey(pathKey);
    if (!action) throw new Error(`Path key ${pathKey} is not of the form /#Action=<Action>`);
    const item = deref(rawItem, resolve);
    const op = deref(item.post, resolve);
    if (!op || op.operationId !== action) {
      throw new Error(`Path ${pathKey} must hold a post operation with operationId ${action}`);
    }
    for (const p of (item.parameters as unknown[] | undefined) ?? []) {
      commonParameters.add(deref(p, resolve).name as string);
    }

    const opPointer = `#/paths/${encodePointerToken(pathKey)}/post`;
    const parameters: ParameterSpec[] = [];
    for (const [i, p] of ((op.parameters as unknown[] | undefined) ?? []).entries()) {
      const param = deref(p, resolve);
      const placement: Placement = param.in === 'header' ? 'header' : 'query';
      const ref = (p as JsonSchema).$ref;
      const base = typeof ref === 'string' ? ref : `${opPointer}/parameters/${i}`;
      parameters.push(
        describeParameter(
          param.name as string,
          placement,
          param.required === true,
          param.schema,
          `${base}/schema`,
          resolve,
        ),
      );
    }
    const rawBody = op.requestBody as JsonSchema | undefined;
    const bodyPointer =
      typeof rawBody?.$ref === 'string' ? rawBody.$ref : `${opPointer}/requestBody`;
    const body = deref(op.requestBody ?? {}, resolve);
    const form = (body.content as Record<string, { schema?: unknown }> | undefined)?.[
      'application/x-www-form-urlencoded'
    ];
    if (form?.schema) {
      const formSchema = deref(form.schema, resolve);
      const required = new Set((formSchema.required as string[] | undefined) ?? []);
      const rawForm = form.schema as JsonSchema;
      const formPointer =
        typeof rawForm.$ref === 'string'
          ? rawForm.$ref
          : `${bodyPointer}/content/application~1x-www-form-urlencoded/schema`;
      for (const [name, propSchema] of Object.entries((formSchema.properties ?? {}) as JsonSchema)) {
        const pointer = `${formPointer}/properties/${encodePointerToken(name)}`;
        parameters.push(describeParameter(name, 'body', required.has(name), propSchema, pointer, resolve));
      }
    }

    const errorCodes = new Map<string, string[]>();
    const statusOfCode = new Map<string, number>();
    for (const [status, response] of Object.entries((op.responses ?? {}) as JsonSchema)) {
      if (!isErrorStatus(status)) continue;
      const codes = errorCodesOf(response, resolve);
      errorCodes.set(status, codes);
      for (const code of codes) statusOfCode.set(code, Number(status));
    }

    const spec: OperationSpec = {
      action,
      pathKey,
      parameters,
      byName: new Map(parameters.map((p) => [p.name, p])),
      errorCodes,
      statusOfCode,
      takesDryRun: parameters.some((p) => p.name === 'DryRun'),
      takesClientToken: parameters.some((p) => p.name === 'ClientToken'),
      readOnly: op['x-acs-operation-type'] === 'get' || op['x-acs-operation-type'] === 'list',
      violationCodes: (op['x-acs-violation-codes'] as ViolationCode[] | undefined) ?? [],
    };
    if (op['x-acs-caller'] !== undefined) spec.caller = callerRule(action, op['x-acs-caller']);
    if (op['x-acs-allowed-statuses'] !== undefined) spec.allowedStatuses = stringList(`${action} x-acs-allowed-statuses`, op['x-acs-allowed-statuses']);
    if (op['x-acs-at-least-one-of']) spec.atLeastOneOf = op['x-acs-at-least-one-of'] as AtLeastOneOf;
    if (typeof op['x-acs-operation-type'] === 'string') spec.operationType = op['x-acs-operation-type'];
    operations.set(action, spec);
  }

  const info = (document.info ?? {}) as JsonSchema;
  const base = {
    document,
    version: String(info.version),
    actions: [...operations.keys()],
    operations,
    lifecycle: readLifecycle(document, resolve, operations),
    int64Fields: int64FieldsOf(document, resolve),
    commonParameters,
    resolve,
    deref: (node: unknown) => deref(node, resolve),
    operation: (action: string) => {
      const op = operations.get(action);
      if (!op) throw new Error(`Unknown Action ${action}`);
      return op;
    },
  };
  return { ...base, errors: buildErrorCatalog(base) };
}

/** The schema that carries the life cycle: the connection status enum. */
export const STATUS_SCHEMA = 'PeerConnectionStatus';

function callerRule(action: string, value: unknown): CallerRule {
  if (value === 'requester' || value === 'accepter' || value === 'either') return value;
  throw new Error(`${action}: x-acs-caller must be requester, accepter or either, got ${JSON.stringify(value)}`);
}

function stringList(where: string, value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new Error(`${where} must be a list of strings`);
  return value;
}

/** `P7D`, `PT15M`, `P1DT2H` → milliseconds (days, hours, minutes, seconds only). */
export function isoDurationMs(text: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) throw new Error(`${JSON.stringify(text)} is not an ISO 8601 duration of days, hours, minutes and seconds`);
  const [d, h, min, sec] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number];
  return ((d * 24 + h) * 60 + min) * 60_000 + sec * 1000;
}

/**
 * Reads `x-acs-lifecycle` from the status schema. Throws on a status the enum does not hold or
 * an Action the document does not define, so no consumer runs on a broken life cycle (the lint
 * rules report the same problems with their place in spec/).
 */
function readLifecycle(document: OpenApiDocument, resolve: (ref: string) => unknown, operations: Map<string, OperationSpec>): Lifecycle {
  const schemas = ((document.components as JsonSchema | undefined)?.schemas ?? {}) as Record<string, unknown>;
  const schema = deref(schemas[STATUS_SCHEMA] ?? {}, resolve);
  const states = Array.isArray(schema.enum) ? schema.enum.map(String) : [];
  const raw = (schema['x-acs-lifecycle'] ?? { terminal: [], transitions: [] }) as JsonSchema;
  const known = new Set(states);
  const status = (where: string, value: unknown): string => {
    if (typeof value !== 'string' || !known.has(value)) throw new Error(`x-acs-lifecycle ${where}: ${JSON.stringify(value)} is not a ${STATUS_SCHEMA} value`);
    return value;
  };
  const transitions = ((raw.transitions ?? []) as JsonSchema[]).map((t, i): Transition => {
    const where = `transition ${i + 1}`;
    const out: Transition = {
      from: t.from === null || t.from === '*' ? t.from : status(`${where} from`, t.from),
      when: String(t.when ?? ''),
      via: ((t.via ?? []) as unknown[]).map((v) => status(`${where} via`, v)),
      to: status(`${where} to`, t.to),
    };
    if (t.action !== undefined) {
      if (typeof t.action !== 'string' || !operations.has(t.action)) throw new Error(`x-acs-lifecycle ${where}: unknown Action ${JSON.stringify(t.action)}`);
      out.action = t.action;
    }
    const timer = t.timer as JsonSchema | undefined;
    if (timer !== undefined) out.timer = { after: String(timer.after), afterMs: isoDurationMs(String(timer.after)) };
    if ((out.action === undefined) === (out.timer === undefined)) throw new Error(`x-acs-lifecycle ${where}: needs exactly one of action and timer`);
    return out;
  });
  for (const op of operations.values()) {
    for (const s of op.allowedStatuses ?? []) status(`${op.action} x-acs-allowed-statuses`, s);
  }
  return { states, terminal: ((raw.terminal ?? []) as unknown[]).map((v) => status('terminal', v)), transitions };
}

/** Names of every property the document types `format: int64` (schema refs followed; examples skipped). */
function int64FieldsOf(document: OpenApiDocument, resolve: (ref: string) => unknown): Set<string> {
  const names = new Set<string>();
  const isInt64 = (schema: unknown): boolean => {
    const s = deref(schema, resolve);
    if (s.format === 'int64') return true;
    return (['allOf', 'anyOf', 'oneOf'] as const).some((key) => Array.isArray(s[key]) && (s[key] as unknown[]).some(isInt64));
  };
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'examples' || key === 'example') continue;
      if (key === 'properties' && value && typeof value === 'object') {
        for (const [name, schema] of Object.entries(value)) if (isInt64(schema)) names.add(name);
      }
      walk(value);
    }
  };
  walk(document);
  return names;
}

/**
 * Valid parameters for an Action taken from the contract's own examples: the first request-body
 * example, plus the example of every required query parameter (and of the first parameter of an
 * `x-acs-at-least-one-of` group). Tests and the conformance suite build requests from it, so
 * they never restate the API by hand.
 */
export function exampleParams(contract: Contract, action: string): Record<string, unknown> {
  const op = contract.operations.get(action);
  if (!op) throw new Error(`Unknown Action ${action}`);
  const deref = contract.deref;
  const raw = deref(((contract.document.paths as JsonSchema)[op.pathKey] as JsonSchema).post);
  const params: Record<string, unknown> = {};
  const body = raw.requestBody ? deref(raw.requestBody) : undefined;
  const form = (body?.content as Record<string, { examples?: Record<string, unknown> }> | undefined)?.[
    'application/x-www-form-urlencoded'
  ];
  const first = form?.examples ? Object.values(form.examples)[0] : undefined;
  if (first) Object.assign(params, (deref(first).value ?? {}) as Record<string, unknown>);
  for (const p of (raw.parameters as unknown[] | undefined) ?? []) {
    const param = deref(p);
    const needed = param.required === true || op.atLeastOneOf?.parameters[0] === param.name;
    if (needed && param.in === 'query') params[param.name as string] = param.example;
  }
  return params;
}
