/**
 * `npm run bench:package [-- --starts 3]`: the kit as a package, side by side with the stock
 * Prism CLI (@stoplight/prism-cli 5.14.2) installed the same way. Packs the kit (building it),
 * installs each into its own scratch project from the npm cache (`--prefer-offline`), counts the
 * installed packages and bytes, and times each bin from spawn to the first good answer.
 * Budgets (issue 13): packed <= 8 MiB, installed <= 30 MiB in <= 20 packages, first answer <= 500 ms.
 *
 * The first-answer figure is decomposed in the same run, interleaved round by round: the npx
 * floor (a trivial package whose bin is a bare node:http server, installed and started the same
 * way, with npx and without), `npx vpcpeer-mock`, `node node_modules/.bin/vpcpeer-mock` (no npx), `npx vpcpeer-emulator`
 * and stock `npx prism mock`.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { bundlePath, root } from '../src/contract/bundle.ts';
import { freePort, median } from './bench-lib.ts';

const run = promisify(execFile);
const { values } = parseArgs({ options: { starts: { type: 'string', default: '5' } } });
const starts = Number(values.starts);
const MiB = 1024 * 1024;
const PRISM = '@stoplight/prism-cli@5.14.2';

/** Bytes on disk under a folder (files only, as `du --apparent-size` counts them). */
async function bytesUnder(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await bytesUnder(full);
    else if (entry.isFile()) total += (await stat(full)).size;
  }
  return total;
}

/** Installed packages: every folder under node_modules (nested too) holding a package.json, bins excluded. */
async function packagesUnder(modules: string): Promise<number> {
  let count = 0;
  for (const entry of await readdir(modules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === '.bin' || entry.name.startsWith('.')) continue;
    const full = path.join(modules, entry.name);
    if (entry.name.startsWith('@')) {
      count += await packagesUnder(full);
      continue;
    }
    count += 1;
    const nested = path.join(full, 'node_modules');
    if (await stat(nested).then(() => true, () => false)) count += await packagesUnder(nested);
  }
  return count;
}

interface Installed {
  name: string;
  dir: string;
  installMs: number;
  packages: number;
  bytes: number;
  warnings: string[];
}

async function install(name: string, spec: string, work: string): Promise<Installed> {
  const dir = path.join(work, name.replace(/\W+/g, '-'));
  await run('mkdir', ['-p', dir]);
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'bench-consumer', version: '1.0.0', private: true }));
  const began = performance.now();
  const { stdout, stderr } = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', spec], { cwd: dir, maxBuffer: 64 * MiB });
  const installMs = performance.now() - began;
  const modules = path.join(dir, 'node_modules');
  const warnings = `${stdout}${stderr}`.split('\n').filter((line) => /EBADENGINE|install-scripts|deprecated/.test(line));
  return { name, dir, installMs, packages: await packagesUnder(modules), bytes: await bytesUnder(modules), warnings };
}

