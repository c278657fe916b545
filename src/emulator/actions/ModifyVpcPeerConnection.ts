/**
 * ModifyVpcPeerConnection: name, description, and (inter-region only) bandwidth and link type;
 * the connection updates and activates again.
 */
import { isInterRegion } from '../model/connection.ts';
import { fail, isFailure, lifecycleTarget, ok, runTransition, type Handler } from './handler.ts';

export const ModifyVpcPeerConnection: Handler<'ModifyVpcPeerConnection'> = (p, ctx) => {
  const c = lifecycleTarget('ModifyVpcPeerConnection', p.InstanceId, ctx);
  if (isFailure(c)) return c;
  const inter = isInterRegion(c);
  const max = ctx.config.quotas.maxBandwidth;
  if (p.Bandwidth !== undefined && !inter) return fail('OperationFailed.BandwidthCannotBeChangedInSameRegion');
  if (p.LinkType !== undefined && !inter) return fail('OperationFailed.InterRegionLinkTypeNotSupported');
  if (p.Bandwidth !== undefined && p.Bandwidth > max) return fail('QuotaExceeded.Bandwidth', [], `At most ${max} Mbit/s.`);
  if (ctx.dryRun) return fail('DryRunOperation');
  ctx.store.edit(c);
  if (p.Name !== undefined) c.name = p.Name;
  if (p.Description !== undefined) c.description = p.Description;
  if (p.Bandwidth !== undefined) c.bandwidth = p.Bandwidth;
  if (p.LinkType !== undefined) c.linkType = p.LinkType;
  runTransition('ModifyVpcPeerConnection', c, ctx, ctx.config.delays.modifyMs);
  return ok({});
};
