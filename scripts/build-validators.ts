/**
 * Writes the sources of the bins' precompiled validators (Ajv standalone code for the bundled
 * contract and the emulator's fixed schemas, see src/validate/standalone.ts) into a folder, for
 * scripts/build.mjs to bundle as dist/bin/precompiled.mjs.
 *
 *   tsx scripts/build-validators.ts <out-dir>      (run by scripts/build.mjs)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { documentHash } from '../src/server/hash.ts';
import { contract } from '../src/contract/index.ts';
import { startupShapes } from '../src/emulator/shapes.ts';
import { standaloneSources } from '../src/validate/standalone.ts';

const out = process.argv[2];
if (!out) throw new Error('usage: tsx scripts/build-validators.ts <out-dir>');
const shapes = startupShapes(contract);
const sources = standaloneSources(contract, documentHash(contract.document), shapes);
await mkdir(out, { recursive: true });
for (const [name, text] of Object.entries(sources)) await writeFile(path.join(out, name), text);
const count = Object.values(shapes).reduce((n, group) => n + Object.keys(group).length, 0);
process.stdout.write(`build: precompiled validators for ${contract.actions.length} Actions and ${count} emulator schemas in ${out}\n`);
