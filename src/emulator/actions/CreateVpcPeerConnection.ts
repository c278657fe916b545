/**
 * CreateVpcPeerConnection: checks both VPCs, the pair, the inter-region-only settings and every
 * quota, then stores a connection that starts in the lifecycle's creation state.
 */
import { newConnection, pairKey, type Connection } from '../model/connection.ts';
import { fail, ok, repeatedKey, type Handler } from './handler.ts';

export const CreateVpcPeerConnection: Handler<'CreateVpcPeerConnection'> = (p, ctx) => {
  const { account, store, world, config } = ctx;
  const acceptingUid = ctx.exact.get('AcceptingAliUid') ?? String(p.AcceptingAliUid);
  for (const region of [p.RegionId, p.AcceptingRegionId]) {
    if (!world.servesRegion(region)) return fail('UnsupportedRegion', ['VpcPeer', region]);
  }
  const own = world.vpc(p.VpcId);
  if (!own || own.uid !== account.uid || own.region !== p.RegionId) {
    return fail('InvalidVpcId.NotFound', [], `Parameter: VpcId. No VPC ${p.VpcId} of your account in ${p.RegionId}.`);
  }
  const peer = world.vpc(p.AcceptingVpcId);
  if (!peer || peer.uid !== acceptingUid || peer.region !== p.AcceptingRegionId) {
    return fail('InvalidVpcId.NotFound', [], `Parameter: AcceptingVpcId. No VPC ${p.AcceptingVpcId} of account ${acceptingUid} in ${p.AcceptingRegionId}.`);
  }
  if (p.VpcId === p.AcceptingVpcId) return fail('InvalidParameter', ['AcceptingVpcId'], 'A VPC cannot be peered with itself.');
  const inter = p.RegionId !== p.AcceptingRegionId;
  const q = config.quotas;
  if (!inter && p.Bandwidth !== undefined) {
    return fail('InvalidParameter', ['Bandwidth'], 'Only inter-region connections take a bandwidth; intra-region ones are unlimited.');
  }
  if (!inter && p.LinkType !== undefined) return fail('OperationFailed.InterRegionLinkTypeNotSupported');
  if (inter && p.Bandwidth !== undefined && p.Bandwidth > q.maxBandwidth) {
    return fail('InvalidParameter', ['Bandwidth'], `It exceeds the account's inter-region bandwidth quota of ${q.maxBandwidth} Mbit/s.`);
  }
  if (p.ResourceGroupId !== undefined && !world.hasGroup(account.uid, p.ResourceGroupId)) return fail('OperationFailed.NotExist.ResourceGroup');
  const tagError = repeatedKey(p.Tag ?? []);
  if (tagError) return fail('InvalidParameter', ['Tag'], tagError);
  const existing = store.byPair.get(pairKey(p.VpcId, p.AcceptingVpcId));
  if (existing) return fail('ResourceAlreadyExist.VpcPeer', ['VpcPeer'], `Connection ${existing.id} already joins ${p.VpcId} and ${p.AcceptingVpcId}.`);
  if (store.size >= q.maxConnections) {
    return fail('QuotaExceeded.VpcPeerCountPerUserPerRegion', ['VpcPeerCountPerUserPerRegion', String(store.size), String(q.maxConnections)], 'The emulator store is full (quotas.maxConnections).');
  }
  const live = store.liveOwned(account.uid, p.RegionId);
  if (live >= q.perAccountPerRegion) {
    return fail('QuotaExceeded.VpcPeerCountPerUserPerRegion', ['VpcPeerCountPerUserPerRegion', String(live), String(q.perAccountPerRegion)]);
  }
  for (const vpcId of [p.VpcId, p.AcceptingVpcId]) {
    const used = store.liveOnVpc(vpcId, inter);
    if (inter && used >= q.crossRegionPerVpc) {
      return fail('QuotaExceeded.CrossRegionVpcPeerCountPerVpc', [`CrossRegionVpcPeerCountPerVpc of ${vpcId}`, String(used), String(q.crossRegionPerVpc)]);
    }
    if (!inter && used >= q.intraRegionPerVpc) {
      return fail('QuotaExceeded.IntraRegionVpcPeerCountPerVpc', [`IntraRegionVpcPeerCountPerVpc of ${vpcId}`, String(used), String(q.intraRegionPerVpc)]);
    }
  }
  if (ctx.dryRun) return fail('DryRunOperation');

  const sameAccount = acceptingUid === account.uid;
  // Same account: the creation transition whose target needs no acceptance; else the one that waits for it.
  const waits = (to: Connection['status']) => ctx.lifecycle.callerOf('AcceptVpcPeerConnection')?.allowedStatuses.includes(to) ?? false;
  const t = ctx.lifecycle.transitionFor('CreateVpcPeerConnection', null, (to) => waits(to) !== sameAccount);
  if (!t) throw new Error('the lifecycle has no creation transition');
  const c = newConnection(
    {
      seq: ++store.seq,
      ownerUid: account.uid,
      acceptingUid,
      regionId: p.RegionId,
      acceptingRegionId: p.AcceptingRegionId,
      vpc: own.vpc,
      acceptingVpc: peer.vpc,
      name: p.Name,
      description: p.Description,
      bandwidth: p.Bandwidth,
      linkType: p.LinkType,
      defaultLinkType: ctx.defaultLinkType,
      status: t.via[0] ?? t.to,
      at: ctx.now,
      ownerGroup: p.ResourceGroupId ?? world.defaultGroup(account.uid),
      accepterGroup: world.defaultGroup(acceptingUid),
      ownerTags: p.Tag,
    },
    (id) => store.byId.has(id),
  );
  store.insert(c);
  store.enter(c, c.status, ctx.now, t.via[0] ? { to: t.to, afterMs: config.delays.createMs } : undefined);
  return ok({ InstanceId: c.id });
};
