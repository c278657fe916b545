/** UnTagResources: removes the named tag keys (or all tags) from the caller's side of connections. */
import { sideOf } from '../model/connection.ts';
import { ok, taggable, type Handler } from './handler.ts';

export const UnTagResources: Handler<'UnTagResources'> = (p, ctx) => {
  const targets = taggable(p.ResourceId, p.RegionId, ctx);
  if (!Array.isArray(targets)) return targets;
  const keys = new Set(p.TagKey ?? []);
  for (const c of targets) {
    const side = sideOf(ctx.store.edit(c), ctx.account.uid);
    side.tags = p.All ? [] : side.tags.filter((t) => !keys.has(t.Key));
  }
  return ok({ Success: true });
};
