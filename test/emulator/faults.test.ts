/**
 * Fault injection: chosen documented codes for the next N calls, rate limits, latency.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, BOB, createParams, startHarness, WORLD, type Harness } from './helpers.ts';

describe('fault injection', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('the next N calls of an Action fail with a chosen documented code, then it works again', async () => {
    const added = await h.admin('POST', '/__emulator/faults', { action: 'CreateVpcPeerConnection', code: 'ServiceUnavailable', count: 2 });
    expect(added.status).toBe(200);
    for (let i = 0; i < 2; i += 1) {
      const a = await h.call('CreateVpcPeerConnection', createParams());
      expect(a.status).toBe(503);
      expect(a.body.Code).toBe('ServiceUnavailable');
    }
    expect((await h.call('CreateVpcPeerConnection', createParams())).status).toBe(200);
    expect((await h.admin('GET', '/__emulator/faults')).body.faults).toEqual([]);
  });

  it('refuses codes the Action does not document', async () => {
    const r = await h.admin('POST', '/__emulator/faults', { action: 'GetVpcPeerConnectionAttribute', code: 'IncorrectStatus.VpcPeer' });
    expect(r.status).toBe(400);
    expect(r.body.error).toContain('not a documented error code');
  });

  it('throttles at a rate with Throttling', async () => {
    // One call per 100 s: the first passes, the next ones are throttled.
    await h.admin('POST', '/__emulator/faults', { action: 'ListVpcPeerConnections', ratePerSecond: 0.01 });
    const codes: string[] = [];
    for (let i = 0; i < 3; i += 1) codes.push((await h.call('ListVpcPeerConnections', {})).body.Code ?? 'ok');
    expect(codes).toEqual(['ok', 'Throttling', 'Throttling']);
    expect((await h.call('GetVpcPeerConnectionAttribute', { InstanceId: 'pcc-x' })).body.Code).toBe('ResourceNotFound.InstanceId');
    await h.admin('DELETE', '/__emulator/faults');
    expect((await h.call('ListVpcPeerConnections', {})).status).toBe(200);
  });

  it('adds latency (and config rules apply from the start)', async () => {
    const slow = await startHarness({ config: { accounts: [ALICE, BOB], world: WORLD, faults: [{ action: 'ListVpcPeerConnections', latencyMs: 500 }] } });
    try {
      // Started together, the delayed List answers after the undelayed Get.
      const order: string[] = [];
      await Promise.all([
        slow.call('ListVpcPeerConnections', {}).then((a) => order.push(`List ${a.status}`)),
        slow.call('GetVpcPeerConnectionAttribute', { InstanceId: 'pcc-x' }).then((a) => order.push(`Get ${a.status}`)),
      ]);
      expect(order).toEqual(['Get 400', 'List 200']);
    } finally {
      await slow.close();
    }
  });
});

