/**
 * Validators compiled at build time (Ajv standalone code, made by `npm run build` through
 * src/validate/standalone.ts) in place of compiling them at start-up, for the exact schemas they
 * were compiled from; anything else is compiled by Ajv as before. Browser-safe.
 *
 * - Contract validators (request per Action) are offered for one
 *   document object, by a caller that has checked the document is the one they came from.
 * - Fixed schemas ("shapes": the emulator's config, admin bodies, state files) are looked up by
 *   group and name and used only when the schema's JSON text is the one they were compiled from.
 */
import { Ajv2020, type Options, type ValidateFunction } from 'ajv/dist/2020.js';

/**
 * The request validators of one contract document, by Action: what every start needs. Answer
 * validators stay compiled on first use (they are large, and a start checks no answer).
 */
export interface PrecompiledValidators {
  request: Record<string, ValidateFunction>;
}

/** Fixed schemas compiled at build time: by `<group>/<name>`, the schema's JSON text and its validator. */
export type PrecompiledShapes = Record<string, { schema: string; validate: ValidateFunction }>;

/** What the build's generated module (dist/bin/precompiled.mjs) exports as `precompiled`. */
export interface PrecompiledModule {
  /** Hash of the contract document the validators were compiled from (the loader compares it). */
  documentHash: string;
  validators: PrecompiledValidators;
  shapes: PrecompiledShapes;
}

/** Ajv options of every fixed-schema check (the build compiles shapes with exactly these). */
export const SHAPE_OPTIONS: Options = { allErrors: false, strict: true };

const byDocument = new WeakMap<object, PrecompiledValidators>();

/** Offers precompiled validators for this document object (the caller vouches they were compiled from it). */
export function usePrecompiledValidators(document: object, validators: PrecompiledValidators): void {
  byDocument.set(document, validators);
}

/** The precompiled validators offered for this document object, if any. */
export function precompiledValidatorsFor(document: object): PrecompiledValidators | undefined {
  return byDocument.get(document);
}

let shapes: PrecompiledShapes = {};

/** Offers precompiled fixed-schema validators (each used only for its exact schema). */
export function usePrecompiledShapes(table: PrecompiledShapes): void {
  shapes = table;
}

/**
 * Validators of a group of fixed schemas, by name: the precompiled one where it was compiled from
 * exactly this schema, else compiled now by one Ajv instance for the group (created only if needed).
 */
export function shapeValidators<K extends string>(group: string, schemas: Record<K, object>): Record<K, ValidateFunction> {
  let ajv: Ajv2020 | undefined;
  const out = {} as Record<K, ValidateFunction>;
  for (const [name, schema] of Object.entries(schemas) as Array<[K, object]>) {
    const shipped = shapes[`${group}/${name}`];
    out[name] = shipped && shipped.schema === JSON.stringify(schema) ? shipped.validate : (ajv ??= new Ajv2020(SHAPE_OPTIONS)).compile(schema);
  }
  return out;
}
