/**
 * vpcpeer-error-examples (resolved document, given `$.paths`)
 *
 * For every error response (4xx/5xx) of every operation, per JSON media type:
 * - the `Code` property is narrowed to a finite set (`const`/`enum`, through allOf/anyOf/oneOf);
 * - every code that set allows has a named example whose name is exactly that code;
 * - every example's name equals its `value.Code`;
 * - no example is for a code the schema does not allow.
 * A shared response is reported once, naming the first operation that uses it.
 */
import {
  allowedCodes,
  createReporter,
  isErrorStatus,
  isObject,
  jsonMedia,
  operations,
} from '../lib/openapi.mjs';

export default function vpcpeerErrorExamples(paths, _options, context) {
  const { results, report } = createReporter(context);
  for (const { label, operation, path } of operations(paths)) {
    if (!isObject(operation.responses)) continue;
    for (const [status, response] of Object.entries(operation.responses)) {
      if (!isErrorStatus(status)) continue;
      for (const { mediaType, media, path: mediaPath } of jsonMedia(response, [...path, 'responses', status])) {
        const where = `${label}: the ${status} ${mediaType} response`;
        const codes = allowedCodes(media.schema);
        const examples = isObject(media.examples) ? media.examples : {};
        const examplesPath = isObject(media.examples) ? [...mediaPath, 'examples'] : mediaPath;
        if (codes === null) {
          report(`${where} does not narrow "Code" to a const or enum, so its examples cannot be checked.`, mediaPath, 'open');
        } else {
          for (const code of codes) {
            if (code in examples) continue;
            report(`${where} allows Code "${code}" but has no example named "${code}".`, examplesPath, `missing:${code}`);
          }
        }
        for (const [name, example] of Object.entries(examples)) {
          const examplePath = [...mediaPath, 'examples', name];
          const value = isObject(example) ? example.value : undefined;
          if (!isObject(value) || typeof value.Code !== 'string') {
            report(`${where} has example "${name}" without a string value.Code.`, examplePath, `no-code:${name}`);
            continue;
          }
          const codePath = [...examplePath, 'value', 'Code'];
          if (value.Code !== name) {
            report(
              `${where} has example "${name}" whose value.Code is "${value.Code}"; an error example is named after its Code.`,
              codePath,
              `name:${name}`,
            );
          }
          if (codes !== null && !codes.has(value.Code)) {
            report(
              `${where} has example "${name}" for Code "${value.Code}", which its Code schema does not allow.`,
              codePath,
              `disallowed:${name}`,
            );
          }
        }
      }
    }
  }
  return results;
}
