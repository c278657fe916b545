/** The `Prefer` header the mock and the emulator share: parameters and the `code` check. */
import { describe, expect, it } from 'vitest';
import { preferParameters, preferStatus } from '../../src/wire/prefer.ts';

describe('preferParameters', () => {
  const cases: Array<[string, Record<string, string>]> = [
    ['code=400', { code: '400' }],
    ['code=400, example=IncorrectStatus.VpcPeer', { code: '400', example: 'IncorrectStatus.VpcPeer' }],
    ['Code=404; Example="ResourceNotFound.InstanceId"', { code: '404', example: 'ResourceNotFound.InstanceId' }],
    ['dynamic, seed=a=b', { dynamic: '', seed: 'a=b' }],
    [' , ;code = 500 ,', { code: '500' }],
    ['', {}],
  ];
  for (const [header, expected] of cases) {
    it(`"${header}"`, () => expect(Object.fromEntries(preferParameters(header))).toEqual(expected));
  }
});

describe('preferStatus', () => {
  for (const text of ['200', '400', '404', '503']) it(`accepts ${text}`, () => expect(preferStatus(text)).toEqual({ ok: true, status: Number(text) }));
  for (const text of ['20', '600', '4000', 'abc', '', ' 400']) {
    it(`refuses "${text}"`, () => expect(preferStatus(text)).toEqual({ ok: false, reason: `code must be an HTTP status, got "${text}".` }));
  }
  it('quotes at most 16 characters of what it refuses', () => {
    const result = preferStatus('x'.repeat(100));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toBe(`code must be an HTTP status, got "${'x'.repeat(16)}".`);
  });
});
