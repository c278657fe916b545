/**
 * vpcpeer-list-style (resolved document, given `$.paths`)
 *
 * Every list on the wire says how it is flattened: each array-typed parameter schema and each
 * array-typed form-body property has `x-acs-style: repeatList` (`Tag.1.Key`, `ResourceId.1`) or
 * `x-acs-style: simple` (`VpcId=vpc-a,vpc-b`). The wire codec reads nothing else.
 */
import {
  createReporter,
  describeParameter,
  formBodyProperties,
  operations,
  ownOrSibling,
  parametersOf,
  rawNodeAt,
  schemaIsArray,
} from '../lib/openapi.mjs';

export const LIST_STYLES = ['repeatList', 'simple'];

export default function vpcpeerListStyle(paths, _options, context) {
  const { results, report } = createReporter(context);
  const check = (label, what, schema, schemaPath) => {
    if (!schemaIsArray(schema)) return;
    if (ownOrSibling(context, schema, schemaPath, 'x-acs-style', (v) => LIST_STYLES.includes(v))) return;
    const value = schema['x-acs-style'] ?? rawNodeAt(context, schemaPath)?.['x-acs-style'];
    report(
      value === undefined
        ? `${label}: ${what} is a list but has no x-acs-style; set it to "repeatList" or "simple".`
        : `${label}: ${what} has x-acs-style ${JSON.stringify(value)}; it must be "repeatList" or "simple".`,
      'x-acs-style' in schema ? [...schemaPath, 'x-acs-style'] : schemaPath,
      'style',
    );
  };
  for (const op of operations(paths)) {
    for (const { parameter, path } of parametersOf(op)) {
      check(op.label, `the ${describeParameter(parameter)}`, parameter.schema, [...path, 'schema']);
    }
    for (const { name, schema, path, mediaType } of formBodyProperties(op)) {
      check(op.label, `form-body property "${name}" (${mediaType})`, schema, path);
    }
  }
  return results;
}
