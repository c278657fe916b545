/**
 * Isolation: an account sees and changes only connections it is party to, and only as the API
 * allows its role. Nothing of alice's is visible or changeable by carol.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParams, startHarness, VPC, type Harness } from './helpers.ts';

let h: Harness;
let id: string;
let own: string;
beforeAll(async () => {
  h = await startHarness();
  id = (await h.call('CreateVpcPeerConnection', createParams({ Name: 'alice-bob', Tag: [{ Key: 'env', Value: 'prod' }] }))).body.InstanceId;
  own = (await h.call('CreateVpcPeerConnection', createParams({ AcceptingAliUid: '1210123456123456', AcceptingRegionId: 'cn-hangzhou', AcceptingVpcId: VPC.aliceHz2 }))).body.InstanceId;
  await h.advance('1s');
});
afterAll(async () => {
  await h.close();
});

describe('an unrelated account (carol)', () => {
  it('cannot see alice’s connections', async () => {
    for (const target of [id, own]) {
      expect((await h.call('GetVpcPeerConnectionAttribute', { InstanceId: target }, 'carol')).body.Code).toBe('ResourceNotFound.InstanceId');
    }
    const list = await h.call('ListVpcPeerConnections', {}, 'carol');
    expect(list.body.TotalCount).toBe(0);
    expect((await h.call('ListVpcPeerConnections', { InstanceId: id }, 'carol')).body.VpcPeerConnects).toEqual([]);
    expect((await h.call('ListVpcPeerConnections', { VpcId: [VPC.aliceHz1] }, 'carol')).body.TotalCount).toBe(0);
    expect((await h.call('ListTagResources', { RegionId: 'cn-hangzhou', ResourceType: 'PeerConnection', ResourceId: [id] }, 'carol')).body.Code).toBe('InvalidInstanceIds.NotFound');
    expect((await h.call('ListTagResources', { RegionId: 'cn-hangzhou', ResourceType: 'PeerConnection', Tag: [{ Key: 'env' }] }, 'carol')).body.TagResources).toEqual([]);
  });

  it('cannot change them in any way', async () => {
    for (const action of ['AcceptVpcPeerConnection', 'RejectVpcPeerConnection', 'DeleteVpcPeerConnection', 'ModifyVpcPeerConnection']) {
      expect((await h.call(action, { InstanceId: id }, 'carol')).body.Code, action).toBe('ResourceNotFound.InstanceId');
    }
    expect((await h.call('TagResources', { RegionId: 'cn-hangzhou', ResourceType: 'PeerConnection', ResourceId: [id], Tag: [{ Key: 'x', Value: 'y' }] }, 'carol')).body.Code).toBe('InvalidInstanceIds.NotFound');
    expect((await h.call('UnTagResources', { RegionId: 'cn-hangzhou', ResourceType: 'PeerConnection', ResourceId: [id], All: true }, 'carol')).body.Code).toBe('InvalidInstanceIds.NotFound');
    expect((await h.call('MoveResourceGroup', { RegionId: 'cn-hangzhou', ResourceType: 'PeerConnection', ResourceId: id, NewResourceGroupId: 'rg-acfmcaroldefault01' }, 'carol')).body.Code).toBe('ResourceNotFound.VpcPeer');
    // Nothing moved.
    const seen = await h.call('GetVpcPeerConnectionAttribute', { InstanceId: id });
    expect(seen.body).toMatchObject({ Status: 'Accepting', Name: 'alice-bob', ResourceGroupId: 'rg-acfmalicedefault01', Tags: [{ Key: 'env', Value: 'prod' }] });
  });

  it('cannot peer with a VPC by naming another account’s UID', async () => {
    expect((await h.call('CreateVpcPeerConnection', { RegionId: 'cn-hangzhou', VpcId: VPC.carolHz, AcceptingAliUid: '1250123456123458', AcceptingRegionId: 'cn-hangzhou', AcceptingVpcId: VPC.aliceHz3 }, 'carol')).body.Code).toBe('InvalidVpcId.NotFound');
  });
});

describe('the two parties', () => {
  it('the requester cannot accept or reject its own request; the accepter may modify it (as Terraform’s accepter resource does)', async () => {
    expect((await h.call('AcceptVpcPeerConnection', { InstanceId: id }, 'alice')).body.Code).toBe('Forbidden.RAM');
    expect((await h.call('RejectVpcPeerConnection', { InstanceId: id }, 'alice')).body.Code).toBe('Forbidden.RAM');
    await h.call('AcceptVpcPeerConnection', { InstanceId: id }, 'bob');
    await h.advance('1s');
    expect((await h.call('GetVpcPeerConnectionAttribute', { InstanceId: id }, 'bob')).body.Bandwidth).toBe(1024);
    const modify = await h.call('ModifyVpcPeerConnection', { InstanceId: id, Bandwidth: 10 }, 'bob');
    expect(modify.status).toBe(200);
    await h.advance('1s');
    expect((await h.call('GetVpcPeerConnectionAttribute', { InstanceId: id }, 'alice')).body).toMatchObject({ Status: 'Activated', Bandwidth: 10 });
    // carol, no party, still cannot.
    expect((await h.call('ModifyVpcPeerConnection', { InstanceId: id, Bandwidth: 20 }, 'carol')).body.Code).toBe('ResourceNotFound.InstanceId');
  });

  it('each side has its own tags and resource group', async () => {
    expect((await h.call('TagResources', { RegionId: 'cn-shanghai', ResourceType: 'PeerConnection', ResourceId: [id], Tag: [{ Key: 'team', Value: 'bob-net' }] }, 'bob')).body.Success).toBe(true);
    expect((await h.call('MoveResourceGroup', { RegionId: 'cn-shanghai', ResourceType: 'PeerConnection', ResourceId: id, NewResourceGroupId: 'rg-acfmbobnetwork0001' }, 'bob')).body.Success).toBe(true);
    const bob = await h.call('GetVpcPeerConnectionAttribute', { InstanceId: id }, 'bob');
    const alice = await h.call('GetVpcPeerConnectionAttribute', { InstanceId: id }, 'alice');
    expect(bob.body).toMatchObject({ ResourceGroupId: 'rg-acfmbobnetwork0001', Tags: [{ Key: 'team', Value: 'bob-net' }] });
    expect(alice.body).toMatchObject({ ResourceGroupId: 'rg-acfmalicedefault01', Tags: [{ Key: 'env', Value: 'prod' }] });
    // bob lists it in his region (Shanghai), alice in hers (Hangzhou).
    expect((await h.call('ListVpcPeerConnections', { RegionId: 'cn-shanghai' }, 'bob')).body.TotalCount).toBe(1);
    expect((await h.call('ListVpcPeerConnections', { RegionId: 'cn-hangzhou' }, 'bob')).body.TotalCount).toBe(0);
    // bob cannot use alice's resource groups.
    expect((await h.call('MoveResourceGroup', { RegionId: 'cn-shanghai', ResourceType: 'PeerConnection', ResourceId: id, NewResourceGroupId: 'rg-acfmaliceprod0001' }, 'bob')).body.Code).toBe('OperationFailed.NotExist.ResourceGroup');
  });

  it('either side may delete', async () => {
    expect((await h.call('DeleteVpcPeerConnection', { InstanceId: id }, 'bob')).status).toBe(200);
    expect((await h.call('GetVpcPeerConnectionAttribute', { InstanceId: id }, 'alice')).body.Status).toBe('Deleting');
  });
});
