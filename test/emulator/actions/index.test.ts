/**
 * runAction: DryRun and ClientToken idempotency, as the contract flags them per Action.
 */
import { describe, expect, it } from 'vitest';
import { ALICE, createParams, useHarness, VPC } from '../helpers.ts';

const h = useHarness();

describe('DryRun and ClientToken', () => {
  it('DryRun checks everything and changes nothing', async () => {
    const dry = await h.call('CreateVpcPeerConnection', createParams({ DryRun: true }));
    expect(dry.status).toBe(400);
    expect(dry.body.Code).toBe('DryRunOperation');
    expect((await h.call('ListVpcPeerConnections', {})).body.TotalCount).toBe(0);
    expect((await h.call('CreateVpcPeerConnection', createParams({ VpcId: 'vpc-nope', DryRun: true }))).body.Code).toBe('InvalidVpcId.NotFound');
    const { body } = await h.call('CreateVpcPeerConnection', createParams());
    await h.advance('1s');
    expect((await h.call('AcceptVpcPeerConnection', { InstanceId: body.InstanceId, DryRun: true }, 'bob')).body.Code).toBe('DryRunOperation');
    expect((await h.call('RejectVpcPeerConnection', { InstanceId: body.InstanceId, DryRun: true }, 'bob')).body.Code).toBe('DryRunOperation');
    expect((await h.call('DeleteVpcPeerConnection', { InstanceId: body.InstanceId, DryRun: true })).body.Code).toBe('DryRunOperation');
    expect((await h.call('ModifyVpcPeerConnection', { InstanceId: body.InstanceId, DryRun: true })).body.Code).toBe('IncorrectStatus.VpcPeer');
    expect((await h.call('GetVpcPeerConnectionAttribute', { InstanceId: body.InstanceId })).body.Status).toBe('Accepting');
  });
  it('same token + same parameters → same InstanceId; different parameters → IdempotentParameterMismatch', async () => {
    const token = 'tok-0001';
    const first = await h.call('CreateVpcPeerConnection', createParams({ ClientToken: token }));
    const again = await h.call('CreateVpcPeerConnection', createParams({ ClientToken: token }));
    expect(again.status).toBe(200);
    expect(again.body.InstanceId).toBe(first.body.InstanceId);
    expect(again.body.RequestId).not.toBe(first.body.RequestId);
    expect((await h.call('ListVpcPeerConnections', {})).body.TotalCount).toBe(1);
    const changed = await h.call('CreateVpcPeerConnection', createParams({ ClientToken: token, Name: 'other' }));
    expect(changed.body.Code).toBe('IdempotentParameterMismatch');
    // Tokens are per account: bob may use the same text.
    expect((await h.call('CreateVpcPeerConnection', { RegionId: 'cn-hangzhou', VpcId: VPC.bobHz, AcceptingAliUid: ALICE.uid, AcceptingRegionId: 'cn-hangzhou', AcceptingVpcId: VPC.aliceHz3, ClientToken: token }, 'bob')).status).toBe(200);
    // A retried Accept is answered like the first one, even though the status moved on.
    await h.advance('1s');
    expect((await h.call('AcceptVpcPeerConnection', { InstanceId: first.body.InstanceId, ClientToken: 'acc-1' }, 'bob')).status).toBe(200);
    expect((await h.call('AcceptVpcPeerConnection', { InstanceId: first.body.InstanceId, ClientToken: 'acc-1' }, 'bob')).status).toBe(200);
    expect((await h.call('AcceptVpcPeerConnection', { InstanceId: first.body.InstanceId }, 'bob')).body.Code).toBe('IncorrectStatus.VpcPeer');
  });
});
