/**
 * GetVpcPeerConnectionAttribute: parameter names are case-sensitive.
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

describe('GetVpcPeerConnectionAttribute', () => {
  it('a wrongly cased name is not the parameter', async () => {
    const res = await fetch(`${h.baseUrl}/?Action=GetVpcPeerConnectionAttribute&Version=2022-01-01&instanceId=pcc-x`, { method: 'POST' });
    const body = (await res.json()) as Record<string, string>;
    expect(body.Code).toBe('MissingParameter');
    expect(body.Message).toContain('"InstanceId"');
  });
});
