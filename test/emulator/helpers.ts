/**
 * Starts the emulator for scenario tests (manual clock, three accounts) and calls it like a
 * client: logical parameters are put on the wire by the shared codec, and every answer is
 * checked against the contract before the test sees it.
 */
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { contract } from '../../src/contract/index.ts';
import { encodeParams, formEncode } from '../../src/wire/codec.ts';
import { createValidators } from '../../src/validate/index.ts';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.ts';
import { DEFAULT_ACCOUNTS } from '../../src/emulator/config.ts';

export const validators = createValidators(contract);

export const ALICE = DEFAULT_ACCOUNTS[0]!;
export const BOB = DEFAULT_ACCOUNTS[1]!;
/** A third account, unrelated to alice's and bob's connections; its UID is above 2^53. */
export const CAROL = { name: 'carol', uid: '253460731706911258', accessKeys: [{ id: 'LTAI5tCarolEmulator001', secret: 'carol-emulator-secret-001' }] };

export const VPC = {
  aliceHz1: 'vpc-bp1alicehz0000000001',
  aliceHz2: 'vpc-bp1alicehz0000000002',
  aliceHz3: 'vpc-bp1alicehz0000000003',
  aliceSh: 'vpc-uf6alicesh0000000001',
  bobHz: 'vpc-bp1bobhz00000000001',
  bobSh: 'vpc-uf6bobsh00000000001',
  bobBj: 'vpc-2zebobbj00000000001',
  carolHz: 'vpc-bp1carolhz000000001',
};

export const WORLD = {
  accounts: {
    [ALICE.uid]: {
      resourceGroups: ['rg-acfmalicedefault01', 'rg-acfmaliceprod0001'],
      vpcs: {
        'cn-hangzhou': [
          { VpcId: VPC.aliceHz1, Ipv4Cidrs: ['192.168.0.0/16'], Ipv6Cidrs: ['2408:4005:3c5:6e00::/56'] },
          { VpcId: VPC.aliceHz2, Ipv4Cidrs: ['10.10.0.0/16'], Ipv6Cidrs: [] },
          { VpcId: VPC.aliceHz3, Ipv4Cidrs: ['10.11.0.0/16'], Ipv6Cidrs: [] },
        ],
        'cn-shanghai': [{ VpcId: VPC.aliceSh, Ipv4Cidrs: ['172.16.0.0/16'], Ipv6Cidrs: [] }],
      },
    },
    [BOB.uid]: {
      resourceGroups: ['rg-acfmbobdefault0001', 'rg-acfmbobnetwork0001'],
      vpcs: {
        'cn-hangzhou': [{ VpcId: VPC.bobHz, Ipv4Cidrs: ['172.20.0.0/16'], Ipv6Cidrs: [] }],
        'cn-shanghai': [{ VpcId: VPC.bobSh, Ipv4Cidrs: ['172.21.0.0/16'], Ipv6Cidrs: ['2408:4006:1200:bb00::/56'] }],
        'cn-beijing': [{ VpcId: VPC.bobBj, Ipv4Cidrs: ['172.22.0.0/16'], Ipv6Cidrs: [] }],
      },
    },
    [CAROL.uid]: {
      resourceGroups: ['rg-acfmcaroldefault01'],
      vpcs: { 'cn-hangzhou': [{ VpcId: VPC.carolHz, Ipv4Cidrs: ['10.20.0.0/16'], Ipv6Cidrs: [] }] },
    },
  },
};

export const DELAYS = { createMs: 1000, acceptMs: 1000, modifyMs: 1000, deleteMs: 1000, deletedVisibleMs: 5000 };

export interface Answer {
  status: number;
  body: Record<string, any>;
  text: string;
}

export interface Harness {
  running: RunningEmulator;
  baseUrl: string;
  call(action: string, params: Record<string, unknown>, account?: string, extraHeaders?: Record<string, string>): Promise<Answer>;
  advance(advance: string | number): Promise<void>;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** The connection's Status as `account` sees it (Get). */
  status(id: string, account?: string): Promise<unknown>;
  close(): Promise<void>;
}

