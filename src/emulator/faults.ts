/**
 * Fault injection for frontends: make calls of an Action fail with a documented code, add
 * latency, or throttle at a rate (answered with `Throttling`). Rules come from the config and
 * from `POST /__emulator/faults`.
 */
import type { Contract } from '../contract/model.ts';
import type { ErrorCatalog } from '../wire/errors.ts';

export interface FaultRule {
  /** The Action it applies to, or `*` (the default) for every Action. */
  action?: string;
  /** Fail with this documented error code. */
  code?: string;
  /** With `code`: fail only the next `count` calls (default: every call until removed). */
  count?: number;
  /** Delay every matching answer by this many milliseconds (real time). */
  latencyMs?: number;
  /** Answer `Throttling` when matching calls go faster than this many per second. */
  ratePerSecond?: number;
}

interface ActiveRule {
  id: number;
  rule: FaultRule;
  remaining: number;
  tokens: number;
  refilledAt: number;
}

export interface FaultOutcome {
  latencyMs: number;
  /** The code to fail with, if any. */
  code?: string;
  detail?: string;
}

export class FaultError extends Error {}

export class Faults {
  #rules: ActiveRule[] = [];
  #nextId = 1;
  readonly #contract: Contract;
  readonly #catalog: ErrorCatalog;

  constructor(contract: Contract, catalog: ErrorCatalog) {
    this.#contract = contract;
    this.#catalog = catalog;
  }

  /** Validates and adds a rule; throws a FaultError saying what is wrong. */
  add(input: unknown): number {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new FaultError('a fault rule must be a JSON object');
    const rule = { ...(input as FaultRule) };
    for (const key of Object.keys(rule)) {
      if (!['action', 'code', 'count', 'latencyMs', 'ratePerSecond'].includes(key)) throw new FaultError(`unknown fault field "${key}"`);
    }
    const action = rule.action ?? '*';
    if (action !== '*' && !this.#contract.operations.has(action)) throw new FaultError(`unknown Action "${action}"`);
    const actions = action === '*' ? this.#contract.actions : [action];
    if (rule.code === undefined && rule.latencyMs === undefined && rule.ratePerSecond === undefined) {
      throw new FaultError('a fault rule needs code, latencyMs or ratePerSecond');
    }
    if (rule.code !== undefined) {
      if (typeof rule.code !== 'string') throw new FaultError('code must be a string');
      const missing = actions.filter((a) => !this.#catalog.codesOf(a).includes(rule.code!));
      if (missing.length) throw new FaultError(`${rule.code} is not a documented error code of ${missing.join(', ')}`);
    }
    const positive = (name: 'count' | 'latencyMs' | 'ratePerSecond', integer: boolean) => {
      const v = rule[name];
      if (v === undefined) return;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (integer && !Number.isInteger(v))) {
        throw new FaultError(`${name} must be a ${integer ? 'whole ' : ''}number >= 0`);
      }
    };
    positive('count', true);
    positive('latencyMs', false);
    positive('ratePerSecond', false);
    if (rule.count !== undefined && rule.code === undefined) throw new FaultError('count needs a code');
    if ((rule.latencyMs ?? 0) > 60_000) throw new FaultError('latencyMs must be at most 60000');
    const id = this.#nextId++;
    this.#rules.push({
      id,
      rule: { ...rule, action },
      remaining: rule.count ?? Number.POSITIVE_INFINITY,
      tokens: Math.max(rule.ratePerSecond ?? 0, 1),
      refilledAt: performance.now(),
    });
    return id;
  }

  clear(): void {
    this.#rules = [];
  }

  list(): Array<FaultRule & { id: number; remaining?: number }> {
    return this.#rules.map((r) => ({ id: r.id, ...r.rule, ...(Number.isFinite(r.remaining) && { remaining: r.remaining }) }));
  }

  get empty(): boolean {
    return this.#rules.length === 0;
  }

  /** What to do to a call of `action`: consumes counts and throttle tokens. */
  apply(action: string): FaultOutcome {
    const outcome: FaultOutcome = { latencyMs: 0 };
    const now = performance.now();
    for (const active of this.#rules) {
      const { rule } = active;
      if (rule.action !== '*' && rule.action !== action) continue;
      if (rule.latencyMs) outcome.latencyMs = Math.max(outcome.latencyMs, rule.latencyMs);
      if (outcome.code) continue;
      if (rule.ratePerSecond !== undefined) {
        const rate = rule.ratePerSecond;
        active.tokens = Math.min(Math.max(rate, 1), active.tokens + ((now - active.refilledAt) / 1000) * rate);
        active.refilledAt = now;
        if (active.tokens >= 1) {
          active.tokens -= 1;
        } else {
          outcome.code = 'Throttling';
          outcome.detail = `Emulator fault: more than ${rate} call(s) per second.`;
          continue;
        }
      }
      if (rule.code !== undefined && active.remaining > 0) {
        active.remaining -= 1;
        outcome.code = rule.code;
        outcome.detail = 'Emulator fault injection.';
      }
    }
    this.#rules = this.#rules.filter((r) => r.remaining > 0 || r.rule.code === undefined);
    return outcome;
  }
}
