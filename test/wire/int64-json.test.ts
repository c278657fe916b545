/**
 * src/wire/int64-json.ts: both halves of int64 JSON, driven by `contract.int64Fields`: parsing
 * keeps int64 fields exact as strings and other numbers as numbers; writing turns int64 strings
 * back into bare numbers without touching user text.
 */
import { describe, expect, it } from 'vitest';
import { contract } from '../../src/contract/index.ts';
import { parseAnswer, stringifyAnswer } from '../../src/wire/int64-json.ts';

const fields = contract.int64Fields;

describe('parseAnswer', () => {
  it('table: int64 fields stay exact, other numbers are numbers', () => {
    const cases: Array<[string, unknown]> = [
      ['{"OwnerId":253460731706911263}', { OwnerId: '253460731706911263' }],
      ['{"OwnerId":-1,"Count":-1}', { OwnerId: '-1', Count: -1 }],
      ['{"AcceptingOwnerUid":9223372036854775807,"Bandwidth":100}', { AcceptingOwnerUid: '9223372036854775807', Bandwidth: 100 }],
      ['{"List":[{"OwnerId":1},{"OwnerId":2}],"TotalCount":2}', { List: [{ OwnerId: '1' }, { OwnerId: '2' }], TotalCount: 2 }],
      ['{"Name":"OwnerId","Value":1.5}', { Name: 'OwnerId', Value: 1.5 }],
    ];
    for (const [text, expected] of cases) expect(parseAnswer(text, fields), text).toEqual(expected);
  });

  it('throws a SyntaxError on text that is not JSON', () => {
    expect(() => parseAnswer('<html>', fields)).toThrow(SyntaxError);
  });
});

describe('stringifyAnswer', () => {
  it('table: int64 strings become bare numbers, user text is never rewritten', () => {
    const cases: Array<[unknown, string]> = [
      [{ OwnerId: '253460731706911263' }, '{"OwnerId":253460731706911263}'],
      [{ A: [{ AcceptingOwnerUid: '1' }] }, '{"A":[{"AcceptingOwnerUid":1}]}'],
      [{ Name: '"OwnerId":"1"' }, '{"Name":"\\"OwnerId\\":\\"1\\""}'],
      [{ OwnerId: 'not digits' }, '{"OwnerId":"not digits"}'],
      [{ Other: '123' }, '{"Other":"123"}'],
    ];
    for (const [value, text] of cases) expect(stringifyAnswer(value, fields), text).toBe(text);
  });

  it('round-trips with parseAnswer', () => {
    const value = { RequestId: 'r', VpcPeerConnects: [{ OwnerId: '1250123456123458', AcceptingOwnerUid: '9223372036854775807', Bandwidth: 10 }] };
    expect(parseAnswer(stringifyAnswer(value, fields), fields)).toEqual(value);
  });

  it('with no int64 fields it is JSON.stringify', () => {
    expect(stringifyAnswer({ OwnerId: '1' }, new Set())).toBe('{"OwnerId":"1"}');
  });
});
