/** TagResources: sets tags on the caller's own side of up to 50 connections, all or none. */
import { sideOf } from '../model/connection.ts';
import { fail, mergeTags, ok, repeatedKey, taggable, type Handler } from './handler.ts';

export const TagResources: Handler<'TagResources'> = (p, ctx) => {
  const targets = taggable(p.ResourceId, p.RegionId, ctx);
  if (!Array.isArray(targets)) return targets;
  if (repeatedKey(p.Tag)) return fail('Forbidden.TagKey.Duplicated', [], 'Each tag key may appear once per request.');
  const max = ctx.config.quotas.maxTagsPerResource;
  for (const c of targets) {
    if (mergeTags(sideOf(c, ctx.account.uid).tags, p.Tag).length > max) return fail('NumberExceed.Tags', [], `${c.id} would have more than ${max} tags.`);
  }
  for (const c of targets) {
    const side = sideOf(ctx.store.edit(c), ctx.account.uid);
    side.tags = mergeTags(side.tags, p.Tag);
  }
  return ok({ Success: true });
};
