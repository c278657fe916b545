/**
 * RejectVpcPeerConnection: the accepter declines; the connection can then only be deleted.
 */
import { describe, expect, it } from 'vitest';
import { createParams, useHarness } from '../helpers.ts';

const h = useHarness();

describe('RejectVpcPeerConnection', () => {
  it('cross account: Reject → Rejected, then Delete', async () => {
    const { body } = await h.call('CreateVpcPeerConnection', createParams());
    await h.advance('1s');
    expect((await h.call('RejectVpcPeerConnection', { InstanceId: body.InstanceId }, 'bob')).status).toBe(200);
    expect(await h.status(body.InstanceId)).toBe('Rejected');
    expect((await h.call('DeleteVpcPeerConnection', { InstanceId: body.InstanceId })).status).toBe(200);
    expect(await h.status(body.InstanceId)).toBe('Deleting');
  });
});
