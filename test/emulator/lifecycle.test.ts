/**
 * Every lifecycle path of facts §3, driven by the emulator clock; every answer conforms.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ALICE, BOB, CAROL, createParams, startHarness, VPC, type Harness } from './helpers.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  expect((await h.admin('POST', '/__emulator/reset')).status).toBe(200);
});

const status = async (id: string, account = 'alice') => (await h.call('GetVpcPeerConnectionAttribute', { InstanceId: id }, account)).body.Status;

describe('lifecycle', () => {
  it('same account: Creating → Activated, intra-region defaults (Bandwidth -1, no LinkType)', async () => {
    const created = await h.call('CreateVpcPeerConnection', createParams({ AcceptingAliUid: ALICE.uid, AcceptingRegionId: 'cn-hangzhou', AcceptingVpcId: VPC.aliceHz2, Name: 'hz-internal' }));
    expect(created.status).toBe(200);
    expect(created.body.InstanceId).toMatch(/^pcc-[0-9a-z]{20}$/);
    const first = await h.call('GetVpcPeerConnectionAttribute', { InstanceId: created.body.InstanceId });
    expect(first.body).toMatchObject({ Status: 'Creating', Bandwidth: -1, LinkType: '', GmtExpired: null, Name: 'hz-internal', ResourceGroupId: 'rg-acfmalicedefault01' });
    expect(first.text).toContain(`"OwnerId":${ALICE.uid}`);
    await h.advance(999);
    expect(await status(created.body.InstanceId)).toBe('Creating');
    await h.advance(1);
    const done = await h.call('GetVpcPeerConnectionAttribute', { InstanceId: created.body.InstanceId });
    expect(done.body.Status).toBe('Activated');
    expect(done.body.GmtModified).not.toBe(done.body.GmtCreate);
  });

  it('cross account: Creating → Accepting (GmtExpired = +7 days) → Accept → Updating → Activated', async () => {
    const { body } = await h.call('CreateVpcPeerConnection', createParams({ Bandwidth: 200, LinkType: 'Platinum' }));
    await h.advance('1s');
    const accepting = await h.call('GetVpcPeerConnectionAttribute', { InstanceId: body.InstanceId }, 'bob');
    expect(accepting.body).toMatchObject({ Status: 'Accepting', Bandwidth: 200, LinkType: 'Platinum', ResourceGroupId: 'rg-acfmbobdefault0001' });
    expect(Date.parse(accepting.body.GmtExpired) - Date.parse(accepting.body.GmtCreate)).toBe(7 * 24 * 3600 * 1000);
    expect((await h.call('AcceptVpcPeerConnection', { InstanceId: body.InstanceId, ResourceGroupId: 'rg-acfmbobnetwork0001' }, 'bob')).status).toBe(200);
    const updating = await h.call('GetVpcPeerConnectionAttribute', { InstanceId: body.InstanceId }, 'bob');
    expect(updating.body).toMatchObject({ Status: 'Updating', GmtExpired: null, ResourceGroupId: 'rg-acfmbobnetwork0001' });
    await h.advance('1s');
    expect(await status(body.InstanceId)).toBe('Activated');
    // Each side keeps its own resource group.
    expect((await h.call('GetVpcPeerConnectionAttribute', { InstanceId: body.InstanceId })).body.ResourceGroupId).toBe('rg-acfmalicedefault01');
  });

  it('cross account: Reject → Rejected, then Delete', async () => {
    const { body } = await h.call('CreateVpcPeerConnection', createParams());
    await h.advance('1s');
    expect((await h.call('RejectVpcPeerConnection', { InstanceId: body.InstanceId }, 'bob')).status).toBe(200);
    expect(await status(body.InstanceId)).toBe('Rejected');
    expect((await h.call('DeleteVpcPeerConnection', { InstanceId: body.InstanceId })).status).toBe(200);
    expect(await status(body.InstanceId)).toBe('Deleting');
  });

  it('cross account: no answer in 7 days → Expired (GmtExpired kept), then only Delete works', async () => {
    const { body } = await h.call('CreateVpcPeerConnection', createParams());
    await h.advance('7d');
    const expired = await h.call('GetVpcPeerConnectionAttribute', { InstanceId: body.InstanceId }, 'bob');
    expect(expired.body.Status).toBe('Expired');
    expect(expired.body.GmtExpired).toBe(expired.body.GmtModified);
    expect((await h.call('AcceptVpcPeerConnection', { InstanceId: body.InstanceId }, 'bob')).body.Code).toBe('IncorrectStatus.VpcPeer');
    expect((await h.call('DeleteVpcPeerConnection', { InstanceId: body.InstanceId }, 'bob')).status).toBe(200);
  });

  it('Modify → Updating → Activated with the new values', async () => {
    const { body } = await h.call('CreateVpcPeerConnection', createParams({ AcceptingAliUid: ALICE.uid, AcceptingVpcId: VPC.aliceSh }));
    await h.advance('1s');
    expect((await h.call('ModifyVpcPeerConnection', { InstanceId: body.InstanceId, Name: 'x', Description: 'd', Bandwidth: 512, LinkType: 'Platinum' })).status).toBe(200);
    const updating = await h.call('GetVpcPeerConnectionAttribute', { InstanceId: body.InstanceId });
    expect(updating.body).toMatchObject({ Status: 'Updating', Name: 'x', Description: 'd', Bandwidth: 512, LinkType: 'Platinum' });
    await h.advance('1s');
    expect(await status(body.InstanceId)).toBe('Activated');
  });

  it('Delete (by either side) → Deleting → Deleted → ResourceNotFound.InstanceId', async () => {
    const { body } = await h.call('CreateVpcPeerConnection', createParams());
    await h.advance('1s');
    await h.call('AcceptVpcPeerConnection', { InstanceId: body.InstanceId }, 'bob');
    await h.advance('1s');
    expect((await h.call('DeleteVpcPeerConnection', { InstanceId: body.InstanceId, Force: true }, 'bob')).status).toBe(200);
    expect(await status(body.InstanceId)).toBe('Deleting');
    expect((await h.call('DeleteVpcPeerConnection', { InstanceId: body.InstanceId })).body.Code).toBe('IncorrectStatus.VpcPeer');
    await h.advance('1s');
    expect(await status(body.InstanceId, 'bob')).toBe('Deleted');
    await h.advance('5s');
    const gone = await h.call('GetVpcPeerConnectionAttribute', { InstanceId: body.InstanceId });
    expect(gone.status).toBe(400);
    expect(gone.body.Code).toBe('ResourceNotFound.InstanceId');
    expect(gone.body.Message).toContain(body.InstanceId);
    // The pair is free again once the old connection is deleting.
    expect((await h.call('CreateVpcPeerConnection', createParams())).status).toBe(200);
  });

  it('writes UIDs above 2^53 exactly', async () => {
    const { body } = await h.call('CreateVpcPeerConnection', createParams({ AcceptingAliUid: CAROL.uid, AcceptingRegionId: 'cn-hangzhou', AcceptingVpcId: VPC.carolHz }));
    const got = await h.call('GetVpcPeerConnectionAttribute', { InstanceId: body.InstanceId }, 'carol');
    expect(got.text).toContain(`"AcceptingOwnerUid":${CAROL.uid}`);
    expect(got.text).toContain(`"OwnerId":${ALICE.uid}`);
    expect(BOB.uid).not.toBe(CAROL.uid);
  });
});
