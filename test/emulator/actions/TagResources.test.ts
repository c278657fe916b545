/**
 * TagResources: tag limits and errors.
 */
import { describe, expect, it } from 'vitest';
import { MANY_VPCS, useHarness } from '../helpers.ts';

const h = useHarness(MANY_VPCS.options);

const create = (i: number, j: number, extra: Record<string, unknown> = {}) => h.call('CreateVpcPeerConnection', MANY_VPCS.createParams(i, j, extra));

describe('TagResources', () => {
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
    // A ResourceType other than PeerConnection is the documented InvalidInstanceType.NotFound (x-acs-violation-codes).
    const wrongType = await h.call('TagResources', { ...base, ResourceType: 'Vpc', ResourceId: [a], Tag: [{ Key: 'k', Value: 'v' }] });
    expect(wrongType.body.Code).toBe('InvalidInstanceType.NotFound');
    expect(wrongType.status).toBe(400);
    expect((await h.call('ListTagResources', base)).body.Code).toBe('BothEmpty.TagsAndResources');
    expect((await h.call('ListTagResources', { ...base, ResourceId: [a], Category: 'System' })).body.TagResources).toEqual([]);
  });
});
