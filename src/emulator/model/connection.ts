/**
 * One peering connection as the emulator stores it: both parties, both VPCs, the settings, the
 * status with its timestamps, and each party's own side (resource group and tags).
 */
import type { Result, Status } from '../../contract/types.ts';

export type { Status };
/** The link class as answers carry it (`''` for intra-region connections). */
export type LinkType = NonNullable<Result<'GetVpcPeerConnectionAttribute'>['LinkType']>;

export interface Tag {
  Key: string;
  Value: string;
}

export interface SeedVpc {
  VpcId: string;
  Ipv4Cidrs: string[];
  Ipv6Cidrs: string[];
}

/** What one account sees of a connection: its resource group and its tags. */
export interface Side {
  resourceGroupId: string;
  tags: Tag[];
}

export interface Connection {
  /** Creation order, for stable paging. */
  seq: number;
  id: string;
  ownerUid: string;
  acceptingUid: string;
  regionId: string;
  acceptingRegionId: string;
  vpc: SeedVpc;
  acceptingVpc: SeedVpc;
  name: string;
  description: string;
  bandwidth: number;
  linkType: LinkType;
  status: Status;
  gmtCreate: number;
  gmtModified: number;
  /** Set while `Accepting` or `Expired`. */
  gmtExpired: number | null;
  owner: Side;
  /** The accepter's view; absent for a same-account connection. */
  accepter?: Side;
  /** Bumped on every change, so cached views know they are stale (never persisted). */
  rev?: number;
  /** The next scheduled transition: at this emulator time, the status becomes `to` (`Gone` = removed). */
  next?: { at: number; to: Status | 'Gone' };
}

/** What a new connection is made of; its ID, timestamps and sides follow from it. */
export interface ConnectionDraft extends Pick<Connection, 'seq' | 'ownerUid' | 'acceptingUid' | 'regionId' | 'acceptingRegionId' | 'vpc' | 'acceptingVpc' | 'status'> {
  name?: string | undefined;
  description?: string | undefined;
  /** Inter-region only; 1,024 Mbit/s (the default quota) when not given. */
  bandwidth?: number | undefined;
  /** Inter-region only; `defaultLinkType` when not given. */
  linkType?: LinkType | undefined;
  defaultLinkType: LinkType;
  /** Creation time (emulator ms). */
  at: number;
  ownerGroup: string;
  /** The accepter's resource group; ignored for a same-account connection. */
  accepterGroup: string;
  ownerTags?: ReadonlyArray<{ Key: string; Value?: string | undefined }> | undefined;
}

/** A new connection from its draft, with a fresh ID that `exists` does not know. */
export function newConnection(d: ConnectionDraft, exists: (id: string) => boolean): Connection {
  const inter = d.regionId !== d.acceptingRegionId;
  return {
    seq: d.seq,
    id: newInstanceId(exists),
    ownerUid: d.ownerUid,
    acceptingUid: d.acceptingUid,
    regionId: d.regionId,
    acceptingRegionId: d.acceptingRegionId,
    vpc: d.vpc,
    acceptingVpc: d.acceptingVpc,
    name: d.name ?? '',
    description: d.description ?? '',
    bandwidth: inter ? (d.bandwidth ?? 1024) : -1,
    linkType: inter ? (d.linkType ?? d.defaultLinkType) : '',
    status: d.status,
    gmtCreate: d.at,
    gmtModified: d.at,
    gmtExpired: null,
    owner: { resourceGroupId: d.ownerGroup, tags: (d.ownerTags ?? []).map((t) => ({ Key: t.Key, Value: t.Value ?? '' })) },
    ...(d.ownerUid !== d.acceptingUid && { accepter: { resourceGroupId: d.accepterGroup, tags: [] } }),
  };
}

export function isInterRegion(c: Connection): boolean {
  return c.regionId !== c.acceptingRegionId;
}

export function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** The side `uid` sees (the owner's for a same-account connection). */
export function sideOf(c: Connection, uid: string): Side {
  return c.ownerUid === uid || !c.accepter ? c.owner : c.accepter;
}

/** The region `uid` sees the connection in (its own end's region). */
export function regionOf(c: Connection, uid: string): string {
  return c.ownerUid === uid ? c.regionId : c.acceptingRegionId;
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `pcc-` and 20 random characters, the service's ID shape, not yet used. */
export function newInstanceId(exists: (id: string) => boolean): string {
  for (;;) {
    let id = 'pcc-';
    for (let i = 0; i < 20; i += 1) id += ID_ALPHABET[randomByte() % ID_ALPHABET.length];
    if (!exists(id)) return id;
  }
}

/** Random bytes drawn from a pool refilled 4 KiB at a time (one getRandomValues call per 200 IDs). */
const POOL = new Uint8Array(4096);
let poolAt = POOL.length;
function randomByte(): number {
  if (poolAt === POOL.length) {
    globalThis.crypto.getRandomValues(POOL);
    poolAt = 0;
  }
  return POOL[poolAt++]!;
}
