/**
 * `npm run docs` checked in a real browser: the built reference opens from file:// in Debian's
 * headless Chromium with every non-file request blocked, shows all eleven Actions, the error-code
 * table of CreateVpcPeerConnection and its life cycle, logs no console error and asks for nothing
 * from the network. It saves docs/reference-screenshot.png for reviewers (named in the README).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleSpec, specEntry } from '../../src/contract/bundle.ts';
import { errorCodes, listActions } from '../../src/review/openapi.ts';
import { launchChromium } from '../helpers/chromium.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCREENSHOT = path.join(repoRoot, 'docs', 'reference-screenshot.png');
const LOCAL = /^(file|data|blob|about):/;

let outDir: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let actions: string[];
let actionTags: Array<{ action: string; tag: string }>;
let createCodes: ReturnType<typeof errorCodes>;
const requests: string[] = [];
const blocked: string[] = [];
const consoleErrors: string[] = [];

/** Nothing but local content may load: any other request is recorded in `blocked` and refused. */
async function guard(ctx: BrowserContext, blockedSink: string[], requestSink: string[]): Promise<void> {
  await ctx.route('**/*', async (route) => {
    const url = route.request().url();
    if (LOCAL.test(url)) return route.continue();
    blockedSink.push(url);
    return route.abort('blockedbyclient');
  });
  ctx.on('request', (request) => requestSink.push(request.url()));
}

beforeAll(async () => {
  outDir = mkdtempSync(path.join(tmpdir(), 'vpcpeer-docs-'));
  // Exactly what `npm run docs` runs, into a temporary folder.
  const build = spawnSync(path.join(repoRoot, 'node_modules', '.bin', 'tsx'), [path.join(repoRoot, 'src', 'cli', 'docs.ts'), '--out', outDir], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`npm run docs failed (${build.status}):\n${build.stderr}${build.stdout}`);

  const bundle = await bundleSpec(specEntry);
  const ops = listActions(bundle);
  actions = ops.map((o) => o.action);
  actionTags = ops.map((o) => ({ action: o.action, tag: String((o.operation.tags as string[] | undefined)?.[0]) }));
  const create = ops.find((o) => o.action === 'CreateVpcPeerConnection');
  if (create === undefined) throw new Error('CreateVpcPeerConnection is missing from the contract');
  createCodes = errorCodes(bundle, create.operation);

  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1440, height: 2200 }, deviceScaleFactor: 1 });
  await guard(context, blocked, requests);
  page = await context.newPage();
  page.on('websocket', (ws) => blocked.push(ws.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  await page.goto(pathToFileURL(path.join(outDir, 'index.html')).href, { waitUntil: 'load' });
  await page.getByRole('heading', { level: 1, name: /VPC Peering API/ }).waitFor({ timeout: 20_000 });
});

afterAll(async () => {
  await browser?.close();
  if (outDir !== undefined) rmSync(outDir, { recursive: true, force: true });
});

describe('the offline reference in Chromium', () => {
  it('lists all 11 Actions in the sidebar by name, under their tag', async () => {
    expect(actions).toHaveLength(11);
    const sidebar = page.getByRole('complementary').first();
    for (const { action, tag } of actionTags) {
      const group = sidebar.getByRole('listitem').filter({ has: page.getByRole('link', { name: tag, exact: true }) });
      const link = group.locator(`a[href$="#Action=${action}"]`);
      await expect.poll(() => link.count(), { message: `${action} under ${tag}`, timeout: 10_000 }).toBeGreaterThan(0);
      expect((await link.first().innerText()).trim().startsWith(action)).toBe(true);
      expect(await link.first().isVisible()).toBe(true);
    }
    expect(new Set(actionTags.map((a) => a.tag))).toEqual(new Set(['Lifecycle', 'Queries', 'Tags and resource groups']));
  });

  it('shows how the request is formed and the error-code table for CreateVpcPeerConnection', async () => {
    await page.locator('a[href$="#Action=CreateVpcPeerConnection"]').first().click();
    const title = page.getByRole('heading', { name: 'CreateVpcPeerConnection', exact: true });
    await title.waitFor({ timeout: 10_000 });

    const request = page.getByRole('heading', { name: 'How the request is formed' }).first();
    await request.scrollIntoViewIfNeeded();
    await expect.poll(() => request.isVisible(), { timeout: 10_000 }).toBe(true);

    const heading = page.getByRole('heading', { name: 'Error codes of CreateVpcPeerConnection' });
    await heading.scrollIntoViewIfNeeded();
    await expect.poll(() => heading.isVisible(), { timeout: 10_000 }).toBe(true);
    // The table right after the heading has one row per documented code.
    const table = heading.locator('xpath=following-sibling::table[1]');
    await expect.poll(() => table.isVisible(), { timeout: 10_000 }).toBe(true);
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(createCodes.length);
    const headers = await table.locator('thead th').allInnerTexts();
    expect(headers.map((h) => h.trim())).toEqual(['HTTP', 'Code', 'Message template, and when it happens']);
    const quota = createCodes.find((c) => c.code === 'QuotaExceeded.VpcPeerCountPerVpc') ?? createCodes[0];
    if (quota === undefined) throw new Error('CreateVpcPeerConnection documents no error code');
    const row = rows.filter({ hasText: quota.code });
    await row.first().scrollIntoViewIfNeeded();
    expect(await row.first().isVisible()).toBe(true);
    const cells = await row.first().locator('td').allInnerTexts();
    expect(cells[0]?.trim()).toBe(quota.status);
    expect(cells[2]).toContain(quota.message);
  });

  it('shows the status life cycle with CreateVpcPeerConnection', async () => {
    const lifecycle = page.getByRole('heading', { name: 'Status life cycle' }).first();
    await lifecycle.scrollIntoViewIfNeeded();
    await expect.poll(() => lifecycle.isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => page.getByText('Creating → Accepting → Updating → Activated → Deleting → Deleted').first().isVisible(), { timeout: 10_000 }).toBe(true);
  });

  it('saves a screenshot of CreateVpcPeerConnection for reviewers', async () => {
    await page.locator('a[href$="#Action=CreateVpcPeerConnection"]').first().click();
    await page.getByRole('heading', { name: 'CreateVpcPeerConnection', exact: true }).scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, -80));
    await page.waitForTimeout(500);
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(50_000);
  });

  it('has a request guard that does catch a remote resource (self-check)', async () => {
    const probe = await browser.newContext();
    const caught: string[] = [];
    await guard(probe, caught, []);
    const p = await probe.newPage();
    await p.setContent('<img src="https://fonts.example.com/probe.png">');
    await expect.poll(() => caught, { timeout: 10_000 }).toEqual(['https://fonts.example.com/probe.png']);
    await probe.close();
  });

  it('logged no console error and sent no request off the page', () => {
    expect(consoleErrors).toEqual([]);
    expect(blocked).toEqual([]);
    expect(requests.filter((url) => !LOCAL.test(url))).toEqual([]);
    expect(requests.length).toBeGreaterThan(0);
  });
});
