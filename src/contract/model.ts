/**
 * An index over the bundled contract (generated/openapi.json): for each Action, its parameters
 * with their place on the wire, their (reference-resolved) schemas and list styles, and its
 * documented responses. Every runtime (client, mock, emulator, validators) reads the API from
 * here.
 *
 * Browser-safe: no Node imports.
 */
import { actionOfPathKey, decodePointerToken, encodePointerToken, isErrorStatus } from './conventions.mjs';

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

export interface OperationSpec {
  action: string;
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
}

export interface Contract {
  document: OpenApiDocument;
  version: string;
  actions: string[];
  operations: Map<string, OperationSpec>;
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
      violationCodes: (op['x-acs-violation-codes'] as ViolationCode[] | undefined) ?? [],
    };
    if (op['x-acs-at-least-one-of']) spec.atLeastOneOf = op['x-acs-at-least-one-of'] as AtLeastOneOf;
    if (typeof op['x-acs-operation-type'] === 'string') spec.operationType = op['x-acs-operation-type'];
    operations.set(action, spec);
  }

  const info = (document.info ?? {}) as JsonSchema;
  return {
    document,
    version: String(info.version),
    actions: [...operations.keys()],
    operations,
    commonParameters,
    resolve,
    deref: (node) => deref(node, resolve),
  };
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
