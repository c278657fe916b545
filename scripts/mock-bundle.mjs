/**
 * `npm start` / `npm run mock`: starts the mock from its bin bundle (dist/bin/mock.mjs), rebuilding
 * the bins first when any source is newer. Loading one bundle instead of thousands of modules
 * halves the mock's start-up (docs/mock.md has the figures).
 *
 *   node scripts/mock-bundle.mjs --build-only   rebuild the bins if stale, start nothing
 *   node scripts/mock-bundle.mjs [mock flags]   rebuild if stale, then run the mock in this process
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.join(root, 'dist', 'bin', 'mock.mjs');

function newestSource(dir, newest = 0) {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    const stat = statSync(full);
    newest = stat.isDirectory() ? newestSource(full, newest) : Math.max(newest, stat.mtimeMs);
  }
  return newest;
}

function isStale() {
  if (!existsSync(outfile)) return true;
  const built = statSync(outfile).mtimeMs;
  const inputs = [path.join(root, 'package-lock.json'), path.join(root, 'generated', 'openapi.json'), path.join(root, 'scripts', 'build.mjs')];
  return newestSource(path.join(root, 'src')) > built || inputs.some((file) => statSync(file).mtimeMs > built);
}

if (isStale()) execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--bins'], { stdio: ['ignore', 'ignore', 'inherit'] });
if (!process.argv.includes('--build-only')) {
  // The bin reads process.argv as its own command line.
  await import(pathToFileURL(outfile).href);
}
