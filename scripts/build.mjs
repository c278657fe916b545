/**
 * `npm run build` (and `prepack`): the installable package in dist/ — self-contained bin bundles,
 * compiled ESM library entry points with .d.ts and declaration maps, and the docs renderer asset.
 *
 *   node scripts/build.mjs            everything
 *   node scripts/build.mjs --bins     only the bin bundles (what `npm start` needs)
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ensureScalarAsset } from './build-assets.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

/** One bin per command: name in `bin` → its thin CLI file. */
export const BINS = {
  'vpcpeer-mock': 'src/cli/mock.ts',
  'vpcpeer-emulator': 'src/cli/emulator.ts',
  'vpcpeer-conformance': 'src/cli/conformance.ts',
  'vpcpeer-diff': 'src/cli/diff.ts',
  'vpcpeer-changelog': 'src/cli/changelog.ts',
  'vpcpeer-docs': 'src/cli/docs.ts',
  'vpcpeer-drift': 'src/cli/drift.ts',
};

/** Library entry points: export subpath → source. Types come from tsc, code from esbuild. */
export const LIBRARY = {
  client: 'src/client/index.ts',
  'client-node': 'src/client/node.ts',
  emulator: 'src/emulator/index.ts',
  contract: 'src/contract/index.ts',
  conformance: 'src/conformance/index.ts',
};

const exists = (file) => {
  try {
    return statSync(path.join(root, file)).isFile();
  } catch {
    return false;
  }
};

/** Bundle-time stand-ins shared by the bins: smaller faker, jsonc-parser's ESM build. */
const standIns = {
  name: 'stand-ins',
  setup(b) {
    // Prism's data generator needs faker's English data only, not all of its locales.
    b.onResolve({ filter: /^@faker-js\/faker$/ }, () => ({ path: path.join(root, 'scripts', 'faker-en.cjs') }));
    // Type generation (openapi-typescript, and TypeScript itself) is `npm run generate`'s job, never a bin's.
    b.onResolve({ filter: /^openapi-typescript$/ }, () => ({ path: 'openapi-typescript', namespace: 'not-in-bins' }));
    b.onLoad({ filter: /.*/, namespace: 'not-in-bins' }, () => ({
      contents: "throw new Error('openapi-typescript is not part of the installed kit: run npm run generate in the repository');",
    }));
    // jsonc-parser's UMD build require()s its own files dynamically; its ESM build bundles.
    b.onResolve({ filter: /^jsonc-parser$/ }, (args) => {
      const main = path.join(path.dirname(args.importer), 'node_modules', 'jsonc-parser');
      const base = exists(path.relative(root, path.join(main, 'package.json'))) ? main : path.join(root, 'node_modules', 'jsonc-parser');
      return { path: path.join(base, 'lib', 'esm', 'main.js') };
    });
  },
};

// Bundled CommonJS packages (Prism's, Ajv's) call require() for Node built-ins.
const requireBanner = "import { createRequire as __kitRequire } from 'node:module'; const require = __kitRequire(import.meta.url);";

/** What the bins and the library bundles share: split ESM for Node, the stand-ins, the banner. */
const SPLIT_ESM = {
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  plugins: [standIns],
  legalComments: 'linked',
  banner: { js: requireBanner },
  logLevel: 'warning',
};

