/**
 * `npm start` / `npm run mock -- [options]`: the Prism mock of the VpcPeer contract.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { indexContract } from '../contract/model.ts';
import { exitWith, logLevelOption, parseCommandLine, portOption, serve } from './command-line.ts';
import { createMockServer } from '../mock/server.ts';
import { usePrecomputedAnswers, type StaticAnswerTable } from '../mock/prism.ts';

const HELP = `Usage: vpcpeer-mock [options]
Usage: npm start -- [options]   (in the repository)

Serves the VpcPeer 2022-01-01 contract at the real URL shape (POST or GET /, Action in the query,
the x-acs-action header or the form body).

Options (environment variable in brackets):
  --port <n>          port to listen on (default 4010) [VPCPEER_MOCK_PORT]
  --host <addr>       address to bind (default 127.0.0.1) [VPCPEER_MOCK_HOST]
  --spec <file>       bundled contract to serve (default generated/openapi.json) [VPCPEER_MOCK_SPEC]
  --dynamic           generate answers from the schemas instead of the examples [VPCPEER_MOCK_DYNAMIC=1]
  --seed <text>       seed for --dynamic, for repeatable data [VPCPEER_MOCK_SEED]
  --require-auth      demand V1 or V3 signing material; answer IncompleteSignature without it [VPCPEER_MOCK_REQUIRE_AUTH=1]
  --log-level <lvl>   silent | error | info (one line per request, default) | debug [VPCPEER_MOCK_LOG_LEVEL]
  -h, --help          show this help

Per request: 'Prefer: code=400, example=IncorrectStatus.VpcPeer' (or ?__code=400&__example=...)
answers with that documented error; 'Prefer: dynamic=true' generates data for one request.`;

function fail(message: string): never {
  return exitWith('vpcpeer-mock', message);
}

const { values } = parseCommandLine('vpcpeer-mock', HELP, {
  port: { type: 'string' },
  host: { type: 'string' },
  spec: { type: 'string' },
  dynamic: { type: 'boolean' },
  seed: { type: 'string' },
  'require-auth': { type: 'boolean' },
  'log-level': { type: 'string' },
});

const env = process.env;
const truthy = (v: string | undefined) => v !== undefined && /^(1|true|yes)$/i.test(v);
const port = portOption('vpcpeer-mock', values.port ?? env.VPCPEER_MOCK_PORT ?? '4010');
const host = values.host ?? env.VPCPEER_MOCK_HOST ?? '127.0.0.1';
const logLevel = logLevelOption('vpcpeer-mock', values['log-level'] ?? env.VPCPEER_MOCK_LOG_LEVEL ?? 'info');

/** generated/openapi.json of this package, found upward from this file (src/cli/ or the dist/ bundle). */
function defaultSpec(): string {
  for (let dir = import.meta.dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'generated', 'openapi.json');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return path.join(process.cwd(), 'generated', 'openapi.json');
  }
}
const specPath = path.resolve(values.spec ?? env.VPCPEER_MOCK_SPEC ?? defaultSpec());

let document: Record<string, unknown>;
try {
  document = JSON.parse(await readFile(specPath, 'utf8')) as Record<string, unknown>;
} catch (error) {
  fail(`cannot read the contract ${specPath}: ${(error as Error).message}. Run \`npm run generate\` or pass --spec <bundled JSON>.`);
}
let contract;
try {
  contract = indexContract(document);
} catch (error) {
  fail(`${specPath} is not a VpcPeer contract this mock can serve: ${(error as Error).message}`);
}

// The installed bin ships Prism's static answers for the bundled contract (used only for that document).
const shippedAnswers = path.join(import.meta.dirname, 'mock-answers.json');
if (existsSync(shippedAnswers)) usePrecomputedAnswers(JSON.parse(await readFile(shippedAnswers, 'utf8')) as StaticAnswerTable);

const seed = values.seed ?? env.VPCPEER_MOCK_SEED;
const { server } = await createMockServer({
  contract,
  dynamic: values.dynamic ?? truthy(env.VPCPEER_MOCK_DYNAMIC),
  ...(seed !== undefined && { seed }),
  requireAuth: values['require-auth'] ?? truthy(env.VPCPEER_MOCK_REQUIRE_AUTH),
  logLevel,
});

serve(server, {
  tool: 'vpcpeer-mock',
  host,
  port,
  portVariable: 'VPCPEER_MOCK_PORT',
  onListening(actual) {
    if (logLevel === 'silent') return;
    process.stdout.write(
      `VpcPeer mock listening on http://${host}:${actual} (${contract.actions.length} Actions, ${values.dynamic ? 'dynamic data' : 'documented examples'}${values['require-auth'] ? ', signatures required' : ''}). Ctrl+C stops it.\n`,
    );
  },
});
