/**
 * DeleteVpcPeerConnection: by either side, through Deleting and Deleted until the ID is gone.
 */
import { describe, expect, it } from 'vitest';
import { createParams, useHarness } from '../helpers.ts';

const h = useHarness();

describe('DeleteVpcPeerConnection', () => {
  it('Delete (by either side) → Deleting → Deleted → ResourceNotFound.InstanceId', async () => {
    const { body } = await h.call('CreateVpcPeerConnection', createParams());
    await h.advance('1s');
    await h.call('AcceptVpcPeerConnection', { InstanceId: body.InstanceId }, 'bob');
    await h.advance('1s');
    expect((await h.call('DeleteVpcPeerConnection', { InstanceId: body.InstanceId, Force: true }, 'bob')).status).toBe(200);
    expect(await h.status(body.InstanceId)).toBe('Deleting');
    expect((await h.call('DeleteVpcPeerConnection', { InstanceId: body.InstanceId })).body.Code).toBe('IncorrectStatus.VpcPeer');
    await h.advance('1s');
    expect(await h.status(body.InstanceId, 'bob')).toBe('Deleted');
    await h.advance('5s');
    const gone = await h.call('GetVpcPeerConnectionAttribute', { InstanceId: body.InstanceId });
    expect(gone.status).toBe(400);
    expect(gone.body.Code).toBe('ResourceNotFound.InstanceId');
    expect(gone.body.Message).toContain(body.InstanceId);
    // The pair is free again once the old connection is deleting.
    expect((await h.call('CreateVpcPeerConnection', createParams())).status).toBe(200);
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
});
