/**
 * `npm run bench:emulator [-- --rounds 3 --duration 5 --connections 10]`
 *
 * Side by side, in one run, on loopback: the emulator (full request validation, GET-style
 * reads answered from a store of 1,000 connections: GetVpcPeerConnectionAttribute and a
 * 20-item ListVpcPeerConnections page), our mock (Get and List), the stock `prism mock` CLI
 * 5.14.2 (Get), and a bare `node:http` server returning the same JSON (the ceiling). Servers are measured in
 * alternation within each round, so load from other processes hits all of them alike; quote
 * the ratios. Then the emulator's store is grown to 10,000 connections and its peak RSS read.
 * Last, Create is measured in memory and with `--state` (every change journaled and flushed
 * with fdatasync before its answer) at 1,000 and 20,000 stored connections, p50/p99.
 *
 * The emulator runs from an esbuild bundle of src/cli/emulator.ts (as the mock does), so the
 * figures do not include a TypeScript loader.
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { build } from 'esbuild';
import { root } from '../src/contract/bundle.ts';
import { measureRounds, median, peakRss, startServer, STOCK_PRISM_CLI, stopAll, stopServer, writeRoutableCopy } from './bench-lib.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
  },
});
const rounds = Number(values.rounds);
const duration = Number(values.duration);
const connections = Number(values.connections);

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
/** Stock Prism enforces the contract's security scheme: signing material present (not verified). */
const SIGNED_FORM = { ...FORM, authorization: 'ACS3-HMAC-SHA256 Credential=LTAI5tBench,SignedHeaders=host;x-acs-action,Signature=00' };
const UID = '1210123456123456';
const VPCS = 210; // 210 VPCs → 21,945 distinct pairs in one region

interface Target {
  name: string;
  path: string;
  body: string;
  headers: Record<string, string>;
  port: () => number;
  reqPerSec: number[];
  p50: number[];
  p99: number[];
}

const vpc = (i: number) => `vpc-bp1bench${String(i).padStart(4, '0')}`;

/** Every distinct VPC pair of the bench world, in a fixed order. */
function allPairs(): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < VPCS; i += 1) for (let j = i + 1; j < VPCS; j += 1) pairs.push([i, j]);
  return pairs;
}

const createBody = ([i, j]: [number, number]) =>
  new URLSearchParams({ RegionId: 'cn-hangzhou', VpcId: vpc(i), AcceptingAliUid: UID, AcceptingRegionId: 'cn-hangzhou', AcceptingVpcId: vpc(j), Name: `bench-${i}-${j}` }).toString();

/** `amount` Creates over fresh pairs (from index `from`), `connections` at a time: p50/p99 and req/s. */
async function measureCreates(port: number, from: number, amount: number): Promise<{ reqPerSec: number; p50: number; p99: number; non2xx: number }> {
  const pairs = allPairs().slice(from, from + amount);
  let next = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    amount: pairs.length,
    connections,
    requests: [
      {
        method: 'POST',
        path: '/?Action=CreateVpcPeerConnection&Version=2022-01-01',
        headers: FORM,
        setupRequest: (req: Record<string, unknown>) => ({ ...req, body: createBody(pairs[next++ % pairs.length]!) }),
      },
    ],
  });
  return { reqPerSec: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx };
}

/** Creates connections until the store holds `total`, over distinct VPC pairs. */
async function seed(port: number, from: number, total: number): Promise<string[]> {
  const ids: string[] = [];
  let n = 0;
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < VPCS && pairs.length < total; i += 1) for (let j = i + 1; j < VPCS && pairs.length < total; j += 1) pairs.push([i, j]);
  const todo = pairs.slice(from, total);
  const batch = 50;
  for (let k = 0; k < todo.length; k += batch) {
    const answers = await Promise.all(
      todo.slice(k, k + batch).map(async ([i, j]) => {
        const body = new URLSearchParams({ RegionId: 'cn-hangzhou', VpcId: vpc(i), AcceptingAliUid: UID, AcceptingRegionId: 'cn-hangzhou', AcceptingVpcId: vpc(j), Name: `bench-${i}-${j}` });
        const res = await fetch(`http://127.0.0.1:${port}/?Action=CreateVpcPeerConnection&Version=2022-01-01`, { method: 'POST', headers: FORM, body: body.toString() });
        const json = (await res.json()) as { InstanceId?: string; Code?: string };
        if (!json.InstanceId) throw new Error(`seeding failed: ${JSON.stringify(json)}`);
        return json.InstanceId;
      }),
    );
    ids.push(...answers);
    n += answers.length;
  }
  void n;
  return ids;
}

