/**
 * The emulator's clock. Lifecycle delays and the 7-day expiry run on it, so tests and users can
 * move time forward (`POST /__emulator/clock`) instead of waiting.
 *
 * - `system`: wall-clock time plus an offset that `advance` grows;
 * - `manual`: frozen at its start time, moving only when advanced (deterministic tests).
 *
 * Signature timestamps (`x-acs-date`, `Timestamp`) are always checked against the real wall
 * clock, since the SDKs sign with real time. Every time the clock can hold stays within
 * {@link MAX_TIME_MS}, so a date can always be written.
 */
import { isoDurationMs } from '../../contract/model.ts';

export type ClockMode = 'system' | 'manual';

export interface ClockState {
  mode: ClockMode;
  /** `system`: offset added to the wall clock. `manual`: the current time. Epoch ms. */
  value: number;
}

/** The latest emulator time: 9999-12-31T23:59:59Z (a UtcTime has four year digits). */
export const MAX_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59);
/** The longest single advance: 100 years. */
export const MAX_ADVANCE_MS = 100 * 365.25 * 24 * 3600 * 1000;

export class Clock {
  mode: ClockMode;
  #value: number;

  constructor(mode: ClockMode = 'system', start?: number) {
    this.mode = mode;
    this.#value = mode === 'manual' ? (start ?? Date.now()) : 0;
  }

  now(): number {
    return this.mode === 'manual' ? this.#value : Date.now() + this.#value;
  }

  /** Moves time forward; refuses anything that is not a finite advance within the bounds. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('time only moves forward: ms must be a number >= 0');
    if (ms > MAX_ADVANCE_MS) throw new RangeError(`an advance is at most 100 years (${MAX_ADVANCE_MS} ms)`);
    if (this.now() + ms > MAX_TIME_MS) throw new RangeError('the emulator time cannot go past 9999-12-31T23:59:59Z');
    this.#value += ms;
  }

  /** Moves to an absolute time (never backwards). */
  setTo(ms: number): void {
    this.advance(Math.max(0, ms - this.now()));
  }

  state(): ClockState {
    return { mode: this.mode, value: this.#value };
  }

  restore(state: ClockState): void {
    this.mode = state.mode;
    this.#value = state.value;
  }
}

/** `2022-04-24T09:02:36Z`: the contract's UtcTime format (no milliseconds). */
export function utc(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

const SHORT_DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90000`, `"90000"`, `"15m"`, `"7d"`, `"P7D"` → milliseconds (undefined when it is none of these). */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d{1,16}$/.test(text)) return Number(text);
  const m = SHORT_DURATION.exec(text);
  if (m) return Number(m[1]) * UNIT_MS[m[2]!]!;
  if (!text.startsWith('P')) return undefined;
  try {
    return isoDurationMs(text);
  } catch {
    return undefined;
  }
}
