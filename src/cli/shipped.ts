/**
 * What `npm run build` precompiles next to the bins (dist/bin/precompiled.mjs, Ajv standalone code):
 * the bundled contract's validators and the emulator's fixed-schema checkers. The validators are
 * offered only for a document with the hash they were compiled from; from source there is no file.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { usePrecompiledShapes, usePrecompiledValidators, type PrecompiledModule } from '../validate/precompiled.ts';

/** Identifies a document's content (what the precompiled validators were compiled from). */
export function documentHash(document: object): string {
  return createHash('sha256').update(JSON.stringify(document)).digest('hex');
}

/**
 * Loads `precompiled.mjs` from the bin's folder (`binDir`), if the build put one there, and offers
 * its validators for `document` when the hashes match. True when the contract validators apply.
 */
export async function useShippedValidators(binDir: string, document: object): Promise<boolean> {
  const file = path.join(binDir, 'precompiled.mjs');
  if (!existsSync(file)) return false;
  const { precompiled } = (await import(pathToFileURL(file).href)) as { precompiled: PrecompiledModule };
  usePrecompiledShapes(precompiled.shapes);
  if (precompiled.documentHash !== documentHash(document)) return false;
  usePrecompiledValidators(document, precompiled.validators);
  return true;
}
