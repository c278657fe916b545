/** Valid parameters for each Action, from the contract's own examples (see `exampleParams`). */
import { contract } from '../../src/contract/index.ts';
import { exampleParams } from '../../src/contract/model.ts';

export const sampleParams = (action: string): Record<string, unknown> => exampleParams(contract, action);
