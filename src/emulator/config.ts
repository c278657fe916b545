/**
 * The emulator's configuration: accounts (AccessKey → account UID), the authentication mode,
 * lifecycle delays, quotas, fault rules and the seeded world. Everything has a built-in default
 * (two test accounts, `fixtures/world.json`), and a JSON file can replace any part of it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FaultRule } from './faults.ts';

export type AuthMode = 'off' | 'presence' | 'verify';

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

export interface SeedVpc {
  VpcId: string;
  Ipv4Cidrs: string[];
  Ipv6Cidrs: string[];
}

export interface WorldAccount {
  /** Resource group IDs; the first is the account's default group. */
  resourceGroups: string[];
  /** Region ID → VPCs of the account there. */
  vpcs: Record<string, SeedVpc[]>;
}

export interface World {
  /** Account UID → what the account owns. */
  accounts: Record<string, WorldAccount>;
}

/** Lifecycle timing, in milliseconds of emulator time. */
export interface Delays {
  /** `Creating` → `Activated` (same account) or `Accepting` (cross-account). */
  createMs: number;
  /** Accept: `Updating` → `Activated`. */
  acceptMs: number;
  /** Modify: `Updating` → `Activated`. */
  modifyMs: number;
  /** Delete: `Deleting` → `Deleted`. */
  deleteMs: number;
  /** How long a `Deleted` connection stays visible before it is gone (`ResourceNotFound.InstanceId`). */
  deletedVisibleMs: number;
  /** An unanswered cross-account request: `Accepting` → `Expired` this long after creation (7 days). */
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

/** `fixtures/world.json` of this package, found upward from this file. */
export function defaultWorldPath(): string {
  for (let dir = import.meta.dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'fixtures', 'world.json');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return path.join(process.cwd(), 'fixtures', 'world.json');
  }
}

export class ConfigError extends Error {}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const UID = /^[1-9]\d{0,19}$/;

/** Checks a world document, with the JSON path of the first problem in the error. */
export function parseWorld(value: unknown, source = 'world'): World {
  if (!isRecord(value) || !isRecord(value.accounts)) throw new ConfigError(`${source}: must be an object with "accounts": { "<uid>": {...} }`);
  const accounts: Record<string, WorldAccount> = {};
  const seen = new Set<string>();
  for (const [uid, raw] of Object.entries(value.accounts)) {
    const at = `${source}: accounts["${uid}"]`;
    if (!UID.test(uid)) throw new ConfigError(`${at}: the key must be an account UID (digits)`);
    if (!isRecord(raw)) throw new ConfigError(`${at}: must be an object`);
    const groups = raw.resourceGroups ?? [];
    if (!Array.isArray(groups) || !groups.every((g) => typeof g === 'string' && g.length > 0)) {
      throw new ConfigError(`${at}.resourceGroups: must be a list of resource group IDs`);
    }
    const vpcs: Record<string, SeedVpc[]> = {};
    if (!isRecord(raw.vpcs ?? {})) throw new ConfigError(`${at}.vpcs: must map region IDs to lists of VPCs`);
    for (const [region, list] of Object.entries((raw.vpcs ?? {}) as Record<string, unknown>)) {
      if (!Array.isArray(list)) throw new ConfigError(`${at}.vpcs["${region}"]: must be a list`);
      vpcs[region] = list.map((v, i) => {
        const where = `${at}.vpcs["${region}"][${i}]`;
        if (!isRecord(v) || typeof v.VpcId !== 'string' || !v.VpcId) throw new ConfigError(`${where}: needs a VpcId`);
        if (seen.has(v.VpcId)) throw new ConfigError(`${where}: VpcId ${v.VpcId} appears twice in the world`);
        seen.add(v.VpcId);
        const cidrs = (name: 'Ipv4Cidrs' | 'Ipv6Cidrs') => {
          const c = v[name] ?? [];
          if (!Array.isArray(c) || !c.every((x) => typeof x === 'string')) throw new ConfigError(`${where}.${name}: must be a list of CIDR strings`);
          return c as string[];
        };
        return { VpcId: v.VpcId, Ipv4Cidrs: cidrs('Ipv4Cidrs'), Ipv6Cidrs: cidrs('Ipv6Cidrs') };
      });
    }
    accounts[uid] = { resourceGroups: groups as string[], vpcs };
  }
  return { accounts };
}

