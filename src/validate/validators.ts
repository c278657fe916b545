/**
 * Ajv (JSON Schema 2020-12) validators compiled from the bundled contract, keyed by Action (and
 * HTTP status for answers). OpenAPI's own keywords are declared as an Ajv vocabulary, so Ajv
 * runs in strict mode and still accepts the whole document; schemas are reached by JSON pointer,
 * so `$ref`s resolve exactly as in the document.
 *
 * - `checkRequest` turns decoded parameters into the error the real service would give
 *   (`MissingParameter` / `InvalidParameter` naming the parameter, or an operation's own code).
 * - `checkResponse` reports every way an answer breaks the contract, with the Action, the JSON
 *   path, the rule and the offending value.
 *
 * Each validator is compiled on first use; request validators are taken from the build's
 * precompiled ones (src/validate/precompiled.ts) when they were offered for this very document.
 */
import { Ajv2020, type ErrorObject, type Options, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { decodePointerToken, encodePointerToken, type Contract, type OperationSpec } from '../contract/model.ts';
import { errorAnswer, type ErrorAnswer, type ErrorCatalog, type ErrorOptions, type WireCode } from '../wire/errors.ts';
import { decodeParams } from '../wire/codec.ts';
import type { WireRequest } from '../wire/router.ts';
import { precompiledValidatorsFor } from './precompiled.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** Keywords of the OpenAPI document that are not JSON Schema (our `x-` extensions are added from the document). */
const OPENAPI_VOCABULARY = [
  'openapi',
  'info',
  'servers',
  'paths',
  'components',
  'security',
  'tags',
  'jsonSchemaDialect',
  'example',
  'xml',
  'externalDocs',
  'discriminator',
];

/** Every `x-` key the document uses, so Ajv's strict mode knows them as annotations. */
function extensionKeys(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) extensionKeys(item, out);
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith('x-')) out.add(key);
      else extensionKeys(value, out);
    }
  }
  return out;
}

export const DOCUMENT_ID = 'https://vpcpeer.contract/openapi.json';

/** The Ajv instance over the whole document (`extra`: the build adds `code` options for standalone code). */
export function createAjv(contract: Contract, extra: Options = {}): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: true, ...extra });
  addFormats(ajv);
  ajv.addVocabulary([...OPENAPI_VOCABULARY, ...extensionKeys(contract.document)]);
  ajv.addSchema({ ...contract.document, $id: DOCUMENT_ID });
  return ajv;
}

/** A JSON pointer (`#/...`) into the contract, as a URI Ajv can resolve. */
export function documentRef(pointer: string): string {
  return `${DOCUMENT_ID}#${encodeURI(pointer.slice(1)).replace(/#/g, '%23')}`;
}

/** The schema an Action's decoded parameters are checked against (headers are not parameters here). */
export function requestSchema(op: OperationSpec): Record<string, unknown> {
  const params = op.parameters.filter((p) => p.placement !== 'header');
  return {
    type: 'object',
    properties: Object.fromEntries(params.map((p) => [p.name, { $ref: documentRef(p.pointer) }])),
    required: params.filter((p) => p.required).map((p) => p.name),
  };
}

/** The schema of an Action's answer body with this status, or undefined when the status is not documented. */
export function responseSchema(contract: Contract, op: OperationSpec, status: number): Record<string, unknown> | undefined {
  const paths = contract.document.paths as Record<string, { post: { responses: Record<string, unknown> } }>;
  const declared = paths[op.pathKey]!.post.responses[String(status)];
  if (!declared) return undefined;
  const pointer =
    typeof (declared as { $ref?: unknown }).$ref === 'string'
      ? (declared as { $ref: string }).$ref
      : `#/paths/${encodePointerToken(op.pathKey)}/post/responses/${status}`;
  return { $ref: documentRef(`${pointer}/content/application~1json/schema`) };
}

export interface RequestRejection {
  /** A documented code: the literal codes here are type-checked, the others read from the contract. */
  code: WireCode;
  parameter?: string;
  /** The template's `%s` values. */
  fill: string[];
  /** The broken rule, appended to the message. */
  detail?: string;
}

export interface ResponseIssue {
  /** JSON path in the body, `$` for the whole body. */
  path: string;
  /** What was broken: a JSON Schema keyword, or `status`, `code`, `content-type`, `casing`. */
  rule: string;
  message: string;
  value?: unknown;
}

function wireName(op: OperationSpec, instancePath: string, missing?: string): string {
  const parts = instancePath.split('/').slice(1).map(decodePointerToken);
  if (missing !== undefined) parts.push(missing);
  const [head, ...rest] = parts;
  if (head === undefined) return '';
  const spec = op.byName.get(head);
  if (spec?.listStyle === 'simple') return head;
  return [head, ...rest.map((p) => (/^\d+$/.test(p) ? String(Number(p) + 1) : p))].join('.');
}

