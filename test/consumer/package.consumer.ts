/**
 * The kit as another project sees it: `npm pack`, then an install of the tarball from the npm cache (--prefer-offline) into a
 * scratch project, and everything a consumer does with it — bins, the typed client under
 * @tsconfig/strictest (in Node and in Chromium), the in-process emulator, conformance.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const kit = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  name: string;
  bin: Record<string, string>;
  devDependencies: Record<string, string>;
};
/** What the scratch project installs besides the kit, at the kit's own (cached) versions. */
const consumerTools = ['typescript', '@tsconfig/strictest', '@types/node'].map((name) => `${name}@${kit.devDependencies[name]}`);

let scratch: string;
let installLog: string;
const started: ChildProcess[] = [];

async function npm(args: string[], cwd: string): Promise<string> {
  const { stdout, stderr } = await run('npm', args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: 'false' } });
  return `${stdout}${stderr}`;
}

/** Runs an installed bin through npx (nothing is fetched), resolving with its output and exit code. */
function npx(args: string[], timeoutMs = 60_000, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npx', ['--offline', '--no-install', ...args], { cwd: scratch, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Starts a server bin on port 0 and waits for its readiness line; returns its base URL. */
async function startBin(bin: string, extra: string[] = []): Promise<{ child: ChildProcess; baseUrl: string; output: () => string }> {
  const entry = path.join(scratch, 'node_modules', '.bin', bin);
  const child = spawn(entry, ['--port', '0', ...extra], { cwd: scratch, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let output = '';
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${bin} printed no readiness line: ${output}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      const url = /listening on (http:\/\/[^\s]+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
    child.on('exit', (code) => reject(new Error(`${bin} exited with ${code}: ${output}`)));
  });
  return { child, baseUrl, output: () => output };
}

function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

const importFromScratch = async <T>(specifier: string): Promise<T> => {
  // Resolve as the scratch project would (its node_modules, the package's `exports`).
  const { createRequire } = await import('node:module');
  const resolved = createRequire(path.join(scratch, 'package.json')).resolve(specifier);
  return (await import(pathToFileURL(resolved).href)) as T;
};

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'vpcpeer-consumer-'));
  const packed = JSON.parse(await npm(['pack', '--json', '--silent', '--pack-destination', scratch], root).then((out) => out.slice(out.indexOf('[')))) as Array<{ filename: string }>;
  const tarball = path.join(scratch, packed[0]!.filename);
  cpSync(path.join(root, 'test', 'consumer', 'project'), scratch, { recursive: true });
  writeFileSync(path.join(scratch, 'package.json'), `${JSON.stringify({ name: 'scratch-consumer', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`);
  installLog = await npm(['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, ...consumerTools], scratch);
});

