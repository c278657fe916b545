/** Valid parameters for each Action, from the contract's own examples (see `exampleParams`). */
import { contract } from '../../src/wire/bundled-contract.ts';
import { exampleParams } from '../../src/wire/contract.ts';

export const sampleParams = (action: string): Record<string, unknown> => exampleParams(contract, action);
