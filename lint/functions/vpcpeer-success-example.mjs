/**
 * vpcpeer-success-example (resolved document, given `$.paths`)
 *
 * Every operation's 200 `application/json` response has at least one named example (under
 * `examples`), which the mock serves and the docs show.
 */
import { isObject, operations } from '../lib/openapi.mjs';

export default function vpcpeerSuccessExample(paths) {
  const results = [];
  for (const { label, operation, path } of operations(paths)) {
    const responsePath = [...path, 'responses', '200'];
    const response = operation.responses?.['200'];
    if (!isObject(response)) {
      results.push({ message: `${label}: there is no 200 response.`, path: [...path, 'responses'] });
      continue;
    }
    const media = response.content?.['application/json'];
    if (!isObject(media)) {
      results.push({ message: `${label}: the 200 response has no application/json content.`, path: responsePath });
      continue;
    }
    const examples = media.examples;
    if (!isObject(examples) || Object.keys(examples).length === 0) {
      results.push({
        message: `${label}: the 200 application/json response has no named example; add one under "examples".`,
        path: [...responsePath, 'content', 'application/json'],
      });
    }
  }
  return results;
}
