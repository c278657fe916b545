/**
 * Checks every example in the contract against the schema it illustrates, with the same Ajv
 * 2020-12 setup the runtime validators use: named media-type examples (success and error
 * answers, request bodies), schema-level `examples`, and parameter `example`s. Prism serves
 * examples even when they break their schema, so this check is what keeps the mock honest.
 */
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { encodePointerToken, type Contract } from '../contract/model.ts';
import { createAjv, documentRef } from './validators.ts';

export interface ExampleProblem {
  /** JSON pointer of the example. */
  where: string;
  message: string;
}

export function checkExamples(contract: Contract, ajv: Ajv2020 = createAjv(contract)): ExampleProblem[] {
  const problems: ExampleProblem[] = [];
  const validate = (schemaPointer: string, value: unknown, where: string) => {
    const check = ajv.compile({ $ref: documentRef(schemaPointer) });
    if (!check(value)) {
      for (const e of check.errors ?? []) {
        const params = e.params as Record<string, unknown>;
        const field = params.missingProperty ?? params.additionalProperty ?? params.unevaluatedProperty;
        problems.push({
          where,
          message: `${e.instancePath || '/'}${field ? ` (${String(field)})` : ''} ${e.message ?? 'is not valid'}`,
        });
      }
    }
  };

  const walk = (node: unknown, pointer: string, inExample: boolean): void => {
    if (node === null || typeof node !== 'object' || inExample) return;
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${pointer}/${i}`, false));
      return;
    }
    const record = node as Record<string, unknown>;
    // A media type object, or a parameter object: `schema` beside `examples` / `example`.
    if (record.schema && typeof record.schema === 'object') {
      const schemaPointer = `${pointer}/schema`;
      if (record.examples && typeof record.examples === 'object' && !Array.isArray(record.examples)) {
        for (const [name, example] of Object.entries(record.examples as Record<string, unknown>)) {
          const resolved = contract.deref(example) as { value?: unknown };
          validate(schemaPointer, resolved.value, `${pointer}/examples/${encodePointerToken(name)}`);
        }
      }
      if ('example' in record) validate(schemaPointer, record.example, `${pointer}/example`);
    }
    // A schema object with JSON Schema `examples` (an array).
    if (Array.isArray(record.examples) && ('type' in record || '$ref' in record || 'enum' in record || 'const' in record)) {
      record.examples.forEach((value, i) => validate(pointer, value, `${pointer}/examples/${i}`));
    }
    for (const [key, value] of Object.entries(record)) {
      const isExampleData = key === 'example' || key === 'value' || (key === 'examples' && record.schema === undefined && Array.isArray(value));
      walk(value, `${pointer}/${encodePointerToken(key)}`, isExampleData);
    }
  };
  walk(contract.document.paths, '#/paths', false);
  walk(contract.document.components, '#/components', false);
  return problems;
}
