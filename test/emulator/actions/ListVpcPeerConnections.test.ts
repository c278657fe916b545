/**
 * ListVpcPeerConnections: paging stable under concurrent creates, filters, TotalCount.
 */
import { describe, expect, it } from 'vitest';
import { MANY_VPCS, useHarness } from '../helpers.ts';

const h = useHarness(MANY_VPCS.options);

const create = (i: number, j: number, extra: Record<string, unknown> = {}) => h.call('CreateVpcPeerConnection', MANY_VPCS.createParams(i, j, extra));
const vpcs = MANY_VPCS.vpcs;

describe('ListVpcPeerConnections', () => {
  it('pages with NextToken/MaxResults, TotalCount counts every match, and concurrent creates never shift a page', async () => {
    const ids: string[] = [];
    for (let j = 1; j <= 25; j += 1) ids.push((await create(0, j)).body.InstanceId);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    let extra = 26;
    do {
      const page = await h.call('ListVpcPeerConnections', { RegionId: 'cn-hangzhou', MaxResults: 10, ...(token && { NextToken: token }) });
      expect(page.body.MaxResults).toBe(10);
      expect(page.body.VpcPeerConnects.length).toBeLessThanOrEqual(10);
      seen.push(...page.body.VpcPeerConnects.map((c: { InstanceId: string }) => c.InstanceId));
      token = page.body.NextToken;
      pages += 1;
      // Three creates race with every page.
      if (extra < 35) await Promise.all([create(1, extra++), create(1, extra++), create(1, extra++)]);
    } while (token);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(0, 25)).toEqual(ids);
    expect(seen.length).toBe(25 + (extra - 26));
    expect(pages).toBeGreaterThanOrEqual(4);
    const total = await h.call('ListVpcPeerConnections', { MaxResults: 1 });
    expect(total.body.TotalCount).toBe(seen.length);
    expect(total.body.VpcPeerConnects).toHaveLength(1);
    expect((await h.call('ListVpcPeerConnections', { NextToken: 'garbage' })).body.Code).toBe('InvalidParameter');
    expect((await h.call('ListVpcPeerConnections', { MaxResults: 101 })).body.Code).toBe('InvalidParameter');
  });
  it('filters by InstanceId, Name, VpcId at either end, Tags and ResourceGroupId', async () => {
    const a = (await create(2, 3, { Name: 'alpha', Tag: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'net' }] })).body.InstanceId;
    const b = (await create(4, 2, { Name: 'beta', ResourceGroupId: 'rg-a-prod', Tag: [{ Key: 'env', Value: 'dev' }] })).body.InstanceId;
    const c = (await create(5, 6, { Name: 'gamma' })).body.InstanceId;
    const ids = async (filters: Record<string, unknown>) =>
      (await h.call('ListVpcPeerConnections', filters)).body.VpcPeerConnects.map((x: { InstanceId: string }) => x.InstanceId);
    expect(await ids({ InstanceId: b })).toEqual([b]);
    expect(await ids({ Name: 'gamma' })).toEqual([c]);
    expect(await ids({ VpcId: [vpcs[2]] })).toEqual([a, b]);
    // Two IDs: both ends, in either order (facts §2.7); one ID: either end.
    expect(await ids({ VpcId: [vpcs[3], vpcs[2]] })).toEqual([a]);
    expect(await ids({ VpcId: [vpcs[2], vpcs[4]] })).toEqual([b]);
    expect(await ids({ VpcId: [vpcs[3], vpcs[6]] })).toEqual([]);
    expect(await ids({ VpcId: [vpcs[6]] })).toEqual([c]);
    expect(await ids({ Tags: [{ Key: 'env' }] })).toEqual([a, b]);
    expect(await ids({ Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'net' }] })).toEqual([a]);
    expect(await ids({ ResourceGroupId: 'rg-a-prod' })).toEqual([b]);
    expect(await ids({ ResourceGroupId: 'rg-a-default' })).toEqual([a, c]);
    expect(await ids({ RegionId: 'cn-shanghai' })).toEqual([]);
    const list = await h.call('ListVpcPeerConnections', { VpcId: [vpcs[2]] });
    expect(list.body.TotalCount).toBe(2);
    expect(list.body.NextToken).toBeUndefined();
  });
});
