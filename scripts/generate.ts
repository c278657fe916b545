/**
 * `npm run generate`          writes generated/openapi.json, generated/vpcpeer.ts and
 *                             generated/wire-facts.ts (the client's wire facts) from spec/.
 * `npm run generate -- --check` writes nothing and exits 1 when either file is stale.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildArtifacts, bundlePath, root, typesPath } from '../src/contract/bundle.ts';
import { indexContract } from '../src/contract/model.ts';
import { wireFactsModule } from '../src/contract/wire-facts.ts';

const check = process.argv.includes('--check');
const built = await buildArtifacts();
const targets: Array<[string, string]> = [
  [bundlePath, built.bundle],
  [typesPath, built.types],
  [path.join(root, 'generated', 'wire-facts.ts'), wireFactsModule(indexContract(JSON.parse(built.bundle) as Record<string, unknown>))],
];

let stale = 0;
for (const [file, text] of targets) {
  const rel = path.relative(root, file);
  const current = await readFile(file, 'utf8').catch(() => undefined);
  if (current === text) {
    console.log(`up to date  ${rel}`);
    continue;
  }
  if (check) {
    stale += 1;
    console.error(`STALE       ${rel}: spec/ changed since it was generated`);
  } else {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
    console.log(`wrote       ${rel}`);
  }
}
if (stale > 0) {
  console.error('Run `npm run generate` and commit generated/.');
  process.exit(1);
}
