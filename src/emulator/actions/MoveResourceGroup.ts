/** MoveResourceGroup: moves the caller's side of a live connection into another of its resource groups. */
import { regionOf, sideOf } from '../model/connection.ts';
import { fail, ok, visible, type Handler } from './handler.ts';

export const MoveResourceGroup: Handler<'MoveResourceGroup'> = (p, ctx) => {
  const c = visible(ctx.store, p.ResourceId, ctx.account.uid);
  if (!c || !ctx.store.isLive(c) || regionOf(c, ctx.account.uid) !== p.RegionId) return fail('ResourceNotFound.VpcPeer');
  if (!ctx.world.hasGroup(ctx.account.uid, p.NewResourceGroupId)) return fail('OperationFailed.NotExist.ResourceGroup');
  sideOf(ctx.store.edit(c), ctx.account.uid).resourceGroupId = p.NewResourceGroupId;
  return ok({ Success: true });
};
