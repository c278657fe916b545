/**
 * `npm run docs` checked in a real browser: the built reference opens from file:// in Debian's
 * headless Chromium with every non-file request blocked, shows all eleven Actions, on
 * CreateVpcPeerConnection the parameters above its error codes (each linked to its one anchor on
 * the Error codes page), the life-cycle diagram; the Error codes page is reachable from the
 * sidebar and every code on it is found by the browser's own find on load; nothing logs a
 * console error or asks for anything from the network. The screenshot goes to
 * dist/reference-screenshot.png (ignored); `npm run docs:screenshot` also refreshes the
 * committed docs/reference-screenshot.png.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleSpec, specEntry } from '../../src/contract/bundle.ts';
import { codeAnchor, collectCodes, commonCodeSet, ERROR_PAGE } from '../../src/review/error-codes.ts';
import { errorCodes, listActions } from '../../src/review/openapi.ts';
import { launchChromium } from '../helpers/chromium.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Written on every run, in an ignored folder: `npm test` leaves the work tree clean. */
const SCREENSHOT = path.join(repoRoot, 'dist', 'reference-screenshot.png');
/** The committed picture, refreshed only by `npm run docs:screenshot` (UPDATE_SCREENSHOT=1). */
const COMMITTED_SCREENSHOT = path.join(repoRoot, 'docs', 'reference-screenshot.png');
const LOCAL = /^(file|data|blob|about):/;

