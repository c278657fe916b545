/**
 * Checks across answers, pure functions of the recorded exchanges (so `--replay` runs them too):
 * Get answers the InstanceId it was asked for; List honours every filter it was sent; paging
 * walks end, never repeat a token or an item, never exceed MaxResults or TotalCount; RequestIds
 * are unique across the run.
 */
import { operation } from './facts.ts';
import { bodyOf, isSuccess, type Exchange } from './exchange.ts';
import { finding, type Finding } from './findings.ts';
import { show } from './check.ts';

type Item = Record<string, unknown>;

/**
 * What each List filter means, by parameter name: how an item matches the value sent. The
 * parameters themselves are the contract's (checked at load: a renamed filter fails loudly).
 */
const CONNECTION_FILTERS: Record<string, (item: Item, value: unknown) => boolean> = {
  InstanceId: (item, value) => item.InstanceId === value,
  Name: (item, value) => item.Name === value,
  // The contract: one or two VPC IDs; a connection matches with one of them at either end.
  VpcId: (item, value) => (Array.isArray(value) ? value : [value]).some((v) => (item.Vpc as Item | undefined)?.VpcId === v || (item.AcceptingVpc as Item | undefined)?.VpcId === v),
  Tags: (item, value) => (value as Array<{ Key: string; Value?: string }>).every((t) => ((item.Tags as Array<{ Key: string; Value: string }> | undefined) ?? []).some((x) => x.Key === t.Key && (t.Value === undefined || x.Value === t.Value))),
  ResourceGroupId: (item, value) => item.ResourceGroupId === value,
};
export const LIST_ACTION = 'ListVpcPeerConnections';
export const GET_ACTION = 'GetVpcPeerConnectionAttribute';
export const TAGS_ACTION = 'ListTagResources';
for (const name of Object.keys(CONNECTION_FILTERS)) {
  if (!operation(LIST_ACTION).byName.has(name)) throw new Error(`the contract's ${LIST_ACTION} has no filter ${name}`);
}
for (const name of ['ResourceId', 'Tag']) if (!operation(TAGS_ACTION).byName.has(name)) throw new Error(`the contract's ${TAGS_ACTION} has no filter ${name}`);
if (!operation(GET_ACTION).byName.has('InstanceId')) throw new Error(`the contract's ${GET_ACTION} has no InstanceId`);
export const CONNECTION_FILTER_NAMES = Object.keys(CONNECTION_FILTERS);

/** The list of a List answer: its one array-of-objects field. */
export function itemsOf(body: unknown): { field: string; items: Item[] } | undefined {
  if (!body || typeof body !== 'object') return undefined;
  for (const [field, value] of Object.entries(body)) {
    if (Array.isArray(value) && value.every((v) => v && typeof v === 'object' && !Array.isArray(v))) return { field, items: value as Item[] };
  }
  return undefined;
}

export const itemKey = (item: Item): string => (typeof item.InstanceId === 'string' ? item.InstanceId : typeof item.ResourceId === 'string' ? `${item.ResourceId}/${String(item.TagKey)}` : JSON.stringify(item));

function checkGet(e: Exchange): Finding[] {
  const body = bodyOf(e) as Item | undefined;
  if (!body || body.InstanceId === e.params.InstanceId) return [];
  return [finding('failure', 'identity', `${e.action} HTTP ${e.status}: $.InstanceId [identity] asked for ${show(e.params.InstanceId)}, answered another connection (got ${show(body.InstanceId)})`, [e])];
}

function checkFilters(e: Exchange): Finding[] {
  const list = itemsOf(bodyOf(e));
  if (!list) return [];
  const out: Finding[] = [];
  if (e.action === LIST_ACTION) {
    for (const [name, matches] of Object.entries(CONNECTION_FILTERS)) {
      const value = e.params[name];
      if (value === undefined) continue;
      list.items.forEach((item, i) => {
        if (!matches(item, value)) out.push(finding('failure', 'filter', `${e.action} HTTP ${e.status}: $.${list.field}[${i}] [filter] ${name}=${show(value)} was sent, the item does not match (got ${show(itemKey(item))})`, [e]));
      });
    }
  }
  if (e.action === TAGS_ACTION) {
    const ids = e.params.ResourceId as string[] | undefined;
    if (ids) {
      list.items.forEach((item, i) => {
        if (!ids.includes(item.ResourceId as string)) out.push(finding('failure', 'filter', `${e.action} HTTP ${e.status}: $.${list.field}[${i}] [filter] ResourceId=${show(ids)} was sent, the item is another resource (got ${show(item.ResourceId)})`, [e]));
      });
    }
    const tags = e.params.Tag as Array<{ Key: string; Value?: string }> | undefined;
    if (tags) {
      for (const id of new Set(list.items.map((i) => i.ResourceId as string))) {
        const rows = list.items.filter((i) => i.ResourceId === id);
        for (const t of tags) {
          if (!rows.some((r) => r.TagKey === t.Key && (t.Value === undefined || r.TagValue === t.Value))) {
            out.push(finding('failure', 'filter', `${e.action} HTTP ${e.status}: $.${list.field} [filter] Tag ${show(t)} was sent, ${id} is listed without that tag`, [e]));
          }
        }
      }
    }
  }
  return out;
}

