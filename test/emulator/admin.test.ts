/**
 * The admin API: state dump, clock, reset, unknown endpoints.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, createParams, startHarness, type Harness } from './helpers.ts';

describe('admin API', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('admin: state dump, clock, reset, unknown endpoints', async () => {
    await h.call('CreateVpcPeerConnection', createParams());
    const state = await h.admin('GET', '/__emulator/state');
    expect(state.body.connections).toHaveLength(1);
    expect(JSON.stringify(state.body)).not.toContain(ALICE.accessKeys[0]!.secret);
    const before = (await h.admin('GET', '/__emulator/clock')).body.nowMs;
    expect((await h.admin('POST', '/__emulator/clock', { advance: '2h' })).body.nowMs).toBe(before + 7_200_000);
    expect((await h.admin('POST', '/__emulator/clock', { advance: 'soon' })).status).toBe(400);
    expect((await h.admin('POST', '/__emulator/clock', { to: '2000-01-01T00:00:00Z' })).status).toBe(400);
    expect((await h.admin('POST', '/__emulator/reset')).status).toBe(200);
    expect((await h.admin('GET', '/__emulator/state')).body.connections).toEqual([]);
    expect((await h.admin('GET', '/__emulator/nope')).status).toBe(404);
  });
});
