/** GetVpcPeerConnectionAttribute: one connection as the calling party sees it. */
import { fail, visible, type Handler } from './handler.ts';

export const GetVpcPeerConnectionAttribute: Handler<'GetVpcPeerConnectionAttribute'> = (p, ctx) => {
  const c = visible(ctx.store, p.InstanceId, ctx.account.uid);
  if (!c) return fail('ResourceNotFound.InstanceId', [p.InstanceId]);
  return { ok: true, json: ctx.views.json(c, ctx.account.uid) };
};
