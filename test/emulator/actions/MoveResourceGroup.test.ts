/** MoveResourceGroup: the caller's side moves to another of its own groups; nothing else moves. */
import { describe, expect, it } from 'vitest';
import { createParams, useHarness } from '../helpers.ts';

const h = useHarness();

const base = { RegionId: 'cn-hangzhou', ResourceType: 'PeerConnection' };

describe('MoveResourceGroup', () => {
  it('moves the caller’s side only, in the caller’s region, while the connection is live', async () => {
    const id = (await h.call('CreateVpcPeerConnection', createParams())).body.InstanceId;
    expect((await h.call('MoveResourceGroup', { ...base, ResourceId: id, NewResourceGroupId: 'rg-acfmaliceprod0001' })).body.Success).toBe(true);
    expect((await h.call('GetVpcPeerConnectionAttribute', { InstanceId: id })).body.ResourceGroupId).toBe('rg-acfmaliceprod0001');
    expect((await h.call('GetVpcPeerConnectionAttribute', { InstanceId: id }, 'bob')).body.ResourceGroupId).toBe('rg-acfmbobdefault0001');
    // Its region is where the caller sees it.
    expect((await h.call('MoveResourceGroup', { ...base, RegionId: 'cn-shanghai', ResourceId: id, NewResourceGroupId: 'rg-acfmalicedefault01' })).body.Code).toBe('ResourceNotFound.VpcPeer');
    await h.advance('1s');
    await h.call('DeleteVpcPeerConnection', { InstanceId: id });
    expect((await h.call('MoveResourceGroup', { ...base, ResourceId: id, NewResourceGroupId: 'rg-acfmalicedefault01' })).body.Code).toBe('ResourceNotFound.VpcPeer');
  });
});