let outDir: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let actions: string[];
let actionTags: Array<{ action: string; tag: string }>;
let createCodes: ReturnType<typeof errorCodes>;
let bundle: Record<string, unknown>;
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

  bundle = await bundleSpec(specEntry);
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

  it('on CreateVpcPeerConnection: how the request is formed, then the parameters, then its error codes', async () => {
    await page.locator('a[href$="#Action=CreateVpcPeerConnection"]').first().click();
    const title = page.getByRole('heading', { name: 'CreateVpcPeerConnection', exact: true });
    await title.waitFor({ timeout: 10_000 });

    const request = page.getByRole('heading', { name: 'How the request is formed' }).first();
    await request.scrollIntoViewIfNeeded();
    await expect.poll(() => request.isVisible(), { timeout: 10_000 }).toBe(true);

    const common = commonCodeSet(bundle);
    const own = createCodes.filter((c) => !common.has(c.code));
    const quota = own.find((c) => c.code === 'QuotaExceeded.VpcPeerCountPerVpc') ?? own[0];
    if (quota === undefined) throw new Error('CreateVpcPeerConnection documents no code of its own');
    // The code's row links to its one anchor on the Error codes page.
    const link = page.locator(`a[href="${ERROR_PAGE}#${codeAnchor(quota.code)}"]`).first();
    await link.scrollIntoViewIfNeeded();
    await expect.poll(() => link.isVisible(), { timeout: 10_000 }).toBe(true);
    const row = link.locator('xpath=ancestor::tr[1]');
    expect(await row.locator('td').nth(1).innerText()).toContain(quota.message);
    // One row per code of its own under each error response.
    const rows = page.locator(`table:has(a[href^="${ERROR_PAGE}#code-"])`).filter({ hasText: quota.code }).locator('tbody tr');
    expect(await rows.count()).toBe(own.filter((c) => c.status === quota.status).length);

    const y = (l: ReturnType<typeof page.locator>) => l.evaluate((e) => e.getBoundingClientRect().top + window.scrollY);
    // Create is the first operation: the first parameter headings of the page are its own.
    const body = page.getByRole('heading', { name: 'Body', exact: true }).first();
    const query = page.getByRole('heading', { name: 'Query Parameters', exact: true }).first();
    const [titleY, requestY, queryY, bodyY, codeY] = [await y(title), await y(request), await y(query), await y(body), await y(link)];
    expect(titleY).toBeLessThan(requestY);
    expect(requestY).toBeLessThan(queryY);
    expect(queryY).toBeLessThan(bodyY);
    expect(bodyY).toBeLessThan(codeY);
  });

  it('shows the life-cycle diagram (an offline SVG) and the main path with CreateVpcPeerConnection', async () => {
    const lifecycle = page.getByRole('heading', { name: 'Status life cycle' }).first();
    await lifecycle.scrollIntoViewIfNeeded();
    await expect.poll(() => lifecycle.isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => page.getByText('Creating → Accepting → Updating → Activated → Deleting → Deleted').first().isVisible(), { timeout: 10_000 }).toBe(true);
    const diagram = page.locator('img[src="lifecycle.svg"]').first();
    await diagram.scrollIntoViewIfNeeded();
    await expect.poll(() => diagram.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth), { timeout: 10_000 }).toBeGreaterThan(400);
  });

  it('reaches the Error codes page from the sidebar; every code has one anchor and is found by the browser\'s find on load', async () => {
    const entry = page.getByRole('complementary').first().locator('a[href="#description/error-codes"]');
    await expect.poll(() => entry.count(), { timeout: 10_000 }).toBe(1);
    await entry.click();
    const link = page.locator(`a[href="${ERROR_PAGE}"]`).first();
    await expect.poll(() => link.isVisible(), { timeout: 10_000 }).toBe(true);
    const errorsPage = await context.newPage();
    errorsPage.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`error page: ${message.text()}`);
    });
    await errorsPage.goto(new URL(String(await link.getAttribute('href')), page.url()).href, { waitUntil: 'load' });
    expect(errorsPage.url()).toMatch(/\/error-codes\.html$/);
    const codes = collectCodes(bundle);
    const ids = await errorsPage.locator('tr[id^="code-"]').evaluateAll((rows) => rows.map((r) => r.id));
    expect(ids).toEqual(codes.map((c) => codeAnchor(c.code)));
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of [codes[0], codes[codes.length - 1], codes.find((x) => x.code === 'IncorrectStatus.VpcPeer')]) {
      if (c === undefined) throw new Error('no code to look for');
      // window.find is what Ctrl+F uses: the code must be on the page as text, not drawn later.
      expect(await errorsPage.evaluate((text) => (window as unknown as { find(s: string, caseSensitive: boolean, backwards: boolean, wrapAround: boolean): boolean }).find(text, true, false, true), c.code), c.code).toBe(true);
    }
    await errorsPage.goto(`${errorsPage.url()}#${codeAnchor('IncorrectStatus.VpcPeer')}`);
    await expect.poll(() => errorsPage.locator(`tr#${codeAnchor('IncorrectStatus.VpcPeer').replace(/\./g, '\\.')}`).isVisible()).toBe(true);
    await errorsPage.close();
  });

  it('saves a screenshot of CreateVpcPeerConnection for reviewers (dist/, or docs/ with UPDATE_SCREENSHOT=1)', async () => {
    await page.locator('a[href$="#Action=CreateVpcPeerConnection"]').first().click();
    await page.getByRole('heading', { name: 'CreateVpcPeerConnection', exact: true }).scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, -80));
    await page.waitForTimeout(500);
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(50_000);
    if (process.env.UPDATE_SCREENSHOT === '1') {
      copyFileSync(SCREENSHOT, COMMITTED_SCREENSHOT);
      expect(readFileSync(COMMITTED_SCREENSHOT).equals(readFileSync(SCREENSHOT))).toBe(true);
    }
  });

  it('with --try-it aimed at a local mock, still sends nothing on its own', async () => {
    const tryDir = mkdtempSync(path.join(tmpdir(), 'vpcpeer-docs-try-'));
    try {
      const build = spawnSync(path.join(repoRoot, 'node_modules', '.bin', 'tsx'), [path.join(repoRoot, 'src', 'cli', 'docs.ts'), '--out', tryDir, '--try-it', 'http://127.0.0.1:9'], { cwd: repoRoot, encoding: 'utf8' });
      expect(build.status, build.stderr).toBe(0);
      const probe = await browser.newContext();
      const seen: string[] = [];
      const refused: string[] = [];
      await guard(probe, refused, seen);
      const p = await probe.newPage();
      const errors: string[] = [];
      p.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      await p.goto(pathToFileURL(path.join(tryDir, 'index.html')).href, { waitUntil: 'load' });
      await p.getByRole('heading', { level: 1, name: /VPC Peering API/ }).waitFor({ timeout: 20_000 });
      await p.locator('a[href$="#Action=CreateVpcPeerConnection"]').first().click();
      await p.waitForTimeout(1000);
      expect(refused).toEqual([]);
      expect(seen.filter((url) => !LOCAL.test(url))).toEqual([]);
      expect(errors).toEqual([]);
      await probe.close();
    } finally {
      rmSync(tryDir, { recursive: true, force: true });
    }
  }, 90_000);

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
