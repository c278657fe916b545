/**
 * The stateful emulator: the same wire and contract as the mock (shared router, codec, request
 * reader, validators and error catalog), with answers computed from an in-memory world.
 *
 * Request path: CORS → admin (`/__emulator/...`, loopback only) → read (strict decoding) →
 * route by Action → authenticate (off / presence / verify) → faults → decode → validate
 * (case-sensitive, Alibaba errors) → the operation → fresh RequestId. One log line per request.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { contract as bundledContract } from '../contract/index.ts';
import type { Contract } from '../contract/model.ts';
import { errorAnswer, newRequestId, type ErrorAnswer, type ErrorOptions } from '../wire/errors.ts';
import { acceptRequest, corsHeaders, createRpcServer, send, type LogLevel } from '../server/http.ts';
import { createValidators, validateWireRequest, type Validators } from '../validate/index.ts';
import { ACCOUNT_HEADER, Authenticator } from './auth.ts';
import { Clock, utc, type ClockMode } from './clock.ts';
import { ConfigError, resolveConfig, type EmulatorConfig } from './config.ts';
import { FaultError, Faults } from './faults.ts';
import { toJson } from './json.ts';
import { Operations } from './operations.ts';
import { Persistence } from './persistence.ts';
import { Store } from './store.ts';

export type { LogLevel } from '../server/http.ts';

/** The reserved path prefix of the admin API. */
export const ADMIN_PREFIX = '/__emulator';

export interface EmulatorOptions {
  /** A config document (partial; see config.ts) or a resolved config. Default: built-in accounts and fixtures/world.json. */
  config?: unknown;
  contract?: Contract;
  /** `system` (default): wall clock plus advances. `manual`: frozen until advanced. */
  clock?: ClockMode;
  /** Start time of a `manual` clock (epoch ms; default now). */
  clockStart?: number;
  /** Load the world from this file at start and save it on change and at close. */
  stateFile?: string;
  logLevel?: LogLevel;
  log?: (line: string) => void;
}

export interface Emulator {
  server: Server;
  config: EmulatorConfig;
  validators: Validators;
  store: Store;
  operations: Operations;
  faults: Faults;
  auth: Authenticator;
  persistence?: Persistence;
  /** Saves the state file (if any) now. */
  flush(): void;
}

