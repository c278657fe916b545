/** DeleteVpcPeerConnection: either party deletes; the connection passes through its deleting state. */
import { fail, isFailure, lifecycleTarget, ok, runTransition, type Handler } from './handler.ts';

export const DeleteVpcPeerConnection: Handler<'DeleteVpcPeerConnection'> = (p, ctx) => {
  const c = lifecycleTarget('DeleteVpcPeerConnection', p.InstanceId, ctx);
  if (isFailure(c)) return c;
  if (ctx.dryRun) return fail('DryRunOperation');
  runTransition('DeleteVpcPeerConnection', c, ctx, ctx.config.delays.deleteMs);
  return ok({});
};
