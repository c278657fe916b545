/**
 * Small readers over a bundled VpcPeer document (generated/openapi.json or any bundle made by
 * `bundleSpec`): the operations keyed by Action, local `$ref`s, and the error codes each
 * operation documents as named examples. Shared by the docs build and the contract diff.
 */
import { decodePointerToken, encodePointerToken } from '../contract/model.ts';

export type Obj = Record<string, unknown>;

export function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Follows local `$ref`s (`#/components/...`) until it reaches a value without one. */
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

/** Reads a JSON pointer (`/a/b~1c`) from `doc`; undefined when any step is missing. */
export function pointerGet(doc: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '/') return doc;
  const steps = pointer.split('/').slice(1).map(decodePointerToken);
  let node: unknown = doc;
  for (const step of steps) {
    if (Array.isArray(node)) node = node[Number(step)];
    else if (isObj(node)) node = node[step];
    else return undefined;
  }
  return node;
}

export function pointerOf(path: ReadonlyArray<string | number>): string {
  return path.map((p) => `/${encodePointerToken(String(p))}`).join('');
}

const ACTION_KEY = /^\/#Action=([A-Za-z0-9]+)$/;

/** The Action named by a path key `/#Action=<Action>`, or undefined for any other key. */
export function actionOfPathKey(pathKey: string): string | undefined {
  return ACTION_KEY.exec(pathKey)?.[1];
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

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

export function isErrorStatus(status: string): boolean {
  return /^[45]\d\d$/.test(status) || /^[45]XX$/i.test(status);
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
