/**
 * The admin API under `/__emulator`: state dump, reset, clock, faults, and seeding (accounts,
 * VPCs, resource groups, connections in any status). It refuses browsers: no CORS headers, only
 * loopback clients that name a loopback Host (no DNS rebinding), `Content-Type:
 * application/json` on every change (a cross-origin page would need a preflight, which gets no
 * CORS answer; without CORS it cannot read a GET either), and the `--admin-token` when one is set. Every input is checked by a JSON
 * Schema with range limits, so the state never holds a value that breaks a later request.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { Status } from '../contract/types.ts';
import { send } from '../server/http.ts';
import { shapeValidators } from '../validate/precompiled.ts';
import { UID } from './auth.ts';
import type { Account } from './config.ts';
import { FaultError } from './faults.ts';
import { MAX_ADVANCE_MS, MAX_TIME_MS, parseDuration, utc } from './model/clock.ts';
import { newConnection, pairKey, type Connection, type SeedVpc } from './model/connection.ts';
import { JournalWriteError } from './model/durable.ts';
import type { Additions } from './model/state-file.ts';
import type { EmulatorCore } from './server.ts';

/** The reserved path prefix of the admin API. */
export const ADMIN_PREFIX = '/__emulator';
/** Header carrying the admin token (`--admin-token`). */
export const ADMIN_TOKEN_HEADER = 'x-emulator-admin-token';

const MAX_ADMIN_BODY = 64 * 1024;

export function isAdminPath(url: string | undefined): boolean {
  return !!url && url.startsWith(ADMIN_PREFIX) && (url.length === ADMIN_PREFIX.length || '/?'.includes(url[ADMIN_PREFIX.length]!));
}

function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** A Host header naming a loopback host: `localhost`, `*.localhost`, 127.0.0.0/8 or `[::1]`, any port. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/i.exec(host.trim());
  if (!m) return false;
  const name = m[1]!.toLowerCase();
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (name === '[::1]' || name === '[::ffff:127.0.0.1]') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const SHORT = { type: 'string', minLength: 1, maxLength: 128 };
const UID_TEXT = { type: 'string', pattern: UID.source };
/** An account's UID or name. */
const ACCOUNT = { type: 'string', minLength: 1, maxLength: 64 };
const CIDRS = { type: 'array', maxItems: 64, items: { type: 'string', minLength: 1, maxLength: 64 } };

/** The admin request bodies' schemas, by name (precompiled into the bins by `npm run build`). */
export function adminShapes(states: readonly Status[]) {
  return {
    clock: {
      type: 'object',
      additionalProperties: false,
      properties: {
        advance: { anyOf: [{ type: 'number', minimum: 0, maximum: MAX_ADVANCE_MS }, { type: 'string', maxLength: 32 }] },
        advanceMs: { type: 'number', minimum: 0, maximum: MAX_ADVANCE_MS },
        to: { type: 'string', maxLength: 40 },
      },
    },
    account: {
      type: 'object',
      additionalProperties: false,
      required: ['uid'],
      properties: {
        uid: UID_TEXT,
        name: { type: 'string', minLength: 1, maxLength: 64 },
        accessKeyId: SHORT,
        accessKeySecret: SHORT,
      },
      dependentRequired: { accessKeyId: ['accessKeySecret'], accessKeySecret: ['accessKeyId'] },
    },
    vpc: {
      type: 'object',
      additionalProperties: false,
      required: ['uid', 'regionId', 'vpcId'],
      properties: { uid: ACCOUNT, regionId: { type: 'string', minLength: 1, maxLength: 64 }, vpcId: SHORT, ipv4Cidrs: CIDRS, ipv6Cidrs: CIDRS },
    },
    resourceGroup: {
      type: 'object',
      additionalProperties: false,
      required: ['uid', 'resourceGroupId'],
      properties: { uid: ACCOUNT, resourceGroupId: SHORT },
    },
    connection: {
      type: 'object',
      additionalProperties: false,
      required: ['vpcId', 'acceptingVpcId', 'status'],
      properties: {
        vpcId: SHORT,
        acceptingVpcId: SHORT,
        status: { enum: [...states] },
        name: { type: 'string', maxLength: 128 },
        description: { type: 'string', maxLength: 256 },
        bandwidth: { type: 'integer', minimum: 1, maximum: 1_000_000 },
        linkType: { type: 'string', maxLength: 32 },
        tags: { type: 'array', maxItems: 20, items: { type: 'object', additionalProperties: false, required: ['Key'], properties: { Key: SHORT, Value: { type: 'string', maxLength: 128 } } } },
        ageMs: { type: 'number', minimum: 0, maximum: MAX_ADVANCE_MS },
      },
    },
  };
}

