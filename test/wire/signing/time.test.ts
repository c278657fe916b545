/**
 * src/wire/signing/time.ts: the `YYYY-MM-DDThh:mm:ssZ` format and the 15-minute window.
 */
import { describe, expect, it } from 'vitest';
import { checkAcsDate, formatAcsDate, parseAcsDate } from '../../../src/wire/signing/index.ts';
import { SECRET, DATE, failures, fail } from './fixtures.ts';

describe('timestamps', () => {
  it('formats and parses YYYY-MM-DDThh:mm:ssZ', () => {
    expect(formatAcsDate(new Date(Date.UTC(2024, 4, 6, 7, 8, 9, 999)))).toBe(DATE);
    expect(parseAcsDate(DATE)).toBe(Date.UTC(2024, 4, 6, 7, 8, 9));
    for (const bad of ['', '2024-05-06T07:08:09', '2024-05-06 07:08:09Z', '2024-02-30T00:00:00Z', '2024-05-06T24:00:00Z', '2024-05-06T07:08:09.123Z', 'garbage']) {
      expect(parseAcsDate(bad), bad).toBeUndefined();
    }
  });

  it('checks the 15-minute window both ways', () => {
    const t = Date.UTC(2024, 4, 6, 7, 8, 9);
    expect(checkAcsDate(DATE, t + 15 * 60_000)).toEqual({ ok: true, timeMs: t });
    expect(checkAcsDate(DATE, t - 15 * 60_000)).toEqual({ ok: true, timeMs: t });
    expect(fail(checkAcsDate(DATE, t + 15 * 60_000 + 1))).toMatchObject({ ok: false, reason: 'InvalidTimeStamp.Expired' });
    expect(fail(checkAcsDate(DATE, t - 15 * 60_000 - 1))).toMatchObject({ ok: false, reason: 'InvalidTimeStamp.Expired' });
    expect(fail(checkAcsDate('2024-05-06', t))).toMatchObject({ ok: false, reason: 'InvalidTimeStamp.Format' });
    expect(checkAcsDate(DATE, t + 60_000, 30_000)).toMatchObject({ ok: false, reason: 'InvalidTimeStamp.Expired' });
  });
});


describe('secrets', () => {
  it('no failure result produced in this file contains the secret', () => {
    for (const f of failures) expect(JSON.stringify(f)).not.toContain(SECRET);
  });
});
