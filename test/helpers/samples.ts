/**
 * Valid parameters for each Action, taken from the contract's own examples (request-body
 * examples and parameter examples), so tests never restate the API by hand.
 */
import { contract } from '../../src/wire/bundled-contract.ts';

type Doc = Record<string, any>;

export function sampleParams(action: string): Record<string, unknown> {
  const op = contract.operations.get(action);
  if (!op) throw new Error(`Unknown Action ${action}`);
  const raw = (contract.document.paths as Doc)[op.pathKey].post;
  const params: Record<string, unknown> = {};
  const form = raw.requestBody?.content?.['application/x-www-form-urlencoded'];
  const firstExample = form?.examples ? (Object.values(form.examples)[0] as { value: Record<string, unknown> }).value : {};
  Object.assign(params, firstExample);
  for (const p of raw.parameters ?? []) {
    const param = p.$ref ? (contract.resolve(p.$ref) as Doc) : p;
    const needed = param.required || op.atLeastOneOf?.parameters[0] === param.name;
    if (needed && param.in === 'query') params[param.name] = param.example;
  }
  return params;
}
