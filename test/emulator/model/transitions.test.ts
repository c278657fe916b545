/**
 * The lifecycle from the contract: IncorrectStatus.VpcPeer follows the allow-matrix (x-acs-allowed-statuses).
 */
import { describe, expect, it } from 'vitest';
import { ALICE, createParams, useHarness, VPC } from '../helpers.ts';

const h = useHarness();

const sameAccount = (overrides: Record<string, unknown> = {}) =>
  createParams({ AcceptingAliUid: ALICE.uid, AcceptingRegionId: 'cn-hangzhou', AcceptingVpcId: VPC.aliceHz2, ...overrides });

describe('allow-matrix', () => {
  it('IncorrectStatus.VpcPeer follows the allow-matrix', async () => {
    const cross = (await h.call('CreateVpcPeerConnection', createParams())).body.InstanceId as string;
    // Creating: nothing but Get/List.
    for (const [action, who] of [['AcceptVpcPeerConnection', 'bob'], ['RejectVpcPeerConnection', 'bob'], ['DeleteVpcPeerConnection', 'alice']] as const) {
      const a = await h.call(action, { InstanceId: cross }, who);
      expect(a.body.Code, action).toBe('IncorrectStatus.VpcPeer');
      expect(a.body.Message).toBe(`The status of ${cross} [Creating] is incorrect.`);
    }
    await h.advance('1s');
    // Accepting: no Modify.
    expect((await h.call('ModifyVpcPeerConnection', { InstanceId: cross, Name: 'n' })).body.Code).toBe('IncorrectStatus.VpcPeer');
    await h.call('AcceptVpcPeerConnection', { InstanceId: cross }, 'bob');
    // Updating: nothing.
    expect((await h.call('ModifyVpcPeerConnection', { InstanceId: cross, Name: 'n' })).body.Code).toBe('IncorrectStatus.VpcPeer');
    expect((await h.call('DeleteVpcPeerConnection', { InstanceId: cross })).body.Code).toBe('IncorrectStatus.VpcPeer');
    await h.advance('1s');
    // Activated: no second Accept or Reject.
    expect((await h.call('AcceptVpcPeerConnection', { InstanceId: cross }, 'bob')).body.Code).toBe('IncorrectStatus.VpcPeer');
    expect((await h.call('RejectVpcPeerConnection', { InstanceId: cross }, 'bob')).body.Code).toBe('IncorrectStatus.VpcPeer');
    // Same-account connections are never accepted by hand.
    const own = (await h.call('CreateVpcPeerConnection', sameAccount())).body.InstanceId as string;
    await h.advance('1s');
    expect((await h.call('AcceptVpcPeerConnection', { InstanceId: own })).body.Code).toBe('IncorrectStatus.VpcPeer');
  });
});
