/**
 * GetVpcPeerConnectionAttribute: parameter names are case-sensitive.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../helpers.ts';

const h = useHarness();

describe('GetVpcPeerConnectionAttribute', () => {
  it('a wrongly cased name is not the parameter', async () => {
    const res = await fetch(`${h.baseUrl}/?Action=GetVpcPeerConnectionAttribute&Version=2022-01-01&instanceId=pcc-x`, { method: 'POST' });
    const body = (await res.json()) as Record<string, string>;
    expect(body.Code).toBe('MissingParameter');
    expect(body.Message).toContain('"InstanceId"');
  });
});
