/**
 * vpcpeer-description (resolved document, given `$.paths`)
 *
 * Every operation, every parameter, every response header and every schema property (nested
 * ones and those of array items included) has a non-empty description. A description counts
 * when it is on the node itself, on the schema a `$ref` points to, or beside that `$ref`.
 * A shared component is reported once, naming the first operation that uses it.
 */
import {
  createReporter,
  describeParameter,
  isObject,
  nonEmptyString,
  operations,
  ownOrSibling,
  parametersOf,
  rawNodeAt,
  schemaRoots,
  walkSchema,
} from '../lib/openapi.mjs';

export default function vpcpeerDescription(paths, _options, context) {
  const { results, report } = createReporter(context);

  for (const op of operations(paths)) {
    const { label, operation, path } = op;
    if (!nonEmptyString(operation.description)) {
      report(`${label}: the ${op.method} operation has no description.`, path, 'operation');
    }

    for (const { parameter, path: parameterPath, level } of parametersOf(op)) {
      if (!ownOrSibling(context, parameter, parameterPath, 'description')) {
        const prefix = level === 'path-level' ? 'path-level ' : '';
        report(`${label}: the ${prefix}${describeParameter(parameter)} has no description.`, parameterPath, 'parameter');
      }
    }

    if (isObject(operation.responses)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!isObject(response) || !isObject(response.headers)) continue;
        for (const [name, header] of Object.entries(response.headers)) {
          const headerPath = [...path, 'responses', status, 'headers', name];
          if (!ownOrSibling(context, header, headerPath, 'description')) {
            report(`${label}: the ${status} response header "${name}" has no description.`, headerPath, 'header');
          }
        }
      }
    }

    for (const { schema, path: schemaPath, where } of schemaRoots(op)) {
      walkSchema(schema, schemaPath, (node, nodePath, trail) => {
        for (const keyword of ['properties', 'patternProperties']) {
          if (!isObject(node[keyword])) continue;
          for (const [name, property] of Object.entries(node[keyword])) {
            const propertyPath = [...nodePath, keyword, name];
            if (ownOrSibling(context, property, propertyPath, 'description')) continue;
            const kind = keyword === 'properties' ? 'property' : 'pattern property';
            // A `$ref`'d property is reported where it is referenced, not inside the shared target.
            const raw = rawNodeAt(context, propertyPath);
            const at = isObject(raw) && typeof raw.$ref === 'string' ? [...nodePath, keyword] : propertyPath;
            report(`${label}: ${kind} "${trail}${name}" of the ${where} has no description.`, at, `${kind}:${name}`);
          }
        }
      });
    }
  }
  return results;
}