/** Builds the admin request handler over the emulator's core. */
export function createAdmin(core: EmulatorCore, options: { adminToken?: string }) {
  const schemas = adminShapes(core.lifecycle.states);
  const check: Record<keyof typeof schemas, ValidateFunction> = shapeValidators('admin', schemas);
  const token = options.adminToken ? Buffer.from(options.adminToken) : undefined;

  const validate = <T>(name: keyof typeof schemas, input: unknown): T => {
    const fn = check[name];
    if (!fn(input)) throw new AdminError(400, describe(fn.errors), fieldOf(fn.errors));
    return input as T;
  };

  const clockInfo = () => ({ now: utc(core.clock.now()), nowMs: core.clock.now(), mode: core.clock.mode });

  /** Runs a change through the journal; a failed write is 503 and changes nothing. */
  const durably = <T>(fn: () => T): T => {
    try {
      return core.durable.change(fn);
    } catch (error) {
      if (error instanceof JournalWriteError) throw new AdminError(503, `The change was not saved: ${error.message}.`);
      throw error;
    }
  };
  const adminChange = (record: Parameters<typeof core.durable.adminChange>[0], apply: () => void) => {
    try {
      core.durable.adminChange(record, apply);
    } catch (error) {
      if (error instanceof JournalWriteError) throw new AdminError(503, `The change was not saved: ${error.message}.`);
      throw error;
    }
  };

  const uidOf = (nameOrUid: string): string => {
    const account = core.auth.accountByName(nameOrUid);
    if (account) return account.uid;
    if (core.world.hasAccount(nameOrUid)) return nameOrUid;
    throw new AdminError(400, `No account ${nameOrUid}.`, 'uid');
  };

  const routes: Record<string, (input: Record<string, unknown>) => unknown> = {
    [`GET ${ADMIN_PREFIX}`]: () => ({
      endpoints: {
        [`GET ${ADMIN_PREFIX}/state`]: 'dump the accounts, the clock, the connections and the faults',
        [`POST ${ADMIN_PREFIX}/reset`]: 'forget every connection, token and added fault; the clock goes back to its start',
        [`GET ${ADMIN_PREFIX}/clock`]: 'the emulator time',
        [`POST ${ADMIN_PREFIX}/clock`]: '{"advance": "90s" | "7d" | "P7D" | <ms>} or {"to": "<ISO time>"}: move time forward (at most 100 years) and run due transitions',
        [`GET ${ADMIN_PREFIX}/faults`]: 'the active fault rules',
        [`POST ${ADMIN_PREFIX}/faults`]: '{"action", "code", "count"} | {"action", "latencyMs"} | {"action", "ratePerSecond"}: add a rule',
        [`DELETE ${ADMIN_PREFIX}/faults`]: 'remove every fault rule',
        [`POST ${ADMIN_PREFIX}/accounts`]: '{"uid", "name"?, "accessKeyId"?, "accessKeySecret"?}: add an account',
        [`POST ${ADMIN_PREFIX}/vpcs`]: '{"uid", "regionId", "vpcId", "ipv4Cidrs"?, "ipv6Cidrs"?}: add a VPC to an account',
        [`POST ${ADMIN_PREFIX}/resource-groups`]: '{"uid", "resourceGroupId"}: add a resource group to an account',
        [`POST ${ADMIN_PREFIX}/connections`]: '{"vpcId", "acceptingVpcId", "status", "name"?, "description"?, "bandwidth"?, "linkType"?, "tags"?, "ageMs"?}: seed a connection in any status',
      },
    }),
    [`GET ${ADMIN_PREFIX}/state`]: () => {
      core.store.tick();
      return {
        clock: clockInfo(),
        auth: core.config.auth,
        accounts: core.auth.accounts().map((a) => ({ name: a.name, uid: a.uid, accessKeyIds: a.accessKeys.map((k) => k.id) })),
        world: core.world.document(),
        connections: core.store.connections().map(({ rev: _rev, ...c }) => c),
        clientTokens: core.store.tokens.size,
        faults: core.faults.list(),
      };
    },
    [`POST ${ADMIN_PREFIX}/reset`]: () => {
      adminChange({ reset: true, clock: core.initialClock }, () => {
        core.store.clear();
        core.clock.restore(core.initialClock);
        core.installConfigFaults();
      });
      return { reset: true, clock: clockInfo() };
    },
    [`GET ${ADMIN_PREFIX}/clock`]: () => clockInfo(),
    [`POST ${ADMIN_PREFIX}/clock`]: (input) => {
      const body = validate<{ advance?: unknown; advanceMs?: number; to?: string }>('clock', input);
      let target: number;
      if (body.to !== undefined) {
        const to = Date.parse(body.to);
        if (!Number.isFinite(to)) throw new AdminError(400, '"to" must be an ISO 8601 time.', 'to');
        if (to < core.clock.now()) throw new AdminError(400, 'Time only moves forward.', 'to');
        target = to;
      } else {
        const ms = parseDuration(body.advance ?? body.advanceMs);
        if (ms === undefined) throw new AdminError(400, 'Give "advance" (ms, or "90s", "15m", "2h", "7d", "P7D") or "to" (ISO time).', 'advance');
        if (ms > MAX_ADVANCE_MS) throw new AdminError(400, `"advance" is at most 100 years (${MAX_ADVANCE_MS} ms).`, 'advance');
        target = core.clock.now() + ms;
      }
      if (target > MAX_TIME_MS) throw new AdminError(400, 'The emulator time cannot go past 9999-12-31T23:59:59Z.', body.to !== undefined ? 'to' : 'advance');
      const next = structuredClone(core.clock.state());
      const moved = target - core.clock.now();
      next.value += moved;
      adminChange({ clock: next }, () => core.clock.advance(moved));
      core.store.tick();
      return clockInfo();
    },
    [`GET ${ADMIN_PREFIX}/faults`]: () => ({ faults: core.faults.list() }),
    [`POST ${ADMIN_PREFIX}/faults`]: (input) => {
      try {
        const id = core.faults.add(input.count !== undefined || input.latencyMs !== undefined || input.ratePerSecond !== undefined ? numeric(input) : input);
        return { id, faults: core.faults.list() };
      } catch (error) {
        if (error instanceof FaultError) throw new AdminError(400, error.message);
        throw error;
      }
    },
    [`DELETE ${ADMIN_PREFIX}/faults`]: () => {
      core.faults.clear();
      return { faults: [] };
    },
    [`POST ${ADMIN_PREFIX}/accounts`]: (input) => {
      const body = validate<{ uid: string; name?: string; accessKeyId?: string; accessKeySecret?: string }>('account', input);
      const account: Account = { name: body.name ?? body.uid, uid: body.uid, accessKeys: body.accessKeyId ? [{ id: body.accessKeyId, secret: body.accessKeySecret! }] : [] };
      if (core.auth.accountByName(account.uid) || core.auth.accountByName(account.name)) throw new AdminError(409, `An account ${account.name} (${account.uid}) exists already.`, 'uid');
      if (account.accessKeys.some((k) => core.auth.hasKey(k.id))) throw new AdminError(409, `The AccessKey ID ${body.accessKeyId} is taken.`, 'accessKeyId');
      core.addAccount(account);
      return { account: { name: account.name, uid: account.uid, accessKeyIds: account.accessKeys.map((k) => k.id) } };
    },
    [`POST ${ADMIN_PREFIX}/vpcs`]: (input) => {
      const body = validate<{ uid: string; regionId: string; vpcId: string; ipv4Cidrs?: string[]; ipv6Cidrs?: string[] }>('vpc', input);
      const uid = uidOf(body.uid);
      if (!core.world.servesRegion(body.regionId)) throw new AdminError(400, `The endpoint does not serve the region ${body.regionId}.`, 'regionId');
      if (core.world.vpc(body.vpcId)) throw new AdminError(409, `A VPC ${body.vpcId} exists already.`, 'vpcId');
      const vpc: SeedVpc = { VpcId: body.vpcId, Ipv4Cidrs: body.ipv4Cidrs ?? [], Ipv6Cidrs: body.ipv6Cidrs ?? [] };
      const added: Additions = { accounts: [], world: { accounts: { [uid]: { resourceGroups: [], vpcs: { [body.regionId]: [vpc] } } } } };
      adminChange({ added }, () => core.world.addVpc(uid, body.regionId, vpc));
      return { vpc: { uid, regionId: body.regionId, ...vpc } };
    },
    [`POST ${ADMIN_PREFIX}/resource-groups`]: (input) => {
      const body = validate<{ uid: string; resourceGroupId: string }>('resourceGroup', input);
      const uid = uidOf(body.uid);
      const added: Additions = { accounts: [], world: { accounts: { [uid]: { resourceGroups: [body.resourceGroupId], vpcs: {} } } } };
      adminChange({ added }, () => core.world.addResourceGroup(uid, body.resourceGroupId));
      return { resourceGroup: { uid, resourceGroupId: body.resourceGroupId } };
    },
    [`POST ${ADMIN_PREFIX}/connections`]: (input) => {
      const body = validate<{ vpcId: string; acceptingVpcId: string; status: Status; name?: string; description?: string; bandwidth?: number; linkType?: string; tags?: Array<{ Key: string; Value?: string }>; ageMs?: number }>('connection', input);
      const c = seedConnection(core, body);
      return { connection: { ...core.views.view(c, c.ownerUid) } };
    },
  };

  return async function admin(req: IncomingMessage, res: ServerResponse): Promise<number> {
    const reply = (status: number, body: unknown) => {
      send(res, status, body, { 'cache-control': 'no-store' });
      return status;
    };
    try {
      if (!isLoopbackAddress(req.socket.remoteAddress)) throw new AdminError(403, 'The admin API answers loopback clients only.');
      if (!isLoopbackHost(req.headers.host)) throw new AdminError(403, 'The admin API answers requests whose Host is a loopback name or address only.');
      if (req.method === 'OPTIONS') throw new AdminError(403, 'The admin API does not answer browsers (no CORS).');
      if (token) {
        const given = Buffer.from(String(req.headers[ADMIN_TOKEN_HEADER] ?? ''));
        if (given.length !== token.length || !timingSafeEqual(given, token)) throw new AdminError(401, `Send the admin token in ${ADMIN_TOKEN_HEADER}.`);
      }
      const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      // A change needs a JSON content type, which a cross-origin page cannot send without a preflight.
      if (req.method !== 'GET' && req.method !== 'HEAD' && type !== 'application/json') {
        throw new AdminError(415, 'Admin changes must send Content-Type: application/json.', 'Content-Type');
      }
      const url = new URL(req.url ?? '/', 'http://emulator');
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > MAX_ADMIN_BODY) throw new AdminError(413, 'Admin bodies are limited to 64 KiB.');
        chunks.push(chunk);
      }
      let input: Record<string, unknown> = Object.fromEntries(url.searchParams);
      const text = Buffer.concat(chunks).toString('utf8').trim();
      if (text) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          throw new AdminError(400, 'The body is not valid JSON.');
        }
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new AdminError(400, 'The body must be a JSON object.');
        input = { ...input, ...(parsed as Record<string, unknown>) };
      }
      const route = `${req.method} ${url.pathname.replace(/\/+$/, '')}`;
      const handler = routes[route];
      if (!handler) throw new AdminError(404, `No admin endpoint ${route}; GET ${ADMIN_PREFIX} lists them.`);
      return reply(200, handler(input));
    } catch (error) {
      if (!(error instanceof AdminError)) throw error;
      return reply(error.status, { code: error.status === 400 ? 'InvalidParameter' : `Http${error.status}`, error: error.message, ...(error.field && { field: error.field }) });
    }
  };

  /** Seeds a connection between two known VPCs directly in `status`, timestamps consistent with it. */
  function seedConnection(core: EmulatorCore, body: { vpcId: string; acceptingVpcId: string; status: Status; name?: string; description?: string; bandwidth?: number; linkType?: string; tags?: Array<{ Key: string; Value?: string }>; ageMs?: number }): Connection {
    const own = core.world.vpc(body.vpcId);
    if (!own) throw new AdminError(400, `No VPC ${body.vpcId}; add it with POST ${ADMIN_PREFIX}/vpcs.`, 'vpcId');
    const peer = core.world.vpc(body.acceptingVpcId);
    if (!peer) throw new AdminError(400, `No VPC ${body.acceptingVpcId}; add it with POST ${ADMIN_PREFIX}/vpcs.`, 'acceptingVpcId');
    if (own.vpc.VpcId === peer.vpc.VpcId) throw new AdminError(400, 'A VPC cannot be peered with itself.', 'acceptingVpcId');
    const lifecycle = core.lifecycle;
    const inter = own.region !== peer.region;
    const same = own.uid === peer.uid;
    const waiting = lifecycle.callerOf('AcceptVpcPeerConnection')?.allowedStatuses ?? [];
    if (same && lifecycle.crossAccountOnly(waiting).has(body.status)) {
      throw new AdminError(400, `A same-account connection is never ${body.status}: pick VPCs of two accounts.`, 'status');
    }
    if (lifecycle.isLive(body.status) && core.store.byPair.get(pairKey(own.vpc.VpcId, peer.vpc.VpcId))) {
      throw new AdminError(409, `A live connection already joins ${own.vpc.VpcId} and ${peer.vpc.VpcId}.`, 'acceptingVpcId');
    }
    if (!inter && (body.bandwidth !== undefined || body.linkType !== undefined)) throw new AdminError(400, 'Only inter-region connections take a bandwidth and a link type.', body.bandwidth !== undefined ? 'bandwidth' : 'linkType');
    const linkTypes = core.linkTypes;
    if (body.linkType !== undefined && !linkTypes.includes(body.linkType)) throw new AdminError(400, `linkType must be one of ${linkTypes.join(', ')}.`, 'linkType');
    const now = core.clock.now();
    const timer = waiting.map((w) => lifecycle.timerFrom(w)).find(Boolean);
    const expiry = core.config.delays.expiryMs ?? timer?.afterMs ?? 0;
    // An expired request was created one expiry period ago; anything else `ageMs` ago (default now).
    const expired = timer?.to === body.status;
    const created = Math.max(0, now - (expired ? Math.max(expiry, body.ageMs ?? 0) : (body.ageMs ?? 0)));
    if (!expired && waiting.includes(body.status) && created + expiry <= now) throw new AdminError(400, `A ${body.status} connection younger than the expiry period: lower ageMs.`, 'ageMs');
    return durably(() => {
      const store = core.store;
      const c = newConnection(
        {
          seq: ++store.seq,
          ownerUid: own.uid,
          acceptingUid: peer.uid,
          regionId: own.region,
          acceptingRegionId: peer.region,
          vpc: own.vpc,
          acceptingVpc: peer.vpc,
          name: body.name,
          description: body.description,
          bandwidth: body.bandwidth,
          linkType: body.linkType as Connection['linkType'] | undefined,
          defaultLinkType: core.defaultLinkType,
          status: body.status,
          at: created,
          ownerGroup: core.world.defaultGroup(own.uid),
          accepterGroup: core.world.defaultGroup(peer.uid),
          ownerTags: body.tags,
        },
        (id) => store.byId.has(id),
      );
      store.insert(c);
      // A transient status moves on as if its Action had just been called.
      const via = lifecycle.transientFor(body.status, (to) => waiting.includes(to) !== same);
      const at = expired ? created + expiry : now;
      if (expired) c.gmtExpired = created + expiry;
      store.enter(c, body.status, at, via ? { to: via.to, afterMs: core.delayOf(via.action) } : undefined);
      return c;
    });
  }
}

