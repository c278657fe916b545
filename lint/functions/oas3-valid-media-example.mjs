/**
 * oas3-valid-media-example, redefined (resolved document, the built-in rule's `given`)
 *
 * Every media example (`example`, and the `value` of each named example under `examples`) of a
 * content, header or parameter object matches its schema, with EVERY mismatch reported.
 * spectral:oas's own function (oasExample, spectral-rulesets 1.23) stops at the first mismatch of
 * each example, so a designer needed one lint run per problem; this one validates with Ajv's
 * `allErrors` in the document's JSON Schema dialect and reports each error at its own path.
 */
import { schema as schemaFunction } from '@stoplight/spectral-functions';
import { isObject } from '../lib/openapi.mjs';

/** The values to validate: `{ value, path }` for `example` and each `examples.<name>.value`. */
function* mediaExamples(target, path) {
  if ('example' in target) yield { value: target.example, path: [...path, 'example'] };
  if (!isObject(target.examples)) return;
  for (const [name, example] of Object.entries(target.examples)) {
    // An Example Object without an inline value (externalValue, or only a summary) has nothing to check.
    if (!isObject(example) || 'externalValue' in example || !('value' in example)) continue;
    yield { value: example.value, path: [...path, 'examples', name, 'value'] };
  }
}

function dialectOf(document) {
  const dialect = isObject(document) ? document.jsonSchemaDialect : undefined;
  if (typeof dialect === 'string' && /draft-07/.test(dialect)) return 'draft7';
  if (typeof dialect === 'string' && /2019-09/.test(dialect)) return 'draft2019-09';
  return 'draft2020-12';
}

export default function oas3ValidMediaExample(target, _options, context) {
  if (!isObject(target) || !isObject(target.schema)) return [];
  const options = { schema: JSON.parse(JSON.stringify(target.schema)), dialect: dialectOf(context.document.data), allErrors: true };
  const results = [];
  for (const { value, path } of mediaExamples(target, context.path)) {
    results.push(...(schemaFunction(value, options, { ...context, path }) ?? []));
  }
  return results;
}
