/**
 * Signature nonces: a fresh one for signing, and the tracker a server uses to answer
 * `SignatureNonceUsed` for a replayed one. Browser-safe.
 */
import { DEFAULT_TIME_WINDOW_MS } from './time.ts';

/** A fresh nonce: a random UUID. */
export function randomNonce(): string {
  return globalThis.crypto.randomUUID();
}

/**
 * Remembers signature nonces per AccessKey id so a server can answer `SignatureNonceUsed`.
 * A nonce is kept for twice the time window after it was first seen (long enough to outlive
 * any request time that {@link checkAcsDate} could still accept), then forgotten. Record a
 * nonce only after the signature verified, so forged requests cannot burn nonces.
 */
export class NonceTracker {
  readonly #ttlMs: number;
  readonly #seen = new Map<string, number>();

  /** @param windowMs the time window used with {@link checkAcsDate}. */
  constructor(windowMs: number = DEFAULT_TIME_WINDOW_MS) {
    this.#ttlMs = 2 * windowMs;
  }

  /** Returns `false` if `nonce` was already used with `accessKeyId`, else records it and returns `true`. */
  use(accessKeyId: string, nonce: string, nowMs: number = Date.now()): boolean {
    for (const [key, expiry] of this.#seen) {
      if (expiry > nowMs) break; // insertion order = expiry order
      this.#seen.delete(key);
    }
    const key = `${accessKeyId}\u0000${nonce}`;
    if (this.#seen.has(key)) return false;
    this.#seen.set(key, nowMs + this.#ttlMs);
    return true;
  }

  /** Number of nonces currently remembered. */
  get size(): number {
    return this.#seen.size;
  }
}
