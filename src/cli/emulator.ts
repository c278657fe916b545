/**
 * `npm run emulator -- [options]`: the stateful VpcPeer emulator.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadWorldFile } from '../emulator/config.ts';
import { createEmulator } from '../emulator/server.ts';
import { StateFileError } from '../emulator/model/state-file.ts';
import { exitWith, logLevelOption, parseCommandLine, portOption, serve } from './command-line.ts';
import { useShippedValidators } from './shipped.ts';
import { bundledDocument } from '../contract/index.ts';

const HELP = `Usage: vpcpeer-emulator [options]
Usage: npm run emulator -- [options]   (in the repository)

A stateful VpcPeer 2022-01-01 endpoint: connections are created, accepted, modified and deleted
for real, per account, with the documented errors. Same URL shape as the service (POST or GET /,
Action in the query, the x-acs-action header or the form body).

Options (environment variable in brackets):
  --port <n>          port to listen on (default 4011) [VPCPEER_EMULATOR_PORT]
  --host <addr>       address to bind (default 127.0.0.1; 0.0.0.0 in a container) [VPCPEER_EMULATOR_HOST]
  --config <file>     JSON config: auth, accounts, delays, quotas, faults, world [VPCPEER_EMULATOR_CONFIG]
  --world <file>      seeded VPCs and resource groups (default fixtures/world.json) [VPCPEER_EMULATOR_WORLD]
  --auth <mode>       off | presence | verify (overrides the config; default off) [VPCPEER_EMULATOR_AUTH]
  --state <file>      keep the state in this file and <file>.journal: every change is on disk
                      (fdatasync) before its answer; an unwritable path is refused [VPCPEER_EMULATOR_STATE]
  --admin-token <t>   demand this token in x-emulator-admin-token on every admin request [VPCPEER_EMULATOR_ADMIN_TOKEN]
  --clock <mode>      system (wall clock + advances, default) | manual (frozen until advanced) [VPCPEER_EMULATOR_CLOCK]
  --log-level <lvl>   silent | error | info (one line per request, default) | debug [VPCPEER_EMULATOR_LOG_LEVEL]
  -h, --help          show this help

Ready when it prints "... listening on http://<host>:<port> ..." on stdout; GET /__health answers 200.
SIGINT or SIGTERM stops it and frees the port.

Admin API (loopback clients naming a loopback Host, Content-Type: application/json, no CORS):
GET /__emulator lists it (state, reset, clock, faults, accounts, VPCs, resource groups, seeded connections).`;

function fail(message: string): never {
  return exitWith('vpcpeer-emulator', message);
}

const { values } = parseCommandLine('vpcpeer-emulator', HELP, {
  port: { type: 'string' },
  host: { type: 'string' },
  config: { type: 'string' },
  world: { type: 'string' },
  auth: { type: 'string' },
  state: { type: 'string' },
  'admin-token': { type: 'string' },
  clock: { type: 'string' },
  'log-level': { type: 'string' },
});

const env = process.env;
const port = portOption('vpcpeer-emulator', values.port ?? env.VPCPEER_EMULATOR_PORT ?? '4011');
const host = values.host ?? env.VPCPEER_EMULATOR_HOST ?? '127.0.0.1';
const logLevel = logLevelOption('vpcpeer-emulator', values['log-level'] ?? env.VPCPEER_EMULATOR_LOG_LEVEL ?? 'info');
const clock = values.clock ?? env.VPCPEER_EMULATOR_CLOCK ?? 'system';
if (clock !== 'system' && clock !== 'manual') fail(`--clock must be system or manual, got "${clock}"`);
const auth = values.auth ?? env.VPCPEER_EMULATOR_AUTH;
if (auth !== undefined && !['off', 'presence', 'verify'].includes(auth)) fail(`--auth must be off, presence or verify, got "${auth}"`);

// The installed bin ships precompiled validators for the bundled contract and its own config schemas.
await useShippedValidators(import.meta.dirname, bundledDocument);

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
const adminToken = values['admin-token'] ?? env.VPCPEER_EMULATOR_ADMIN_TOKEN;

let emulator;
try {
  if (worldFile) document.world = loadWorldFile(path.resolve(worldFile));
  if (auth) document.auth = auth;
  emulator = createEmulator({ config: document, clock, logLevel, ...(stateFile && { stateFile }), ...(adminToken && { adminToken }) });
} catch (error) {
  if (error instanceof ConfigError || error instanceof StateFileError) fail(error.message);
  throw error;
}
const { server, config } = emulator;

serve(server, {
  tool: 'vpcpeer-emulator',
  host,
  port,
  portVariable: 'VPCPEER_EMULATOR_PORT',
  onListening(actual) {
    if (logLevel === 'silent') return;
    const accounts = config.accounts.map((a) => `${a.name} (${a.uid}, key ${a.accessKeys[0]?.id ?? 'none'})`).join(', ');
    process.stdout.write(
      `VpcPeer emulator listening on http://${host}:${actual} (auth ${config.auth}, clock ${clock}, ${emulator.store.size} connection(s)${stateFile ? `, state in ${stateFile}` : ''}).\nAccounts: ${accounts}. Admin: http://${host}:${actual}/__emulator. Ctrl+C stops it.\n`,
    );
  },
  beforeStop() {
    try {
      emulator.closeState();
    } catch (error) {
      process.stderr.write(`vpcpeer-emulator: could not save ${stateFile}: ${(error as Error).message}\n`);
    }
  },
});
