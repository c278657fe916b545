/**
 * AcceptVpcPeerConnection: the accepter takes a waiting cross-account request, optionally into
 * one of its resource groups and with its own tags; the connection then activates.
 */
import { sideOf } from '../model/connection.ts';
import { fail, isFailure, lifecycleTarget, mergeTags, ok, repeatedKey, runTransition, type Handler } from './handler.ts';

export const AcceptVpcPeerConnection: Handler<'AcceptVpcPeerConnection'> = (p, ctx) => {
  const c = lifecycleTarget('AcceptVpcPeerConnection', p.InstanceId, ctx);
  if (isFailure(c)) return c;
  if (p.ResourceGroupId !== undefined && !ctx.world.hasGroup(ctx.account.uid, p.ResourceGroupId)) return fail('OperationFailed.NotExist.ResourceGroup');
  const tagError = repeatedKey(p.Tag ?? []);
  if (tagError) return fail('InvalidParameter', ['Tag'], tagError);
  if (ctx.dryRun) return fail('DryRunOperation');
  ctx.store.edit(c);
  const side = sideOf(c, ctx.account.uid);
  if (p.ResourceGroupId !== undefined) side.resourceGroupId = p.ResourceGroupId;
  if (p.Tag) side.tags = mergeTags(side.tags, p.Tag);
  runTransition('AcceptVpcPeerConnection', c, ctx, ctx.config.delays.acceptMs);
  return ok({});
};
