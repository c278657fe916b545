/**
 * The connection lifecycle as the emulator runs it, compiled from the contract's
 * `x-acs-lifecycle`, `x-acs-caller` and `x-acs-allowed-statuses`: which transition an Action or a
 * timer takes, the transient state it passes through, who may call each Action on a connection
 * and in which statuses. This file only decides how to run those rules on the emulator clock.
 */
import type { CallerRule, Contract, Transition } from '../../contract/model.ts';
import type { Action, Status } from '../../contract/types.ts';
import type { Connection } from './connection.ts';

export type Caller = CallerRule;

export class Lifecycle {
  readonly states: readonly Status[];
  /** States in which a connection no longer counts (those a `'*'` transition passes through or ends in). */
  readonly #released = new Set<Status>();
  readonly #terminal: Set<Status>;
  /** State → its timer transition (target and duration in ms). */
  readonly #timers = new Map<Status, { to: Status; afterMs: number }>();
  /** States that a timer leads to (they keep the connection's expiry time). */
  readonly #timerTargets = new Set<Status>();
  readonly #byAction = new Map<Action, Transition<Action, Status>[]>();
  readonly #callers = new Map<Action, { caller: Caller; allowedStatuses: Status[] }>();

  constructor(contract: Contract<Action, Status>) {
    const { lifecycle } = contract;
    this.states = lifecycle.states;
    this.#terminal = new Set(lifecycle.terminal);
    for (const t of lifecycle.transitions) {
      if (t.from === '*') for (const s of [...t.via, t.to]) this.#released.add(s);
      if (t.timer && t.from !== null && t.from !== '*') {
        this.#timers.set(t.from, { to: t.to, afterMs: t.timer.afterMs });
        this.#timerTargets.add(t.to);
      }
      if (t.action) {
        const list = this.#byAction.get(t.action) ?? [];
        list.push(t);
        this.#byAction.set(t.action, list);
      }
    }
    for (const action of contract.actions) {
      const op = contract.operation(action);
      if (op.caller && op.allowedStatuses) this.#callers.set(action, { caller: op.caller, allowedStatuses: op.allowedStatuses });
    }
  }

  /** Whether a connection in this status still counts against quotas and blocks its VPC pair. */
  isLive(status: Status): boolean {
    return !this.#released.has(status);
  }

  isTerminal(status: Status): boolean {
    return this.#terminal.has(status);
  }

  timerFrom(status: Status): { to: Status; afterMs: number } | undefined {
    return this.#timers.get(status);
  }

  keepsExpiry(status: Status): boolean {
    return this.#timerTargets.has(status);
  }

  /** Who may call `action` on a connection and in which statuses (undefined: not a connection call). */
  callerOf(action: Action): { caller: Caller; allowedStatuses: Status[] } | undefined {
    return this.#callers.get(action);
  }

  /**
   * The transition `action` takes from `status` (`null`: creation). Creation has one transition
   * per outcome; `pick` chooses among several by their target state.
   */
  transitionFor(action: Action, status: Status | null, pick?: (to: Status) => boolean): Transition<Action, Status> | undefined {
    const candidates = (this.#byAction.get(action) ?? []).filter((t) => t.from === status || (t.from === '*' && status !== null));
    return pick ? candidates.find((t) => pick(t.to)) : candidates[0];
  }

  /**
   * The call transition that passes through `status` (a transient state) and where it leads;
   * `pick` chooses among several by their target state.
   */
  transientFor(status: Status, pick?: (to: Status) => boolean): { action: Action; to: Status } | undefined {
    const all = [...this.#byAction.values()].flat().filter((t) => t.via.includes(status));
    const t = (pick && all.find((x) => pick(x.to))) || all[0];
    return t?.action ? { action: t.action, to: t.to } : undefined;
  }

  /** Statuses only a cross-account connection can be in: the waiting ones and those they lead to directly. */
  crossAccountOnly(waiting: readonly Status[]): Set<Status> {
    const out = new Set<Status>(waiting);
    for (const list of [...this.#byAction.values(), ...[...this.#timers.entries()].map(([from, t]) => [{ from, to: t.to, via: [] as Status[] }])]) {
      for (const t of list) if (t.from !== null && t.from !== '*' && waiting.includes(t.from) && t.via.length === 0) out.add(t.to);
    }
    return out;
  }

  /** Whether `uid` plays the role `caller` on `c` (the accepter of a same-account connection is nobody). */
  plays(c: Connection, uid: string, caller: Caller): boolean {
    if (caller === 'either') return c.ownerUid === uid || c.acceptingUid === uid;
    if (caller === 'requester') return c.ownerUid === uid;
    return c.acceptingUid === uid && c.ownerUid !== uid;
  }
}
