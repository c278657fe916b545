/**
 * `npm start` / `npm run mock -- [options]`: the Prism mock of the VpcPeer contract.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { indexContract } from '../contract/model.ts';
import { exitWith, logLevelOption, parseCommandLine, portOption, serve, watchForChanges } from './command-line.ts';
import { createMockServer } from '../mock/server.ts';
import { usePrecomputedAnswers, type StaticAnswerTable } from '../mock/prism.ts';
import { DEFAULT_LIMITS, type ServerLimits } from '../server/http.ts';
import { useShippedValidators } from './shipped.ts';

const HELP = `Usage: vpcpeer-mock [options]
Usage: npm start -- [options]   (in the repository)

Serves the VpcPeer 2022-01-01 contract at the real URL shape (POST or GET /, Action in the query,
the x-acs-action header or the form body).

Options (environment variable in brackets):
  --port <n>          port to listen on (default 4010) [VPCPEER_MOCK_PORT]
  --host <addr>       address to bind (default 127.0.0.1; 0.0.0.0 in a container) [VPCPEER_MOCK_HOST]
  --spec <file>       bundled contract to serve (default generated/openapi.json) [VPCPEER_MOCK_SPEC]
  --dynamic           generate answers from the schemas instead of the examples [VPCPEER_MOCK_DYNAMIC=1]
  --seed <text>       seed for --dynamic, for repeatable data [VPCPEER_MOCK_SEED]
  --require-auth      demand V1 or V3 signing material; answer IncompleteSignature without it [VPCPEER_MOCK_REQUIRE_AUTH=1]
  --watch             reload the contract when --spec (or, in the repository, spec/) changes; the port stays open
  --log-level <lvl>   silent | error | info (one line per request, default) | debug [VPCPEER_MOCK_LOG_LEVEL]
  --headers-timeout <ms>     request line and headers must arrive within this (default 10000) [VPCPEER_MOCK_HEADERS_TIMEOUT]
  --request-timeout <ms>     the whole request must arrive within this (default 30000) [VPCPEER_MOCK_REQUEST_TIMEOUT]
  --keep-alive-timeout <ms>  idle keep-alive connections close after this (default 5000) [VPCPEER_MOCK_KEEP_ALIVE_TIMEOUT]
  --max-connections <n>      connections beyond this are closed at once (default 1000) [VPCPEER_MOCK_MAX_CONNECTIONS]
  -h, --help          show this help

Ready when it prints "... listening on http://<host>:<port> ..." on stdout; GET /__health answers 200.
SIGINT or SIGTERM stops it and frees the port.

Per request: 'Prefer: code=400, example=IncorrectStatus.VpcPeer' (or ?__code=400&__example=...)
answers with that documented error; 'Prefer: dynamic=true' generates data for one request.
A request that does not arrive in time is answered 408 RequestTimeout (docs/protocol.md).`;

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
  watch: { type: 'boolean' },
  'headers-timeout': { type: 'string' },
  'request-timeout': { type: 'string' },
  'keep-alive-timeout': { type: 'string' },
  'max-connections': { type: 'string' },
});

const env = process.env;
const truthy = (v: string | undefined) => v !== undefined && /^(1|true|yes)$/i.test(v);
const port = portOption('vpcpeer-mock', values.port ?? env.VPCPEER_MOCK_PORT ?? '4010');
const host = values.host ?? env.VPCPEER_MOCK_HOST ?? '127.0.0.1';
const logLevel = logLevelOption('vpcpeer-mock', values['log-level'] ?? env.VPCPEER_MOCK_LOG_LEVEL ?? 'info');

/** The server limits from flags or the environment: whole numbers of at least 1. */
function limitsOption(): ServerLimits {
  const read = (flag: keyof typeof values, variable: string, fallback: number): number => {
    const text = (values[flag] as string | undefined) ?? env[variable];
    if (text === undefined || text === '') return fallback;
    if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) fail(`--${String(flag)} must be a whole number of at least 1, got "${text}"`);
    return Number(text);
  };
  const limits = {
    headersTimeoutMs: read('headers-timeout', 'VPCPEER_MOCK_HEADERS_TIMEOUT', DEFAULT_LIMITS.headersTimeoutMs),
    requestTimeoutMs: read('request-timeout', 'VPCPEER_MOCK_REQUEST_TIMEOUT', DEFAULT_LIMITS.requestTimeoutMs),
    keepAliveTimeoutMs: read('keep-alive-timeout', 'VPCPEER_MOCK_KEEP_ALIVE_TIMEOUT', DEFAULT_LIMITS.keepAliveTimeoutMs),
    maxConnections: read('max-connections', 'VPCPEER_MOCK_MAX_CONNECTIONS', DEFAULT_LIMITS.maxConnections),
  };
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    fail(`--headers-timeout (${limits.headersTimeoutMs}) must not exceed --request-timeout (${limits.requestTimeoutMs}): the headers are part of the request`);
  }
  return limits;
}
const limits = limitsOption();

