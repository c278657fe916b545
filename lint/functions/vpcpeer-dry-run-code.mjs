/**
 * vpcpeer-dry-run-code (resolved document, given `$.paths`)
 *
 * The 400 `Code` of an operation follows from its request fields:
 * - takes `DryRun` (form body or parameter)  <=>  400 Code allows `DryRunOperation`;
 * - takes `ClientToken` (form body or query) <=>  400 Code allows `IdempotentParameterMismatch`.
 */
import { allowedCodes, codePropertyPath, isObject, jsonMedia, operations, takesField } from '../lib/openapi.mjs';

const PAIRS = [
  ['DryRun', 'DryRunOperation'],
  ['ClientToken', 'IdempotentParameterMismatch'],
];

export default function vpcpeerDryRunCode(paths) {
  const results = [];
  for (const op of operations(paths)) {
    const { label, operation, path } = op;
    const responsePath = [...path, 'responses', '400'];
    const media = [...jsonMedia(operation.responses?.['400'], responsePath)][0];
    const codes = media ? allowedCodes(media.media.schema) : new Set();
    if (codes === null) continue; // unconstrained Code: vpcpeer-error-examples reports it
    const at = media ? codePropertyPath(media.media.schema, [...media.path, 'schema']) : path;
    for (const [field, code] of PAIRS) {
      const takes = takesField(op, field);
      if (takes && !codes.has(code)) {
        results.push({
          message: `${label}: the request takes ${field}, but the 400 Code does not allow "${code}".`,
          path: at,
        });
      } else if (!takes && codes.has(code)) {
        results.push({
          message: `${label}: the 400 Code allows "${code}", but the request has no ${field} field.`,
          path: at,
        });
      }
    }
  }
  return results;
}