function ruleSentence(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'enum':
      return `It must be one of: ${(params.allowedValues as unknown[]).join(', ')}.`;
    case 'const':
      return `It must be ${String(params.allowedValue)}.`;
    case 'pattern':
      return `It must match the pattern ${String(params.pattern)}.`;
    case 'format':
      return `It must be a valid ${String(params.format)}.`;
    default:
      return `It ${error.message ?? 'is not valid'}.`;
  }
}

export interface Validators {
  contract: Contract;
  catalog: ErrorCatalog;
  /** Ajv over the whole document (made on first read when the validators were precompiled). */
  readonly ajv: Ajv2020;
  /** The first problem with an operation's decoded parameters, as the service would report it. */
  checkRequest(action: string, params: Record<string, unknown>): RequestRejection | undefined;
  /** Every way an answer breaks the contract (empty when it conforms). */
  checkResponse(action: string, status: number, body: unknown, contentType?: string): ResponseIssue[];
}

export function createValidators(contract: Contract): Validators {
  const precompiled = precompiledValidatorsFor(contract.document);
  // Without precompiled validators the document is checked against the JSON Schema meta-schema
  // now (a bad --spec fails at start, not on a request); with them, Ajv is made only if needed.
  let ajvInstance = precompiled ? undefined : createAjv(contract);
  const ajv = () => (ajvInstance ??= createAjv(contract));
  const catalog = contract.errors;
  const requestValidators = new Map<string, ValidateFunction>();
  const responseValidators = new Map<string, ValidateFunction | null>();
  const knownFields = declaredFieldNames(contract.document);

  const requestValidator = (op: OperationSpec): ValidateFunction => {
    let validate = requestValidators.get(op.action);
    if (!validate) {
      validate = precompiled?.request[op.action] ?? ajv().compile(requestSchema(op));
      requestValidators.set(op.action, validate);
    }
    return validate;
  };

  const responseValidator = (op: OperationSpec, status: number): ValidateFunction | null => {
    const key = `${op.action} ${status}`;
    if (!responseValidators.has(key)) {
      const schema = responseSchema(contract, op, status);
      responseValidators.set(key, schema ? ajv().compile(schema) : null);
    }
    return responseValidators.get(key)!;
  };

  return {
    contract,
    catalog,
    get ajv() {
      return ajv();
    },
    checkRequest(action, params) {
      const op = contract.operations.get(action);
      if (!op) return { code: 'InvalidAction.NotFound', fill: [] };
      const validate = requestValidator(op);
      if (!validate(params)) {
        const errors = validate.errors ?? [];
        const order = (e: ErrorObject) => {
          const name = e.instancePath.split('/')[1] ?? (e.params as { missingProperty?: string }).missingProperty;
          return op.parameters.findIndex((p) => p.name === name);
        };
        const missing = errors.filter((e) => e.keyword === 'required').sort((a, b) => order(a) - order(b));
        if (missing[0]) {
          const name = wireName(op, missing[0].instancePath, (missing[0].params as { missingProperty: string }).missingProperty);
          return { code: 'MissingParameter', parameter: name, fill: [name] };
        }
        // Keywords that only summarise other failures (anyOf, if/then) say less than their causes.
        const precise = errors.filter((e) => !['anyOf', 'oneOf', 'if', 'allOf'].includes(e.keyword));
        const first = (precise.length ? precise : errors).sort((a, b) => order(a) - order(b))[0]!;
        const name = wireName(op, first.instancePath);
        const special = op.violationCodes.find(
          (v) => v.keyword === first.keyword && new RegExp(`^${v.parameter.replace(/\./g, '\\.').replace(/\*/g, '\\d+')}$`).test(name),
        );
        if (special) return { code: special.code as WireCode, parameter: name, fill: [], detail: `Parameter: ${name}.` };
        return { code: 'InvalidParameter', parameter: name, fill: [name], detail: ruleSentence(first) };
      }
      if (op.atLeastOneOf && !op.atLeastOneOf.parameters.some((p) => params[p] !== undefined)) {
        return { code: op.atLeastOneOf.code as WireCode, fill: [] };
      }
      return undefined;
    },
    checkResponse(action, status, body, contentType) {
      const issues: ResponseIssue[] = [];
      const op = contract.operations.get(action);
      if (!op) return [{ path: '$', rule: 'action', message: `${action} is not an Action of this contract` }];
      if (contentType !== undefined && !/^application\/json\b/i.test(contentType)) {
        issues.push({ path: '$', rule: 'content-type', message: `Content-Type must be application/json`, value: contentType });
      }
      const validate = responseValidator(op, status);
      if (!validate) {
        issues.push({ path: '$', rule: 'status', message: `${action} does not document HTTP ${status}`, value: status });
      } else if (!validate(body)) {
        for (const e of validate.errors ?? []) issues.push(schemaIssue(e, body));
      }
      if (status >= 400 && body && typeof body === 'object' && typeof (body as { Code?: unknown }).Code === 'string') {
        const code = (body as { Code: string }).Code;
        const documented = catalog.status(code, action);
        const own = catalog.codesOf(action).includes(code);
        if (!own) {
          issues.push({ path: '$.Code', rule: 'code', message: `${action} does not document the error code ${code}`, value: code });
        } else if (documented !== status) {
          issues.push({ path: '$.Code', rule: 'status', message: `${code} is documented with HTTP ${documented}, got ${status}`, value: status });
        }
      }
      return tidy(issues, knownFields);
    },
  };
}

