/**
 * The emulator's connections in plain maps, indexed by ID, by account, by view region and by VPC
 * pair; the scheduled lifecycle transitions (run on the emulator clock); ClientToken records; and
 * change sets: every change a call makes is recorded (new images, before-images), so it can be
 * written to the journal before the answer, or undone when that write fails.
 */
import type { Clock } from './clock.ts';
import { isInterRegion, pairKey, type Connection, type Status } from './connection.ts';
import type { Lifecycle } from './transitions.ts';

export interface TokenRecord {
  fingerprint: string;
  /** The answer body without its RequestId. */
  body: Record<string, unknown>;
}

/** ClientToken records kept (oldest forgotten first). */
export const MAX_TOKENS = 100_000;

/** What one call changed: the connections as they are now, and the tokens it recorded. */
export interface ChangeSet {
  connections: Connection[];
  tokens: Array<[string, TokenRecord]>;
}

/** Lifecycle timing the store needs, in milliseconds of emulator time. */
export interface StoreTiming {
  /** How long a connection in a terminal state stays visible before it is gone. */
  deletedVisibleMs: number;
  /** Overrides the contract's expiry timer (tests shorten it). */
  expiryMs?: number;
}

/** The change set being recorded; one object reused by every call (reads allocate nothing). */
interface OpenChange {
  recording: boolean;
  /** Connection → its image before the call (undefined: inserted by the call). */
  readonly before: Map<Connection, Connection | undefined>;
  readonly tokens: Map<string, TokenRecord | undefined>;
  seq: number;
}

/** What undoes one call's changes once its change set is closed (a change waiting for the group commit). */
export interface Undo {
  /** Connection → its image before the call (undefined: inserted by the call). */
  readonly before: ReadonlyMap<Connection, Connection | undefined>;
  readonly tokens: ReadonlyMap<string, TokenRecord | undefined>;
  readonly seq: number;
}

/** A deep copy of a connection's stored fields (no cache revision). */
export function copyConnection(c: Connection): Connection {
  const { rev: _rev, ...rest } = c;
  return copyData(rest);
}

/** A deep copy of plain data (objects, arrays, primitives), several times faster than structuredClone. */
function copyData<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyData) as T;
  const copy: Record<string, unknown> = {};
  for (const key in value) copy[key] = copyData((value as Record<string, unknown>)[key]);
  return copy as T;
}

export class Store {
  readonly clock: Clock;
  readonly lifecycle: Lifecycle;
  timing: StoreTiming;
  seq = 0;
  readonly byId = new Map<string, Connection>();
  /** Account UID → the connections it is party to, in creation order. */
  readonly byParty = new Map<string, Connection[]>();
  /** Unordered VPC pair → the live connection between them. */
  readonly byPair = new Map<string, Connection>();
  /** `uid|region` → the connections `uid` sees in that region (its own side's region), in creation order. */
  readonly byViewRegion = new Map<string, Connection[]>();
  readonly tokens = new Map<string, TokenRecord>();
  readonly #ownedLive = new Map<string, number>();
  readonly #vpcLive = new Map<string, number>();
  readonly #scheduled = new Set<Connection>();
  #nextDue = Number.POSITIVE_INFINITY;
  readonly #change: OpenChange = { recording: false, before: new Map(), tokens: new Map(), seq: 0 };

  constructor(clock: Clock, lifecycle: Lifecycle, timing: StoreTiming) {
    this.clock = clock;
    this.lifecycle = lifecycle;
    this.timing = timing;
  }

  get size(): number {
    return this.byId.size;
  }

  isLive(c: Connection): boolean {
    return this.lifecycle.isLive(c.status);
  }

  /** Connections `uid` owns in `region` that still count against the quota. */
  liveOwned(uid: string, region: string): number {
    return this.#ownedLive.get(`${uid}|${region}`) ?? 0;
  }

