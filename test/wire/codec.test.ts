/**
 * src/wire/codec.ts, table-driven: the form encoder against the official runtime's bytes
 * (tea-util `toFormString` and the tea core's `querystring.stringify`), encode/decode of every
 * wire style, strict decoding problems, and int64 bounds compared exactly on both sides.
 */
import { stringify } from 'node:querystring';
import teaUtilModule from '@alicloud/tea-util';
import { describe, expect, it } from 'vitest';
import { contract } from '../../src/contract/index.ts';
import { decodeParams, encodeParams, formEncode, formEncodeComponent, int64Bounds } from '../../src/wire/codec.ts';

const TeaUtil = ((teaUtilModule as unknown as { default?: unknown }).default ?? teaUtilModule) as { toFormString(v: Record<string, string>): string };

const SAMPLES: Array<Record<string, string>> = [
  { a: 'b' },
  { 'Tag.1.Key': 'env', 'Tag.1.Value': 'dev staging' },
  { Name: "!'()*", Description: '~-_.', Other: 'a+b=c&d' },
  { Name: '中文 描述', Path: '/x/y?z#w', Percent: '100%', Empty: '' },
  { VpcId: 'vpc-a,vpc-b', Emoji: '😀', Quote: '"\'`', Tab: '\t\n\r' },
  { 'Weird name!': "it's (ok)*" },
];

describe('formEncode: the bytes the official runtime sends', () => {
  it('equals tea-util toFormString and querystring.stringify for every sample', () => {
    for (const sample of SAMPLES) {
      const pairs = Object.entries(sample);
      expect(formEncode(pairs), JSON.stringify(sample)).toBe(TeaUtil.toFormString(sample));
      expect(formEncode(pairs), JSON.stringify(sample)).toBe(stringify(sample));
    }
  });

  it("leaves !'()* unencoded and writes space as %20 (not the RFC 3986 signature encoding)", () => {
    expect(formEncodeComponent("!'()*")).toBe("!'()*");
    expect(formEncodeComponent('a b+c')).toBe('a%20b%2Bc');
    expect(formEncode([['k', '~']])).toBe('k=~');
  });

  it('throws on a lone surrogate, as the runtime does', () => {
    expect(() => formEncodeComponent('\uD800')).toThrow(URIError);
    expect(() => stringify({ k: '\uD800' })).toThrow(URIError);
  });
});

