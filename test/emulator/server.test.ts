/**
 * The request shapes the emulator accepts (GET, header or form-body Action, CORS preflight) and
 * startEmulator's lifecycle.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.ts';
import { createParams, expectConforms, startHarness, type Harness } from './helpers.ts';

describe('wire shapes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('GET with everything in the query, the x-acs-action header, and Action in the form body', async () => {
    const get = await fetch(`${h.baseUrl}/?Action=ListVpcPeerConnections&Version=2022-01-01&MaxResults=5`);
    const getBody = { status: get.status, body: (await get.json()) as Record<string, any>, text: '' };
    expect(getBody.body.MaxResults).toBe(5);
    expectConforms('ListVpcPeerConnections', getBody, get.headers.get('content-type'));
    const header = await fetch(`${h.baseUrl}/`, { method: 'POST', headers: { 'x-acs-action': 'ListVpcPeerConnections', 'x-acs-version': '2022-01-01', 'content-type': 'application/x-www-form-urlencoded' }, body: 'MaxResults=7' });
    expect(((await header.json()) as { MaxResults: number }).MaxResults).toBe(7);
    const form = await fetch(`${h.baseUrl}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListVpcPeerConnections&Version=2022-01-01&MaxResults=9' });
    expect(((await form.json()) as { MaxResults: number }).MaxResults).toBe(9);
    const unknown = await fetch(`${h.baseUrl}/?Action=DescribeVpcs&Version=2022-01-01`);
    expect(((await unknown.json()) as { Code: string }).Code).toBe('InvalidAction.NotFound');
    const preflight = await fetch(`${h.baseUrl}/`, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-emulator-account');
  });


  it('startEmulator picks a free port and closes cleanly', async () => {
    const a = await startEmulator();
    const b = await startEmulator();
    try {
      expect(a.port).not.toBe(b.port);
      expect((await fetch(`${a.baseUrl}/__emulator/clock`)).status).toBe(200);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('a parameter in both query and body, or Action against x-acs-action, is refused before anything runs', async () => {
    const { body } = await h.call('CreateVpcPeerConnection', createParams());
    const id = body.InstanceId as string;
    // A Get in the body with a Delete smuggled into the query.
    const smuggled = await fetch(`${h.baseUrl}/?Action=DeleteVpcPeerConnection&Version=2022-01-01`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `Action=GetVpcPeerConnectionAttribute&InstanceId=${id}`,
    });
    expect(smuggled.status).toBe(400);
    expect(((await smuggled.json()) as { Code: string }).Code).toBe('InvalidParameter');
    const header = await fetch(`${h.baseUrl}/?Action=DeleteVpcPeerConnection&Version=2022-01-01&InstanceId=${id}`, { method: 'POST', headers: { 'x-acs-action': 'GetVpcPeerConnectionAttribute' } });
    expect(header.status).toBe(400);
    expect((await h.call('GetVpcPeerConnectionAttribute', { InstanceId: id })).body.Status).toBe('Creating');
  });
});
