/**
 * `npm run conformance -- [options]`: parses flags and the documented CONTRACT_* variables into
 * the typed options of `runConformance()` and calls it directly (no test runner). SIGINT and
 * SIGTERM abort the step in flight; the library then cleans up and the reports are written.
 */
import path from 'node:path';
import type { Credentials, CredentialProvider } from '../client/client.ts';
import { defaultCredentialProvider } from '../client/node.ts';
import { formatConsole, OptionsError, replayConformance, runConformance, type ConformanceOptions, type ConformanceReport, type TargetValues } from '../conformance/index.ts';
import { isLoopback } from '../conformance/options.ts';
import { exitWith, parseCommandLine } from './command-line.ts';

const HELP = `Usage: vpcpeer-conformance [options]
       vpcpeer-conformance --replay FILE [FILE...]
       npm run conformance -- [options]   (in the repository)

Checks a VpcPeer endpoint against the contract (generated/openapi.json). Safe by default:
reads, DryRun=true calls proven harmless by a before/after snapshot, and negative tests that
carry DryRun=true or target IDs that do not exist. Nothing is created unless --lifecycle.

Target:
  --endpoint <url>        endpoint under test (CONTRACT_TARGET); default: start the mock
  --emulator              start a fresh stateful emulator and run everything against it,
                          lifecycle included (cross-account steps with its second account)
  --static                the endpoint answers from examples (a mock): accept DryRun
                          successes, skip the checks that need state
  --credentials <kind>    default (@alicloud/credentials chain) | fake | anonymous
                          (default: fake for a loopback endpoint, else default)
  --profile <name>        credentials profile (ALIBABA_CLOUD_PROFILE)
  --signature <v3|v1>     ACS3-HMAC-SHA256 (default) or HMAC-SHA1
  --region <id>           region under test (CONTRACT_REGION)
Checks:
  --lifecycle             opt in to create, change and delete a connection (needs
                          CONTRACT_VPC_ID, CONTRACT_ACCEPTING_VPC_ID, CONTRACT_ACCEPTING_REGION,
                          CONTRACT_ACCEPTING_ALIUID; CONTRACT_PEER_ACCESS_KEY_ID/_SECRET for the
                          cross-account steps; CONTRACT_RESOURCE_GROUP_ID_2 for the move)
  --negative <mode>       off | sample (default: one per constraint kind per parameter) | all
  --strict-fields         unknown response fields fail (default: warnings)
  --min-success <n>       fewest Actions with a validated success body (default: the
                          number of read Actions)
  --min-coverage <pct>    lowest share of Actions with a validated success body
  --max-pages <n>         longest paging walk (default 50)
  --timeout-ms <ms>       per call (default 15000)
  --deadline <ms>         whole run; cleanup still runs after it
  --pace-ms <ms>          pause between requests (default 0 on loopback, else 100)
Reports:
  --junit <file>          JUnit XML, written atomically on every exit path
  --json <file>           the whole report as JSON
  --record <file>         every exchange as JSON lines, secrets redacted
  --replay <file>         re-check recorded exchanges offline (repeatable; more files may follow)
  --ledger <file>         the cleanup ledger (CONTRACT_LEDGER; default: temp dir)
  -h, --help              show this help

Exit status: 0 conforms, 1 contract failures (or leftovers), 2 usage or configuration error,
3 could not test (credentials rejected, no answer, only 5xx, too few success bodies);
130/143 after SIGINT/SIGTERM.`;

const TOOL = 'conformance';
const fail = (message: string): never => exitWith(TOOL, message);

const { values: flags, positionals } = parseCommandLine(
  TOOL,
  HELP,
  {
    endpoint: { type: 'string' },
    emulator: { type: 'boolean', default: false },
    static: { type: 'boolean', default: false },
    credentials: { type: 'string' },
    profile: { type: 'string' },
    signature: { type: 'string' },
    region: { type: 'string' },
    lifecycle: { type: 'boolean', default: false },
    negative: { type: 'string' },
    'strict-fields': { type: 'boolean', default: false },
    'min-success': { type: 'string' },
    'min-coverage': { type: 'string' },
    'max-pages': { type: 'string' },
    'timeout-ms': { type: 'string' },
    deadline: { type: 'string' },
    'pace-ms': { type: 'string' },
    junit: { type: 'string' },
    json: { type: 'string' },
    record: { type: 'string' },
    replay: { type: 'string', multiple: true },
    ledger: { type: 'string' },
  },
  true,
);

