/**
 * Request times for both signature versions: the `YYYY-MM-DDThh:mm:ssZ` format of `x-acs-date`
 * and `Timestamp`, and the 15-minute window a server allows. Browser-safe.
 */

/** The time window Alibaba allows between `x-acs-date`/`Timestamp` and the server clock: 15 minutes. */
export const DEFAULT_TIME_WINDOW_MS = 15 * 60 * 1000;

/** Outcome of {@link checkAcsDate}. */
export type TimestampCheck =
  | { readonly ok: true; readonly timeMs: number }
  | {
      readonly ok: false;
      /** `InvalidTimeStamp.Format`: not `YYYY-MM-DDThh:mm:ssZ`. `InvalidTimeStamp.Expired`: outside the window. */
      readonly reason: 'InvalidTimeStamp.Format' | 'InvalidTimeStamp.Expired';
      readonly detail: string;
    };

/** Formats a date as Alibaba wants it in `x-acs-date` and `Timestamp`: UTC `YYYY-MM-DDThh:mm:ssZ`. */
export function formatAcsDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const ACS_DATE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

/**
 * Parses an `x-acs-date` / `Timestamp` value (strictly `YYYY-MM-DDThh:mm:ssZ`, a real calendar
 * date) to epoch milliseconds, or `undefined` when it is not in that format.
 */
export function parseAcsDate(value: string): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = ACS_DATE.exec(value);
  if (m === null) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (
    back.getUTCFullYear() !== y ||
    back.getUTCMonth() !== mo - 1 ||
    back.getUTCDate() !== d ||
    back.getUTCHours() !== h ||
    back.getUTCMinutes() !== mi ||
    back.getUTCSeconds() !== s
  ) {
    return undefined;
  }
  return ms;
}

/**
 * Checks a request time against the server clock: the format, then `|now − time| ≤ windowMs`
 * (the window is symmetric, so clocks running ahead are refused too).
 * @param value `x-acs-date` (V3) or `Timestamp` (V1), e.g. from {@link readSignatureContext}.
 * @param nowMs server time in epoch ms (default `Date.now()`).
 * @param windowMs allowed skew (default {@link DEFAULT_TIME_WINDOW_MS}, 15 minutes).
 */
export function checkAcsDate(value: string, nowMs: number = Date.now(), windowMs: number = DEFAULT_TIME_WINDOW_MS): TimestampCheck {
  const timeMs = parseAcsDate(value);
  if (timeMs === undefined) {
    return { ok: false, reason: 'InvalidTimeStamp.Format', detail: 'timestamp is not in the format YYYY-MM-DDThh:mm:ssZ' };
  }
  if (Math.abs(nowMs - timeMs) > windowMs) {
    return { ok: false, reason: 'InvalidTimeStamp.Expired', detail: `timestamp is more than ${Math.round(windowMs / 1000)} s away from the server time` };
  }
  return { ok: true, timeMs };
}
