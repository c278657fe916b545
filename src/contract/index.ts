/**
 * The contract as generated from spec/ (generated/openapi.json), indexed and typed with the
 * contract's own Action and Status unions. Importing JSON keeps this usable from Node and from
 * bundlers alike.
 */
import document from '../../generated/openapi.json' with { type: 'json' };
import { indexContract, type Contract } from './model.ts';
import type { Action, Status } from './types.ts';

export const bundledDocument = document as unknown as Record<string, unknown>;
export const contract = indexContract(bundledDocument) as Contract<Action, Status>;
