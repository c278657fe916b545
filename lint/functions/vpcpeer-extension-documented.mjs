/**
 * vpcpeer-extension-documented (resolved document, given `$`)
 *
 * Every `x-` extension key used in the document is listed in the table of `extensions.md` next to
 * the linted root document (spec/extensions.md for the real contract). A listed name is the
 * first backticked `x-…` name in the first column of a table row.
 *
 * Keys that are names rather than extensions are not checked: schema property names, header and
 * media type names, example names, component names; nor anything inside example values, enums,
 * defaults, consts or the values of extensions themselves.
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { createReporter, isObject, labelOf } from '../lib/openapi.mjs';

/** Keys whose object value maps names to things: its own keys are names, not extensions. */
const NAME_MAPS = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
  'dependentRequired',
  'headers',
  'content',
  'encoding',
  'mapping',
  'variables',
  'scopes',
  'links',
  'webhooks',
  'securitySchemes',
]);

/** Keys whose value is data, never OpenAPI structure. */
const DATA = new Set(['example', 'default', 'const', 'enum', 'value']);

export function documentedExtensions(markdown) {
  const names = new Set();
  for (const line of markdown.split(/\r?\n/)) {
    const firstCell = /^\s*\|([^|]*)\|/.exec(line)?.[1];
    const name = firstCell && /`(x-[^`\s]+)`/.exec(firstCell)?.[1];
    if (name) names.add(name);
  }
  return names;
}

export default function vpcpeerExtensionDocumented(document, _options, context) {
  const used = [];
  walk(document, [], false, used);
  if (used.length === 0) return [];

  const source = context.document.source;
  if (!source) return [];
  const file = resolve(dirname(source), 'extensions.md');
  const shown = relative(process.cwd(), file) || file;
  let documented;
  try {
    documented = documentedExtensions(readFileSync(file, 'utf8'));
  } catch {
    return [{ message: `The document uses x- extensions but ${shown} cannot be read; it must list every extension.`, path: [] }];
  }
  const { results, report } = createReporter(context);
  for (const { name, path } of used) {
    if (documented.has(name)) continue;
    report(`${where(path)}: extension "${name}" is not listed in ${shown}; add a row for it.`, path, name);
  }
  return results;
}

/** `ListTagResources post`, `ListTagResources post.responses.400`, or the root pointer. */
function where(path) {
  if (path[0] === 'paths' && typeof path[1] === 'string') {
    const rest = path.slice(2, -1).join('.');
    return `${labelOf(path[1])}${rest ? ` ${rest}` : ''}`;
  }
  const rest = path.slice(0, -1).join('.');
  return rest ? `At ${rest}` : 'At the document root';
}

function walk(node, path, keysAreNames, used) {
  if (Array.isArray(node)) {
    node.forEach((item, index) => walk(item, [...path, index], false, used));
    return;
  }
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (!keysAreNames && key.startsWith('x-')) {
      used.push({ name: key, path: [...path, key] });
      continue; // an extension's value is free-form
    }
    if (!keysAreNames && DATA.has(key)) continue;
    if (!keysAreNames && key === 'examples') {
      // schema `examples` is a list of values; media/parameter `examples` maps names to Example Objects
      if (isObject(value)) walk(value, [...path, key], true, used);
      continue;
    }
    const inComponents = path.length === 1 && path[0] === 'components';
    const childAreNames = !keysAreNames && (NAME_MAPS.has(key) || inComponents);
    walk(value, [...path, key], childAreNames, used);
  }
}