  /** Live intra-region (or cross-region) connections at either end of `vpcId`. */
  liveOnVpc(vpcId: string, inter: boolean): number {
    return this.#vpcLive.get(`${vpcId}|${inter ? 'x' : 'i'}`) ?? 0;
  }

  // ---- change sets -----------------------------------------------------------------------------

  /** Starts recording a call's changes. */
  begin(): void {
    const change = this.#change;
    if (change.before.size) change.before.clear();
    if (change.tokens.size) change.tokens.clear();
    change.recording = true;
    change.seq = this.seq;
  }

  /** The open change set, if a call is being recorded. */
  get #open(): OpenChange | undefined {
    return this.#change.recording ? this.#change : undefined;
  }

  #close(): void {
    const change = this.#change;
    change.recording = false;
    // Map#clear allocates a fresh table: only when the call changed something.
    if (change.before.size) change.before.clear();
    if (change.tokens.size) change.tokens.clear();
  }

  /** Declares that `c` is about to change (records its before-image once per call). */
  edit(c: Connection): Connection {
    const open = this.#open;
    if (open && !open.before.has(c)) open.before.set(c, copyConnection(c));
    c.rev = (c.rev ?? 0) + 1;
    return c;
  }

  /** Ends recording and keeps the changes, unread (no journal to write them to). */
  close(): void {
    this.#close();
  }

  /** Ends recording: what changed (undefined when nothing did). */
  commit(): ChangeSet | undefined {
    const set = this.peek();
    this.#close();
    return set;
  }

  /** What the open change set holds so far (undefined when nothing changed). */
  peek(): ChangeSet | undefined {
    const open = this.#open;
    if (!open || (open.before.size === 0 && open.tokens.size === 0)) return undefined;
    return {
      connections: [...open.before.keys()].map(copyConnection),
      tokens: [...open.tokens.keys()].map((key) => [key, this.tokens.get(key)!] as [string, TokenRecord]),
    };
  }

  /** Ends recording and undoes every change of the call. */
  rollback(): void {
    const open = this.#open;
    if (!open) return;
    open.recording = false; // the undo below must not record itself
    this.#undo(open);
    this.#close();
  }

  /** Ends recording and keeps what undoes the call, for {@link undo} after a failed journal write. */
  seal(): Undo {
    const change = this.#change;
    const undo: Undo = { before: new Map(change.before), tokens: new Map(change.tokens), seq: change.seq };
    this.#close();
    return undo;
  }

  /**
   * Undoes a sealed call. Calls sealed after it must be undone first (newest first): each one's
   * before-images are the state its predecessor left.
   */
  undo(undo: Undo): void {
    if (this.#open) throw new Error('undo() while a change set is open');
    this.#undo(undo);
  }

  #undo(undo: Undo): void {
    for (const [c, before] of undo.before) {
      // By ID: a later call's undo may have put a copy in place of the object recorded here.
      const live = this.byId.get(c.id);
      if (live) this.#remove(live);
      if (before) this.insert(before);
    }
    for (const [key, before] of undo.tokens) {
      if (before) this.tokens.set(key, before);
      else this.tokens.delete(key);
    }
    this.seq = undo.seq;
  }

  // ---- indexes ---------------------------------------------------------------------------------

  #partyList(uid: string): Connection[] {
    let list = this.byParty.get(uid);
    if (!list) this.byParty.set(uid, (list = []));
    return list;
  }

  #count(c: Connection, delta: number): void {
    const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + delta);
    const cls = isInterRegion(c) ? 'x' : 'i';
    bump(this.#ownedLive, `${c.ownerUid}|${c.regionId}`);
    bump(this.#vpcLive, `${c.vpc.VpcId}|${cls}`);
    bump(this.#vpcLive, `${c.acceptingVpc.VpcId}|${cls}`);
  }

  #viewKeys(c: Connection): string[] {
    const keys = [`${c.ownerUid}|${c.regionId}`];
    if (c.acceptingUid !== c.ownerUid) keys.push(`${c.acceptingUid}|${c.acceptingRegionId}`);
    return keys;
  }

  /** Adds a connection in creation (`seq`) order; a scheduled transition it carries is kept. */
  insert(c: Connection): void {
    if (this.#open && !this.#open.before.has(c)) this.#open.before.set(c, undefined);
    this.byId.set(c.id, c);
    const place = (list: Connection[]) => {
      if (list.length === 0 || list[list.length - 1]!.seq < c.seq) list.push(c);
      else list.splice(upperBound(list, c.seq), 0, c);
    };
    place(this.#partyList(c.ownerUid));
    if (c.acceptingUid !== c.ownerUid) place(this.#partyList(c.acceptingUid));
    for (const key of this.#viewKeys(c)) {
      let list = this.byViewRegion.get(key);
      if (!list) this.byViewRegion.set(key, (list = []));
      place(list);
    }
    if (this.isLive(c)) {
      this.byPair.set(pairKey(c.vpc.VpcId, c.acceptingVpc.VpcId), c);
      this.#count(c, 1);
    }
    if (c.next) this.schedule(c, c.next.at, c.next.to);
  }

  #remove(c: Connection): void {
    if (this.byId.get(c.id) !== c) return;
    this.byId.delete(c.id);
    const drop = (list: Connection[] | undefined) => {
      const i = list ? list.indexOf(c) : -1;
      if (i >= 0) list!.splice(i, 1);
    };
    for (const uid of new Set([c.ownerUid, c.acceptingUid])) drop(this.byParty.get(uid));
    for (const key of this.#viewKeys(c)) drop(this.byViewRegion.get(key));
    if (this.isLive(c)) {
      this.#unpair(c);
      this.#count(c, -1);
    }
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

  /**
   * Puts `c` in `status` at time `at`, with what the lifecycle attaches to it: the expiry timer
   * of a waiting state, the end of a transient state (`then`, after `afterMs`), or the removal of
   * a terminal one.
   */
  enter(c: Connection, status: Status, at: number, then?: { to: Status; afterMs: number }): void {
    this.edit(c);
    const wasLive = this.isLive(c);
    c.status = status;
    c.gmtModified = at;
    delete c.next;
    this.#scheduled.delete(c);
    if (wasLive && !this.isLive(c)) {
      this.#unpair(c);
      this.#count(c, -1);
    }
    const timer = this.lifecycle.timerFrom(status);
    if (timer) {
      c.gmtExpired = c.gmtCreate + (this.timing.expiryMs ?? timer.afterMs);
      this.schedule(c, Math.max(at, c.gmtExpired), timer.to);
    } else if (!this.lifecycle.keepsExpiry(status)) {
      c.gmtExpired = null;
    }
    if (then) this.schedule(c, at + then.afterMs, then.to);
    else if (this.lifecycle.isTerminal(status)) this.schedule(c, at + this.timing.deletedVisibleMs, 'Gone');
  }

  /** Runs every transition due by now, in time order per connection. Cheap when none is due. */
  tick(now = this.clock.now()): void {
    if (now < this.#nextDue) return;
    let nextDue = Number.POSITIVE_INFINITY;
    for (const c of [...this.#scheduled]) {
      while (c.next && c.next.at <= now) {
        const { at, to } = c.next;
        if (to === 'Gone') {
          this.#remove(c);
          break;
        }
        this.enter(c, to, at);
      }
      if (c.next && this.#scheduled.has(c)) nextDue = Math.min(nextDue, c.next.at);
    }
    this.#nextDue = nextDue;
  }

  remember(key: string, record: TokenRecord): void {
    if (this.#open && !this.#open.tokens.has(key)) this.#open.tokens.set(key, this.tokens.get(key));
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

  /** Every connection, in creation order. */
  connections(): Connection[] {
    return [...this.byId.values()].sort((a, b) => a.seq - b.seq);
  }
}

/** First index whose connection's seq is greater than `seq` (lists are in seq order). */
export function upperBound(list: Connection[], seq: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.seq <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
