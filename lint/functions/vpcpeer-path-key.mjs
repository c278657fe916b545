/**
 * vpcpeer-path-key (resolved document, given `$.paths`)
 *
 * Each path key is `/#Action=<Action>`; its path item holds only `post`; the operationId is the
 * Action; and the path-level `Action` query parameter and `x-acs-action` header parameter are
 * `const: <Action>`. (That these two parameters exist at all is vpcpeer-common-parameters' job.)
 */
import { HTTP_METHODS, actionOfPathKey, isObject, pathItems } from '../lib/openapi.mjs';

export default function vpcpeerPathKey(paths) {
  const results = [];
  for (const { key, item, path } of pathItems(paths)) {
    const action = actionOfPathKey(key);
    if (action === undefined) {
      results.push({
        message: `Path key "${key}" is not of the form "/#Action=<Action>" (one path item per Action).`,
        path,
      });
      continue;
    }
    for (const method of HTTP_METHODS) {
      if (method !== 'post' && method in item) {
        results.push({
          message: `${action}: the path item has a "${method}" operation; an Action's path item holds only "post".`,
          path: [...path, method],
        });
      }
    }
    const post = item.post;
    if (!isObject(post)) {
      results.push({ message: `${action}: the path item has no "post" operation.`, path });
    } else if (post.operationId !== action) {
      results.push({
        message: `${action}: operationId is ${JSON.stringify(post.operationId ?? null)}; it must be the Action name "${action}".`,
        path: [...path, 'post', ...('operationId' in post ? ['operationId'] : [])],
      });
    }
    const parameters = Array.isArray(item.parameters) ? item.parameters : [];
    for (const [name, location] of [['Action', 'query'], ['x-acs-action', 'header']]) {
      parameters.forEach((parameter, index) => {
        if (!isObject(parameter) || parameter.name !== name || parameter.in !== location) return;
        const schema = isObject(parameter.schema) ? parameter.schema : {};
        if (schema.const !== action) {
          results.push({
            message: `${action}: the path-level ${location} parameter "${name}" has ${'const' in schema ? `const ${JSON.stringify(schema.const)}` : 'no const'}; it must be const "${action}".`,
            path: [...path, 'parameters', index, 'schema', ...('const' in schema ? ['const'] : [])],
          });
        }
      });
    }
  }
  return results;
}