const CORS = corsHeaders({ allowHeaders: [ACCOUNT_HEADER] });

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90000`, `"15m"`, `"7d"` → milliseconds. */
function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value !== 'string') return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const m = DURATION.exec(value.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : undefined;
}

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const contract = options.contract ?? bundledContract;
  const config = resolveConfig(options.config ?? {});
  const validators = createValidators(contract);
  // Compile every request validator now, not on the first request of each Action.
  for (const action of contract.actions) validators.checkRequest(action, {});
  const clock = new Clock(options.clock ?? 'system', options.clockStart);
  const initialClock = clock.state();
  const store = new Store(clock, config.delays);
  const operations = new Operations(contract, store, config);
  const faults = new Faults(contract, validators.catalog);
  const installConfigFaults = () => {
    faults.clear();
    for (const [i, rule] of config.faults.entries()) {
      try {
        faults.add(rule);
      } catch (error) {
        throw new ConfigError(`faults[${i}]: ${(error as Error).message}`);
      }
    }
  };
  installConfigFaults();
  const auth = new Authenticator(config.auth, config.accounts);
  let persistence: Persistence | undefined;
  if (options.stateFile) {
    persistence = new Persistence(options.stateFile, store);
    persistence.load();
    store.onChange = () => persistence!.changed();
  }

  const level = options.logLevel ?? 'info';
  const write = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const fail = (code: string, opts: ErrorOptions = {}): ErrorAnswer => errorAnswer(validators.catalog, code, opts);

  async function admin(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): Promise<number> {
    const reply = (status: number, body: unknown) => {
      send(res, status, body, cors);
      return status;
    };
    if (!isLoopback(req.socket.remoteAddress)) return reply(403, { error: 'The admin API answers loopback clients only.' });
    const url = new URL(req.url ?? '/', 'http://emulator');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > 64 * 1024) return reply(413, { error: 'Admin bodies are limited to 64 KiB.' });
      chunks.push(chunk);
    }
    let input: Record<string, unknown> = Object.fromEntries(url.searchParams);
    const text = Buffer.concat(chunks).toString('utf8').trim();
    if (text) {
      try {
        const parsed = JSON.parse(text) as unknown;
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return reply(400, { error: 'The body must be a JSON object.' });
        input = { ...input, ...(parsed as Record<string, unknown>) };
      } catch {
        return reply(400, { error: 'The body is not valid JSON.' });
      }
    }
    const route = `${req.method} ${url.pathname.replace(/\/+$/, '')}`;
    const clockInfo = () => ({ now: utc(clock.now()), nowMs: clock.now(), mode: clock.mode });
    switch (route) {
      case `GET ${ADMIN_PREFIX}`:
        return reply(200, {
          endpoints: {
            [`GET ${ADMIN_PREFIX}/state`]: 'dump the accounts, the clock, the connections and the faults',
            [`POST ${ADMIN_PREFIX}/reset`]: 'forget every connection, token and added fault; the clock goes back to its start',
            [`GET ${ADMIN_PREFIX}/clock`]: 'the emulator time',
            [`POST ${ADMIN_PREFIX}/clock`]: '{"advance": "90s" | "7d" | <ms>} or {"to": "<ISO time>"}: move time forward and run due transitions',
            [`GET ${ADMIN_PREFIX}/faults`]: 'the active fault rules',
            [`POST ${ADMIN_PREFIX}/faults`]: '{"action", "code", "count"} | {"action", "latencyMs"} | {"action", "ratePerSecond"}: add a rule',
            [`DELETE ${ADMIN_PREFIX}/faults`]: 'remove every fault rule',
          },
        });
      case `GET ${ADMIN_PREFIX}/state`: {
        store.tick();
        const snapshot = store.snapshot();
        return reply(200, {
          clock: clockInfo(),
          auth: config.auth,
          accounts: config.accounts.map((a) => ({ name: a.name, uid: a.uid, accessKeyIds: a.accessKeys.map((k) => k.id) })),
          connections: snapshot.connections.map((c) => ({ ...c, status: c.status })),
          clientTokens: snapshot.tokens.length,
          faults: faults.list(),
        });
      }
      case `POST ${ADMIN_PREFIX}/reset`:
        store.clear();
        clock.restore(initialClock);
        installConfigFaults();
        store.onChange();
        return reply(200, { reset: true, clock: clockInfo() });
      case `GET ${ADMIN_PREFIX}/clock`:
        return reply(200, clockInfo());
      case `POST ${ADMIN_PREFIX}/clock`: {
        if (input.to !== undefined) {
          const to = typeof input.to === 'string' ? Date.parse(input.to) : Number.NaN;
          if (!Number.isFinite(to)) return reply(400, { error: '"to" must be an ISO 8601 time.' });
          if (to < clock.now()) return reply(400, { error: 'Time only moves forward.' });
          clock.setTo(to);
        } else {
          const ms = parseDuration(input.advance ?? input.advanceMs);
          if (ms === undefined) return reply(400, { error: 'Give "advance" (ms, or "90s", "15m", "2h", "7d") or "to" (ISO time).' });
          clock.advance(ms);
        }
        store.tick();
        store.onChange();
        return reply(200, clockInfo());
      }
      case `GET ${ADMIN_PREFIX}/faults`:
        return reply(200, { faults: faults.list() });
      case `POST ${ADMIN_PREFIX}/faults`:
        try {
          const id = faults.add(input.count !== undefined || input.latencyMs !== undefined || input.ratePerSecond !== undefined ? numeric(input) : input);
          return reply(200, { id, faults: faults.list() });
        } catch (error) {
          if (error instanceof FaultError) return reply(400, { error: error.message });
          throw error;
        }
      case `DELETE ${ADMIN_PREFIX}/faults`:
        faults.clear();
        return reply(200, { faults: [] });
      default:
        return reply(404, { error: `No admin endpoint ${route}; GET ${ADMIN_PREFIX} lists them.` });
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<{ action: string; status: number; who: string }> {
    const cors = CORS(req.headers.origin);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors);
      res.end();
      return { action: '-', status: 204, who: '-' };
    }
    if (req.url?.startsWith(ADMIN_PREFIX) && (req.url.length === ADMIN_PREFIX.length || '/?'.includes(req.url[ADMIN_PREFIX.length]!))) {
      return { action: 'admin', status: await admin(req, res, cors), who: '-' };
    }
    let who = '-';
    const reply = (answer: ErrorAnswer, action = '-') => {
      send(res, answer.status, answer.body, cors);
      return { action, status: answer.status, who };
    };

    const accepted = await acceptRequest(req, contract, validators.catalog);
    if (!accepted.ok) return reply(accepted.answer);
    const { request, operation } = accepted;
    const action = operation.action;
    const caller = await auth.authenticate(request, accepted.rawBody);
    if (!caller.ok) return reply(fail(caller.code, { action, ...(caller.fill && { fill: caller.fill }), ...(caller.detail && { detail: caller.detail }) }), action);
    who = caller.account.name;

    if (!faults.empty) {
      const fault = faults.apply(action);
      if (fault.latencyMs > 0) await sleep(fault.latencyMs);
      if (fault.code) return reply(fail(fault.code, { action, ...(fault.detail && { detail: fault.detail }), fill: fault.code === 'InvalidParameter' || fault.code === 'MissingParameter' ? ['Fault'] : [] }), action);
    }

    const validated = validateWireRequest(validators, operation, request);
    if (!validated.ok) return reply(validated.answer, action);
    const outcome = operations.run(action, { account: caller.account, params: validated.params, exact: validated.exactIntegers });
    if (!outcome.ok) {
      return reply(fail(outcome.code, { action, fill: outcome.fill ?? [], ...(outcome.detail && { detail: outcome.detail }) }), action);
    }
    const text = outcome.json !== undefined
      ? `{"RequestId":"${newRequestId()}"${outcome.json.length > 2 ? `,${outcome.json.slice(1)}` : '}'}`
      : toJson({ RequestId: newRequestId(), ...outcome.body });
    send(res, 200, text, cors);
    return { action, status: 200, who };
  }

  const server = createRpcServer(handle, { level, write, fail });

  return {
    server,
    config,
    validators,
    store,
    operations,
    faults,
    auth,
    ...(persistence && { persistence }),
    flush: () => persistence?.flush(),
  };
}

/** Admin query parameters arrive as text: turn the numeric fault fields into numbers. */
function numeric(input: Record<string, unknown>): Record<string, unknown> {
  const out = { ...input };
  for (const key of ['count', 'latencyMs', 'ratePerSecond']) {
    if (typeof out[key] === 'string' && /^\d+(\.\d+)?$/.test(out[key] as string)) out[key] = Number(out[key]);
  }
  return out;
}

export interface RunningEmulator {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  port: number;
  emulator: Emulator;
  /** Saves the state file (if any) and stops the server. */
  close(): Promise<void>;
}

/**
 * Starts the emulator on `host` (default 127.0.0.1) and `port` (default 0: a free port), for
 * tests and for other suites: `const { baseUrl, close } = await startEmulator()`.
 */
export async function startEmulator(options: EmulatorOptions & { host?: string; port?: number } = {}): Promise<RunningEmulator> {
  const emulator = createEmulator({ logLevel: 'silent', ...options });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    emulator.server.once('error', reject);
    emulator.server.listen(options.port ?? 0, host, () => {
      emulator.server.off('error', reject);
      resolve();
    });
  });
  const { port } = emulator.server.address() as AddressInfo;
  return {
    baseUrl: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    emulator,
    close: () =>
      new Promise<void>((resolve) => {
        emulator.flush();
        emulator.server.closeAllConnections();
        emulator.server.close(() => resolve());
      }),
  };
}
