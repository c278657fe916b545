/**
 * The emulator's clock. Lifecycle delays and the 7-day expiry run on it, so tests and users can
 * move time forward (`POST /__emulator/clock`) instead of waiting.
 *
 * - `system`: wall-clock time plus an offset that `advance` grows;
 * - `manual`: frozen at its start time, moving only when advanced (deterministic tests).
 *
 * Signature timestamps (`x-acs-date`, `Timestamp`) are always checked against the real wall
 * clock, since the SDKs sign with real time.
 */
export type ClockMode = 'system' | 'manual';

export interface ClockState {
  mode: ClockMode;
  /** `system`: offset added to the wall clock. `manual`: the current time. Epoch ms. */
  value: number;
}

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

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('time only moves forward: ms must be a number >= 0');
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
