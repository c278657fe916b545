/**
 * Builds and starts the mock from one esbuild bundle (dist/mock.mjs). Loading one file instead of
 * thousands of modules halves the mock's start-up (see the README's benchmark figures).
 *
 *   node scripts/mock-bundle.mjs --build-only   build dist/mock.mjs (npm's `prepare`, run by npm ci)
 *   node scripts/mock-bundle.mjs [mock flags]   rebuild if any source is newer, then start the mock
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(root, 'src', 'cli', 'mock.ts');
const outfile = path.join(root, 'dist', 'mock.mjs');

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
  return newestSource(path.join(root, 'src')) > built || statSync(path.join(root, 'package-lock.json')).mtimeMs > built;
}

async function build() {
  const { build: esbuild } = await import('esbuild');
  await esbuild({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // jsonc-parser's UMD build requires its own files dynamically; load it from node_modules.
    external: ['jsonc-parser'],
    // Prism's data generator needs faker's English data only, not all of its locales.
    plugins: [
      {
        name: 'faker-english-only',
        setup(b) {
          b.onResolve({ filter: /^@faker-js\/faker$/ }, () => ({ path: path.join(root, 'scripts', 'faker-en.cjs') }));
        },
      },
    ],
    minifyWhitespace: true,
    minifySyntax: true,
    // Bundled CommonJS packages (Prism's) call require() for Node built-ins.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'warning',
  });
}

if (process.argv.includes('--build-only')) {
  await build();
} else {
  if (isStale()) await build();
  await import(pathToFileURL(outfile).href);
}
