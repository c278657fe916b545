/**
 * Listing and tags: paging stable under concurrent creates, filters, TotalCount, the tag
 * operations and MoveResourceGroup, all consistent with one another.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ALICE, startHarness, type Harness } from './helpers.ts';

let h: Harness;
const vpcs = Array.from({ length: 40 }, (_, i) => `vpc-bp1many${String(i).padStart(3, '0')}`);
beforeAll(async () => {
  h = await startHarness({
    config: {
      accounts: [ALICE],
      quotas: { perAccountPerRegion: 1000, intraRegionPerVpc: 1000 },
      world: {
        accounts: {
          [ALICE.uid]: {
            resourceGroups: ['rg-a-default', 'rg-a-prod'],
            vpcs: { 'cn-hangzhou': vpcs.map((VpcId, i) => ({ VpcId, Ipv4Cidrs: [`10.${i}.0.0/16`], Ipv6Cidrs: [] })) },
          },
        },
      },
    },
  });
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.admin('POST', '/__emulator/reset');
});

const create = (i: number, j: number, extra: Record<string, unknown> = {}) =>
  h.call('CreateVpcPeerConnection', { RegionId: 'cn-hangzhou', VpcId: vpcs[i], AcceptingAliUid: ALICE.uid, AcceptingRegionId: 'cn-hangzhou', AcceptingVpcId: vpcs[j], ...extra });

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

describe('tags and resource groups', () => {
  it('TagResources / ListTagResources / UnTagResources (All) / MoveResourceGroup agree with Get and List', async () => {
    const a = (await create(7, 8)).body.InstanceId;
    const b = (await create(9, 10)).body.InstanceId;
    const base = { RegionId: 'cn-hangzhou', ResourceType: 'PeerConnection' };
    expect((await h.call('TagResources', { ...base, ResourceId: [a, b], Tag: [{ Key: 'env', Value: 'prod' }, { Key: 'owner', Value: '' }] })).body.Success).toBe(true);
    expect((await h.call('TagResources', { ...base, ResourceId: [a], Tag: [{ Key: 'env', Value: 'staging' }] })).body.Success).toBe(true);
    const rows = (await h.call('ListTagResources', { ...base, ResourceId: [a, b] })).body.TagResources;
    expect(rows).toEqual([
      { ResourceId: a, ResourceType: 'PeerConnection', RegionNo: 'cn-hangzhou', TagKey: 'env', TagValue: 'staging' },
      { ResourceId: a, ResourceType: 'PeerConnection', RegionNo: 'cn-hangzhou', TagKey: 'owner', TagValue: '' },
      { ResourceId: b, ResourceType: 'PeerConnection', RegionNo: 'cn-hangzhou', TagKey: 'env', TagValue: 'prod' },
      { ResourceId: b, ResourceType: 'PeerConnection', RegionNo: 'cn-hangzhou', TagKey: 'owner', TagValue: '' },
    ]);
    const byTag = await h.call('ListTagResources', { ...base, Tag: [{ Key: 'env', Value: 'prod' }] });
    expect(byTag.body.TagResources).toEqual([{ ResourceId: b, ResourceType: 'PeerConnection', RegionNo: 'cn-hangzhou', TagKey: 'env', TagValue: 'prod' }]);
    const paged = await h.call('ListTagResources', { ...base, ResourceId: [a, b], MaxResults: 3 });
    expect(paged.body.TagResources).toHaveLength(3);
    const rest = await h.call('ListTagResources', { ...base, ResourceId: [a, b], MaxResults: 3, NextToken: paged.body.NextToken });
    expect(rest.body.TagResources).toHaveLength(1);
    expect(rest.body.NextToken).toBeUndefined();
    expect((await h.call('GetVpcPeerConnectionAttribute', { InstanceId: a })).body.Tags).toEqual([{ Key: 'env', Value: 'staging' }, { Key: 'owner', Value: '' }]);

    expect((await h.call('UnTagResources', { ...base, ResourceId: [a], TagKey: ['owner'] })).body.Success).toBe(true);
    expect((await h.call('UnTagResources', { ...base, ResourceId: [b], All: true })).body.Success).toBe(true);
    expect((await h.call('ListVpcPeerConnections', { Tags: [{ Key: 'env' }] })).body.VpcPeerConnects.map((c: { Tags: unknown }) => c.Tags)).toEqual([[{ Key: 'env', Value: 'staging' }]]);

    expect((await h.call('MoveResourceGroup', { ...base, ResourceId: b, NewResourceGroupId: 'rg-a-prod' })).body.Success).toBe(true);
    expect((await h.call('ListVpcPeerConnections', { ResourceGroupId: 'rg-a-prod' })).body.VpcPeerConnects.map((c: { InstanceId: string }) => c.InstanceId)).toEqual([b]);
    expect((await h.call('MoveResourceGroup', { ...base, ResourceId: b, NewResourceGroupId: 'rg-nope' })).body.Code).toBe('OperationFailed.NotExist.ResourceGroup');
    expect((await h.call('MoveResourceGroup', { ...base, ResourceId: 'pcc-nope', NewResourceGroupId: 'rg-a-prod' })).body.Code).toBe('ResourceNotFound.VpcPeer');
  });

  it('tag limits and errors', async () => {
    const a = (await create(11, 12)).body.InstanceId;
    const base = { RegionId: 'cn-hangzhou', ResourceType: 'PeerConnection' };
    const twenty = Array.from({ length: 20 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect((await h.call('TagResources', { ...base, ResourceId: [a], Tag: twenty })).body.Success).toBe(true);
    expect((await h.call('TagResources', { ...base, ResourceId: [a], Tag: [{ Key: 'one-more', Value: 'v' }] })).body.Code).toBe('NumberExceed.Tags');
    expect((await h.call('TagResources', { ...base, ResourceId: [a], Tag: [...twenty, { Key: 'x', Value: 'y' }] })).body.Code).toBe('NumberExceed.Tags');
    expect((await h.call('TagResources', { ...base, ResourceId: [a], Tag: [{ Key: 'd', Value: '1' }, { Key: 'd', Value: '2' }] })).body.Code).toBe('Forbidden.TagKey.Duplicated');
    expect((await h.call('TagResources', { ...base, ResourceId: [a], Tag: [{ Key: 'aliyun-x', Value: '1' }] })).body.Code).toBe('Forbidden.TagKeys');
    expect((await h.call('TagResources', { ...base, ResourceId: ['pcc-unknown'], Tag: [{ Key: 'k', Value: 'v' }] })).body.Code).toBe('InvalidInstanceIds.NotFound');
    expect((await h.call('TagResources', { ...base, RegionId: 'cn-shanghai', ResourceId: [a], Tag: [{ Key: 'k', Value: 'v' }] })).body.Code).toBe('InvalidInstanceIds.NotFound');
    expect((await h.call('TagResources', { ...base, ResourceType: 'Vpc', ResourceId: [a], Tag: [{ Key: 'k', Value: 'v' }] })).body.Code).toBe('InvalidParameter');
    expect((await h.call('ListTagResources', base)).body.Code).toBe('BothEmpty.TagsAndResources');
    expect((await h.call('ListTagResources', { ...base, ResourceId: [a], Category: 'System' })).body.TagResources).toEqual([]);
  });
});
