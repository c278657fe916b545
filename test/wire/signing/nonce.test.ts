/**
 * src/wire/signing/nonce.ts: the replay tracker.
 */
import { describe, expect, it } from 'vitest';
import { NonceTracker } from '../../../src/wire/signing/index.ts';

describe('NonceTracker', () => {
  it('refuses a reused nonce per AccessKey and forgets it after twice the window', () => {
    const tracker = new NonceTracker(1000);
    expect(tracker.use('ak1', 'n', 0)).toBe(true);
    expect(tracker.use('ak1', 'n', 10)).toBe(false);
    expect(tracker.use('ak2', 'n', 10)).toBe(true);
    expect(tracker.use('ak1', 'm', 10)).toBe(true);
    expect(tracker.size).toBe(3);
    expect(tracker.use('ak1', 'n', 1999)).toBe(false);
    expect(tracker.use('ak1', 'n', 2000)).toBe(true); // expired at 0 + 2000, recorded again
    expect(tracker.size).toBe(3);
    expect(tracker.use('ak1', 'x', 2010)).toBe(true); // the two nonces seen at 10 expire now
    expect(tracker.size).toBe(2);
  });
});

