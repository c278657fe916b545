/**
 * Writes the mock bin's table of static answers (`dist/bin/mock-answers.json`): every answer
 * Prism gives for the bundled contract, asked of Prism itself (see src/mock/prism.ts).
 *
 *   tsx scripts/build-mock-answers.ts <out-file>      (run by scripts/build.mjs)
 */
import { writeFile } from 'node:fs/promises';
import { bundledDocument } from '../src/contract/index.ts';
import { precomputeAnswers } from '../src/mock/prism.ts';

const out = process.argv[2];
if (!out) throw new Error('usage: tsx scripts/build-mock-answers.ts <out-file>');
const table = await precomputeAnswers(bundledDocument);
await writeFile(out, JSON.stringify(table));
const count = Object.values(table.actions).reduce((n, entry) => n + Object.keys(entry.answers).length, 0);
process.stdout.write(`build: ${count} static mock answers from Prism in ${out}\n`);
