/**
 * The emulator's configuration: accounts (AccessKey → account UID), the authentication mode,
 * lifecycle delays, quotas, fault rules and the seeded world. Everything has a built-in default
 * (two test accounts, `fixtures/world.json`), and a JSON file can replace any part of it. A
 * document is checked against {@link CONFIG_SCHEMA} (JSON Schema, Ajv), then for what a schema
 * cannot say (names, AccessKey IDs and VPC IDs used twice).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { shapeValidators } from '../validate/precompiled.ts';
import type { FaultRule } from './faults.ts';
import type { SeedVpc } from './model/connection.ts';
import type { WorldAccount, WorldDocument } from './model/world.ts';

export type { SeedVpc, WorldAccount };
export type World = WorldDocument;

export const AUTH_MODES = ['off', 'presence', 'verify'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export interface AccessKey {
  id: string;
  secret: string;
}

export interface Account {
  /** Short name, also accepted by the `x-emulator-account` header in `off` mode. */
  name: string;
  /** Account UID (decimal text, kept exact: UIDs can exceed 2^53). */
  uid: string;
  accessKeys: AccessKey[];
}

/** Lifecycle timing, in milliseconds of emulator time. */
export interface Delays {
  /** Creation: transient state → `Activated` (same account) or the waiting state (cross-account). */
  createMs: number;
  /** Accept: transient state → `Activated`. */
  acceptMs: number;
  /** Modify: transient state → `Activated`. */
  modifyMs: number;
  /** Delete: transient state → the terminal state. */
  deleteMs: number;
  /** How long a deleted connection stays visible before it is gone (`ResourceNotFound.InstanceId`). */
  deletedVisibleMs: number;
  /** An unanswered cross-account request expires this long after creation (the contract's timer, 7 days). */
  expiryMs: number;
}

export interface Quotas {
  /** `vpc_quota_peer_num`: connections an account owns per region. */
  perAccountPerRegion: number;
  /** `vpc_quota_intra_region_peer_num_per_vpc`. */
  intraRegionPerVpc: number;
  /** `vpc_quota_cross_region_peer_num_per_vpc`. */
  crossRegionPerVpc: number;
  /** `vpc_quota_peer_cross_region_bandwidth`, Mbit/s. */
  maxBandwidth: number;
  /** Cap of the in-memory store (all accounts); a create beyond it gets the per-region quota error. */
  maxConnections: number;
  /** Tags per connection. */
  maxTagsPerResource: number;
}

export interface EmulatorConfig {
  auth: AuthMode;
  accounts: Account[];
  delays: Delays;
  quotas: Quotas;
  faults: FaultRule[];
  world: World;
}

export const DEFAULT_ACCOUNTS: Account[] = [
  { name: 'alice', uid: '1210123456123456', accessKeys: [{ id: 'LTAI5tAliceEmulator0001', secret: 'alice-emulator-secret-0001' }] },
  { name: 'bob', uid: '1250123456123458', accessKeys: [{ id: 'LTAI5tBobEmulator000001', secret: 'bob-emulator-secret-00001' }] },
];

export const DEFAULT_DELAYS: Delays = {
  createMs: 2000,
  acceptMs: 2000,
  modifyMs: 2000,
  deleteMs: 2000,
  deletedVisibleMs: 10_000,
  expiryMs: 7 * 24 * 3600 * 1000,
};

export const DEFAULT_QUOTAS: Quotas = {
  perAccountPerRegion: 20,
  intraRegionPerVpc: 10,
  crossRegionPerVpc: 20,
  maxBandwidth: 1024,
  maxConnections: 50_000,
  maxTagsPerResource: 20,
};

/** Longest configurable delay: 100 years of emulator time. */
const MAX_DELAY_MS = 100 * 365.25 * 24 * 3600 * 1000;
const UID_PATTERN = '^[1-9][0-9]{0,19}$';

const text = { type: 'string', minLength: 1, maxLength: 256 };
const vpcSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['VpcId'],
  properties: {
    VpcId: text,
    Ipv4Cidrs: { type: 'array', items: text, maxItems: 64 },
    Ipv6Cidrs: { type: 'array', items: text, maxItems: 64 },
  },
};

/** A world document: account UID → resource groups and VPCs by region. */
export const WORLD_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['accounts'],
  properties: {
    $comment: { type: 'string' },
    accounts: {
      type: 'object',
      propertyNames: { pattern: UID_PATTERN },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          resourceGroups: { type: 'array', items: text },
          vpcs: { type: 'object', propertyNames: { minLength: 1, maxLength: 64 }, additionalProperties: { type: 'array', items: vpcSchema } },
        },
      },
    },
  },
};

const numbers = (keys: string[], max: number) => ({
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(keys.map((k) => [k, { type: 'number', minimum: 0, maximum: max }])),
});

/** The config document (every part optional). */
export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    $comment: { type: 'string' },
    auth: { enum: [...AUTH_MODES] },
    accounts: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['uid'],
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 64 },
          uid: { anyOf: [{ type: 'string', pattern: UID_PATTERN }, { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER }] },
          accessKeys: {
            type: 'array',
            items: { type: 'object', additionalProperties: false, required: ['id', 'secret'], properties: { id: text, secret: text } },
          },
        },
      },
    },
    delays: numbers(Object.keys(DEFAULT_DELAYS), MAX_DELAY_MS),
    quotas: numbers(Object.keys(DEFAULT_QUOTAS), 1_000_000),
    faults: { type: 'array', items: { type: 'object' } },
    world: { if: { type: 'string' }, then: { type: 'string', minLength: 1 }, else: { $ref: '#/$defs/world' } },
  },
  $defs: { world: WORLD_SCHEMA },
};

