/**
 * vpcpeer-path-file (unresolved root document, given `$.paths`)
 *
 * In the root document every path item is only `$ref: paths/<Action>.yaml`, so that a newcomer
 * finds an operation by its Action name in one step.
 */
import { actionOfPathKey, isObject } from '../lib/openapi.mjs';

export default function vpcpeerPathFile(paths) {
  if (!isObject(paths)) return [];
  const results = [];
  for (const [key, item] of Object.entries(paths)) {
    const action = actionOfPathKey(key);
    if (action === undefined) continue; // vpcpeer-path-key reports malformed keys
    const expected = `paths/${action}.yaml`;
    const path = ['paths', key];
    if (!isObject(item) || typeof item.$ref !== 'string') {
      results.push({
        message: `${action}: the path item is written inline in the root document; move it to ${expected} and write "$ref: ${expected}".`,
        path,
      });
      continue;
    }
    const ref = item.$ref.replace(/^\.\//, '');
    if (ref !== expected) {
      results.push({
        message: `${action}: the path item is "$ref: ${item.$ref}"; it must be "$ref: ${expected}".`,
        path: [...path, '$ref'],
      });
    }
    const siblings = Object.keys(item).filter((k) => k !== '$ref');
    if (siblings.length > 0) {
      results.push({
        message: `${action}: the path item has ${siblings.map((k) => `"${k}"`).join(', ')} beside its $ref; write them in ${expected}.`,
        path: [...path, siblings[0]],
      });
    }
  }
  return results;
}
