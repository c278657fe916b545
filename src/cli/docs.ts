/**
 * `npm run docs -- [options]`: the offline reference, one self-contained HTML file that opens
 * from file:// with no network (dist/docs/index.html by default), beside the Error codes page
 * and the life-cycle diagram.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { bundleSpec, root, specEntry } from '../contract/bundle.ts';
import { scalarVersion, tryItUrl, writeDocs } from '../review/docs.ts';
import { exitWith, parseCommandLine } from './command-line.ts';

const HELP = `Usage: vpcpeer-docs [options]
Usage: npm run docs -- [options]   (in the repository)

Bundles the contract and writes a self-contained reference (rendered by Scalar; no fonts,
scripts or data from the network) that opens from file://.

Options:
  --spec <file>   root of the contract to render (default spec/openapi.yaml here, else the
                  kit's own bundled contract)
  --out <dir>     output folder (default dist/docs here); the page is <dir>/index.html, with
                  <dir>/error-codes.html and <dir>/lifecycle.svg beside it
  --try-it <url>  show the try-it panel, aimed at a local mock or emulator
                  (e.g. http://127.0.0.1:4010); off by default, and even then the page sends
                  nothing until the reader presses Send
  -h, --help      show this help`;

function fail(message: string): never {
  return exitWith('docs', message);
}

const { values } = parseCommandLine('docs', HELP, {
  spec: { type: 'string' },
  out: { type: 'string' },
  'try-it': { type: 'string' },
});

const started = performance.now();
/** spec/openapi.yaml of the current folder (the kit's repository, or yours), else the kit's bundled contract. */
function defaultEntry(): string {
  const local = path.resolve('spec', 'openapi.yaml');
  if (existsSync(local)) return local;
  if (existsSync(specEntry)) return specEntry;
  for (let dir = import.meta.dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const bundled = path.join(dir, 'generated', 'openapi.json');
    if (existsSync(bundled)) return bundled;
  }
  return local;
}
const entry = path.resolve(values.spec ?? defaultEntry());
const outDir = path.resolve(values.out ?? path.join(existsSync(path.join(root, 'spec')) ? root : process.cwd(), 'dist', 'docs'));
try {
  if (values['try-it'] !== undefined) tryItUrl(values['try-it']);
  const bundle = await bundleSpec(entry);
  const build = await writeDocs(bundle, outDir, values['try-it'] !== undefined ? { tryIt: values['try-it'] } : {});
  const ms = Math.round(performance.now() - started);
  const size = (build.bytes / 1024 / 1024).toFixed(1);
  process.stdout.write(
    `docs: ${build.actions.length} Actions rendered with Scalar ${scalarVersion()} in ${ms} ms\n` +
      `      ${path.relative(process.cwd(), build.htmlPath) || build.htmlPath} (${size} MiB, self-contained; open it from file://)\n` +
      `      ${path.relative(process.cwd(), build.errorPagePath) || build.errorPagePath} (every error code), ${path.relative(process.cwd(), build.svgPath) || build.svgPath} (status life cycle)\n`,
  );
} catch (error) {
  fail((error as Error).message);
}
