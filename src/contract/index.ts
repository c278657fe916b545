/**
 * The contract as generated from spec/ (generated/openapi.json), indexed. Importing JSON keeps
 * this usable from Node and from bundlers alike.
 */
import document from '../../generated/openapi.json' with { type: 'json' };
import { indexContract } from './model.ts';

export const bundledDocument = document as unknown as Record<string, unknown>;
export const contract = indexContract(bundledDocument);
