/**
 * Small readers over any bundled VpcPeer document (generated/openapi.json, or either side of a
 * diff, which may be malformed): the operations keyed by Action, local `$ref`s, and the error
 * codes each operation documents as named examples. Shared by the docs build and the contract
 * diff. The path key, the error statuses and JSON pointers are the conventions of
 * src/contract/conventions.mjs, which the lint rules share.
 */
import { actionOfPathKey, HTTP_METHODS, isErrorStatus, pointerGet, pointerOf } from '../contract/conventions.mjs';

export { actionOfPathKey, HTTP_METHODS, isErrorStatus, pointerGet, pointerOf };

export type Obj = Record<string, unknown>;

export function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Follows local `$ref`s (`#/components/...`) until it reaches a value without one; a foreign,
 * dangling or circular reference is returned as it is (the diff reads documents it cannot trust,
 * where src/contract's resolver would throw).
 */
export function deref(doc: unknown, value: unknown): unknown {
  let current = value;
  const seen = new Set<string>();
  while (isObj(current) && typeof current.$ref === 'string') {
    const ref = current.$ref;
    if (!ref.startsWith('#/') || seen.has(ref)) return current;
    seen.add(ref);
    current = pointerGet(doc, ref.slice(1));
  }
  return current;
}

export interface ActionOperation {
  action: string;
  pathKey: string;
  method: string;
  pathItem: Obj;
  operation: Obj;
}

/** Every operation of the document, in document order, with the Action its path key names. */
export function listActions(doc: unknown): ActionOperation[] {
  const paths = isObj(doc) && isObj(doc.paths) ? doc.paths : {};
  const out: ActionOperation[] = [];
  for (const [pathKey, rawItem] of Object.entries(paths)) {
    const pathItem = deref(doc, rawItem);
    const action = actionOfPathKey(pathKey);
    if (!isObj(pathItem) || action === undefined) continue;
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (isObj(operation)) out.push({ action, pathKey, method, pathItem, operation });
    }
  }
  return out;
}

export interface ErrorCode {
  /** HTTP status of the response that documents the code. */
  status: string;
  code: string;
  /** The message template, e.g. `The status of %s [%s] is incorrect.` */
  message: string;
  summary: string;
  /** When it happens. */
  description: string;
  unverified?: string;
}

/** The error codes an operation documents: one per named example of its 4xx/5xx responses. */
export function errorCodes(doc: unknown, operation: Obj): ErrorCode[] {
  const responses = isObj(operation.responses) ? operation.responses : {};
  const out: ErrorCode[] = [];
  for (const [status, rawResponse] of Object.entries(responses)) {
    if (!isErrorStatus(status)) continue;
    const response = deref(doc, rawResponse);
    if (!isObj(response) || !isObj(response.content)) continue;
    for (const media of Object.values(response.content)) {
      if (!isObj(media) || !isObj(media.examples)) continue;
      for (const [name, rawExample] of Object.entries(media.examples)) {
        const example = deref(doc, rawExample);
        if (!isObj(example)) continue;
        out.push(toErrorCode(status, name, example));
      }
    }
  }
  return out;
}

/** Reads one named error example (already dereferenced). The example's `Code` wins over its key. */
export function toErrorCode(status: string, name: string, example: Obj): ErrorCode {
  const value = isObj(example.value) ? example.value : {};
  const entry: ErrorCode = {
    status,
    code: typeof value.Code === 'string' ? value.Code : name,
    message: typeof value.Message === 'string' ? value.Message : '',
    summary: typeof example.summary === 'string' ? example.summary : '',
    description: typeof example.description === 'string' ? example.description : '',
  };
  if (typeof example['x-acs-unverified'] === 'string') entry.unverified = example['x-acs-unverified'];
  return entry;
}
