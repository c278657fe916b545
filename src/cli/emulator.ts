/**
 * `npm run emulator -- [options]`: the stateful VpcPeer emulator.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadWorldFile } from '../emulator/config.ts';
import { createEmulator, type LogLevel } from '../emulator/server.ts';
import { StateFileError } from '../emulator/store.ts';

const HELP = `Usage: npm run emulator -- [options]

A stateful VpcPeer 2022-01-01 endpoint: connections are created, accepted, modified and deleted
for real, per account, with the documented errors. Same URL shape as the service (POST or GET /,
Action in the query, the x-acs-action header or the form body).

Options (environment variable in brackets):
  --port <n>          port to listen on (default 4011) [VPCPEER_EMULATOR_PORT]
  --host <addr>       address to bind (default 127.0.0.1) [VPCPEER_EMULATOR_HOST]
  --config <file>     JSON config: auth, accounts, delays, quotas, faults, world [VPCPEER_EMULATOR_CONFIG]
  --world <file>      seeded VPCs and resource groups (default fixtures/world.json) [VPCPEER_EMULATOR_WORLD]
  --auth <mode>       off | presence | verify (overrides the config; default off) [VPCPEER_EMULATOR_AUTH]
  --state <file>      load the world from this file and save it on every change [VPCPEER_EMULATOR_STATE]
  --clock <mode>      system (wall clock + advances, default) | manual (frozen until advanced) [VPCPEER_EMULATOR_CLOCK]
  --log-level <lvl>   silent | error | info (one line per request, default) | debug [VPCPEER_EMULATOR_LOG_LEVEL]
  -h, --help          show this help

Admin API (loopback clients only): GET /__emulator lists it (state, reset, clock, faults).`;

function fail(message: string): never {
  process.stderr.write(`vpcpeer-emulator: ${message}\n`);
  process.exit(2);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        config: { type: 'string' },
        world: { type: 'string' },
        auth: { type: 'string' },
        state: { type: 'string' },
        clock: { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${HELP}`);
  }
})();

if (values.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}

const env = process.env;
const portText = values.port ?? env.VPCPEER_EMULATOR_PORT ?? '4011';
const port = Number(portText);
if (!/^\d+$/.test(portText) || port > 65535) fail(`--port must be a number from 0 to 65535, got "${portText}"`);
const host = values.host ?? env.VPCPEER_EMULATOR_HOST ?? '127.0.0.1';
const logLevel = (values['log-level'] ?? env.VPCPEER_EMULATOR_LOG_LEVEL ?? 'info') as LogLevel;
if (!['silent', 'error', 'info', 'debug'].includes(logLevel)) fail(`--log-level must be silent, error, info or debug, got "${logLevel}"`);
const clock = values.clock ?? env.VPCPEER_EMULATOR_CLOCK ?? 'system';
if (clock !== 'system' && clock !== 'manual') fail(`--clock must be system or manual, got "${clock}"`);
const auth = values.auth ?? env.VPCPEER_EMULATOR_AUTH;
if (auth !== undefined && !['off', 'presence', 'verify'].includes(auth)) fail(`--auth must be off, presence or verify, got "${auth}"`);

const configFile = values.config ?? env.VPCPEER_EMULATOR_CONFIG;
let document: Record<string, unknown> = {};
if (configFile) {
  try {
    document = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    fail(`cannot read the config ${configFile}: ${(error as Error).message}`);
  }
  if (typeof document.world === 'string') document.world = path.resolve(path.dirname(configFile), document.world);
}
const worldFile = values.world ?? env.VPCPEER_EMULATOR_WORLD;
const stateFile = values.state ?? env.VPCPEER_EMULATOR_STATE;

let emulator;
try {
  if (worldFile) document.world = loadWorldFile(path.resolve(worldFile));
  if (auth) document.auth = auth;
  emulator = createEmulator({ config: document, clock, logLevel, ...(stateFile && { stateFile }) });
} catch (error) {
  if (error instanceof ConfigError || error instanceof StateFileError) fail(error.message);
  throw error;
}
const { server, config } = emulator;

server.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EADDRINUSE') fail(`port ${port} on ${host} is already in use. Stop the other process or pass --port <n> (or set VPCPEER_EMULATOR_PORT).`);
  if (error.code === 'EACCES') fail(`not allowed to listen on ${host}:${port}. Pick a port above 1023.`);
  fail(`cannot listen on ${host}:${port}: ${error.message}`);
});
server.listen(port, host, () => {
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  if (logLevel !== 'silent') {
    const accounts = config.accounts.map((a) => `${a.name} (${a.uid}, key ${a.accessKeys[0]?.id ?? 'none'})`).join(', ');
    process.stdout.write(
      `VpcPeer emulator listening on http://${host}:${actual} (auth ${config.auth}, clock ${clock}, ${emulator.store.size} connection(s)${stateFile ? `, state in ${stateFile}` : ''}).\nAccounts: ${accounts}. Admin: http://${host}:${actual}/__emulator. Ctrl+C stops it.\n`,
    );
  }
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    try {
      emulator.flush();
    } catch (error) {
      process.stderr.write(`vpcpeer-emulator: could not save ${stateFile}: ${(error as Error).message}\n`);
    }
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => {
      server.closeAllConnections();
      process.exit(0);
    }, 2000).unref();
  });
}
