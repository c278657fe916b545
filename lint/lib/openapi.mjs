/**
 * Helpers shared by the vpcpeer-* rule functions in lint/functions/.
 *
 * Every rule function gets Spectral's `(input, options, context)`. Rules that run on the resolved
 * document (the default) see one tree with every `$ref` replaced by its target; Spectral maps the
 * `path` of each result back to the file and line the node comes from.
 *
 * The path key, HTTP methods, error statuses and JSON pointers come from
 * src/contract/conventions.mjs, the one copy src/ reads too.
 *
 * Only relative imports, `node:*` built-ins and npm packages may be imported from here: the
 * Spectral CLI bundles lint/ruleset.mjs with rollup into CommonJS, so `import.meta` is not
 * available, and package imports are `require`d at run time.
 */

import { actionOfPathKey, HTTP_METHODS, isErrorStatus, pointerGet, pointerOf } from '../../src/contract/conventions.mjs';

// The path key, the HTTP methods and the error statuses are the conventions src/ uses too.
export { actionOfPathKey, HTTP_METHODS, isErrorStatus };

/** How a message names a path item: its Action, or the raw key when the key is malformed. */
export function labelOf(pathKey) {
  return actionOfPathKey(pathKey) ?? `path "${pathKey}"`;
}

export function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function nonEmptyString(value) {
  return typeof value === 'string' && value.trim().length > 0;
}

/** Path items of a (resolved) Paths Object: `{ key, label, item, path }`, extensions skipped. */
export function* pathItems(paths) {
  if (!isObject(paths)) return;
  for (const [key, item] of Object.entries(paths)) {
    if (key.startsWith('x-') || !isObject(item)) continue;
    yield { key, label: labelOf(key), item, path: ['paths', key] };
  }
}

/** Operations of a (resolved) Paths Object: `{ key, label, method, operation, pathItem, path }`. */
export function* operations(paths) {
  for (const { key, label, item, path } of pathItems(paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      yield { key, label, method, operation, pathItem: item, path: [...path, method] };
    }
  }
}

/** Path-level then operation-level parameters: `{ parameter, path, level }`. */
export function* parametersOf(op) {
  const levels = [
    ['path-level', op.pathItem.parameters, ['paths', op.key, 'parameters']],
    ['operation', op.operation.parameters, [...op.path, 'parameters']],
  ];
  for (const [level, list, base] of levels) {
    if (!Array.isArray(list)) continue;
    for (const [index, parameter] of list.entries()) {
      if (isObject(parameter)) yield { parameter, path: [...base, index], level };
    }
  }
}

/** `query parameter "Tag"`, `header parameter "x-acs-date"`. */
export function describeParameter(parameter) {
  return `${parameter.in ?? 'unknown-location'} parameter "${parameter.name ?? '?'}"`;
}

/**
 * The node at a resolved-document path as it is written in its source file, before `$ref`
 * resolution: for `{ $ref: X, description: D }` the resolved tree only holds X's content, while
 * this returns the object with `$ref` and its siblings. Undefined when it cannot be located.
 */
export function rawNodeAt(context, path) {
  const inventory = context.documentInventory;
  if (path.length === 0) return inventory.unresolved;
  const parentPath = path.slice(0, -1);
  const last = path[path.length - 1];
  let container;
  if (parentPath.length === 0) {
    container = inventory.unresolved;
  } else {
    const item = inventory.findAssociatedItemForPath(parentPath, true);
    if (!item || !item.document) return undefined;
    // The item only points at the parent when the whole parent path exists in that file.
    if (item.missingPropertyPath && item.missingPropertyPath.length !== item.path.length) return undefined;
    container = pointerGet(item.document.data, pointerOf(item.path));
  }
  if (container === null || typeof container !== 'object') return undefined;
  return container[last];
}

/** True when the resolved node or the `$ref` object written in its place has this key set. */
export function ownOrSibling(context, node, path, key, test = nonEmptyString) {
  if (isObject(node) && test(node[key])) return true;
  const raw = rawNodeAt(context, path);
  return isObject(raw) && typeof raw.$ref === 'string' && test(raw[key]);
}

export function schemaIsArray(schema) {
  if (!isObject(schema)) return false;
  if (schema.type === 'array') return true;
  return Array.isArray(schema.type) && schema.type.includes('array');
}

/** Form-body media types whose top-level properties travel as separate wire parameters. */
export const FORM_MEDIA_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/**
 * Top-level properties of an object schema, including those of its `allOf` members:
 * `{ name, schema, path }` with the resolved-document path of each property.
 */
