/**
 * What `npm run build` precompiles next to the bins (dist/bin/precompiled.mjs, Ajv standalone code):
 * the bundled contract's validators and the emulator's fixed-schema checkers. The validators are
 * offered only for a document with the hash they were compiled from; from source there is no file.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { documentHash } from '../server/hash.ts';
import { usePrecompiledShapes, usePrecompiledValidators, type PrecompiledModule } from '../validate/precompiled.ts';


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
