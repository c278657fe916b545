/**
 * vpcpeer-error-responses (resolved document, given `$.paths`)
 *
 * Every operation declares the error statuses the service and its gateway use: 400, 403, 404,
 * 500 and 503.
 */
import { isObject, operations } from '../lib/openapi.mjs';

export const ERROR_STATUSES = ['400', '403', '404', '500', '503'];

export default function vpcpeerErrorResponses(paths) {
  const results = [];
  for (const { label, operation, path } of operations(paths)) {
    const responses = isObject(operation.responses) ? operation.responses : {};
    for (const status of ERROR_STATUSES) {
      if (status in responses) continue;
      results.push({
        message: `${label}: there is no ${status} response; every operation declares ${ERROR_STATUSES.join(', ')}.`,
        path: [...path, ...(isObject(operation.responses) ? ['responses'] : [])],
      });
    }
  }
  return results;
}