async function main(): Promise<void> {
  const work = await mkdtemp(path.join(tmpdir(), 'vpcpeer-bench-emulator-'));
  try {
    const emulatorBundle = path.join(work, 'emulator.mjs');
    await build({
      entryPoints: [path.join(root, 'src', 'cli', 'emulator.ts')],
      outfile: emulatorBundle,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      minifyWhitespace: true,
      minifySyntax: true,
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
      logLevel: 'warning',
    });
    const config = path.join(work, 'config.json');
    await writeFile(
      config,
      JSON.stringify({
        accounts: [{ name: 'bench', uid: UID, accessKeys: [{ id: 'LTAI5tBench', secret: 'bench-secret' }] }],
        delays: { createMs: 0 },
        quotas: { perAccountPerRegion: 100_000, intraRegionPerVpc: 100_000, crossRegionPerVpc: 100_000, maxConnections: 100_000 },
        world: { accounts: { [UID]: { resourceGroups: ['rg-bench'], vpcs: { 'cn-hangzhou': Array.from({ length: VPCS }, (_, i) => ({ VpcId: vpc(i), Ipv4Cidrs: [`10.${i}.0.0/16`], Ipv6Cidrs: [] })) } } } },
      }),
    );
    const { file: routable, doc } = await writeRoutableCopy(work);
    const fixed = JSON.stringify(doc.paths['/GetVpcPeerConnectionAttribute'].post.responses['200'].content['application/json'].examples.Activated.value);
    const bare = path.join(work, 'bare.mjs');
    await writeFile(
      bare,
      // Answers fixed JSON: the Get example, or (for /list) the List page read from the file named by argv[3].
      `import http from 'node:http';\nimport { readFileSync } from 'node:fs';\nconst get = ${JSON.stringify(fixed)};\nconst list = process.argv[3] ? readFileSync(process.argv[3], 'utf8') : get;\nhttp.createServer((req, res) => { req.resume(); req.on('end', () => { const body = req.url === '/list' ? list : get; res.writeHead(200, {'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(body)}); res.end(body); }); }).listen(Number(process.argv[2]), '127.0.0.1');\n`,
    );
    const node = process.execPath;
    const get = (port: number, body: string, q = 'Action=GetVpcPeerConnectionAttribute&Version=2022-01-01') =>
      fetch(`http://127.0.0.1:${port}/?${q}`, { method: 'POST', headers: FORM, body }).then((r) => r.status === 200 || r.status === 400);

    const emulator = await startServer('emulator', [node, emulatorBundle, '--port', '{port}', '--config', config, '--log-level', 'silent'], (p) => get(p, 'InstanceId=pcc-x'));
    const mock = await startServer('mock', [node, 'scripts/mock-bundle.mjs', '--port', '{port}', '--log-level', 'silent'], (p) => get(p, 'InstanceId=pcc-x'));
    // The yardstick the Get target was first set against: Prism as it ships (our mock now precomputes Prism's answers).
    const stock = await startServer('stock prism mock', [node, STOCK_PRISM_CLI, 'mock', routable, '--port', '{port}', '--host', '127.0.0.1'], (p) =>
      fetch(`http://127.0.0.1:${p}/GetVpcPeerConnectionAttribute`, { method: 'POST', headers: SIGNED_FORM, body: 'InstanceId=pcc-x' }).then((r) => r.status === 200));
    const began = performance.now();
    const ids = await seed(emulator.port, 0, 1000);
    console.log(`Seeded 1,000 connections through CreateVpcPeerConnection in ${Math.round(performance.now() - began)} ms.`);
    const listPath = '/?Action=ListVpcPeerConnections&Version=2022-01-01';
    const listBody = 'RegionId=cn-hangzhou&MaxResults=20';
    // The ceiling for List answers the very page the emulator returns, byte for byte.
    const page = path.join(work, 'list-page.json');
    await writeFile(page, await (await fetch(`http://127.0.0.1:${emulator.port}${listPath}`, { method: 'POST', headers: FORM, body: listBody })).text());
    const ceiling = await startServer('bare', [node, bare, '{port}', page], (p) => get(p, ''));
    const getPath = '/?Action=GetVpcPeerConnectionAttribute&Version=2022-01-01';
    const targets: Target[] = [
      { name: 'emulator: Get (1,000 stored)', path: getPath, body: `InstanceId=${ids[500]}`, headers: FORM, port: () => emulator.port, reqPerSec: [], p50: [], p99: [] },
      { name: 'emulator: List, 20 per page', path: listPath, body: listBody, headers: FORM, port: () => emulator.port, reqPerSec: [], p50: [], p99: [] },
      { name: 'our mock: Get', path: getPath, body: `InstanceId=${ids[500]}`, headers: FORM, port: () => mock.port, reqPerSec: [], p50: [], p99: [] },
      { name: 'stock `prism mock` CLI: Get', path: '/GetVpcPeerConnectionAttribute', body: `InstanceId=${ids[500]}`, headers: SIGNED_FORM, port: () => stock.port, reqPerSec: [], p50: [], p99: [] },
      { name: 'bare node:http, Get JSON (ceiling)', path: '/', body: `InstanceId=${ids[500]}`, headers: FORM, port: () => ceiling.port, reqPerSec: [], p50: [], p99: [] },
      { name: 'our mock: List', path: listPath, body: listBody, headers: FORM, port: () => mock.port, reqPerSec: [], p50: [], p99: [] },
      { name: 'bare node:http, same List page', path: '/list', body: listBody, headers: FORM, port: () => ceiling.port, reqPerSec: [], p50: [], p99: [] },
    ];
    const load = (t: Target, seconds: number) =>
      autocannon({ url: `http://127.0.0.1:${t.port()}${t.path}`, method: 'POST', headers: t.headers, body: t.body, connections, duration: seconds });

    console.log(`Benchmark: ${rounds} rounds x ${duration}s per target, ${connections} connections, POST with a form body, loopback.`);
    await measureRounds(targets, rounds, duration, load);
    const rss1k = await peakRss(emulator.child.pid!);
    const mockRss = await peakRss(mock.child.pid!);
    const bareRss = await peakRss(ceiling.child.pid!);
    const stockRss = await peakRss(stock.child.pid!);
    await stopServer(stock.child);

    const grown = performance.now();
    await seed(emulator.port, 1000, 10_000);
    console.log(`Grew the store to 10,000 connections in ${Math.round(performance.now() - grown)} ms.`);
    const after = { ...targets[1]!, name: 'emulator: List (10,000 stored)', reqPerSec: [], p50: [], p99: [] } as Target;
    const r10k = await load(after, duration);
    after.reqPerSec.push(r10k.requests.average);
    after.p50.push(r10k.latency.p50);
    after.p99.push(r10k.latency.p99);
    const getAfter = { ...targets[0]!, name: 'emulator: Get (10,000 stored)', reqPerSec: [], p50: [], p99: [] } as Target;
    const g10k = await load(getAfter, duration);
    getAfter.reqPerSec.push(g10k.requests.average);
    getAfter.p50.push(g10k.latency.p50);
    getAfter.p99.push(g10k.latency.p99);
    const rss10k = await peakRss(emulator.child.pid!);

    // Create, durable (--state: journal + fdatasync before each answer) at 1,000 and 20,000 stored,
    // and in memory (no --state) at 10,000 stored, 1,000 fresh pairs each.
    const creates: Array<{ target: string; reqPerSec: number; p50: number; p99: number; non2xx: number; rss: number }> = [];
    const memory = await measureCreates(emulator.port, 10_000, 1000);
    creates.push({ target: 'emulator: Create, in memory (10,000 stored)', ...memory, rss: await peakRss(emulator.child.pid!) });
    const stateFile = path.join(work, 'state.json');
    const durable = await startServer('emulator --state', [node, emulatorBundle, '--port', '{port}', '--config', config, '--log-level', 'silent', '--state', stateFile], (p) => get(p, 'InstanceId=pcc-x'));
    await seed(durable.port, 0, 1000);
    creates.push({ target: 'emulator: Create, --state (1,000 stored)', ...(await measureCreates(durable.port, 1000, 1000)), rss: await peakRss(durable.child.pid!) });
    const grownState = performance.now();
    await seed(durable.port, 2000, 20_000);
    console.log(`Grew the --state store to 20,000 connections in ${Math.round(performance.now() - grownState)} ms.`);
    creates.push({ target: 'emulator: Create, --state (20,000 stored)', ...(await measureCreates(durable.port, 20_000, 1000)), rss: await peakRss(durable.child.pid!) });
    const { size: journalBytes } = await stat(`${stateFile}.journal`).catch(() => ({ size: 0 }));
    const { size: snapshotBytes } = await stat(stateFile).catch(() => ({ size: 0 }));
    // Stop it before its folder is removed (it writes a last snapshot on SIGTERM).
    await stopServer(durable.child);

    const [eGet, eList, prism, stockGet, bareT, prismList, bareList] = targets as [Target, Target, Target, Target, Target, Target, Target];
    const rssOf = new Map<Target, number>([[eGet, rss1k], [eList, rss1k], [prism, mockRss], [stockGet, stockRss], [bareT, bareRss], [prismList, mockRss], [bareList, bareRss], [after, rss10k], [getAfter, rss10k]]);
    console.table(
      [...targets, getAfter, after].map((t) => ({
        target: t.name,
        'req/s (median)': Math.round(median(t.reqPerSec)),
        'p50 ms': median(t.p50),
        'p99 ms': median(t.p99),
        'peak RSS MB': Math.round(rssOf.get(t)!),
      })),
    );
    console.table(creates.map((c) => ({ target: c.target, 'req/s': Math.round(c.reqPerSec), 'p50 ms': c.p50, 'p99 ms': c.p99, 'non-2xx': c.non2xx, 'peak RSS MB': Math.round(c.rss) })));
    console.log(`state files after 21,000 creates: snapshot ${(snapshotBytes / 1e6).toFixed(1)} MB, journal ${(journalBytes / 1e6).toFixed(1)} MB (each create appends one line; the snapshot is rewritten only when the journal outgrows it)`);
    for (const c of creates.slice(1)) console.log(`${c.target}: p99 ${c.p99} ms   (target < 5 ms at ${connections} connections)`);
    const ratio = (a: Target, b: Target) => (median(a.reqPerSec) / median(b.reqPerSec)).toFixed(2);
    console.log(`emulator Get  / bare node:http (same Get JSON):   ${ratio(eGet, bareT)}x   (target >= 0.50)`);
    console.log(`emulator List / bare node:http (same List page):  ${ratio(eList, bareList)}x   (target >= 0.50)`);
    console.log(`emulator List / bare node:http (Get JSON):        ${ratio(eList, bareT)}x`);
    console.log(`emulator Get  / stock prism mock CLI Get:         ${ratio(eGet, stockGet)}x   (target >= 5, set when our mock was Prism per request)`);
    console.log(`emulator Get  / our mock Get:                     ${ratio(eGet, prism)}x   (our mock now serves Prism's answers precomputed: ${ratio(prism, stockGet)}x stock)`);
    console.log(`emulator List / our mock List:                    ${ratio(eList, prismList)}x   (the mock answers its 2-item example)`);
    console.log(`emulator p99 at ${connections} connections: Get ${median(eGet.p99)} ms, List ${median(eList.p99)} ms   (target < 10 ms)`);
    console.log(`emulator peak RSS with 10,000 stored: ${Math.round(rss10k)} MB   (target < 150 MB)`);
  } finally {
    stopAll();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
