/**
 * ListTagResources with TagResources, UnTagResources and MoveResourceGroup: all agree with Get and List.
 */
import { describe, expect, it } from 'vitest';
import { MANY_VPCS, useHarness } from '../helpers.ts';

const h = useHarness(MANY_VPCS.options);

const create = (i: number, j: number, extra: Record<string, unknown> = {}) => h.call('CreateVpcPeerConnection', MANY_VPCS.createParams(i, j, extra));

describe('ListTagResources', () => {
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
});
