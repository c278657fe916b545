/**
 * src/wire/errors.ts: Alibaba-shaped answers from the catalog, client text quoted literally
 * (`$&`, `$'`, `` $` `` and `$1` are not replacement patterns), and undocumented codes refused.
 */
import { describe, expect, it } from 'vitest';
import { contract } from '../../src/contract/index.ts';
import { DEFAULT_HOST, errorAnswer, newRequestId, recommendUrl } from '../../src/wire/errors.ts';

describe('errorAnswer', () => {
  it('builds the documented body', () => {
    const answer = errorAnswer(contract.errors, 'InvalidParameter', { fill: ['Bandwidth'], detail: 'It must be 100 or more.', requestId: 'R-1' });
    expect(answer).toEqual({
      status: 400,
      body: {
        RequestId: 'R-1',
        HostId: DEFAULT_HOST,
        Code: 'InvalidParameter',
        Message: 'The specified parameter "Bandwidth" is not valid. It must be 100 or more.',
        Recommend: recommendUrl('InvalidParameter', 'R-1'),
      },
    });
  });

  it('table: client text is inserted literally', () => {
    for (const text of ["$'", '$&', '$`', '$1', '$$', '%s', 'a$&b$\'c']) {
      const message = errorAnswer(contract.errors, 'InvalidParameter', { fill: [text] }).body.Message;
      expect(message, text).toBe(`The specified parameter "${text}" is not valid.`);
    }
    const two = errorAnswer(contract.errors, 'IncorrectStatus.VpcPeer', { action: 'DeleteVpcPeerConnection', fill: ['$&', "$'"] }).body.Message;
    expect(two).toBe("The status of $& [$'] is incorrect.");
  });

  it('refuses a code the contract does not document', () => {
    expect(() => errorAnswer(contract.errors, 'Made.Up')).toThrow(/not documented/);
  });

  it('request IDs have the service format', () => {
    expect(newRequestId()).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
  });
});
