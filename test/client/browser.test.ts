/**
 * The client in a browser: src/client/index.ts bundled by esbuild for `platform: 'browser'`
 * (which fails on any Node built-in import), loaded into a page of another origin in headless
 * Chromium, makes V3-signed calls to the mock with WebCrypto and reads success and error.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.ts';
import { startMock, type RunningMock } from '../helpers/mock.ts';
import { contract } from '../../src/contract/index.ts';

let mock: RunningMock;
let page: Server;
let pageUrl: string;
let browser: Browser;
let bundle: string;

beforeAll(async () => {
  const out = await build({
    entryPoints: ['src/client/index.ts'],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'VpcPeer',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
  });
  bundle = out.outputFiles[0]!.text;
  mock = await startMock({ logLevel: 'silent' });
  page = createServer((req, res) => {
    if (req.url === '/client.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(bundle);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>console</title><script src="/client.js"></script>');
  });
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://localhost:${(page.address() as AddressInfo).port}/`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await mock?.close();
  await new Promise((resolve) => page?.close(resolve));
});

describe('the typed client in Chromium', () => {
  it('bundles for the browser without Node built-ins and without @alicloud/credentials', () => {
    expect(bundle).not.toMatch(/require\(["']node:/);
    expect(bundle).not.toContain('@alicloud/credentials');
  });

  it('carries the wire facts, not the whole contract (no document keys, a fraction of its size)', () => {
    expect(bundle).not.toContain('jsonSchemaDialect');
    expect(bundle).not.toContain('x-acs-lifecycle');
    expect(bundle).not.toContain('"components"');
    expect(bundle).toContain('CreateVpcPeerConnection');
    // The bundled document alone is about 200 KB; the whole unminified client stays well under it.
    expect(bundle.length).toBeLessThan(JSON.stringify(contract.document).length / 2);
  });

  it('signs with WebCrypto, calls the mock across origins, parses int64 as strings, throws VpcPeerError', async () => {
    const tab = await browser.newPage();
    await tab.goto(pageUrl);
    const result = await tab.evaluate(async (endpoint: string) => {
      const { VpcPeerClient } = (globalThis as unknown as { VpcPeer: typeof import('../../src/client/index.ts') }).VpcPeer;
      const client = new VpcPeerClient({ endpoint, credentials: { accessKeyId: 'browser-id', accessKeySecret: 'browser-secret' } });
      const got = await client.getVpcPeerConnectionAttribute({ InstanceId: 'pcc-lnk0m24khwvtkm7q2j1x' });
      const v1 = new VpcPeerClient({ endpoint, credentials: { accessKeyId: 'browser-id', accessKeySecret: 'browser-secret' }, signatureVersion: 'v1' });
      const listed = await v1.listVpcPeerConnections({ VpcId: ['vpc-a', 'vpc-b'] });
      const failing = new VpcPeerClient({ endpoint, credentials: 'anonymous', headers: { prefer: 'code=400, example=IncorrectStatus.VpcPeer' } });
      const error = await failing.acceptVpcPeerConnection({ InstanceId: 'pcc-1' }).catch((e: { name: string; code: string; httpStatus: number }) => ({ name: e.name, code: e.code, httpStatus: e.httpStatus }));
      return { ownerType: typeof got.OwnerId, owner: got.OwnerId, listed: Array.isArray(listed.VpcPeerConnects), error, secure: isSecureContext };
    }, mock.baseUrl);
    expect(result).toMatchObject({ ownerType: 'string', listed: true, secure: true, error: { name: 'VpcPeerError', code: 'IncorrectStatus.VpcPeer', httpStatus: 400 } });
    expect(result.owner).toMatch(/^\d+$/);
    await tab.close();
  });
});
