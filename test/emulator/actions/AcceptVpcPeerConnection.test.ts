/**
 * AcceptVpcPeerConnection: the accepter activates a waiting cross-account request.
 */
import { describe, expect, it } from 'vitest';
import { createParams, useHarness } from '../helpers.ts';

const h = useHarness();

describe('AcceptVpcPeerConnection', () => {
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
    expect(await h.status(body.InstanceId)).toBe('Activated');
    // Each side keeps its own resource group.
    expect((await h.call('GetVpcPeerConnectionAttribute', { InstanceId: body.InstanceId })).body.ResourceGroupId).toBe('rg-acfmalicedefault01');
  });
  it('a resource group of another account', async () => {
    const ok = await h.call('CreateVpcPeerConnection', createParams({ ResourceGroupId: 'rg-acfmaliceprod0001' }));
    await h.advance('1s');
    expect((await h.call('AcceptVpcPeerConnection', { InstanceId: ok.body.InstanceId, ResourceGroupId: 'rg-acfmaliceprod0001' }, 'bob')).body.Code).toBe('OperationFailed.NotExist.ResourceGroup');
  });
});
