/**
 * UnTagResources: removes keys (or all tags) from the caller's side; its ClientToken replays the
 * first answer and refuses other parameters; a wrong ResourceType is InvalidInstanceType.NotFound.
 */
import { describe, expect, it } from 'vitest';
import { createParams, useHarness } from '../helpers.ts';

const h = useHarness();

const base = { RegionId: 'cn-hangzhou', ResourceType: 'PeerConnection' };

describe('UnTagResources', () => {
  it('removes only the named keys, on the caller’s side only', async () => {
    const id = (await h.call('CreateVpcPeerConnection', createParams({ Tag: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }))).body.InstanceId;
    await h.advance('1s');
    await h.call('TagResources', { ...base, RegionId: 'cn-shanghai', ResourceId: [id], Tag: [{ Key: 'a', Value: 'bob' }] }, 'bob');
    expect((await h.call('UnTagResources', { ...base, ResourceId: [id], TagKey: ['a', 'missing'] })).body.Success).toBe(true);
    expect((await h.call('GetVpcPeerConnectionAttribute', { InstanceId: id })).body.Tags).toEqual([{ Key: 'b', Value: '2' }]);
    expect((await h.call('GetVpcPeerConnectionAttribute', { InstanceId: id }, 'bob')).body.Tags).toEqual([{ Key: 'a', Value: 'bob' }]);
  });

  it('ClientToken: a replay answers like the first call; other parameters are IdempotentParameterMismatch', async () => {
    const id = (await h.call('CreateVpcPeerConnection', createParams({ Tag: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }))).body.InstanceId;
    const first = await h.call('UnTagResources', { ...base, ResourceId: [id], TagKey: ['a'], ClientToken: 'untag-1' });
    expect(first.body.Success).toBe(true);
    const again = await h.call('UnTagResources', { ...base, ResourceId: [id], TagKey: ['a'], ClientToken: 'untag-1' });
    expect(again.status).toBe(200);
    expect(again.body.RequestId).not.toBe(first.body.RequestId);
    const other = await h.call('UnTagResources', { ...base, ResourceId: [id], TagKey: ['b'], ClientToken: 'untag-1' });
    expect(other.status).toBe(400);
    expect(other.body.Code).toBe('IdempotentParameterMismatch');
    expect((await h.call('GetVpcPeerConnectionAttribute', { InstanceId: id })).body.Tags).toEqual([{ Key: 'b', Value: '2' }]);
  });

  it('a ResourceType other than PeerConnection is InvalidInstanceType.NotFound', async () => {
    const id = (await h.call('CreateVpcPeerConnection', createParams())).body.InstanceId;
    const a = await h.call('UnTagResources', { ...base, ResourceType: 'Instance', ResourceId: [id], All: true });
    expect(a.status).toBe(400);
    expect(a.body.Code).toBe('InvalidInstanceType.NotFound');
    const l = await h.call('ListTagResources', { ...base, ResourceType: 'Vpc', ResourceId: [id] });
    expect(l.body.Code).toBe('InvalidInstanceType.NotFound');
  });
});
