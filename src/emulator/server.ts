/**
 * The stateful emulator, wired: the shared HTTP server, request reader, router and validators in
 * front; the admin API; authentication; faults; `Prefer`; then the Action handlers run as one
 * durable change each (journaled before the answer when there is a `--state` file; the changes
 * of one event-loop turn share one write and flush, model/durable.ts).
 *
 * Request path: admin (`/__emulator/...`, no CORS) first; everything else runs the shared
 * pipeline (src/server/pipeline.ts: CORS → read → route → authenticate → admit → validate →
 * answer) with the emulator's stages: authenticate = off / presence / verify (auth.ts), admit =
 * faults, answer = Prefer, then the handler as one durable change, then a fresh RequestId.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { contract as bundledContract } from '../contract/index.ts';
import type { Contract } from '../contract/model.ts';
import type { Action, Params, Status } from '../contract/types.ts';
import { errorAnswer, newRequestId, type ErrorAnswer, type ErrorOptions, type WireCode } from '../wire/errors.ts';
import { stringifyAnswer } from '../wire/int64-json.ts';
import { createRpcServer, type HandledRequest, type LogLevel, type ServerLimits } from '../server/http.ts';
import { createPipeline, type AnswerOutcome, type Authentication, type Rejection } from '../server/pipeline.ts';
import { createValidators, type Validators } from '../validate/index.ts';
import type { Outcome } from './actions/handler.ts';
import { runAction } from './actions/index.ts';
import { createAdmin, isAdminPath } from './admin.ts';
import { ACCOUNT_HEADER, Authenticator, type AuthResult } from './auth.ts';
import { ConfigError, resolveConfig, type Account, type EmulatorConfig } from './config.ts';
import { Faults } from './faults.ts';
import { Clock, type ClockMode, type ClockState } from './model/clock.ts';
import type { Connection, LinkType } from './model/connection.ts';
import { DurableState, JournalWriteError } from './model/durable.ts';
import type { JournalIo } from './model/journal.ts';
import { Store } from './model/store.ts';
import { Lifecycle } from './model/transitions.ts';
import { World } from './model/world.ts';
import { preferChoice } from './prefer.ts';
import { Views } from './views.ts';

export type { LogLevel } from '../server/http.ts';
export { ADMIN_PREFIX, ADMIN_TOKEN_HEADER } from './admin.ts';

export interface EmulatorOptions {
  /** A config document (partial; see config.ts). Default: built-in accounts and fixtures/world.json. */
  config?: unknown;
  contract?: Contract<Action, Status>;
  /** `system` (default): wall clock plus advances. `manual`: frozen until advanced. */
  clock?: ClockMode;
  /** Start time of a `manual` clock (epoch ms; default now). */
  clockStart?: number;
  /** Keep the state in this file (snapshot) and `<file>.journal`: every change is on disk before its answer. */
  stateFile?: string;
  /** Demand this token (header `x-emulator-admin-token`) on every admin request. */
  adminToken?: string;
  /** Overrides of the server's timeouts and connection cap (src/server/http.ts DEFAULT_LIMITS). */
  limits?: Partial<ServerLimits>;
  /** Replaces the journal's disk writes (tests plant a failing disk with it). */
  journalIo?: JournalIo;
  logLevel?: LogLevel;
  log?: (line: string) => void;
}

/** What the handlers and the admin API share. */
export interface EmulatorCore {
  contract: Contract<Action, Status>;
  config: EmulatorConfig;
  validators: Validators;
  lifecycle: Lifecycle;
  clock: Clock;
  initialClock: ClockState;
  store: Store;
  world: World;
  views: Views;
  faults: Faults;
  auth: Authenticator;
  durable: DurableState;
  /** The link types the contract documents, and the default of an inter-region connection. */
  linkTypes: string[];
  defaultLinkType: LinkType;
  /** Lifecycle delay of a call's transient state, from the config. */
  delayOf(action: Action): number;
  installConfigFaults(): void;
  /** Adds an account (and its empty world entry), durably. */
  addAccount(account: Account): void;
}