/** Checks an answer against the contract: it must have no issue at all. */
export function expectConforms(action: string, answer: Answer, contentType: string | null): void {
  const issues = validators.checkResponse(action, answer.status, answer.body, contentType ?? undefined);
  expect(issues, `${action} ${answer.status} ${answer.text}`).toEqual([]);
}

/**
 * One emulator for a whole test file, reset before each test: registers the vitest hooks and
 * returns the harness, usable in tests and hooks once `beforeAll` has started it.
 */
export function useHarness(options: EmulatorOptions = {}): Harness {
  let started: Harness | undefined;
  beforeAll(async () => {
    started = await startHarness(options);
  });
  afterAll(async () => {
    await started?.close();
  });
  beforeEach(async () => {
    expect((await started!.admin('POST', '/__emulator/reset')).status).toBe(200);
  });
  return new Proxy({} as Harness, {
    get(_target, key) {
      if (!started) throw new Error('the harness starts in beforeAll: use it inside a test or a hook');
      const value: unknown = Reflect.get(started, key);
      return typeof value === 'function' ? value.bind(started) : value;
    },
  });
}

export async function startHarness(options: EmulatorOptions = {}): Promise<Harness> {
  const running = await startEmulator({
    clock: 'manual',
    clockStart: Date.parse('2025-03-01T08:00:00Z'),
    config: { accounts: [ALICE, BOB, CAROL], world: WORLD, delays: DELAYS },
    ...options,
  });
  const { baseUrl } = running;
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${baseUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body !== undefined && { body: JSON.stringify(body) }) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const harness: Harness = {
    running,
    baseUrl,
    async call(action, params, account = 'alice', extraHeaders = {}) {
      const op = contract.operations.get(action)!;
      const { query, body } = encodeParams(op, params);
      const search = formEncode([['Action', action], ['Version', '2022-01-01'], ...query]);
      const res = await fetch(`${baseUrl}/?${search}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-emulator-account': account, ...extraHeaders },
        body: formEncode(body),
      });
      const text = await res.text();
      const answer = { status: res.status, body: JSON.parse(text) as Record<string, any>, text };
      expectConforms(action, answer, res.headers.get('content-type'));
      return answer;
    },
    async advance(advance) {
      const r = await admin('POST', '/__emulator/clock', { advance });
      expect(r.status).toBe(200);
    },
    admin,
    async status(id, account = 'alice') {
      return (await harness.call('GetVpcPeerConnectionAttribute', { InstanceId: id }, account)).body.Status;
    },
    close: () => running.close(),
  };
  return harness;
}

/**
 * A world for listing and tagging tests: alice alone with 40 Hangzhou VPCs (`MANY_VPCS.vpcs`),
 * two resource groups and quotas high enough for hundreds of same-account connections.
 */
const manyVpcs = Array.from({ length: 40 }, (_, i) => `vpc-bp1many${String(i).padStart(3, '0')}`);
export const MANY_VPCS = {
  vpcs: manyVpcs,
  options: {
    config: {
      accounts: [ALICE],
      quotas: { perAccountPerRegion: 1000, intraRegionPerVpc: 1000 },
      world: {
        accounts: {
          [ALICE.uid]: {
            resourceGroups: ['rg-a-default', 'rg-a-prod'],
            vpcs: { 'cn-hangzhou': manyVpcs.map((VpcId, i) => ({ VpcId, Ipv4Cidrs: [`10.${i}.0.0/16`], Ipv6Cidrs: [] })) },
          },
        },
      },
    },
  } satisfies EmulatorOptions,
  /** Create parameters for a same-account connection between VPC `i` and VPC `j`. */
  createParams(i: number, j: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { RegionId: 'cn-hangzhou', VpcId: manyVpcs[i], AcceptingAliUid: ALICE.uid, AcceptingRegionId: 'cn-hangzhou', AcceptingVpcId: manyVpcs[j], ...extra };
  },
};

/** Create parameters for a connection from alice's first Hangzhou VPC. */
export function createParams(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    RegionId: 'cn-hangzhou',
    VpcId: VPC.aliceHz1,
    AcceptingAliUid: BOB.uid,
    AcceptingRegionId: 'cn-shanghai',
    AcceptingVpcId: VPC.bobSh,
    ...overrides,
  };
}
