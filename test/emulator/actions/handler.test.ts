/**
 * The shared handler pieces: an unknown ID is ResourceNotFound.InstanceId on every lifecycle call.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../helpers.ts';

const h = useHarness();

describe('lifecycleTarget', () => {
  it('ResourceNotFound.InstanceId for an unknown ID on every lifecycle call', async () => {
    for (const action of ['AcceptVpcPeerConnection', 'RejectVpcPeerConnection', 'DeleteVpcPeerConnection', 'ModifyVpcPeerConnection', 'GetVpcPeerConnectionAttribute']) {
      const a = await h.call(action, { InstanceId: 'pcc-doesnotexist000000' });
      expect(a.body.Code, action).toBe('ResourceNotFound.InstanceId');
    }
  });
});