/** `command` in `dir` ({port} replaced), timed from spawn to the first answer `probe` accepts; then stopped. */
async function firstAnswer(dir: string, command: string[], probe: (port: number) => Promise<boolean>): Promise<number> {
  const port = await freePort();
  const [file, ...args] = command.map((a) => a.replace('{port}', String(port)));
  const name = `${file} ${args[0]}`;
  const began = performance.now();
  // Its own process group, so npx and the server it starts are stopped together (by this PID).
  const child = spawn(file!, args, { cwd: dir, stdio: 'ignore', detached: true });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${name} exited during startup`);
      if (await probe(port).catch(() => false)) return performance.now() - began;
      if (performance.now() - began > 60_000) throw new Error(`${name} did not answer within 60 s`);
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      process.kill(-child.pid!, 'SIGTERM');
    });
  }
}

/** A package whose bin is a bare node:http server (`--port N`): what npx costs by itself. */
async function trivialPackage(work: string): Promise<string> {
  const dir = path.join(work, 'trivial-bin-source');
  await run('mkdir', ['-p', dir]);
  await writeFile(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'vpcpeer-bench-trivial-bin', version: '1.0.0', type: 'module', bin: { 'trivial-server': 'server.mjs' } }),
  );
  await writeFile(
    path.join(dir, 'server.mjs'),
    "#!/usr/bin/env node\nimport { createServer } from 'node:http';\nconst port = Number(process.argv[process.argv.indexOf('--port') + 1]);\ncreateServer((req, res) => res.end('{}')).listen(port, '127.0.0.1');\n",
  );
  const out = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: dir });
  const [packed] = JSON.parse(out.stdout.slice(out.stdout.indexOf('['))) as Array<{ filename: string }>;
  return path.join(work, packed!.filename);
}

/** Median of the round-by-round differences a[i] - b[i] (both measured in the same round). */
function medianDifference(a: number[], b: number[]): number {
  return median(a.map((x, i) => x - b[i]!));
}

async function main(): Promise<void> {
  const work = await mkdtemp(path.join(tmpdir(), 'vpcpeer-bench-package-'));
  try {
    console.log(`Benchmark: npm pack, install from the npm cache into a scratch project, ${starts} x npx first answer; side by side with ${PRISM}.`);
    const packedOut = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, maxBuffer: 64 * MiB });
    const [packed] = JSON.parse(packedOut.stdout.slice(packedOut.stdout.indexOf('['))) as Array<{ filename: string; size: number; unpackedSize: number; entryCount: number }>;
    const tarball = path.join(work, packed!.filename);

    const ours = await install('vpcpeer-contract-kit', tarball, work);
    const floor = await install('trivial-bin', await trivialPackage(work), work);
    const prism = await install('prism-cli', PRISM, work);

    // The stock CLI cannot route on Action, so it serves a copy whose paths are /<Action>.
    const doc = JSON.parse(await readFile(bundlePath, 'utf8')) as { paths: Record<string, unknown> };
    doc.paths = Object.fromEntries(Object.entries(doc.paths).map(([k, v]) => [k.replace('/#Action=', '/'), v]));
    const routable = path.join(prism.dir, 'routable.json');
    await writeFile(routable, JSON.stringify(doc));

    // The request bench:mock measures: POST with a form body and signature material (not verified).
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: 'ACS3-HMAC-SHA256 Credential=LTAI5tBench,SignedHeaders=host;x-acs-action,Signature=00',
    };
    const get = (url: string) => async (port: number) =>
      (await fetch(`http://127.0.0.1:${port}${url}`, { method: 'POST', headers, body: 'InstanceId=pcc-lnk0m24khwvtkm7q2j1x' })).status === 200;
    const mockProbe = get('/?Action=GetVpcPeerConnectionAttribute&Version=2022-01-01');
    const emulatorProbe = get('/?Action=ListVpcPeerConnections&Version=2022-01-01&RegionId=cn-hangzhou');
    const npx = (...args: string[]) => ['npx', '--no-install', ...args];
    const mockArgs = ['--port', '{port}', '--log-level', 'silent'];
    const lines: Array<{ name: string; dir: string; command: string[]; probe: (port: number) => Promise<boolean>; ms: number[] }> = [
      { name: 'npx floor (trivial node:http bin)', dir: floor.dir, command: npx('trivial-server', '--port', '{port}'), probe: async (port) => (await fetch(`http://127.0.0.1:${port}/`)).status === 200, ms: [] },
      { name: 'node floor (trivial bin, no npx)', dir: floor.dir, command: [process.execPath, 'node_modules/.bin/trivial-server', '--port', '{port}'], probe: async (port) => (await fetch(`http://127.0.0.1:${port}/`)).status === 200, ms: [] },
      { name: 'npx vpcpeer-mock', dir: ours.dir, command: npx('vpcpeer-mock', ...mockArgs), probe: mockProbe, ms: [] },
      { name: 'node node_modules/.bin/vpcpeer-mock', dir: ours.dir, command: [process.execPath, 'node_modules/.bin/vpcpeer-mock', ...mockArgs], probe: mockProbe, ms: [] },
      { name: 'npx vpcpeer-emulator', dir: ours.dir, command: npx('vpcpeer-emulator', ...mockArgs), probe: emulatorProbe, ms: [] },
      { name: `npx prism mock (${PRISM})`, dir: prism.dir, command: npx('prism', 'mock', routable, '--port', '{port}', '--host', '127.0.0.1'), probe: get('/GetVpcPeerConnectionAttribute'), ms: [] },
    ];
    // Interleaved, one start of each per round, so a busy moment hits every line alike.
    for (let i = 0; i < starts; i++) for (const line of lines) line.ms.push(await firstAnswer(line.dir, line.command, line.probe));
    const [floorLine, nodeFloor, npxMock, directMock, npxEmulator, prismLine] = lines as Array<(typeof lines)[0]> as [(typeof lines)[0], (typeof lines)[0], (typeof lines)[0], (typeof lines)[0], (typeof lines)[0], (typeof lines)[0]];
    const oursMs = npxMock.ms;
    const prismMs = prismLine.ms;

    const row = (i: Installed, packedBytes: number | undefined, ms: number[]) => ({
      package: i.name,
      'packed MiB': packedBytes === undefined ? '-' : (packedBytes / MiB).toFixed(2),
      'installed MiB': (i.bytes / MiB).toFixed(1),
      packages: i.packages,
      'install s': (i.installMs / 1000).toFixed(1),
      'npx first answer ms (median)': Math.round(median(ms)),
      'install warnings': i.warnings.length,
    });
    console.table([row(ours, packed!.size, oursMs), row(prism, undefined, prismMs)]);
    for (const w of ours.warnings) console.log(`our install warned: ${w}`);
    const verdict = (ok: boolean) => (ok ? 'ok' : 'OVER BUDGET');
    console.log(`packed tarball:        ${(packed!.size / MiB).toFixed(2)} MiB, ${packed!.entryCount} files   (budget <= 8 MiB: ${verdict(packed!.size <= 8 * MiB)})`);
    console.log(`installed:             ${(ours.bytes / MiB).toFixed(1)} MiB in ${ours.packages} packages   (budget <= 30 MiB in <= 20: ${verdict(ours.bytes <= 30 * MiB && ours.packages <= 20)})`);
    console.log(`  vs prism-cli:        ${(prism.bytes / MiB).toFixed(1)} MiB in ${prism.packages} packages   (${(prism.bytes / ours.bytes).toFixed(1)}x the bytes, ${(prism.packages / ours.packages).toFixed(1)}x the packages)`);
    console.table(
      lines.map((line) => ({
        'first answer (spawn to first 200)': line.name,
        'median ms': Math.round(median(line.ms)),
        'min ms': Math.round(Math.min(...line.ms)),
        'max ms': Math.round(Math.max(...line.ms)),
        'above the npx floor ms (median of rounds)': line === floorLine || line === nodeFloor || line === directMock ? '-' : Math.round(medianDifference(line.ms, floorLine.ms)),
        'above the node floor ms': line === directMock ? Math.round(medianDifference(line.ms, nodeFloor.ms)) : '-',
      })),
    );
    console.log(`npx vpcpeer-mock:      first answer ${Math.round(median(oursMs))} ms (median of ${starts})   (budget <= 500 ms: ${verdict(median(oursMs) <= 500)})`);
    console.log(`  npx floor:           ${Math.round(median(floorLine.ms))} ms for a trivial node:http bin installed the same way${median(floorLine.ms) > 500 ? ' (npx alone is over the 500 ms budget here)' : ''}`);
    console.log(`  ours above the floor: ${Math.round(medianDifference(oursMs, floorLine.ms))} ms (median of the per-round differences)`);
    console.log(`  without npx:         ${Math.round(median(directMock.ms))} ms (node node_modules/.bin/vpcpeer-mock), ${Math.round(medianDifference(directMock.ms, nodeFloor.ms))} ms above the trivial bin's ${Math.round(median(nodeFloor.ms))} ms; npx adds ${Math.round(medianDifference(oursMs, directMock.ms))} ms`);
    console.log(`npx vpcpeer-emulator:  first answer ${Math.round(median(npxEmulator.ms))} ms (${Math.round(medianDifference(npxEmulator.ms, floorLine.ms))} ms above the floor)`);
    console.log(`  vs npx prism mock:   first answer ${Math.round(median(prismMs))} ms   (${(median(prismMs) / median(oursMs)).toFixed(1)}x slower than npx vpcpeer-mock)`);
    console.log(`install time:          ${(ours.installMs / 1000).toFixed(1)} s vs ${(prism.installMs / 1000).toFixed(1)} s for prism-cli`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
