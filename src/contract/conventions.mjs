/**
 * Conventions of the VpcPeer document that the lint rules (lint/) and the TypeScript code (src/)
 * both rely on: the `/#Action=<Action>` path key, which response statuses are errors, and JSON
 * pointers. Plain JavaScript with typings beside it (conventions.d.mts) so Spectral's bundler
 * and tsc read the same file. No imports: it runs in Node, in Spectral and in browsers.
 */

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** A path key of this document: `/#Action=<Action>`, the Action starting with a letter. */
export const PATH_KEY = /^\/#Action=([A-Za-z][A-Za-z0-9]*)$/;

/** The Action named by a path key, or undefined for any other key. */
export function actionOfPathKey(pathKey) {
  const match = PATH_KEY.exec(pathKey);
  return match ? match[1] : undefined;
}

/** The path key of an Action. */
export function pathKeyOf(action) {
  return `/#Action=${action}`;
}

/** Whether a response key is an error status: `400`…`599`, or the ranges `4XX`/`5XX`. */
export function isErrorStatus(status) {
  return /^[45](\d\d|XX)$/i.test(String(status));
}

/** JSON-pointer token → key (`~1` is `/`, `~0` is `~`). */
export function decodePointerToken(token) {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Key → JSON-pointer token (`/` is `~1`, `~` is `~0`). */
export function encodePointerToken(token) {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** A JSON pointer (`/a/b~1c`) from path segments. */
export function pointerOf(path) {
  return path.map((p) => `/${encodePointerToken(String(p))}`).join('');
}

/** Reads a JSON pointer (`/a/b` or `#/a/b`) from `doc`; undefined when any step is missing. */
export function pointerGet(doc, pointer) {
  const body = pointer.startsWith('#') ? pointer.slice(1) : pointer;
  if (body === '' || body === '/') return doc;
  let node = doc;
  for (const step of body.split('/').slice(1).map(decodePointerToken)) {
    if (Array.isArray(node)) node = node[Number(step)];
    else if (node !== null && typeof node === 'object') node = node[step];
    else return undefined;
  }
  return node;
}
