/**
 * The emulator's state: connections in plain maps, indexed by ID, by account and by VPC pair,
 * the asynchronous lifecycle transitions (run on the emulator clock), ClientToken records, and a
 * JSON snapshot for `--state FILE`.
 *
 * Each side of a connection has its own view: the owner (requester) and the accepter each keep
 * their own resource group and tags, the way each account sees the resource in its console.
 */
import { Clock, type ClockState } from './clock.ts';
import type { Delays, SeedVpc } from './config.ts';

export type Status = 'Creating' | 'Accepting' | 'Updating' | 'Activated' | 'Rejected' | 'Expired' | 'Deleting' | 'Deleted';

export interface Tag {
  Key: string;
  Value: string;
}

/** What one account sees of a connection: its resource group and its tags. */
export interface Side {
  resourceGroupId: string;
  tags: Tag[];
}

export interface Connection {
  /** Creation order, for stable paging. */
  seq: number;
  id: string;
  ownerUid: string;
  acceptingUid: string;
  regionId: string;
  acceptingRegionId: string;
  vpc: SeedVpc;
  acceptingVpc: SeedVpc;
  name: string;
  description: string;
  bandwidth: number;
  linkType: '' | 'Gold' | 'Platinum';
  status: Status;
  gmtCreate: number;
  gmtModified: number;
  /** Set while `Accepting` or `Expired`. */
  gmtExpired: number | null;
  owner: Side;
  /** The accepter's view; absent for a same-account connection. */
  accepter?: Side;
  /** Bumped on every change, so cached views know they are stale (not persisted meaningfully). */
  rev?: number;
  /** The next scheduled transition: at this emulator time, the status becomes `to` (`Gone` = removed). */
  next?: { at: number; to: Status | 'Gone' };
}

export interface TokenRecord {
  fingerprint: string;
  /** The answer body without its RequestId. */
  body: Record<string, unknown>;
}

/** Connections that still occupy quota and block a duplicate pair. */
export function isLive(c: Connection): boolean {
  return c.status !== 'Deleting' && c.status !== 'Deleted';
}

export function isInterRegion(c: Connection): boolean {
  return c.regionId !== c.acceptingRegionId;
}

export function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

export const STATE_FORMAT = 'vpcpeer-emulator-state';
export const STATE_VERSION = 1;
/** ClientToken records kept (oldest forgotten first). */
export const MAX_TOKENS = 100_000;

export interface StateSnapshot {
  format: typeof STATE_FORMAT;
  version: typeof STATE_VERSION;
  savedAt: string;
  clock: ClockState;
  seq: number;
  connections: Connection[];
  tokens: Array<[string, TokenRecord]>;
}

export class StateFileError extends Error {}

export class Store {
  readonly clock: Clock;
  delays: Delays;
  seq = 0;
  readonly byId = new Map<string, Connection>();
  /** Account UID → the connections it is party to, in creation order. */
  readonly byParty = new Map<string, Connection[]>();
  /** Unordered VPC pair → the live connection between them. */
  readonly byPair = new Map<string, Connection>();
  /** `uid|region` → the connections `uid` sees in that region (its own side's region), in creation order. */
  readonly byViewRegion = new Map<string, Connection[]>();
  readonly tokens = new Map<string, TokenRecord>();
  /** Live-connection counters for quotas: `owner|region` and `vpc|i` (intra-region) / `vpc|x` (cross-region). */
  readonly #ownedLive = new Map<string, number>();
  readonly #vpcLive = new Map<string, number>();
  /** Connections with a scheduled transition. */
  readonly #scheduled = new Set<Connection>();
  #nextDue = Number.POSITIVE_INFINITY;
  /** Called after every change (persistence hooks in here). */
  onChange: () => void = () => {};

  constructor(clock: Clock, delays: Delays) {
    this.clock = clock;
    this.delays = delays;
  }

  get size(): number {
    return this.byId.size;
  }

  partyList(uid: string): Connection[] {
    let list = this.byParty.get(uid);
    if (!list) this.byParty.set(uid, (list = []));
    return list;
  }

  /** Connections `uid` owns in `region` that still count against the quota. */
  liveOwned(uid: string, region: string): number {
    return this.#ownedLive.get(`${uid}|${region}`) ?? 0;
  }

  /** Live intra-region (or cross-region) connections at either end of `vpcId`. */
  liveOnVpc(vpcId: string, inter: boolean): number {
    return this.#vpcLive.get(`${vpcId}|${inter ? 'x' : 'i'}`) ?? 0;
  }

