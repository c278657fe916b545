/**
 * ModifyVpcPeerConnection: new values through Updating back to Activated, and its own checks.
 */
import { describe, expect, it } from 'vitest';
import { ALICE, createParams, useHarness, VPC } from '../helpers.ts';

const h = useHarness();

const sameAccount = (overrides: Record<string, unknown> = {}) =>
  createParams({ AcceptingAliUid: ALICE.uid, AcceptingRegionId: 'cn-hangzhou', AcceptingVpcId: VPC.aliceHz2, ...overrides });
describe('ModifyVpcPeerConnection', () => {
  it('Modify → Updating → Activated with the new values', async () => {
    const { body } = await h.call('CreateVpcPeerConnection', createParams({ AcceptingAliUid: ALICE.uid, AcceptingVpcId: VPC.aliceSh }));
    await h.advance('1s');
    expect((await h.call('ModifyVpcPeerConnection', { InstanceId: body.InstanceId, Name: 'x', Description: 'd', Bandwidth: 512, LinkType: 'Platinum' })).status).toBe(200);
    const updating = await h.call('GetVpcPeerConnectionAttribute', { InstanceId: body.InstanceId });
    expect(updating.body).toMatchObject({ Status: 'Updating', Name: 'x', Description: 'd', Bandwidth: 512, LinkType: 'Platinum' });
    await h.advance('1s');
    expect(await h.status(body.InstanceId)).toBe('Activated');
  });
  it('Name rules of Modify', async () => {
    const { body } = await h.call('CreateVpcPeerConnection', sameAccount());
    await h.advance('1s');
    expect((await h.call('ModifyVpcPeerConnection', { InstanceId: body.InstanceId, Name: 'http://x' })).body.Code).toBe('InvalidParameter');
    expect((await h.call('ModifyVpcPeerConnection', { InstanceId: body.InstanceId, Name: '1' })).status).toBe(200);
  });

  it('Bandwidth and LinkType only on inter-region connections, within the bandwidth quota', async () => {
    const { body } = await h.call('CreateVpcPeerConnection', sameAccount());
    await h.advance('1s');
    expect((await h.call('ModifyVpcPeerConnection', { InstanceId: body.InstanceId, Bandwidth: 10 })).body.Code).toBe('OperationFailed.BandwidthCannotBeChangedInSameRegion');
    expect((await h.call('ModifyVpcPeerConnection', { InstanceId: body.InstanceId, LinkType: 'Gold' })).body.Code).toBe('OperationFailed.InterRegionLinkTypeNotSupported');
    const inter = (await h.call('CreateVpcPeerConnection', createParams({ AcceptingAliUid: ALICE.uid, AcceptingVpcId: VPC.aliceSh }))).body.InstanceId;
    await h.advance('1s');
    expect((await h.call('ModifyVpcPeerConnection', { InstanceId: inter, Bandwidth: 2048 })).body.Code).toBe('QuotaExceeded.Bandwidth');
  });
});
