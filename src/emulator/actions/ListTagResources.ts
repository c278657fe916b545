/**
 * ListTagResources: one row per tag of the caller's live connections in a region, by resource IDs
 * and/or tag filters (a filter key alone lists every value of it), paged by offset.
 */
import { regionOf, sideOf, type Connection } from '../model/connection.ts';
import { decodePageToken, encodePageToken, fail, matchesTags, ok, taggable, type AnswerBody, type Handler } from './handler.ts';

export const ListTagResources: Handler<'ListTagResources'> = (p, ctx) => {
  const uid = ctx.account.uid;
  let candidates: Connection[];
  if (p.ResourceId) {
    const found = taggable(p.ResourceId, p.RegionId, ctx);
    if (!Array.isArray(found)) return found;
    candidates = found;
  } else {
    candidates = (ctx.store.byParty.get(uid) ?? []).filter((c) => ctx.store.isLive(c) && regionOf(c, uid) === p.RegionId);
  }
  let offset = 0;
  if (p.NextToken !== undefined) {
    const n = decodePageToken('tag', p.NextToken);
    if (n === undefined) return fail('InvalidParameter', ['NextToken'], 'It is not a token from a previous answer.');
    offset = n;
  }
  const rows: AnswerBody<'ListTagResources'>['TagResources'] = [];
  if (p.Category !== 'System') {
    for (const c of candidates) {
      const tags = sideOf(c, uid).tags;
      if (p.Tag && !matchesTags(tags, p.Tag)) continue;
      for (const t of tags) {
        if (p.Tag && !p.ResourceId && !p.Tag.some((f) => f.Key === t.Key)) continue;
        rows.push({ ResourceId: c.id, ResourceType: p.ResourceType, RegionNo: regionOf(c, uid), TagKey: t.Key, TagValue: t.Value });
      }
    }
  }
  const max = p.MaxResults ?? 50;
  const page = rows.slice(offset, offset + max);
  const next = offset + max < rows.length ? encodePageToken('tag', offset + max) : undefined;
  return ok({ ...(next && { NextToken: next }), MaxResults: max, TagResources: page });
};