  #count(c: Connection, delta: number): void {
    const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + delta);
    const cls = isInterRegion(c) ? 'x' : 'i';
    bump(this.#ownedLive, `${c.ownerUid}|${c.regionId}`);
    bump(this.#vpcLive, `${c.vpc.VpcId}|${cls}`);
    bump(this.#vpcLive, `${c.acceptingVpc.VpcId}|${cls}`);
  }

  #views(c: Connection): string[] {
    const keys = [`${c.ownerUid}|${c.regionId}`];
    if (c.acceptingUid !== c.ownerUid) keys.push(`${c.acceptingUid}|${c.acceptingRegionId}`);
    return keys;
  }

  insert(c: Connection): void {
    this.byId.set(c.id, c);
    this.partyList(c.ownerUid).push(c);
    if (c.acceptingUid !== c.ownerUid) this.partyList(c.acceptingUid).push(c);
    for (const key of this.#views(c)) {
      let list = this.byViewRegion.get(key);
      if (!list) this.byViewRegion.set(key, (list = []));
      list.push(c);
    }
    if (isLive(c)) {
      this.byPair.set(pairKey(c.vpc.VpcId, c.acceptingVpc.VpcId), c);
      this.#count(c, 1);
    }
    if (c.next) this.schedule(c, c.next.at, c.next.to);
  }

  #remove(c: Connection): void {
    this.byId.delete(c.id);
    const drop = (list: Connection[] | undefined) => {
      const i = list ? list.indexOf(c) : -1;
      if (i >= 0) list!.splice(i, 1);
    };
    for (const uid of new Set([c.ownerUid, c.acceptingUid])) drop(this.byParty.get(uid));
    for (const key of this.#views(c)) drop(this.byViewRegion.get(key));
    this.#unpair(c);
    this.#scheduled.delete(c);
  }

  #unpair(c: Connection): void {
    const key = pairKey(c.vpc.VpcId, c.acceptingVpc.VpcId);
    if (this.byPair.get(key) === c) this.byPair.delete(key);
  }

  schedule(c: Connection, at: number, to: Status | 'Gone'): void {
    c.next = { at, to };
    this.#scheduled.add(c);
    if (at < this.#nextDue) this.#nextDue = at;
  }

  /** Sets a status now (a call's immediate effect) and what follows it. */
  transition(c: Connection, status: Status, now: number): void {
    this.#enter(c, status, now);
    this.onChange();
  }

  #enter(c: Connection, status: Status, at: number): void {
    c.rev = (c.rev ?? 0) + 1;
    c.status = status;
    c.gmtModified = at;
    delete c.next;
    this.#scheduled.delete(c);
    const d = this.delays;
    switch (status) {
      case 'Accepting':
        c.gmtExpired = c.gmtCreate + d.expiryMs;
        this.schedule(c, Math.max(at, c.gmtExpired), 'Expired');
        break;
      case 'Expired':
        break;
      case 'Deleting':
        c.gmtExpired = null;
        this.#unpair(c);
        this.#count(c, -1);
        this.schedule(c, at + d.deleteMs, 'Deleted');
        break;
      case 'Deleted':
        this.schedule(c, at + d.deletedVisibleMs, 'Gone');
        break;
      default:
        c.gmtExpired = null;
    }
  }

  /** Runs every transition due by now, in time order per connection. Cheap when none is due. */
  tick(now = this.clock.now()): void {
    if (now < this.#nextDue) return;
    let changed = false;
    let nextDue = Number.POSITIVE_INFINITY;
    for (const c of [...this.#scheduled]) {
      while (c.next && c.next.at <= now) {
        const { at, to } = c.next;
        changed = true;
        if (to === 'Gone') {
          this.#remove(c);
          break;
        }
        this.#enter(c, to, at);
      }
      if (c.next && this.#scheduled.has(c)) nextDue = Math.min(nextDue, c.next.at);
    }
    this.#nextDue = nextDue;
    if (changed) this.onChange();
  }

  remember(key: string, record: TokenRecord): void {
    this.tokens.delete(key);
    this.tokens.set(key, record);
    if (this.tokens.size > MAX_TOKENS) {
      const oldest = this.tokens.keys().next().value;
      if (oldest !== undefined) this.tokens.delete(oldest);
    }
  }

  clear(): void {
    this.byId.clear();
    this.byParty.clear();
    this.byPair.clear();
    this.byViewRegion.clear();
    this.#ownedLive.clear();
    this.#vpcLive.clear();
    this.tokens.clear();
    this.#scheduled.clear();
    this.#nextDue = Number.POSITIVE_INFINITY;
    this.seq = 0;
  }

  snapshot(): StateSnapshot {
    return {
      format: STATE_FORMAT,
      version: STATE_VERSION,
      savedAt: new Date().toISOString(),
      clock: this.clock.state(),
      seq: this.seq,
      connections: [...this.byId.values()].sort((a, b) => a.seq - b.seq),
      tokens: [...this.tokens],
    };
  }

  /** Replaces the state with a snapshot; throws StateFileError naming what is wrong. */
  restore(raw: unknown, source: string): void {
    const fail = (why: string): never => {
      throw new StateFileError(`${source} is not a usable emulator state file: ${why}. Fix or remove it (the emulator never resets a state file silently).`);
    };
    if (raw === null || typeof raw !== 'object') fail('it is not a JSON object');
    const s = raw as Partial<StateSnapshot>;
    if (s.format !== STATE_FORMAT) fail(`"format" is not "${STATE_FORMAT}"`);
    if (s.version !== STATE_VERSION) fail(`"version" ${String(s.version)} is not ${STATE_VERSION}`);
    if (!s.clock || (s.clock.mode !== 'system' && s.clock.mode !== 'manual') || typeof s.clock.value !== 'number') fail('"clock" is malformed');
    if (typeof s.seq !== 'number' || !Array.isArray(s.connections) || !Array.isArray(s.tokens)) fail('"seq", "connections" or "tokens" is missing');
    const statuses = new Set(['Creating', 'Accepting', 'Updating', 'Activated', 'Rejected', 'Expired', 'Deleting', 'Deleted']);
    for (const [i, c] of s.connections!.entries()) {
      const ok =
        c && typeof c === 'object' && typeof c.id === 'string' && typeof c.seq === 'number' && typeof c.ownerUid === 'string' &&
        typeof c.acceptingUid === 'string' && statuses.has(c.status) && c.vpc && c.acceptingVpc && c.owner && Array.isArray(c.owner.tags) &&
        typeof c.gmtCreate === 'number';
      if (!ok) fail(`connections[${i}] is malformed`);
    }
    this.clear();
    this.clock.restore(s.clock!);
    this.seq = s.seq!;
    for (const c of s.connections!) this.insert(c);
    for (const [key, record] of s.tokens!) this.tokens.set(key, record);
  }
}
