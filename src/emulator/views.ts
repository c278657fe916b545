/**
 * How a connection looks to one of its parties in GetVpcPeerConnectionAttribute and
 * ListVpcPeerConnections: the shared fields plus that party's own resource group and tags.
 * Views and their JSON text are cached per connection and viewer until the connection changes.
 */
import type { Result } from '../contract/types.ts';
import { utc } from './model/clock.ts';
import { sideOf, type Connection } from './model/connection.ts';

/** A connection as an answer carries it (int64 account IDs as exact decimal text). */
export type ConnectionView = Omit<Result<'GetVpcPeerConnectionAttribute'>, 'RequestId'>;

interface Cached {
  rev: number;
  view: ConnectionView;
  json?: string;
}

export class Views {
  readonly #cache = new WeakMap<Connection, Map<string, Cached>>();
  readonly #toJson: (value: unknown) => string;

  /** `toJson` writes answer text with int64 fields exact. */
  constructor(toJson: (value: unknown) => string) {
    this.#toJson = toJson;
  }

  #cached(c: Connection, uid: string): Cached {
    let perViewer = this.#cache.get(c);
    if (!perViewer) this.#cache.set(c, (perViewer = new Map()));
    const cached = perViewer.get(uid);
    const rev = c.rev ?? 0;
    if (cached && cached.rev === rev) return cached;
    const entry: Cached = { rev, view: render(c, uid) };
    perViewer.set(uid, entry);
    return entry;
  }

  view(c: Connection, uid: string): ConnectionView {
    return this.#cached(c, uid).view;
  }

  /** The view as JSON text, cached like the view. */
  json(c: Connection, uid: string): string {
    const entry = this.#cached(c, uid);
    return (entry.json ??= this.#toJson(entry.view));
  }
}

export function render(c: Connection, uid: string): ConnectionView {
  const side = sideOf(c, uid);
  return {
    InstanceId: c.id,
    GmtCreate: utc(c.gmtCreate),
    GmtModified: utc(c.gmtModified),
    GmtExpired: c.gmtExpired === null ? null : utc(c.gmtExpired),
    Name: c.name,
    Description: c.description,
    OwnerId: c.ownerUid,
    AcceptingOwnerUid: c.acceptingUid,
    RegionId: c.regionId,
    AcceptingRegionId: c.acceptingRegionId,
    Bandwidth: c.bandwidth,
    LinkType: c.linkType,
    Status: c.status,
    BizStatus: 'Normal',
    ResourceGroupId: side.resourceGroupId,
    Vpc: { VpcId: c.vpc.VpcId, Ipv4Cidrs: c.vpc.Ipv4Cidrs, Ipv6Cidrs: c.vpc.Ipv6Cidrs },
    AcceptingVpc: { VpcId: c.acceptingVpc.VpcId, Ipv4Cidrs: c.acceptingVpc.Ipv4Cidrs, Ipv6Cidrs: c.acceptingVpc.Ipv6Cidrs },
    Tags: side.tags.map((t) => ({ Key: t.Key, Value: t.Value })),
  };
}
