/** RejectVpcPeerConnection: the accepter declines a waiting cross-account request. */
import { fail, isFailure, lifecycleTarget, ok, runTransition, type Handler } from './handler.ts';

export const RejectVpcPeerConnection: Handler<'RejectVpcPeerConnection'> = (p, ctx) => {
  const c = lifecycleTarget('RejectVpcPeerConnection', p.InstanceId, ctx);
  if (isFailure(c)) return c;
  if (ctx.dryRun) return fail('DryRunOperation');
  runTransition('RejectVpcPeerConnection', c, ctx, 0);
  return ok({});
};
