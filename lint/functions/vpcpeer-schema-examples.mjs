/**
 * vpcpeer-schema-examples (resolved document, given `$.paths`)
 *
 * Every value in a schema's JSON Schema `examples` array matches that schema (draft 2020-12).
 * A shared schema is checked and reported once, naming the first operation that uses it.
 *
 * Why a rule of our own: spectral:oas's oas3-valid-schema-example only checks a schema's
 * `example` and `default` (spectral-rulesets 1.23, `SCHEMA_VALIDATION_ITEMS`), not the
 * `examples` array that OpenAPI 3.1 schemas use, which is what this contract writes.
 */
import { schema as schemaFunction } from '@stoplight/spectral-functions';
import { createReporter, describePosition, operations, schemaRoots, walkSchema } from '../lib/openapi.mjs';

export default function vpcpeerSchemaExamples(paths, _options, context) {
  const reporter = createReporter(context);
  for (const op of operations(paths)) {
    for (const { schema, path, where } of schemaRoots(op)) {
      walkSchema(schema, path, (node, nodePath, trail) => {
        if (!Array.isArray(node.examples)) return;
        if (!reporter.first([...nodePath, 'examples'], 'checked')) return;
        node.examples.forEach((value, index) => {
          const examplePath = [...nodePath, 'examples', index];
          const options = { schema: node, dialect: 'draft2020-12', allErrors: true };
          const problems = schemaFunction(value, options, { ...context, path: examplePath }) ?? [];
          for (const problem of problems) {
            // The value itself is reported as `"0" property …`; say "it" instead.
            const text = problem.message.replace(new RegExp(`^"${index}" property `), '');
            reporter.report(
              `${op.label}: example ${JSON.stringify(value)} of ${describePosition(where, trail)} does not match its schema: ${text}`,
              problem.path ?? examplePath,
            );
          }
        });
      });
    }
  }
  return reporter.results;
}
