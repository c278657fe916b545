/**
 * The shared handler pieces: an unknown ID is ResourceNotFound.InstanceId on every lifecycle call.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers.ts';

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

describe('lifecycleTarget', () => {
  it('ResourceNotFound.InstanceId for an unknown ID on every lifecycle call', async () => {
    for (const action of ['AcceptVpcPeerConnection', 'RejectVpcPeerConnection', 'DeleteVpcPeerConnection', 'ModifyVpcPeerConnection', 'GetVpcPeerConnectionAttribute']) {
      const a = await h.call(action, { InstanceId: 'pcc-doesnotexist000000' });
      expect(a.body.Code, action).toBe('ResourceNotFound.InstanceId');
    }
  });
});
