/**
 * Build-time assets that must not be installed dependencies: Scalar's standalone browser bundle
 * (the docs renderer, whose npm packages declare Node >= 22 and would warn EBADENGINE on Node 20).
 * `npm pack` fetches the one pinned tarball through the registry (or the npm cache); its
 * integrity is checked against the pin, and only the browser bundle is kept, in assets/.
 *
 *   node scripts/build-assets.mjs      fetch it unless it is already there (run by `pretest`, `build`)
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The pinned renderer: bump both together (`npm view @scalar/api-reference@<v> dist.integrity`). */
export const SCALAR = {
  name: '@scalar/api-reference',
  version: '1.72.1',
  integrity: 'sha512-XpEJ0rfc/cXbCrR+iC4kK0o/WwX2dTtGQbT049OlPKAHD6IMIFdTeGz2r+M27P2EDWKyUITRm/NzlP8z2pw/Ow==',
};
export const scalarDir = path.join(root, 'assets', 'scalar-api-reference');

function present() {
  try {
    const pkg = JSON.parse(readFileSync(path.join(scalarDir, 'package.json'), 'utf8'));
    return pkg.version === SCALAR.version && existsSync(path.join(scalarDir, 'dist', 'browser', 'standalone.js'));
  } catch {
    return false;
  }
}

export async function ensureScalarAsset() {
  if (present()) return scalarDir;
  const work = mkdtempSync(path.join(tmpdir(), 'vpcpeer-assets-'));
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const out = execFileSync(npm, ['pack', `${SCALAR.name}@${SCALAR.version}`, '--json', '--silent', '--pack-destination', work], {
      cwd: work,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [info] = JSON.parse(out);
    const tarball = path.join(work, info.filename);
    const digest = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
    if (digest !== SCALAR.integrity) throw new Error(`${SCALAR.name}@${SCALAR.version}: integrity ${digest} is not the pinned ${SCALAR.integrity}`);
    execFileSync('tar', ['-xzf', tarball, '-C', work, 'package/package.json', 'package/dist/browser/standalone.js']);
    rmSync(scalarDir, { recursive: true, force: true });
    mkdirSync(path.dirname(scalarDir), { recursive: true });
    renameSync(path.join(work, 'package'), scalarDir);
    process.stdout.write(`assets: ${SCALAR.name}@${SCALAR.version} browser bundle in ${path.relative(root, scalarDir)}/\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return scalarDir;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await ensureScalarAsset();