export function loadWorldFile(file: string): World {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read the world fixture ${file}: ${(error as Error).message}`);
  }
  return parseWorld(raw, file);
}

function numbers<T extends object>(base: T, value: unknown, at: string): T {
  if (value === undefined) return { ...base };
  if (!isRecord(value)) throw new ConfigError(`${at}: must be an object`);
  const out = { ...base } as Record<string, number>;
  for (const [key, v] of Object.entries(value)) {
    if (!(key in base)) throw new ConfigError(`${at}.${key}: unknown setting (known: ${Object.keys(base).join(', ')})`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ConfigError(`${at}.${key}: must be a number >= 0`);
    out[key] = v;
  }
  return out as T;
}

/** Accounts from a config document: names and key IDs must be unique, UIDs digits. */
export function parseAccounts(value: unknown, at = 'accounts'): Account[] {
  if (!Array.isArray(value) || value.length === 0) throw new ConfigError(`${at}: must be a non-empty list`);
  const keyIds = new Set<string>();
  const names = new Set<string>();
  return value.map((a, i) => {
    const where = `${at}[${i}]`;
    if (!isRecord(a)) throw new ConfigError(`${where}: must be an object`);
    const uid = typeof a.uid === 'number' ? String(a.uid) : a.uid;
    if (typeof uid !== 'string' || !UID.test(uid)) throw new ConfigError(`${where}.uid: must be the account UID as a string of digits`);
    if (typeof a.uid === 'number' && !Number.isSafeInteger(a.uid)) throw new ConfigError(`${where}.uid: write UIDs above 2^53 as strings`);
    const name = typeof a.name === 'string' && a.name ? a.name : uid;
    if (names.has(name)) throw new ConfigError(`${where}.name: ${name} is used twice`);
    names.add(name);
    const keys = a.accessKeys ?? [];
    if (!Array.isArray(keys)) throw new ConfigError(`${where}.accessKeys: must be a list`);
    const accessKeys = keys.map((k, j) => {
      if (!isRecord(k) || typeof k.id !== 'string' || !k.id || typeof k.secret !== 'string' || !k.secret) {
        throw new ConfigError(`${where}.accessKeys[${j}]: needs "id" and "secret"`);
      }
      if (keyIds.has(k.id)) throw new ConfigError(`${where}.accessKeys[${j}]: AccessKey ID ${k.id} is used twice`);
      keyIds.add(k.id);
      return { id: k.id, secret: k.secret };
    });
    return { name, uid, accessKeys };
  });
}

export interface ConfigInput {
  auth?: AuthMode;
  accounts?: Account[];
  delays?: Partial<Delays>;
  quotas?: Partial<Quotas>;
  faults?: FaultRule[];
  world?: World;
}

/** Builds a full config from a (partial) document; `baseDir` resolves a `"world": "file.json"` path. */
export function resolveConfig(input: unknown, source = 'config', baseDir = process.cwd()): EmulatorConfig {
  const doc = input ?? {};
  if (!isRecord(doc)) throw new ConfigError(`${source}: must be a JSON object`);
  const known = new Set(['$comment', 'auth', 'accounts', 'delays', 'quotas', 'faults', 'world']);
  for (const key of Object.keys(doc)) if (!known.has(key)) throw new ConfigError(`${source}: unknown setting "${key}" (known: ${[...known].slice(1).join(', ')})`);
  const auth = doc.auth ?? 'off';
  if (auth !== 'off' && auth !== 'presence' && auth !== 'verify') throw new ConfigError(`${source}.auth: must be off, presence or verify`);
  const faults = doc.faults ?? [];
  if (!Array.isArray(faults)) throw new ConfigError(`${source}.faults: must be a list`);
  let world: World;
  if (typeof doc.world === 'string') world = loadWorldFile(path.resolve(baseDir, doc.world));
  else if (doc.world !== undefined) world = parseWorld(doc.world, `${source}.world`);
  else world = loadWorldFile(defaultWorldPath());
  return {
    auth,
    accounts: doc.accounts === undefined ? DEFAULT_ACCOUNTS : parseAccounts(doc.accounts, `${source}.accounts`),
    delays: numbers(DEFAULT_DELAYS, doc.delays, `${source}.delays`),
    quotas: numbers(DEFAULT_QUOTAS, doc.quotas, `${source}.quotas`),
    faults: faults as FaultRule[],
    world,
  };
}

export function loadConfigFile(file: string): EmulatorConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read the emulator config ${file}: ${(error as Error).message}`);
  }
  return resolveConfig(raw, file, path.dirname(file));
}