const env = (name: string) => (process.env[name] === undefined || process.env[name] === '' ? undefined : process.env[name]);
const number = (flag: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) fail(`--${flag} must be a whole number, got ${JSON.stringify(text)}`);
  return Number(text);
};
const out = (text: string) => process.stdout.write(`${text}\n`);
const resolvePath = (file: string | undefined) => (file === undefined ? undefined : path.resolve(file));

function finish(report: ConformanceReport, signal?: string): never {
  out(formatConsole(report));
  if (flags.junit) out(`conformance: JUnit XML written to ${path.resolve(flags.junit)}`);
  if (flags.json) out(`conformance: JSON report written to ${path.resolve(flags.json)}`);
  if (flags.record) out(`conformance: exchanges recorded to ${path.resolve(flags.record)} (secrets redacted)`);
  process.exit(signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : report.exitCode);
}

// Replay: offline, no endpoint.
if (flags.replay) {
  const files = [...flags.replay, ...positionals];
  try {
    finish(replayConformance({ files, strictFields: flags['strict-fields'], staticAnswers: flags.static, ...(flags['min-success'] !== undefined && { minSuccess: number('min-success', flags['min-success'])! }), ...(flags.junit && { junitFile: path.resolve(flags.junit) }), ...(flags.json && { jsonFile: path.resolve(flags.json) }) }));
  } catch (error) {
    if (error instanceof OptionsError) fail(error.message);
    throw error;
  }
}
if (positionals.length > 0) fail(`unexpected argument ${positionals[0]} (only --replay takes several files)`);
if (flags.emulator && flags.endpoint !== undefined) fail('--emulator and --endpoint exclude each other');
if (flags.signature !== undefined && flags.signature !== 'v3' && flags.signature !== 'v1') fail('--signature must be v3 or v1');
if (flags.credentials !== undefined && !['default', 'fake', 'anonymous'].includes(flags.credentials)) fail('--credentials must be default, fake or anonymous');
if (flags.negative !== undefined && !['off', 'sample', 'all'].includes(flags.negative)) fail('--negative must be off, sample or all');
if (flags.profile !== undefined) process.env.ALIBABA_CLOUD_PROFILE = flags.profile;

const values: TargetValues = {};
const fromEnv: Array<[keyof TargetValues, string]> = [
  ['RegionId', 'CONTRACT_REGION'],
  ['VpcId', 'CONTRACT_VPC_ID'],
  ['AcceptingRegionId', 'CONTRACT_ACCEPTING_REGION'],
  ['AcceptingVpcId', 'CONTRACT_ACCEPTING_VPC_ID'],
  ['AcceptingAliUid', 'CONTRACT_ACCEPTING_ALIUID'],
  ['InstanceId', 'CONTRACT_INSTANCE_ID'],
  ['ResourceGroupId', 'CONTRACT_RESOURCE_GROUP_ID'],
  ['ResourceGroupId2', 'CONTRACT_RESOURCE_GROUP_ID_2'],
];
for (const [key, name] of fromEnv) if (env(name) !== undefined) values[key] = env(name)!;
if (flags.region !== undefined) values.RegionId = flags.region;

const FAKE: Credentials = { accessKeyId: 'LTAIcontractFakeId', accessKeySecret: 'contract-fake-secret' };
const FAKE_PEER: Credentials = { accessKeyId: 'LTAIcontractFakePeer', accessKeySecret: 'contract-fake-peer-secret' };

let endpoint = flags.endpoint ?? env('CONTRACT_TARGET');
let staticAnswers = flags.static;
let rehearseErrors = false;
let credentials: Credentials | CredentialProvider | 'anonymous' | undefined;
let peerCredentials: Credentials | undefined = env('CONTRACT_PEER_ACCESS_KEY_ID') && env('CONTRACT_PEER_ACCESS_KEY_SECRET') ? { accessKeyId: env('CONTRACT_PEER_ACCESS_KEY_ID')!, accessKeySecret: env('CONTRACT_PEER_ACCESS_KEY_SECRET')! } : undefined;
let lifecycle = flags.lifecycle;
let strictFields = flags['strict-fields'];
let stop: () => Promise<void> = async () => {};
let pollMs = number('CONTRACT_POLL_MS', env('CONTRACT_POLL_MS'));
let waitMs = number('CONTRACT_WAIT_MS', env('CONTRACT_WAIT_MS'));

