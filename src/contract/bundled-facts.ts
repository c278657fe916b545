/**
 * The bundled contract's wire facts (generated/wire-facts.ts, see ./wire-facts.ts): what the
 * browser-safe client and signing read instead of the whole document in ./index.ts.
 */
export { wireFacts } from '../../generated/wire-facts.ts';
