/**
 * The validate layer: Ajv (JSON Schema 2020-12) validators of requests and answers keyed by
 * Action and status (validators.ts), and the check of every example in the contract (examples.ts).
 */
export * from './validators.ts';
export * from './examples.ts';
