/**
 * ListVpcPeerConnections: the caller's connections in creation order, filtered (region, ID, name,
 * VPCs, tags, resource group) and paged by a token over the creation sequence, so creates racing
 * with the paging never shift a page. With two VPC IDs a connection must join both (in either
 * order); with one, it must touch it at either end.
 */
import { regionOf, sideOf, type Connection } from '../model/connection.ts';
import { upperBound } from '../model/store.ts';
import { decodePageToken, encodePageToken, fail, matchesTags, ok, visible, type Handler } from './handler.ts';

export const ListVpcPeerConnections: Handler<'ListVpcPeerConnections'> = (p, ctx) => {
  const uid = ctx.account.uid;
  const { store, views } = ctx;
  let after = 0;
  if (p.NextToken !== undefined) {
    const n = decodePageToken('pcc', p.NextToken);
    if (n === undefined) return fail('InvalidParameter', ['NextToken'], 'It is not a token from a previous answer.');
    after = n;
  }
  const max = p.MaxResults ?? 20;
  const vpcs = p.VpcId && p.VpcId.length ? p.VpcId : undefined;
  const source =
    p.InstanceId !== undefined
      ? [visible(store, p.InstanceId, uid)].filter((c): c is Connection => !!c)
      : p.RegionId !== undefined
        ? (store.byViewRegion.get(`${uid}|${p.RegionId}`) ?? [])
        : (store.byParty.get(uid) ?? []);
  if (p.InstanceId === undefined && p.Name === undefined && !vpcs && !p.Tags && p.ResourceGroupId === undefined && p.RegionId !== undefined) {
    // Only region and paging: the index is the answer (creation order, so binary search the token).
    const lo = upperBound(source, after);
    const slice = source.slice(lo, lo + max);
    const next = lo + max < source.length ? encodePageToken('pcc', slice[slice.length - 1]!.seq) : undefined;
    const items = slice.map((c) => views.json(c, uid)).join(',');
    return { ok: true, json: `{"TotalCount":${source.length},"MaxResults":${max},${next ? `"NextToken":"${next}",` : ''}"VpcPeerConnects":[${items}]}` };
  }
  const joins = (c: Connection, vpcId: string) => c.vpc.VpcId === vpcId || c.acceptingVpc.VpcId === vpcId;
  const matches = (c: Connection): boolean => {
    if (p.RegionId !== undefined && regionOf(c, uid) !== p.RegionId) return false;
    if (p.InstanceId !== undefined && c.id !== p.InstanceId) return false;
    if (p.Name !== undefined && c.name !== p.Name) return false;
    if (vpcs) {
      if (vpcs.length === 1 ? !joins(c, vpcs[0]!) : !vpcs.every((v) => joins(c, v))) return false;
    }
    if (p.ResourceGroupId !== undefined || p.Tags) {
      const side = sideOf(c, uid);
      if (p.ResourceGroupId !== undefined && side.resourceGroupId !== p.ResourceGroupId) return false;
      if (p.Tags && !matchesTags(side.tags, p.Tags)) return false;
    }
    return true;
  };
  const page: ReturnType<typeof views.view>[] = [];
  let total = 0;
  let last = 0;
  let more = false;
  for (const c of source) {
    if (!matches(c)) continue;
    total += 1;
    if (c.seq <= after) continue;
    if (page.length < max) {
      page.push(views.view(c, uid));
      last = c.seq;
    } else {
      more = true;
    }
  }
  return ok({ TotalCount: total, MaxResults: max, ...(more && { NextToken: encodePageToken('pcc', last) }), VpcPeerConnects: page });
};