/** The config file's fixed schemas, by name (precompiled into the bins by `npm run build`). */
export function configShapes() {
  return { config: CONFIG_SCHEMA, world: WORLD_SCHEMA };
}

let checks: Record<keyof ReturnType<typeof configShapes>, ValidateFunction> | undefined;
/** The config and world checkers, compiled (or taken precompiled) on first use. */
const checkers = () => (checks ??= shapeValidators('config', configShapes()));

export class ConfigError extends Error {}

/** Ajv's first error as `source: /path: message`. */
function describe(source: string, errors: ErrorObject[] | null | undefined): string {
  const e = errors?.[0];
  if (!e) return `${source}: invalid`;
  const where = e.instancePath || '(top level)';
  let what = e.message ?? 'is invalid';
  if (e.keyword === 'additionalProperties') what = `unknown setting "${String(e.params.additionalProperty)}"`;
  if (e.keyword === 'enum') what = `must be one of ${(e.params.allowedValues as unknown[]).join(', ')}`;
  if (e.keyword === 'propertyNames' || e.keyword === 'pattern') what = `${what} (account UIDs are digits)`;
  return `${source}: ${where}: ${what}`;
}

/** `fixtures/world.json` of this package, found upward from this file. */
export function defaultWorldPath(): string {
  for (let dir = import.meta.dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'fixtures', 'world.json');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return path.join(process.cwd(), 'fixtures', 'world.json');
  }
}

/** VPC IDs must be unique across the whole world. */
function normaliseWorld(value: WorldDocument, source: string): World {
  const seen = new Set<string>();
  const accounts: Record<string, WorldAccount> = {};
  for (const [uid, raw] of Object.entries(value.accounts)) {
    const vpcs: Record<string, SeedVpc[]> = {};
    for (const [region, list] of Object.entries(raw.vpcs ?? {})) {
      vpcs[region] = list.map((v, i) => {
        if (seen.has(v.VpcId)) throw new ConfigError(`${source}: /accounts/${uid}/vpcs/${region}/${i}: VpcId ${v.VpcId} appears twice in the world`);
        seen.add(v.VpcId);
        return { VpcId: v.VpcId, Ipv4Cidrs: v.Ipv4Cidrs ?? [], Ipv6Cidrs: v.Ipv6Cidrs ?? [] };
      });
    }
    accounts[uid] = { resourceGroups: raw.resourceGroups ?? [], vpcs };
  }
  return { accounts };
}

/** Checks a world document, naming the first problem's JSON path. */
export function parseWorld(value: unknown, source = 'world'): World {
  const checkWorld = checkers().world;
  if (!checkWorld(value)) throw new ConfigError(describe(source, checkWorld.errors));
  return normaliseWorld(value as unknown as WorldDocument, source);
}

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read the ${what} ${file}: ${(error as Error).message}`);
  }
}

export function loadWorldFile(file: string): World {
  return parseWorld(readJson(file, 'world fixture'), file);
}

/** Accounts from a checked config document: names and key IDs must be unique. */
function normaliseAccounts(value: Array<{ name?: string; uid: string | number; accessKeys?: AccessKey[] }>, source: string): Account[] {
  const keyIds = new Set<string>();
  const names = new Set<string>();
  return value.map((a, i) => {
    const uid = String(a.uid);
    const name = a.name ?? uid;
    if (names.has(name)) throw new ConfigError(`${source}: /accounts/${i}/name: ${name} is used twice`);
    names.add(name);
    const accessKeys = (a.accessKeys ?? []).map((k, j) => {
      if (keyIds.has(k.id)) throw new ConfigError(`${source}: /accounts/${i}/accessKeys/${j}: AccessKey ID ${k.id} is used twice`);
      keyIds.add(k.id);
      return { id: k.id, secret: k.secret };
    });
    return { name, uid, accessKeys };
  });
}

export interface ConfigInput {
  auth?: AuthMode;
  accounts?: Array<Omit<Account, 'accessKeys'> & { accessKeys?: AccessKey[] }>;
  delays?: Partial<Delays>;
  quotas?: Partial<Quotas>;
  faults?: FaultRule[];
  world?: World | string;
}

/** Builds a full config from a (partial) document; `baseDir` resolves a `"world": "file.json"` path. */
export function resolveConfig(input: unknown, source = 'config', baseDir = process.cwd()): EmulatorConfig {
  const doc = input ?? {};
  const checkConfig = checkers().config;
  if (!checkConfig(doc)) throw new ConfigError(describe(source, checkConfig.errors));
  const d = doc as ConfigInput;
  let world: World;
  if (typeof d.world === 'string') world = loadWorldFile(path.resolve(baseDir, d.world));
  else if (d.world !== undefined) world = normaliseWorld(d.world, `${source} world`);
  else world = loadWorldFile(defaultWorldPath());
  return {
    auth: d.auth ?? 'off',
    accounts: d.accounts === undefined ? DEFAULT_ACCOUNTS : normaliseAccounts(d.accounts, source),
    delays: { ...DEFAULT_DELAYS, ...d.delays },
    quotas: { ...DEFAULT_QUOTAS, ...d.quotas },
    faults: d.faults ?? [],
    world,
  };
}

export function loadConfigFile(file: string): EmulatorConfig {
  return resolveConfig(readJson(file, 'emulator config'), file, path.dirname(file));
}
