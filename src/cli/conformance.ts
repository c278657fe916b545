/**
 * `npm run conformance -- [options]`: runs the contract suite (contract-tests/) against an
 * endpoint, or against the mock it starts itself, and prints a per-Action summary; JUnit XML on
 * request. The suite runs in a vitest child process with the target in its environment.
 */
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const HELP = `Usage: npm run conformance -- [options]

Checks every VpcPeer Action's answers against the contract (generated/openapi.json).

Options:
  --endpoint <url>        endpoint under test, e.g. https://vpcpeer.aliyuncs.com or
                          http://127.0.0.1:4010 (default: start the mock on a free port)
  --credentials <kind>    default: the @alicloud/credentials chain (env variables, profile,
                          STS, ECS RAM role); fake: a made-up AccessKey (mocks, emulators);
                          anonymous: unsigned. Default: fake for 127.0.0.1/localhost, else default
  --profile <name>        profile of the credentials file / CLI config (ALIBABA_CLOUD_PROFILE)
  --signature <v3|v1>     ACS3-HMAC-SHA256 (default) or HMAC-SHA1
  --region <id>           RegionId to use instead of the contract's example (CONTRACT_REGION)
  --lifecycle             opt in to create, modify, tag and delete real resources (tagged
                          contract-test=<run>, deleted in teardown). Also set CONTRACT_VPC_ID,
                          CONTRACT_ACCEPTING_VPC_ID, CONTRACT_ACCEPTING_REGION,
                          CONTRACT_ACCEPTING_ALIUID; CONTRACT_PEER_ACCESS_KEY_ID/_SECRET for
                          the cross-account steps
  --strict-dry-run        a loopback endpoint is taken for a mock that answers DryRun calls with
                          its success example; with this flag such an answer fails, as it does
                          for any other endpoint (use it for the stateful emulator)
  --junit <file>          also write JUnit XML to <file>
  -h, --help              show this help

Safe by default: only Get/List/ListTagResources, and the other Actions with DryRun=true;
Actions that change state without DryRun are reported as skipped because unsafe.`;

function fail(message: string): never {
  process.stderr.write(`conformance: ${message}\n`);
  process.exit(2);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        endpoint: { type: 'string' },
        credentials: { type: 'string' },
        profile: { type: 'string' },
        signature: { type: 'string' },
        region: { type: 'string' },
        lifecycle: { type: 'boolean', default: false },
        'strict-dry-run': { type: 'boolean', default: false },
        junit: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    fail(`${(error as Error).message}\n\n${HELP}`);
  }
})();

if (values.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}

const env: NodeJS.ProcessEnv = {};
for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('VITEST')) env[key] = value;
for (const key of ['CONTRACT_TARGET', 'CONTRACT_CREDENTIALS', 'CONTRACT_SIGNATURE', 'CONTRACT_LIFECYCLE', 'CONTRACT_STATIC']) delete env[key];

let loopback = true;
if (values.endpoint !== undefined) {
  let url: URL;
  try {
    url = new URL(values.endpoint);
  } catch {
    fail(`--endpoint must be a URL such as https://vpcpeer.aliyuncs.com, got ${JSON.stringify(values.endpoint)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail('--endpoint must be http: or https:');
  loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  env.CONTRACT_TARGET = url.origin;
  if (loopback && !values['strict-dry-run']) env.CONTRACT_STATIC = '1';
}
const credentials = values.credentials ?? (loopback ? 'fake' : 'default');
if (!['default', 'fake', 'anonymous'].includes(credentials)) fail('--credentials must be default, fake or anonymous');
env.CONTRACT_CREDENTIALS = credentials;
if (values.signature !== undefined && values.signature !== 'v3' && values.signature !== 'v1') fail('--signature must be v3 or v1');
env.CONTRACT_SIGNATURE = values.signature ?? 'v3';
if (values.profile !== undefined) env.ALIBABA_CLOUD_PROFILE = values.profile;
if (values.region !== undefined) env.CONTRACT_REGION = values.region;
if (values.lifecycle) env.CONTRACT_LIFECYCLE = '1';
const ledger = path.join(tmpdir(), `vpcpeer-contract-ledger-${process.pid}.json`);
env.CONTRACT_LEDGER = ledger;

const require = createRequire(import.meta.url);
const vitestCli = path.join(path.dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const args = [vitestCli, 'run', '--root', root, 'contract-tests/conformance.test.ts', 'contract-tests/lifecycle.test.ts', '--reporter=default'];
if (values.junit !== undefined) args.push('--reporter=junit', `--outputFile.junit=${path.resolve(values.junit)}`);

process.stdout.write(
  `conformance: ${env.CONTRACT_TARGET ?? 'the mock (started by the suite)'}, credentials ${credentials}, signing ${credentials === 'anonymous' ? 'off' : env.CONTRACT_SIGNATURE.toUpperCase()}, ${values.lifecycle ? 'lifecycle OPTED IN' : 'safe mode (reads + DryRun)'}\n`,
);

let interrupted: NodeJS.Signals | undefined;
const child = spawn(process.execPath, args, { stdio: 'inherit', env, cwd: root });
// Ctrl+C reaches the whole process group; forward a signal sent to us alone, then wait for
// the suite's teardown and sweep what it could not delete.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    interrupted = signal;
    if (child.exitCode === null) child.kill(signal);
  });
}

child.on('exit', (code, signal) => {
  void (async () => {
    let status = code ?? (signal ? 1 : 0);
    if (existsSync(ledger)) {
      if (env.CONTRACT_TARGET === undefined) {
        rmSync(ledger, { force: true }); // the self-started mock is gone; nothing real was created
      } else {
        process.env.CONTRACT_TARGET = env.CONTRACT_TARGET;
        process.env.CONTRACT_CREDENTIALS = credentials;
        process.env.CONTRACT_SIGNATURE = env.CONTRACT_SIGNATURE;
        process.env.CONTRACT_LEDGER = ledger;
        if (values.profile !== undefined) process.env.ALIBABA_CLOUD_PROFILE = values.profile;
        const { openTarget } = await import('../../contract-tests/lib/target.ts');
        const { sweepLedger, readLedger } = await import('../../contract-tests/lib/lifecycle.ts');
        const target = await openTarget();
        const deleted = await sweepLedger(target, ledger);
        if (deleted.length > 0) process.stdout.write(`conformance: swept leftovers after the run: deleted ${deleted.join(', ')}\n`);
        const left = readLedger(ledger);
        if (left.length > 0) {
          process.stderr.write(`conformance: could NOT delete ${left.map((e) => e.instanceId).join(', ')} (tag contract-test); ledger kept at ${ledger}\n`);
          status = status || 1;
        }
      }
    }
    if (values.junit !== undefined) process.stdout.write(`conformance: JUnit XML written to ${path.resolve(values.junit)}\n`);
    process.exit(interrupted === 'SIGINT' ? 130 : interrupted === 'SIGTERM' ? 143 : status);
  })();
});
