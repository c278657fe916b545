/**
 * RejectVpcPeerConnection: the accepter declines; the connection can then only be deleted.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createParams, startHarness, type Harness } from '../helpers.ts';

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