const PAGING = new Set(['MaxResults', 'NextToken', 'RegionId', 'ResourceType']);
const filterText = (params: Record<string, unknown>) =>
  Object.entries(params).filter(([k]) => !PAGING.has(k)).map(([k, v]) => `${k}=${show(v)}`).join(', ') || 'none';

/** One paging walk, page by page. */
function checkWalk(pages: Exchange[]): Finding[] {
  const out: Finding[] = [];
  const tokens = new Map<string, Exchange>();
  const seen = new Map<string, Exchange>();
  let count = 0;
  let totalCount: number | undefined;
  for (const page of pages) {
    if (!isSuccess(page) || page.expect.kind !== 'page') return out;
    const body = bodyOf(page) as Item | undefined;
    const list = itemsOf(body);
    if (!body || !list) return out;
    const prefix = `${page.action} HTTP ${page.status}:`;
    const max = page.expect.maxResults;
    if (list.items.length > max) out.push(finding('failure', 'paging', `${prefix} $.${list.field} [paging] a page larger than MaxResults: ${list.items.length} items for MaxResults=${max}`, [page]));
    for (const item of list.items) {
      const key = itemKey(item);
      const earlier = seen.get(key);
      if (earlier) out.push(finding('failure', 'paging', `${prefix} $.${list.field} [paging] ${key} was already listed on an earlier page`, [earlier, page]));
      else seen.set(key, page);
    }
    count += list.items.length;
    if (typeof body.TotalCount === 'number') {
      totalCount = body.TotalCount;
      if (body.TotalCount < count) out.push(finding('failure', 'paging', `${prefix} $.TotalCount [paging] TotalCount ${body.TotalCount} is smaller than the ${count} items seen so far`, [page]));
    }
    const next = typeof body.NextToken === 'string' ? body.NextToken : '';
    if (next === '') {
      const wanted = page.expect.mustInclude;
      if (wanted !== undefined && ![...seen.keys()].some((k) => k === wanted || k.startsWith(`${wanted}/`))) {
        out.push(finding('failure', 'filter', `${page.action} HTTP ${page.status}: $.${list.field} [filter] ${wanted} matches every filter sent (${filterText(page.params)}) but is not listed on any of the ${pages.indexOf(page) + 1} page(s)`, pages.slice(0, pages.indexOf(page) + 1)));
      }
      return out;
    }
    const earlier = tokens.get(next);
    if (earlier || next === page.params.NextToken) {
      out.push(finding('failure', 'paging', `${prefix} $.NextToken [paging] the NextToken ${show(next)} repeats an earlier token: the walk would never end`, [earlier ?? page, page]));
      return out;
    }
    tokens.set(next, page);
  }
  // The walk stopped with a token left: the bound was reached (or the run was cut).
  const last = pages.at(-1)!;
  if (last.expect.kind === 'page' && pages.length >= last.expect.maxPages) {
    if (totalCount !== undefined && count >= totalCount) {
      out.push(finding('failure', 'paging', `${last.action} HTTP ${last.status}: $.NextToken [paging] NextToken does not end although all ${totalCount} items (TotalCount) were seen after ${pages.length} pages`, [last]));
    } else {
      out.push(finding('warning', 'paging', `${last.action}: paging stopped after ${pages.length} pages (--max-pages) with a NextToken left; ${count} items seen${totalCount !== undefined ? ` of ${totalCount}` : ''}`, [last]));
    }
  }
  return out;
}

/** Every cross-answer finding over a run's exchanges. */
export function crossAnswerFindings(exchanges: readonly Exchange[], ctx: { staticAnswers: boolean }): Finding[] {
  const out: Finding[] = [];
  const answered = exchanges.filter(isSuccess);
  for (const e of answered) if (e.action === GET_ACTION) out.push(...checkGet(e));
  if (!ctx.staticAnswers) for (const e of answered) out.push(...checkFilters(e));
  const walks = new Map<string, Exchange[]>();
  for (const e of exchanges) if (e.expect.kind === 'page') walks.set(e.expect.walk, [...(walks.get(e.expect.walk) ?? []), e]);
  for (const pages of walks.values()) out.push(...checkWalk(pages.filter((p) => !p.retried)));
  if (!ctx.staticAnswers) {
    const byId = new Map<string, Exchange>();
    for (const e of exchanges) {
      if (!e.requestId) continue;
      const earlier = byId.get(e.requestId);
      if (earlier) out.push(finding('failure', 'request-id', `${e.action} HTTP ${e.status}: $.RequestId [unique] the RequestId ${e.requestId} was already used by an earlier answer (${earlier.action})`, [earlier, e]));
      else byId.set(e.requestId, e);
    }
  }
  return out;
}

/** Whether a walk reached its end (an empty NextToken on its last page). */
export function walkComplete(pages: readonly Exchange[]): boolean {
  const body = bodyOf(pages.at(-1) ?? { body: '' }) as Item | undefined;
  return !!body && isSuccess(pages.at(-1)!) && (body.NextToken === '' || body.NextToken === undefined || body.NextToken === null);
}
