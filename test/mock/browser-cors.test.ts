/**
 * A page served from another origin calls the mock with plain fetch from headless Chromium:
 * a simple GET, and a POST with the V3 `x-acs-action` header and a form body (which needs a
 * CORS preflight). Errors are readable from the page too.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.ts';
import { startMock, type RunningMock } from '../helpers/mock.ts';

let mock: RunningMock;
let page: Server;
let pageUrl: string;
let browser: Browser;

beforeAll(async () => {
  mock = await startMock();
  page = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>frontend</title><p>console under test</p>');
  });
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  // "localhost" vs "127.0.0.1" with different ports: a different origin, as a dev server would be.
  pageUrl = `http://localhost:${(page.address() as AddressInfo).port}/`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await mock?.close();
  await new Promise((resolve) => page?.close(resolve));
});

describe('a browser page on another origin', () => {
  it('calls every style with fetch, preflight included, and reads success and error bodies', async () => {
    const tab = await browser.newPage();
    await tab.goto(pageUrl);
    const results = await tab.evaluate(async (base: string) => {
      const get = await fetch(`${base}/?Action=GetVpcPeerConnectionAttribute&Version=2022-01-01&InstanceId=pcc-lnk0m24khwvtkm7q2j1x`);
      const post = await fetch(`${base}/`, {
        method: 'POST',
        headers: { 'x-acs-action': 'CreateVpcPeerConnection', 'x-acs-version': '2022-01-01', 'content-type': 'application/x-www-form-urlencoded' },
        body: 'RegionId=cn-hangzhou&VpcId=vpc-a&AcceptingAliUid=1250123456123458&AcceptingRegionId=cn-shanghai&AcceptingVpcId=vpc-b',
      });
      const error = await fetch(`${base}/?Action=AcceptVpcPeerConnection&Version=2022-01-01&InstanceId=pcc-1`, {
        method: 'POST',
        headers: { prefer: 'code=400, example=IncorrectStatus.VpcPeer' },
      });
      return {
        origin: location.origin,
        get: { status: get.status, body: await get.json() },
        post: { status: post.status, body: await post.json() },
        error: { status: error.status, body: await error.json() },
      };
    }, mock.baseUrl);
    expect(results.origin).not.toBe(mock.baseUrl);
    expect(results.get.status).toBe(200);
    expect(results.get.body.Status).toBe('Activated');
    expect(results.post.status).toBe(200);
    expect(results.post.body.InstanceId).toMatch(/^pcc-/);
    expect(results.error.status).toBe(400);
    expect(results.error.body.Code).toBe('IncorrectStatus.VpcPeer');
    // Chromium sends preflights itself (invisible to the page); the mock's log shows them.
    expect(mock.lines.filter((l) => l.startsWith('OPTIONS - 204')).length).toBeGreaterThanOrEqual(1);
    await tab.close();
  });
});