describe('encodeParams / decodeParams', () => {
  const op = (action: string) => contract.operations.get(action)!;
  const cases: Array<{ action: string; params: Record<string, unknown>; query: Array<[string, string]>; body: Array<[string, string]> }> = [
    { action: 'GetVpcPeerConnectionAttribute', params: { InstanceId: 'pcc-1' }, query: [], body: [['InstanceId', 'pcc-1']] },
    {
      action: 'TagResources',
      params: { RegionId: 'cn-hangzhou', ResourceType: 'PeerConnection', ResourceId: ['pcc-a', 'pcc-b'], Tag: [{ Key: 'k', Value: 'v' }] },
      query: [['RegionId', 'cn-hangzhou'], ['ResourceId.1', 'pcc-a'], ['ResourceId.2', 'pcc-b'], ['ResourceType', 'PeerConnection'], ['Tag.1.Key', 'k'], ['Tag.1.Value', 'v']],
      body: [],
    },
  ];
  it('table: each parameter where the contract places it, and back', () => {
    for (const c of cases) {
      const encoded = encodeParams(op(c.action), c.params);
      expect([...encoded.query].sort(), c.action).toEqual([...c.query].sort());
      expect(encoded.body, c.action).toEqual(c.body);
      const decoded = decodeParams(op(c.action), [...encoded.query, ...encoded.body]);
      expect(decoded.ok && decoded.value.params, c.action).toEqual(c.params);
      // GET puts everything in the query.
      const get = encodeParams(op(c.action), c.params, 'GET');
      expect(get.body).toEqual([]);
      expect(get.query.length).toBe(c.query.length + c.body.length);
    }
  });

  it('simple lists join with commas and also decode from the indexed form', () => {
    const list = op('ListVpcPeerConnections');
    const encoded = encodeParams(list, { RegionId: 'cn-hangzhou', VpcId: ['vpc-a', 'vpc-b'] });
    expect([...encoded.query, ...encoded.body]).toContainEqual(['VpcId', 'vpc-a,vpc-b']);
    const decoded = decodeParams(list, [['RegionId', 'cn-hangzhou'], ['VpcId.1', 'vpc-a'], ['VpcId.2', 'vpc-b']]);
    expect(decoded.ok && decoded.value.params.VpcId).toEqual(['vpc-a', 'vpc-b']);
  });

  it('table: decoding problems name the wire parameter', () => {
    const tag = op('TagResources');
    const create = op('CreateVpcPeerConnection');
    const problems: Array<[typeof tag, Array<[string, string]>, string, RegExp]> = [
      [create, [['Bandwidth', '1.5']], 'Bandwidth', /whole number/],
      [create, [['DryRun', 'maybe']], 'DryRun', /true or false/],
      [tag, [['ResourceId', 'pcc-a']], 'ResourceId', /ResourceId\.1/],
      [tag, [['ResourceId.0', 'pcc-a']], 'ResourceId.0', /start at 1/],
      [tag, [['ResourceId.01', 'pcc-a']], 'ResourceId.01', /leading zeros/],
    ];
    for (const [operation, pairs, parameter, reason] of problems) {
      const decoded = decodeParams(operation, pairs);
      expect(decoded.ok, parameter).toBe(false);
      if (!decoded.ok) {
        expect(decoded.problem.code).toBe('InvalidParameter');
        expect(decoded.problem.parameter).toBe(parameter);
        expect(decoded.problem.reason).toMatch(reason);
      }
    }
  });

  it('unknown and mis-cased names are ignored, as the service ignores them', () => {
    const decoded = decodeParams(op('GetVpcPeerConnectionAttribute'), [['instanceid', 'x'], ['Bogus', '1']]);
    expect(decoded.ok && decoded.value.params).toEqual({});
  });
});

describe('int64 bounds, exactly', () => {
  const create = contract.operations.get('CreateVpcPeerConnection')!;
  const uid = create.byName.get('AcceptingAliUid')!;

  it('reads the bounds from the contract, clamped to the int64 range', () => {
    expect(int64Bounds(uid.schema)).toEqual({ min: 1n, max: 9223372036854775807n });
    expect(int64Bounds({ type: 'integer' })).toBeUndefined();
    expect(int64Bounds({ type: 'integer', format: 'int64' })).toEqual({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
  });

  it('table: decode accepts the bounds and refuses one past them (no double rounding)', () => {
    const table: Array<[string, boolean]> = [
      ['1', true],
      ['9223372036854775807', true],
      ['09223372036854775807', true],
      ['9223372036854775808', false],
      ['9223372036854775809', false],
      ['18446744073709551616', false],
      ['99999999999999999999', false],
      ['0', false],
      ['-1', false],
    ];
    for (const [text, ok] of table) {
      const decoded = decodeParams(create, [['AcceptingAliUid', text]]);
      expect(decoded.ok, text).toBe(ok);
      if (decoded.ok) expect(decoded.value.exactIntegers.get('AcceptingAliUid')).toBe(text.replace(/^0+/, ''));
      else {
        expect(decoded.problem).toMatchObject({ code: 'InvalidParameter', parameter: 'AcceptingAliUid' });
        expect(decoded.problem.reason).toContain('from 1 to 9223372036854775807');
      }
    }
  });

  it('the client side refuses what int64 cannot carry, and sends what only the schema forbids', () => {
    expect(encodeParams(create, { AcceptingAliUid: 9223372036854775807n }).body).toContainEqual(['AcceptingAliUid', '9223372036854775807']);
    expect(() => encodeParams(create, { AcceptingAliUid: 9223372036854775808n })).toThrow(/must be an int64 \(from -9223372036854775808 to 9223372036854775807\)/);
    expect(() => encodeParams(create, { AcceptingAliUid: '-9223372036854775809' })).toThrow(RangeError);
    // Below the schema's minimum but an int64: the server answers InvalidParameter (table above).
    expect(encodeParams(create, { AcceptingAliUid: '0' }).body).toContainEqual(['AcceptingAliUid', '0']);
  });
});