afterAll(async () => {
  await Promise.all(started.map((child) => stop(child, 'SIGKILL')));
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('installing the packed kit', () => {
  it('runs no install script and warns about no engine', () => {
    expect(installLog).not.toMatch(/EBADENGINE/);
    expect(installLog).not.toMatch(/install-scripts/);
    const installed = JSON.parse(readFileSync(path.join(scratch, 'node_modules', kit.name, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(installed.scripts?.[hook]).toBeUndefined();
  });

  it('puts compiled JavaScript, not TypeScript source, on every import path', async () => {
    const { createRequire } = await import('node:module');
    const requireFrom = createRequire(path.join(scratch, 'package.json'));
    for (const entry of ['client', 'client/node', 'emulator', 'contract']) {
      expect(requireFrom.resolve(`${kit.name}/${entry}`)).toMatch(/\.mjs$/);
    }
    const types = readdirSync(path.join(scratch, 'node_modules', kit.name, 'dist', 'types', 'src', 'client'));
    expect(types).toContain('index.d.ts');
    expect(types).toContain('index.d.ts.map');
  });
});

describe('the bins', () => {
  it('every bin prints its help and exits 0', async () => {
    for (const bin of Object.keys(kit.bin)) {
      const { code, output } = await npx([bin, '--help']);
      expect(code, `${bin} --help: ${output}`).toBe(0);
      expect(output, bin).toContain(`Usage: ${bin}`);
    }
  });

  it('npx vpcpeer-mock answers, and SIGTERM frees its port', async () => {
    const mock = await startBin('vpcpeer-mock');
    const res = await fetch(`${mock.baseUrl}/?Action=GetVpcPeerConnectionAttribute&Version=2022-01-01&InstanceId=pcc-lnk0m24khwvtkm7q2j1x`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ Status: 'Activated' });
    expect(await stop(mock.child)).toBe(0);
    await expect(fetch(`${mock.baseUrl}/`)).rejects.toThrow();
  });

  it('npx vpcpeer-docs renders the kit\'s bundled contract into the consumer\'s folder', async () => {
    const { code, output } = await npx(['vpcpeer-docs', '--out', 'site'], 120_000);
    expect(code, output).toBe(0);
    const html = readFileSync(path.join(scratch, 'site', 'index.html'), 'utf8');
    expect(html).toContain('CreateVpcPeerConnection');
    expect(html).toContain('Scalar');
  });

  it('npx vpcpeer-mock --watch needs --spec outside the kit\'s repository', async () => {
    const { code, output } = await npx(['vpcpeer-mock', '--watch', '--port', '0']);
    expect(code).toBe(2);
    expect(output).toContain('--watch needs --spec');
  });

  it('npx vpcpeer-emulator answers and npx vpcpeer-conformance --endpoint <emulator> passes', async () => {
    const emulator = await startBin('vpcpeer-emulator');
    const res = await fetch(`${emulator.baseUrl}/?Action=ListVpcPeerConnections&Version=2022-01-01&RegionId=cn-hangzhou`, { method: 'POST' });
    expect(res.status).toBe(200);
    // A connection for the checker to read, seeded as a console team would (the admin API); a
    // fresh empty account is "could not test" (exit 3), which is the checker being right.
    const seeded = await fetch(`${emulator.baseUrl}/__emulator/connections`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ vpcId: 'vpc-bp1alicehz0000000001', acceptingVpcId: 'vpc-bp1alicehz0000000002', status: 'Activated', name: 'consumer-test' }),
    });
    expect(seeded.status).toBe(200);
    const { connection } = (await seeded.json()) as { connection: { InstanceId: string } };
    // Signed with the emulator's first built-in account, through the @alicloud/credentials chain.
    const alice = {
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tAliceEmulator0001',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'alice-emulator-secret-0001',
      CONTRACT_REGION: 'cn-hangzhou',
      CONTRACT_INSTANCE_ID: connection.InstanceId,
    };
    const conformance = await npx(['vpcpeer-conformance', '--endpoint', emulator.baseUrl, '--credentials', 'default'], 300_000, alice);
    expect(conformance.code, conformance.output).toBe(0);
    expect(await stop(emulator.child, 'SIGINT')).toBe(0);
  });
});

describe('the typed client in a TypeScript project on @tsconfig/strictest', () => {
  const tsc = () => path.join(scratch, 'node_modules', 'typescript', 'bin', 'tsc');

  it('compiles typed calls and a typed error code', async () => {
    const result = await run(process.execPath, [tsc(), '-p', 'tsconfig.json'], { cwd: scratch }).then(
      () => 'ok',
      (error: { stdout: string }) => error.stdout,
    );
    expect(result).toBe('ok');
    expect(existsSync(path.join(scratch, 'out', 'node-consumer.js'))).toBe(true);
  });

  it('refuses a misspelled parameter and an undocumented error code', async () => {
    const failure = await run(process.execPath, [tsc(), '-p', 'tsconfig.misspelled.json'], { cwd: scratch }).then(
      () => undefined,
      (error: { stdout: string }) => error.stdout,
    );
    expect(failure, 'the misspelled consumer compiled').toBeDefined();
    expect(failure).toMatch(/misspelled\.ts\(5,\d+\): error TS\d+: .*'InstanceID'/);
    expect(failure).toMatch(/misspelled\.ts\(6,\d+\): error TS\d+: .*'"ResourceNotFound\.Instance"'/);
    expect(failure!.match(/error TS/g)).toHaveLength(2);
  });

  it('the compiled consumer talks to the emulator', async () => {
    const { startEmulator } = await importFromScratch<typeof import('../../src/emulator/index.ts')>(`${kit.name}/emulator`);
    const emulator = await startEmulator({ config: { delays: { createMs: 0 } } });
    try {
      const { world, accounts } = emulator.emulator.config;
      const [owner, peer] = accounts;
      const ownVpc = world.accounts[owner!.uid]!.vpcs['cn-hangzhou']![0]!.VpcId;
      const peerRegion = Object.keys(world.accounts[peer!.uid]!.vpcs)[0]!;
      const peerVpc = world.accounts[peer!.uid]!.vpcs[peerRegion]![0]!.VpcId;
      const { stdout } = await run(process.execPath, ['out/node-consumer.js', emulator.baseUrl, ownVpc, peer!.uid, peerRegion, peerVpc], { cwd: scratch });
      const outcome = JSON.parse(stdout) as { instanceId: string; owner: string; caught: string };
      expect(outcome.instanceId).toMatch(/^pcc-/);
      expect(outcome.owner).toBe(owner!.uid);
      expect(outcome.caught).toBe('ResourceNotFound.InstanceId');
    } finally {
      await emulator.close();
    }
  });
});

describe('the client bundled for the browser', () => {
  let page: Server | undefined;

  afterAll(async () => {
    await new Promise((resolve) => (page ? page.close(resolve) : resolve(undefined)));
  });

  it('has no Node built-in, no credentials chain, and not the whole contract', async () => {
    const out = await build({
      absWorkingDir: scratch,
      entryPoints: ['src/browser.ts'],
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      logLevel: 'silent',
    });
    const inputs = Object.keys(out.metafile.inputs);
    expect(inputs.filter((file) => file.startsWith('node:') || /@alicloud\/credentials/.test(file))).toEqual([]);
    expect(inputs.some((file) => file.includes(`${kit.name}/dist/lib/client.mjs`))).toBe(true);
    expect(inputs.filter((file) => file.endsWith('openapi.json'))).toEqual([]);
    // Nothing of the document is inlined either: the wire facts only.
    const text = out.outputFiles[0]!.text;
    expect(text).not.toContain('jsonSchemaDialect');
    expect(text).not.toContain('x-acs-lifecycle');
    expect(text).toContain('CreateVpcPeerConnection');
  });

  it('runs in Chromium against the emulator', async () => {
    const out = await build({
      absWorkingDir: scratch,
      entryPoints: ['src/browser.ts'],
      bundle: true,
      write: false,
      format: 'iife',
      globalName: 'Consumer',
      platform: 'browser',
      target: 'es2022',
      logLevel: 'silent',
    });
    const bundle = out.outputFiles[0]!.text;
    const { startEmulator } = await importFromScratch<typeof import('../../src/emulator/index.ts')>(`${kit.name}/emulator`);
    const emulator = await startEmulator();
    page = createServer((req, res) => {
      res.writeHead(200, { 'content-type': req.url === '/app.js' ? 'text/javascript' : 'text/html' });
      res.end(req.url === '/app.js' ? bundle : '<!doctype html><title>console</title><script src="/app.js"></script>');
    });
    await new Promise<void>((resolve) => page!.listen(0, '127.0.0.1', resolve));
    const browser = await launchChromium();
    try {
      const tab = await browser.newPage();
      await tab.goto(`http://localhost:${(page.address() as AddressInfo).port}/`);
      const result = await tab.evaluate(
        (endpoint: string) => (globalThis as unknown as { Consumer: { runConsole(e: string): Promise<unknown> } }).Consumer.runConsole(endpoint),
        emulator.baseUrl,
      );
      expect(result).toEqual({ listed: true, code: 'ResourceNotFound.InstanceId', secure: true });
    } finally {
      await browser.close();
      await emulator.close();
    }
  });
});

describe('startEmulator from ./emulator', () => {
  it('runs in a plain Node script', async () => {
    const { stdout } = await run(process.execPath, ['emulator-script.mjs'], { cwd: scratch });
    expect(JSON.parse(stdout)).toMatchObject({ baseUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), count: expect.any(Number) });
  });
});