/** Every property name declared anywhere in the contract, to tell a side effect from a stray field. */
function declaredFieldNames(document: unknown): Set<string> {
  const names = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'properties' && value && typeof value === 'object') for (const name of Object.keys(value)) names.add(name);
      if (key !== 'examples' && key !== 'example') walk(value);
    }
  };
  walk(document);
  return names;
}

function valueAt(body: unknown, instancePath: string): unknown {
  let node = body;
  for (const part of instancePath.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[decodePointerToken(part)];
  }
  return node;
}

function jsonPath(instancePath: string, extra?: string): string {
  const parts = instancePath.split('/').slice(1);
  if (extra !== undefined) parts.push(extra);
  return `$${parts.map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join('')}`;
}

function schemaIssue(error: ErrorObject, body: unknown): ResponseIssue {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') {
    return { path: jsonPath(error.instancePath, params.missingProperty as string), rule: 'required', message: `missing required field` };
  }
  if (error.keyword === 'additionalProperties' || error.keyword === 'unevaluatedProperties') {
    const field = (params.additionalProperty ?? params.unevaluatedProperty) as string;
    return { path: jsonPath(error.instancePath, field), rule: error.keyword, message: `field is not in the contract`, value: valueAt(body, `${error.instancePath}/${field}`) };
  }
  return {
    path: jsonPath(error.instancePath),
    rule: error.keyword,
    message: error.message ?? 'is not valid',
    value: valueAt(body, error.instancePath),
  };
}

/**
 * Removes the echoes of one defect so each is reported once: a wrong-case field becomes one
 * `casing` issue instead of "missing X" plus "unknown x"; when an `allOf` branch fails, Ajv also
 * calls every declared field "unevaluated", which is noise; an undocumented code is reported as
 * `code`, not also as the enum/anyOf failures behind it.
 */
function tidy(issues: ResponseIssue[], knownFields: Set<string>): ResponseIssue[] {
  const isStray = (i: ResponseIssue) => i.rule === 'additionalProperties' || i.rule === 'unevaluatedProperties';
  const lastSegment = (path: string) => path.slice(path.lastIndexOf('.') + 1);
  const missing = issues.filter((i) => i.rule === 'required');
  const hasOtherDefects = issues.some((i) => !isStray(i) && i.rule !== 'content-type');
  const codeReported = issues.some((i) => i.rule === 'code' || (i.rule === 'status' && i.path === '$.Code'));
  const out: ResponseIssue[] = [];
  const seen = new Set<string>();
  const push = (issue: ResponseIssue) => {
    const key = `${issue.path} ${issue.rule}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(issue);
    }
  };
  for (const issue of issues) {
    if (isStray(issue)) {
      const twin = missing.find((m) => m.path.toLowerCase() === issue.path.toLowerCase());
      if (twin) {
        push({ path: issue.path, rule: 'casing', message: `field name has the wrong casing; the contract says ${twin.path}`, value: issue.value });
        continue;
      }
      if (hasOtherDefects && issue.rule === 'unevaluatedProperties' && knownFields.has(lastSegment(issue.path))) continue;
    }
    if (issue.rule === 'required' && issues.some((o) => isStray(o) && o.path !== issue.path && o.path.toLowerCase() === issue.path.toLowerCase())) continue;
    if (codeReported && issue.path === '$.Code' && ['enum', 'const', 'anyOf', 'oneOf'].includes(issue.rule)) continue;
    push(issue);
  }
  return out;
}

export type ValidatedRequest =
  | { ok: true; params: Record<string, unknown>; exactIntegers: Map<string, string> }
  | { ok: false; answer: ErrorAnswer };

/**
 * Decodes a routed request's parameters (query and form body) and checks them against the
 * contract: the logical parameters, or the error answer the service would give.
 */
export function validateWireRequest(validators: Validators, operation: OperationSpec, request: WireRequest): ValidatedRequest {
  const action = operation.action;
  const fail = (code: WireCode, options: ErrorOptions) => ({ ok: false, answer: errorAnswer(validators.catalog, code, { action, ...options }) }) as const;
  const decoded = decodeParams(operation, [...request.query, ...request.body]);
  if (!decoded.ok) {
    const { code, parameter, reason } = decoded.problem;
    return fail(code, { fill: [parameter], ...(reason && { detail: reason }) });
  }
  const rejection = validators.checkRequest(action, decoded.value.params);
  if (rejection) return fail(rejection.code, { fill: rejection.fill, ...(rejection.detail && { detail: rejection.detail }) });
  return { ok: true, params: decoded.value.params, exactIntegers: decoded.value.exactIntegers };
}
