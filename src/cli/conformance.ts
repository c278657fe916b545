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
import { exitWith, parseCommandLine } from './command-line.ts';

const HELP = `Usage: vpcpeer-conformance [options]
Usage: npm run conformance -- [options]   (in the repository)

Checks every VpcPeer Action's answers against the contract (generated/openapi.json).

Options:
  --endpoint <url>        endpoint under test, e.g. https://vpcpeer.aliyuncs.com or
                          http://127.0.0.1:4010 (default: start the mock on a free port)
  --emulator              start a fresh stateful emulator on a free port and run everything
                          against it: strict DryRun, signed with its first account, and the
                          whole lifecycle (cross-account steps with its second account)
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
  return exitWith('conformance', message);
}

const { values } = parseCommandLine('conformance', HELP, {
  endpoint: { type: 'string' },
  emulator: { type: 'boolean', default: false },
  credentials: { type: 'string' },
  profile: { type: 'string' },
  signature: { type: 'string' },
  region: { type: 'string' },
  lifecycle: { type: 'boolean', default: false },
  'strict-dry-run': { type: 'boolean', default: false },
  junit: { type: 'string' },
});
if (values.emulator && values.endpoint !== undefined) fail('--emulator and --endpoint exclude each other');

const env: NodeJS.ProcessEnv = {};
for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('VITEST')) env[key] = value;
for (const key of ['CONTRACT_TARGET', 'CONTRACT_CREDENTIALS', 'CONTRACT_SIGNATURE', 'CONTRACT_LIFECYCLE', 'CONTRACT_STATIC']) delete env[key];

/** With --emulator: a fresh emulator in this process, and the suite's settings to drive it. */
const emulator = values.emulator ? await startEmulatorTarget(env) : undefined;
if (emulator) {
  values.endpoint = emulator.baseUrl;
  values['strict-dry-run'] = true;
  values.lifecycle = true;
  values.credentials ??= 'default';
}

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
    await emulator?.close();
    if (existsSync(ledger)) {
      if (env.CONTRACT_TARGET === undefined) {
        rmSync(ledger, { force: true }); // the self-started mock is gone; nothing real was created
      } else {
        process.env.CONTRACT_TARGET = env.CONTRACT_TARGET;
        process.env.CONTRACT_CREDENTIALS = credentials;
        process.env.CONTRACT_SIGNATURE = env.CONTRACT_SIGNATURE;
        process.env.CONTRACT_LEDGER = ledger;
        if (values.profile !== undefined) process.env.ALIBABA_CLOUD_PROFILE = values.profile;
        const { openTarget } = await import('../conformance/target.ts');
        const { sweepLedger, readLedger } = await import('../conformance/lifecycle.ts');
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

/**
 * Starts the emulator with short lifecycle delays and fills in what the suite needs from its
 * world: the first account signs (its AccessKey through the @alicloud/credentials environment
 * variables), the second accepts and rejects, and both accounts' VPCs are the peers.
 */
async function startEmulatorTarget(childEnv: NodeJS.ProcessEnv) {
  const { startEmulator } = await import('../emulator/index.ts');
  const running = await startEmulator({
    config: { delays: { createMs: 100, acceptMs: 100, modifyMs: 100, deleteMs: 100 } },
    logLevel: 'silent',
  });
  const { accounts, world } = running.emulator.config;
  const [owner, peer] = accounts;
  if (!owner?.accessKeys[0] || !peer?.accessKeys[0]) fail('the emulator config needs two accounts with AccessKeys');
  const region = 'cn-hangzhou';
  const ownVpc = world.accounts[owner.uid]?.vpcs[region]?.[0];
  const peerRegion = Object.keys(world.accounts[peer.uid]?.vpcs ?? {}).find((r) => r !== region);
  const peerVpc = peerRegion ? world.accounts[peer.uid]?.vpcs[peerRegion]?.[0] : undefined;
  if (!ownVpc || !peerRegion || !peerVpc) fail('the emulator world needs a VPC of the first account in cn-hangzhou and one of the second account in another region');
  Object.assign(childEnv, {
    ALIBABA_CLOUD_ACCESS_KEY_ID: owner.accessKeys[0].id,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: owner.accessKeys[0].secret,
    CONTRACT_PEER_ACCESS_KEY_ID: peer.accessKeys[0].id,
    CONTRACT_PEER_ACCESS_KEY_SECRET: peer.accessKeys[0].secret,
    CONTRACT_REGION: region,
    CONTRACT_VPC_ID: ownVpc.VpcId,
    CONTRACT_ACCEPTING_REGION: peerRegion,
    CONTRACT_ACCEPTING_VPC_ID: peerVpc.VpcId,
    CONTRACT_ACCEPTING_ALIUID: peer.uid,
    CONTRACT_POLL_MS: '50',
    CONTRACT_WAIT_MS: '20000',
  });
  delete childEnv.ALIBABA_CLOUD_SECURITY_TOKEN;
  delete childEnv.ALIBABA_CLOUD_PROFILE;
  return running;
}