export interface Emulator extends EmulatorCore {
  server: Server;
  /** Writes the snapshot now (the journal already holds every change). */
  flush(): void;
  /** Writes the snapshot and closes the journal. */
  closeState(): void;
}

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const contract = options.contract ?? bundledContract;
  const config = resolveConfig(options.config ?? {});
  const validators = createValidators(contract);
  // Compile every request validator now, not on the first request of each Action.
  for (const action of contract.actions) validators.checkRequest(action, {});
  const catalog = validators.catalog;
  const lifecycle = new Lifecycle(contract);
  const clock = new Clock(options.clock ?? 'system', options.clockStart);
  const initialClock = clock.state();
  const store = new Store(clock, lifecycle, { deletedVisibleMs: config.delays.deletedVisibleMs, expiryMs: config.delays.expiryMs });
  const create = contract.operation('CreateVpcPeerConnection');
  const regions = (create.byName.get('RegionId')?.schema['x-acs-endpoint-regions'] as string[] | undefined) ?? [];
  const world = new World(config.world, regions);
  const linkSchema = create.byName.get('LinkType')?.schema ?? {};
  const linkTypes = (linkSchema.enum as string[] | undefined) ?? [];
  const defaultLinkType = String(linkSchema.default ?? linkTypes[0] ?? '') as LinkType;
  const toJson = (value: unknown) => stringifyAnswer(value, contract.int64Fields);
  const views = new Views(toJson);
  const faults = new Faults(contract, catalog);
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
  const durable = new DurableState(store, clock, options.stateFile, options.journalIo);
  const delays: Partial<Record<Action, number>> = {
    CreateVpcPeerConnection: config.delays.createMs,
    AcceptVpcPeerConnection: config.delays.acceptMs,
    ModifyVpcPeerConnection: config.delays.modifyMs,
    DeleteVpcPeerConnection: config.delays.deleteMs,
  };
  const delayOf = (action: Action) => delays[action] ?? 0;

  const level = options.logLevel ?? 'info';
  const write = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const fail = (code: WireCode, opts: ErrorOptions = {}): ErrorAnswer => errorAnswer(catalog, code, opts);

  const addAccount = (account: Account) => {
    durable.adminChange({ added: { accounts: [account], world: { accounts: { [account.uid]: { resourceGroups: [], vpcs: {} } } } } }, () => {
      auth.add(account);
      world.addAccount(account.uid);
    });
  };

  const core: EmulatorCore = { contract, config, validators, lifecycle, clock, initialClock, store, world, views, faults, auth, durable, linkTypes, defaultLinkType, delayOf, installConfigFaults, addAccount };

  // Load the state file: every stored connection must render an answer that conforms.
  const loaded = durable.open((c: Connection) => {
    for (const uid of new Set([c.ownerUid, c.acceptingUid])) {
      const view = JSON.parse(toJson(views.view(c, uid))) as Record<string, unknown>;
      const issues = validators.checkResponse('GetVpcPeerConnectionAttribute', 200, { RequestId: newRequestId(), ...view });
      if (issues.length) return `its answer would break the contract at ${issues[0]!.path} (${issues[0]!.message})`;
    }
    return undefined;
  });
  for (const account of durable.added.accounts) auth.add(account);
  for (const [uid, account] of Object.entries(durable.added.world.accounts)) {
    world.addAccount(uid);
    for (const g of account.resourceGroups) world.addResourceGroup(uid, g);
    for (const [region, vpcs] of Object.entries(account.vpcs)) for (const v of vpcs) world.addVpc(uid, region, v);
  }
  for (const warning of loaded?.warnings ?? []) if (level !== 'silent') write(`warning: ${warning}`);

  if (config.auth === 'off') {
    // An unknown UID in the account header: a new, empty account (persisted like any other).
    auth.onUnknownUid = (uid) => {
      const account: Account = { name: uid, uid, accessKeys: [] };
      try {
        addAccount(account);
      } catch (error) {
        if (error instanceof JournalWriteError) return undefined;
        throw error;
      }
      return account;
    };
  }

  const authentication = (result: AuthResult): Authentication<Account> =>
    result.ok
      ? { ok: true, caller: result.account, who: result.account.name }
      : { ok: false, rejection: { code: result.code, ...(result.fill && { fill: result.fill }), ...(result.detail && { detail: result.detail }) } };

  const admin = createAdmin(core, { ...(options.adminToken && { adminToken: options.adminToken }) });
  let writeFailing = false;

  const answerStages = createPipeline<Account>({
    contract,
    validators,
    cors: { allowHeaders: [ACCOUNT_HEADER] },
    authenticate({ request, rawBody }) {
      const result = auth.authenticate(request, rawBody);
      return result instanceof Promise ? result.then(authentication) : authentication(result);
    },
    admit({ action, operation }) {
      if (faults.empty) return undefined;
      const fault = faults.apply(action);
      const rejection: Rejection | undefined = fault.code
        ? { code: fault.code as WireCode, ...(fault.detail && { detail: fault.detail }), fill: operation.byName.has(fault.code) ? [] : ['Fault'] }
        : undefined;
      return fault.latencyMs > 0 ? sleep(fault.latencyMs).then(() => rejection) : rejection;
    },
    answer({ request, operation, action, caller, params, exactIntegers }): AnswerOutcome | Promise<AnswerOutcome> {
      const prefer = preferChoice(request.headers.prefer, operation, catalog);
      if (prefer.kind === 'invalid') return { ok: false, rejection: { code: 'InvalidParameter', fill: ['Prefer'], detail: prefer.reason } };
      if (prefer.kind === 'error') return { ok: false, rejection: { code: prefer.code as WireCode, fill: [], detail: 'Answered as asked by the Prefer header.' } };
      const now = clock.now();
      store.tick(now);
      const answered = (outcome: Outcome<Action>): AnswerOutcome => {
        writeFailing = false;
        if (!outcome.ok) return { ok: false, rejection: { code: outcome.code, fill: outcome.fill ?? [], ...(outcome.detail && { detail: outcome.detail }) } };
        const requestId = newRequestId();
        const text =
          outcome.json !== undefined
            ? `{"RequestId":"${requestId}"${outcome.json.length > 2 ? `,${outcome.json.slice(1)}` : '}'}`
            : toJson({ RequestId: requestId, ...outcome.body });
        return { ok: true, answer: { status: 200, body: text } };
      };
      const unsaved = (error: unknown): AnswerOutcome => {
        if (!(error instanceof JournalWriteError)) throw error;
        if (!writeFailing && level !== 'silent') write(`error: ${error.message}; changes are refused with ServiceUnavailable until a write succeeds`);
        writeFailing = true;
        return { ok: false, rejection: { code: 'ServiceUnavailable', detail: 'The emulator could not save the change, so it was not made.' } };
      };
      let outcome: Outcome<Action> | Promise<Outcome<Action>>;
      try {
        outcome = durable.groupChange(() => runAction(contract, action, params as Params<Action>, { account: caller, now, exact: exactIntegers, store, world, views, lifecycle, config, defaultLinkType }));
      } catch (error) {
        return unsaved(error);
      }
      return outcome instanceof Promise ? outcome.then(answered, unsaved) : answered(outcome);
    },
  });

  /** The admin API comes first: it must never see the pipeline's CORS answers. */
  const handle = (req: IncomingMessage, res: ServerResponse): Promise<HandledRequest> =>
    isAdminPath(req.url) ? admin(req, res).then((status) => ({ action: 'admin', status })) : answerStages(req, res);

  const server = createRpcServer(handle, { level, write, fail, ...(options.limits && { limits: options.limits }) });
  return { ...core, server, flush: () => durable.compact(), closeState: () => durable.close() };
}

export interface RunningEmulator {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  port: number;
  emulator: Emulator;
  /** Writes the snapshot (if any) and stops the server. */
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
        emulator.server.closeAllConnections();
        emulator.server.close(() => {
          emulator.closeState();
          resolve();
        });
      }),
  };
}