/** Runs one of scripts/*.ts (through tsx) with `args`, quietly unless it fails. */
function runScript(name, ...args) {
  execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', name), ...args], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function buildBins() {
  const entryPoints = Object.fromEntries(
    Object.entries(BINS)
      .filter(([, source]) => exists(source))
      .map(([name, source]) => [`${name.replace(/^vpcpeer-/, '')}-main`, path.join(root, source)]),
  );
  rmSync(path.join(dist, 'bin'), { recursive: true, force: true });
  // Ajv standalone validators for the bundled contract and the emulator's schemas, bundled as
  // dist/bin/precompiled.mjs (the mock and emulator bins load it instead of compiling at start-up).
  const precompiledSources = path.join(dist, '.precompiled');
  runScript('build-validators.ts', precompiledSources);
  await build({
    entryPoints: { ...entryPoints, precompiled: path.join(precompiledSources, 'index.mjs') },
    outdir: path.join(dist, 'bin'),
    ...SPLIT_ESM,
    target: 'node20',
    minifyWhitespace: true,
    minifySyntax: true,
    define: { 'process.env.VPCPEER_KIT_VERSION': JSON.stringify(pkg.version) },
  });
  rmSync(precompiledSources, { recursive: true, force: true });
  // Each bin is a two-line launcher: Node >= 22.1 keeps the bundle's compiled code between runs
  // (module.enableCompileCache, a no-op on Node 20), which must be on before the bundle loads.
  for (const name of Object.keys(entryPoints)) {
    const bin = path.join(dist, 'bin', `${name.replace(/-main$/, '')}.mjs`);
    writeFileSync(bin, `#!/usr/bin/env node\nimport * as nodeModule from 'node:module';\nnodeModule.enableCompileCache?.();\nawait import('./${name}.mjs');\n`);
    chmodSync(bin, 0o755);
  }
  // The mock bin answers from Prism's precomputed static answers for the bundled contract.
  runScript('build-mock-answers.ts', path.join(dist, 'bin', 'mock-answers.json'));
  return Object.keys(entryPoints).map((name) => name.replace(/-main$/, ''));
}

async function buildLibrary() {
  const entryPoints = Object.fromEntries(
    Object.entries(LIBRARY)
      .filter(([, source]) => exists(source))
      .map(([name, source]) => [name, path.join(root, source)]),
  );
  rmSync(path.join(dist, 'lib'), { recursive: true, force: true });
  await build({
    entryPoints,
    outdir: path.join(dist, 'lib'),
    ...SPLIT_ESM,
    target: 'es2022',
    // Only the client's runtime dependencies stay imports; everything else is inside.
    external: Object.keys(pkg.dependencies ?? {}),
    sourcemap: 'linked',
  });
  // The browser-safe entry must not carry the require() banner (it imports node:module).
  stripBanner(path.join(dist, 'lib'));
  return Object.keys(entryPoints);
}

/** Drops the createRequire banner from every output that never calls require(). */
function stripBanner(dir) {
  for (const name of readdirSync(dir, { recursive: true })) {
    const file = path.join(dir, String(name));
    if (!file.endsWith('.mjs')) continue;
    const text = readFileSync(file, 'utf8');
    if (!text.startsWith(requireBanner)) continue;
    const rest = text.slice(requireBanner.length);
    if (!/\brequire\(/.test(rest)) writeFileSync(file, rest.replace(/^\n/, ''));
  }
}

/** tsc emits .d.ts + declaration maps; relative `.ts` specifiers become `.js` for consumers. */
function buildTypes() {
  rmSync(path.join(dist, 'types'), { recursive: true, force: true });
  const typesDir = path.join(dist, 'types');
  // Declarations only, for the library entries that exist (the rest of src/ follows their imports).
  const config = path.join(dist, 'tsconfig.types.json');
  writeFileSync(
    config,
    JSON.stringify({
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: false, emitDeclarationOnly: true, declaration: true, declarationMap: true, rewriteRelativeImportExtensions: true, rootDir: '..', outDir: 'types' },
      include: [],
      files: Object.values(LIBRARY).filter(exists).map((source) => `../${source}`),
    }),
  );
  try {
    execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config], { stdio: 'inherit' });
  } finally {
    rmSync(config, { force: true });
  }
  for (const name of readdirSync(typesDir, { recursive: true })) {
    const file = path.join(typesDir, String(name));
    if (!file.endsWith('.d.ts')) continue;
    const text = readFileSync(file, 'utf8');
    const fixed = text.replace(/((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]*?)\.(m?)ts(['"])/g, '$1$2.$3js$4');
    if (fixed !== text) writeFileSync(file, fixed);
  }
}

const onlyBins = process.argv.includes('--bins');
const started = performance.now();
const bins = await buildBins();
if (!onlyBins) {
  await ensureScalarAsset();
  const library = await buildLibrary();
  buildTypes();
  process.stdout.write(`build: ${bins.length} bins (${bins.join(', ')}), ${library.length} library entries (${library.join(', ')}) in ${Math.round(performance.now() - started)} ms\n`);
} else {
  process.stdout.write(`build: ${bins.length} bins in ${Math.round(performance.now() - started)} ms\n`);
}
