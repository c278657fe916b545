/**
 * What the three lifecycle rules share: finding the status schema that carries `x-acs-lifecycle`
 * in a resolved document (the schema is reached through file `$ref`s, so it may sit anywhere),
 * and reading each operation's `x-acs-caller` / `x-acs-allowed-statuses`.
 */
import { isObject, operations } from './openapi.mjs';

/**
 * The schema holding `x-acs-lifecycle`: `{ schema, path, states }` (states = its enum), the first
 * place it is found, or undefined when the document has no lifecycle. Components are searched
 * first, then the whole document (a split spec inlines the schema where it is used).
 */
export function findLifecycle(document) {
  const seen = new Set();
  const queue = [];
  if (isObject(document?.components)) queue.push({ node: document.components, path: ['components'] });
  queue.push({ node: document, path: [] });
  while (queue.length > 0) {
    const { node, path } = queue.shift();
    if (node === null || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    if (!Array.isArray(node) && 'x-acs-lifecycle' in node) {
      return { schema: node, path, states: Array.isArray(node.enum) ? node.enum.map(String) : [] };
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === 'examples' || key === 'example') continue;
      if (value !== null && typeof value === 'object') queue.push({ node: value, path: [...path, Array.isArray(node) ? Number(key) : key] });
    }
  }
  return undefined;
}

/** The transitions of a lifecycle with their paths: `{ transition, path }` (objects only). */
export function* transitionsOf(found) {
  const lifecycle = found.schema['x-acs-lifecycle'];
  const list = isObject(lifecycle) && Array.isArray(lifecycle.transitions) ? lifecycle.transitions : [];
  for (const [index, transition] of list.entries()) {
    if (isObject(transition)) yield { transition, path: [...found.path, 'x-acs-lifecycle', 'transitions', index] };
  }
}

/** The terminal states as written (strings only). */
export function terminalOf(found) {
  const lifecycle = found.schema['x-acs-lifecycle'];
  return isObject(lifecycle) && Array.isArray(lifecycle.terminal) ? lifecycle.terminal.filter((s) => typeof s === 'string') : [];
}

/** Operations with their lifecycle declarations: `{ op, caller, allowed, readOnly }` by Action. */
export function lifecycleOperations(paths) {
  const out = new Map();
  for (const op of operations(paths)) {
    const { operation } = op;
    const type = operation['x-acs-operation-type'];
    out.set(op.label, {
      op,
      caller: operation['x-acs-caller'],
      allowed: operation['x-acs-allowed-statuses'],
      readOnly: type === 'get' || type === 'list',
    });
  }
  return out;
}

/** Actions whose call creates a connection (a transition `from: null`). */
export function creatingActions(found) {
  const out = new Set();
  for (const { transition } of transitionsOf(found)) {
    if (transition.from === null && typeof transition.action === 'string') out.add(transition.action);
  }
  return out;
}
