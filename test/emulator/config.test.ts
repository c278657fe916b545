/**
 * The config is checked by a JSON Schema (Ajv): each planted defect is refused naming where it
 * is; harmless variants (UIDs as safe numbers, a partial config, $comment) are accepted.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { ConfigError, DEFAULT_DELAYS, DEFAULT_QUOTAS, loadConfigFile, loadWorldFile, parseWorld, resolveConfig } from '../../src/emulator/config.ts';
import { ALICE, WORLD } from './helpers.ts';

describe('emulator config', () => {
  const defects: Array<[string, unknown, RegExp]> = [
    ['an unknown setting', { colour: 'red' }, /config: \(top level\): unknown setting "colour"/],
    ['an unknown auth mode', { auth: 'maybe' }, /config: \/auth: must be one of off, presence, verify/],
    ['an empty account list', { accounts: [] }, /\/accounts: must NOT have fewer than 1 items/],
    ['a UID that is not digits', { accounts: [{ uid: 'alice' }] }, /\/accounts\/0\/uid/],
    ['a UID number above 2^53', { accounts: [{ uid: 2 ** 60 }] }, /\/accounts\/0\/uid/],
    ['an AccessKey without a secret', { accounts: [{ uid: '1', accessKeys: [{ id: 'k' }] }] }, /\/accounts\/0\/accessKeys\/0: must have required property 'secret'/],
    ['an AccessKey ID used twice', { accounts: [{ uid: '1', accessKeys: [{ id: 'k', secret: 's' }] }, { uid: '2', accessKeys: [{ id: 'k', secret: 't' }] }] }, /AccessKey ID k is used twice/],
    ['a name used twice', { accounts: [{ uid: '1', name: 'a' }, { uid: '2', name: 'a' }] }, /\/accounts\/1\/name: a is used twice/],
    ['a negative delay', { delays: { createMs: -1 } }, /\/delays\/createMs: must be >= 0/],
    ['a delay of 1e308', { delays: { expiryMs: 1e308 } }, /\/delays\/expiryMs: must be <=/],
    ['an unknown quota', { quotas: { speed: 1 } }, /\/quotas: unknown setting "speed"/],
    ['a world account key that is not a UID', { world: { accounts: { bob: {} } } }, /account UIDs are digits/],
    ['a VPC without an ID', { world: { accounts: { '1': { vpcs: { 'cn-hangzhou': [{ Ipv4Cidrs: [] }] } } } } }, /must have required property 'VpcId'/],
    ['a VPC ID used twice', { world: { accounts: { '1': { vpcs: { 'cn-hangzhou': [{ VpcId: 'v' }], 'cn-shanghai': [{ VpcId: 'v' }] } } } } }, /VpcId v appears twice/],
  ];
  for (const [name, doc, message] of defects) {
    it(`refuses ${name}`, () => {
      expect(() => resolveConfig(doc)).toThrow(ConfigError);
      expect(() => resolveConfig(doc)).toThrow(message);
    });
  }

  it('accepts the shipped fixtures', () => {
    const config = loadConfigFile(path.resolve(import.meta.dirname, '../../fixtures/emulator.config.json'));
    expect(config.accounts.length).toBeGreaterThanOrEqual(2);
    expect(Object.keys(loadWorldFile(path.resolve(import.meta.dirname, '../../fixtures/world.json')).accounts).length).toBeGreaterThanOrEqual(2);
  });

  it('accepts harmless variants and fills in defaults', () => {
    const config = resolveConfig({ $comment: 'test', accounts: [{ uid: 1210123456123456, name: 'alice' }], delays: { createMs: 0 }, world: WORLD });
    expect(config.accounts).toEqual([{ name: 'alice', uid: '1210123456123456', accessKeys: [] }]);
    expect(config.delays).toEqual({ ...DEFAULT_DELAYS, createMs: 0 });
    expect(config.quotas).toEqual(DEFAULT_QUOTAS);
    expect(config.auth).toBe('off');
    expect(resolveConfig({ accounts: [ALICE] }).world.accounts).toBeTypeOf('object');
    expect(parseWorld({ accounts: { '1': { vpcs: { 'cn-hangzhou': [{ VpcId: 'v' }] } } } }).accounts['1']).toEqual({ resourceGroups: [], vpcs: { 'cn-hangzhou': [{ VpcId: 'v', Ipv4Cidrs: [], Ipv6Cidrs: [] }] } });
  });
});