export function* topLevelProperties(schema, path) {
  if (!isObject(schema)) return;
  if (isObject(schema.properties)) {
    for (const [name, property] of Object.entries(schema.properties)) {
      yield { name, schema: property, path: [...path, 'properties', name] };
    }
  }
  if (Array.isArray(schema.allOf)) {
    for (const [index, member] of schema.allOf.entries()) {
      yield* topLevelProperties(member, [...path, 'allOf', index]);
    }
  }
}

/** Form-body properties of an operation: `{ name, schema, path, mediaType }`. */
export function* formBodyProperties(op) {
  const content = op.operation.requestBody?.content;
  if (!isObject(content)) return;
  for (const mediaType of FORM_MEDIA_TYPES) {
    const media = content[mediaType];
    if (!isObject(media)) continue;
    const base = [...op.path, 'requestBody', 'content', mediaType, 'schema'];
    for (const property of topLevelProperties(media.schema, base)) yield { ...property, mediaType };
  }
}

/** True when the operation takes a request field `name`, in the form body or as a parameter. */
export function takesField(op, name) {
  for (const property of formBodyProperties(op)) if (property.name === name) return true;
  for (const { parameter } of parametersOf(op)) if (parameter.name === name) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Error codes
// ---------------------------------------------------------------------------------------------

const intersect = (a, b) => new Set([...a].filter((value) => b.has(value)));

function combineAll(sets) {
  const known = sets.filter((set) => set !== null);
  if (known.length === 0) return null;
  return known.reduce(intersect);
}

function combineAny(sets) {
  if (sets.length === 0 || sets.some((set) => set === null)) return null;
  return new Set(sets.flatMap((set) => [...set]));
}

/**
 * The string values a schema allows, from `const` and `enum` through `allOf` (intersection) and
 * `anyOf`/`oneOf` (union). Null means the schema does not narrow the value to a finite set.
 */
export function allowedValues(schema, seen = new Set()) {
  if (!isObject(schema) || seen.has(schema)) return null;
  seen.add(schema);
  const parts = [];
  if ('const' in schema) parts.push(new Set([schema.const]));
  if (Array.isArray(schema.enum)) parts.push(new Set(schema.enum));
  if (Array.isArray(schema.allOf)) parts.push(combineAll(schema.allOf.map((s) => allowedValues(s, seen))));
  for (const key of ['anyOf', 'oneOf']) {
    if (Array.isArray(schema[key])) parts.push(combineAny(schema[key].map((s) => allowedValues(s, seen))));
  }
  seen.delete(schema);
  return combineAll(parts);
}

/**
 * The values the `Code` property of an error body schema allows: `properties.Code` of the schema
 * and of its `allOf` members (intersection) and `anyOf`/`oneOf` members (union). Null when no
 * part narrows `Code`.
 */
export function allowedCodes(schema, seen = new Set()) {
  if (!isObject(schema) || seen.has(schema)) return null;
  seen.add(schema);
  const parts = [];
  if (isObject(schema.properties) && 'Code' in schema.properties) {
    parts.push(allowedValues(schema.properties.Code));
  }
  if (Array.isArray(schema.allOf)) parts.push(combineAll(schema.allOf.map((s) => allowedCodes(s, seen))));
  for (const key of ['anyOf', 'oneOf']) {
    if (Array.isArray(schema[key])) parts.push(combineAny(schema[key].map((s) => allowedCodes(s, seen))));
  }
  seen.delete(schema);
  return combineAll(parts);
}

/** JSON media types of a response: `{ mediaType, media, path }`. */
export function* jsonMedia(response, responsePath) {
  if (!isObject(response) || !isObject(response.content)) return;
  for (const [mediaType, media] of Object.entries(response.content)) {
    if (!/^application\/(.+\+)?json\b/.test(mediaType) || !isObject(media)) continue;
    yield { mediaType, media, path: [...responsePath, 'content', mediaType] };
  }
}

/** Path of the `Code` property in an error body schema, for pointing results at it. */
export function codePropertyPath(schema, schemaPath) {
  if (isObject(schema?.properties?.Code)) return [...schemaPath, 'properties', 'Code'];
  return schemaPath;
}

// ---------------------------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------------------------

/**
 * The top-level schemas of an operation with a phrase naming each:
 * `{ schema, path, where }`, e.g. where = `query parameter "Tag"`, `200 response (application/json)`.
 * Path-level parameters are included; callers that visit several operations of one path item
 * dedupe by path.
 */
export function* schemaRoots(op) {
  for (const { parameter, path } of parametersOf(op)) {
    if (isObject(parameter.schema)) {
      yield { schema: parameter.schema, path: [...path, 'schema'], where: describeParameter(parameter) };
    }
  }
  const content = op.operation.requestBody?.content;
  if (isObject(content)) {
    for (const [mediaType, media] of Object.entries(content)) {
      if (!isObject(media) || !isObject(media.schema)) continue;
      const path = [...op.path, 'requestBody', 'content', mediaType, 'schema'];
      yield { schema: media.schema, path, where: `request body (${mediaType})` };
    }
  }
  if (!isObject(op.operation.responses)) return;
  for (const [status, response] of Object.entries(op.operation.responses)) {
    if (!isObject(response)) continue;
    const responsePath = [...op.path, 'responses', status];
    if (isObject(response.headers)) {
      for (const [name, header] of Object.entries(response.headers)) {
        if (!isObject(header) || !isObject(header.schema)) continue;
        const path = [...responsePath, 'headers', name, 'schema'];
        yield { schema: header.schema, path, where: `${status} response header "${name}"` };
      }
    }
    if (isObject(response.content)) {
      for (const [mediaType, media] of Object.entries(response.content)) {
        if (!isObject(media) || !isObject(media.schema)) continue;
        const path = [...responsePath, 'content', mediaType, 'schema'];
        yield { schema: media.schema, path, where: `${status} response (${mediaType})` };
      }
    }
  }
}

/**
 * Calls `visit(schema, path, trail)` for `schema` and every subschema that describes part of the
 * value: properties, pattern properties, items, prefixItems, additional/unevaluated properties,
 * allOf/anyOf/oneOf members and then/else. (`if` and `not` only state conditions.)
 * `trail` names the position in the value: `''`, `Items[].`, `Vpc.`.
 */
export function walkSchema(schema, path, visit, trail = '', stack = new Set()) {
  if (!isObject(schema) || stack.has(schema)) return;
  stack.add(schema);
  visit(schema, path, trail);
  const recurse = (child, childPath, childTrail) => walkSchema(child, childPath, visit, childTrail, stack);
  for (const keyword of ['properties', 'patternProperties']) {
    if (!isObject(schema[keyword])) continue;
    for (const [name, property] of Object.entries(schema[keyword])) {
      recurse(property, [...path, keyword, name], `${trail}${name}.`);
    }
  }
  const itemsTrail = `${trail.replace(/\.$/, '')}[].`;
  if (isObject(schema.items)) recurse(schema.items, [...path, 'items'], itemsTrail);
  if (Array.isArray(schema.prefixItems)) {
    schema.prefixItems.forEach((item, index) => recurse(item, [...path, 'prefixItems', index], itemsTrail));
  }
  for (const keyword of ['additionalProperties', 'unevaluatedProperties']) {
    if (isObject(schema[keyword])) recurse(schema[keyword], [...path, keyword], `${trail}*.`);
  }
  for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
    if (!Array.isArray(schema[keyword])) continue;
    schema[keyword].forEach((member, index) => recurse(member, [...path, keyword, index], trail));
  }
  for (const keyword of ['then', 'else']) {
    if (isObject(schema[keyword])) recurse(schema[keyword], [...path, keyword], trail);
  }
  stack.delete(schema);
}

/** `the 200 response (application/json)` or `property "Items[].Name" of the 200 response (…)`. */
export function describePosition(where, trail) {
  const name = trail.replace(/\.$/, '');
  return name === '' ? `the ${where}` : `"${name}" in the ${where}`;
}

// ---------------------------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------------------------

/**
 * Where a resolved-document path lives in the source files: `<file>#<path in that file>`. A
 * shared component reached from eleven operations has one source key.
 */
export function sourceKey(context, path) {
  try {
    const item = context.documentInventory.findAssociatedItemForPath(path, true);
    if (item && item.document) return `${item.document.source}#${JSON.stringify(item.path)}`;
  } catch {
    // fall through
  }
  return JSON.stringify(path);
}

/**
 * Collects results, keeping one per (source location, problem): a defect in a shared component
 * is reported once, in the words of the first operation that reaches it, not once per use.
 */
export function createReporter(context) {
  const seen = new Set();
  const results = [];
  /** True the first time this (location, problem) pair is seen. */
  const first = (path, problem) => {
    const key = `${sourceKey(context, path)}|${problem}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  const report = (message, path, problem = message) => {
    if (first(path, problem)) results.push({ message, path });
  };
  return { results, first, report };
}