/** generated/openapi.json of this package, found upward from this file (src/cli/ or the dist/ bundle). */
function defaultSpec(): string {
  for (let dir = import.meta.dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'generated', 'openapi.json');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return path.join(process.cwd(), 'generated', 'openapi.json');
  }
}
/** spec/openapi.yaml of the kit's own repository (not shipped in the package), found upward from this file. */
function repositorySpec(): string | undefined {
  for (let dir = import.meta.dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (!existsSync(path.join(dir, 'package.json'))) continue;
    const candidate = path.join(dir, 'spec', 'openapi.yaml');
    // The first package.json up is the kit's own (src/cli or dist/bin); installed, it has no spec/.
    return existsSync(candidate) ? candidate : undefined;
  }
  return undefined;
}
const specPath = path.resolve(values.spec ?? env.VPCPEER_MOCK_SPEC ?? defaultSpec());

/** Reads and indexes a bundled contract; throws a message that says what is wrong. */
async function loadContract(file: string) {
  let document: Record<string, unknown>;
  try {
    document = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`cannot read the contract ${file}: ${(error as Error).message}. Run \`npm run generate\` or pass --spec <bundled JSON>.`);
  }
  try {
    return indexContract(document);
  } catch (error) {
    throw new Error(`${file} is not a VpcPeer contract this mock can serve: ${(error as Error).message}`);
  }
}

let contract;
try {
  contract = await loadContract(specPath);
} catch (error) {
  fail((error as Error).message);
}

// The installed bin ships precompiled validators for the bundled contract (used only for that document).
await useShippedValidators(import.meta.dirname, contract.document);
// The installed bin ships Prism's static answers for the bundled contract (used only for that document).
const shippedAnswers = path.join(import.meta.dirname, 'mock-answers.json');
if (existsSync(shippedAnswers)) usePrecomputedAnswers(JSON.parse(await readFile(shippedAnswers, 'utf8')) as StaticAnswerTable);

const seed = values.seed ?? env.VPCPEER_MOCK_SEED;
const mockOptions = {
  dynamic: values.dynamic ?? truthy(env.VPCPEER_MOCK_DYNAMIC),
  ...(seed !== undefined && { seed }),
  requireAuth: values['require-auth'] ?? truthy(env.VPCPEER_MOCK_REQUIRE_AUTH),
  logLevel,
  limits,
};
const { server } = await createMockServer({ contract, ...mockOptions });

if (values.watch) {
  // In the repository without --spec: watch spec/ and bundle it again; else watch the --spec file.
  const repoSpec = values.spec === undefined && env.VPCPEER_MOCK_SPEC === undefined ? repositorySpec() : undefined;
  if (!repoSpec && values.spec === undefined && env.VPCPEER_MOCK_SPEC === undefined) {
    fail('--watch needs --spec <bundled JSON> outside the kit\'s repository (there is no spec/ folder to watch here)');
  }
  watchForChanges({
    tool: 'vpcpeer-mock',
    paths: [repoSpec ? path.dirname(repoSpec) : specPath],
    async load() {
      let next;
      if (repoSpec) {
        const { bundleSpec } = await import('../contract/bundle.ts');
        next = indexContract(await bundleSpec(repoSpec));
      } else {
        next = await loadContract(specPath);
      }
      return (await createMockServer({ contract: next, ...mockOptions })).server;
    },
    apply(fresh) {
      // The listening socket stays; only the request handler (contract, validators, Prism) changes.
      const [handler] = fresh.listeners('request') as Array<(...args: unknown[]) => void>;
      server.removeAllListeners('request');
      server.on('request', handler!);
    },
    log: (line) => process.stdout.write(`${line}\n`),
  });
}

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