function describe(errors: ErrorObject[] | null | undefined): string {
  const e = errors?.[0];
  if (!e) return 'The body is invalid.';
  const field = fieldOf(errors) ?? 'the body';
  if (e.keyword === 'additionalProperties') return `Unknown field "${String(e.params.additionalProperty)}".`;
  if (e.keyword === 'required') return `"${String(e.params.missingProperty)}" is required.`;
  if (e.keyword === 'enum') return `"${field}" must be one of ${(e.params.allowedValues as unknown[]).join(', ')}.`;
  return `"${field}" ${e.message ?? 'is invalid'}.`;
}

function fieldOf(errors: ErrorObject[] | null | undefined): string | undefined {
  const e = errors?.[0];
  if (!e) return undefined;
  if (e.keyword === 'required') return String(e.params.missingProperty);
  if (e.keyword === 'dependentRequired') return String(e.params.missingProperty);
  const first = e.instancePath.split('/')[1];
  return first || undefined;
}

/** Admin query parameters arrive as text: turn the numeric fault fields into numbers. */
function numeric(input: Record<string, unknown>): Record<string, unknown> {
  const out = { ...input };
  for (const key of ['count', 'latencyMs', 'ratePerSecond']) {
    if (typeof out[key] === 'string' && /^\d+(\.\d+)?$/.test(out[key] as string)) out[key] = Number(out[key]);
  }
  return out;
}
