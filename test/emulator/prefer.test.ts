/**
 * `Prefer` in the emulator, the mock's syntax: a documented error for this one call, after
 * request validation and without touching the state.
 */
import { describe, expect, it } from 'vitest';
import { createParams, useHarness } from './helpers.ts';

const h = useHarness();

describe('Prefer', () => {
  it('code=400, example=<code> answers that documented error and changes nothing', async () => {
    const id = (await h.call('CreateVpcPeerConnection', createParams())).body.InstanceId;
    await h.advance('1s');
    const a = await h.call('AcceptVpcPeerConnection', { InstanceId: id }, 'bob', { prefer: 'code=400, example=IncorrectStatus.VpcPeer' });
    expect(a.status).toBe(400);
    expect(a.body.Code).toBe('IncorrectStatus.VpcPeer');
    expect((await h.call('GetVpcPeerConnectionAttribute', { InstanceId: id }, 'bob')).body.Status).toBe('Accepting');
    // Without the header the same call runs for real.
    expect((await h.call('AcceptVpcPeerConnection', { InstanceId: id }, 'bob')).status).toBe(200);
  });

  it('example alone, code alone (first documented code of that status), code=200 runs the call', async () => {
    const created = await h.call('CreateVpcPeerConnection', createParams(), 'alice', { prefer: 'example=QuotaExceeded.VpcPeerCountPerUserPerRegion' });
    expect(created.body.Code).toBe('QuotaExceeded.VpcPeerCountPerUserPerRegion');
    expect((await h.call('ListVpcPeerConnections', {})).body.TotalCount).toBe(0);
    const forbidden = await h.call('GetVpcPeerConnectionAttribute', { InstanceId: 'pcc-x' }, 'alice', { prefer: 'code=403' });
    expect(forbidden.status).toBe(403);
    const ok = await h.call('CreateVpcPeerConnection', createParams(), 'alice', { prefer: 'code=200' });
    expect(ok.status).toBe(200);
    expect((await h.call('ListVpcPeerConnections', {})).body.TotalCount).toBe(1);
  });

  it('runs after request validation; a wrong Prefer is InvalidParameter naming Prefer', async () => {
    const { VpcId: _v, ...missing } = createParams();
    expect((await h.call('CreateVpcPeerConnection', missing, 'alice', { prefer: 'code=400, example=IncorrectStatus.VpcPeer' })).body.Code).toBe('MissingParameter');
    for (const prefer of ['example=NoSuch.Code', 'example=QuotaExceeded.Bandwidth', 'code=403, example=IncorrectStatus.VpcPeer', 'code=abc', 'dynamic=true']) {
      const a = await h.call('RejectVpcPeerConnection', { InstanceId: 'pcc-x' }, 'bob', { prefer });
      expect(a.status, prefer).toBe(400);
      expect(a.body.Code, prefer).toBe('InvalidParameter');
      expect(a.body.Message, prefer).toContain('Prefer');
    }
  });
});