if (flags.emulator) {
  const { startEmulatorTarget } = await import('../conformance/emulator-target.ts');
  const target = await startEmulatorTarget();
  endpoint = target.baseUrl;
  credentials = target.owner;
  peerCredentials = target.peer;
  Object.assign(values, target.values, values.InstanceId === undefined ? { InstanceId: target.values.InstanceId } : {});
  lifecycle = true;
  strictFields = true;
  pollMs ??= 50;
  waitMs ??= 20_000;
  stop = target.close;
} else if (endpoint === undefined) {
  const { startMockTarget } = await import('../conformance/mock-target.ts');
  const mock = await startMockTarget();
  endpoint = mock.baseUrl;
  staticAnswers = true;
  rehearseErrors = true;
  lifecycle = true; // the self-started mock keeps no state: the lifecycle changes nothing
  peerCredentials ??= FAKE_PEER;
  stop = mock.close;
}
let loopback = false;
try {
  loopback = isLoopback(endpoint);
} catch {
  fail(`--endpoint must be a URL such as https://vpcpeer.aliyuncs.com, got ${JSON.stringify(endpoint)}`);
}
const kind = flags.credentials ?? (loopback ? 'fake' : 'default');
credentials ??= kind === 'anonymous' ? 'anonymous' : kind === 'fake' ? FAKE : defaultCredentialProvider();

const controller = new AbortController();
let received: string | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (received) {
      process.stderr.write(`conformance: ${signal} again: still cleaning up what this run created; wait for the leftover list\n`);
      return;
    }
    received = signal;
    process.stderr.write(`conformance: ${signal}: stopping the step in flight, then cleaning up\n`);
    controller.abort(signal);
  });
}

const options: ConformanceOptions = {
  endpoint,
  credentials,
  ...(peerCredentials && { peerCredentials }),
  signature: (flags.signature as 'v3' | 'v1' | undefined) ?? 'v3',
  values,
  staticAnswers,
  rehearseErrors,
  lifecycle,
  strictFields,
  ...(flags.negative !== undefined && { negative: flags.negative as 'off' | 'sample' | 'all' }),
  ...(flags['min-success'] !== undefined && { minSuccess: number('min-success', flags['min-success'])! }),
  ...(flags['min-coverage'] !== undefined && { minCoverage: number('min-coverage', flags['min-coverage'])! }),
  ...(flags['max-pages'] !== undefined && { maxPages: number('max-pages', flags['max-pages'])! }),
  ...(flags['timeout-ms'] !== undefined && { timeoutMs: number('timeout-ms', flags['timeout-ms'])! }),
  ...(flags.deadline !== undefined && { deadlineMs: number('deadline', flags.deadline)! }),
  ...(flags['pace-ms'] !== undefined && { paceMs: number('pace-ms', flags['pace-ms'])! }),
  ...(pollMs !== undefined && { pollMs }),
  ...(waitMs !== undefined && { waitMs }),
  ...((flags.ledger ?? env('CONTRACT_LEDGER')) && { ledgerFile: path.resolve((flags.ledger ?? env('CONTRACT_LEDGER'))!) }),
  ...(flags.junit && { junitFile: resolvePath(flags.junit)! }),
  ...(flags.json && { jsonFile: resolvePath(flags.json)! }),
  ...(flags.record && { recordFile: resolvePath(flags.record)! }),
  signal: controller.signal,
  log: (line) => out(`conformance: ${line}`),
};

out(`conformance: ${endpoint}${staticAnswers ? ' (answers from examples)' : ''}, credentials ${typeof credentials === 'string' ? credentials : kind}, signing ${credentials === 'anonymous' ? 'off' : (options.signature ?? 'v3').toUpperCase()}, ${lifecycle ? 'lifecycle OPTED IN' : 'safe mode (reads, DryRun, negative tests)'}`);
let report: ConformanceReport;
try {
  report = await runConformance(options);
} catch (error) {
  await stop();
  if (error instanceof OptionsError) fail(error.message);
  process.stderr.write(`conformance: the checker failed: ${(error as Error)?.stack ?? String(error)}\n`);
  if (flags.junit) {
    const { writeAtomically } = await import('../conformance/report.ts');
    writeAtomically(path.resolve(flags.junit), `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="vpcpeer-conformance" tests="1" errors="1"><testsuite name="run" tests="1" errors="1"><testcase classname="vpcpeer.run" name="checker"><error message="the checker failed" type="internal"/></testcase></testsuite></testsuites>\n`);
  }
  process.exit(1);
}
await stop();
finish(report, received);
