/**
 * `npm run bench:mock [-- --rounds 3 --duration 5 --connections 10]`
 *
 * Side by side, in one run, on loopback: our mock as `npm start` runs it (the dist/bin/mock.mjs
 * bundle, built first; default logging, and silent), the stock
 * `prism mock` CLI serving an equivalent routable copy of the contract (paths `/<Action>`), and a
 * bare `node:http` server returning the same JSON (the ceiling on this machine). Servers are
 * measured in alternation within each round, so load from other processes hits all of them
 * alike; the figures to quote are the ratios. Prints req/s, p50/p99 latency, startup time to the
 * first answer and peak RSS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { root } from '../src/contract/bundle.ts';
import { measureRounds, median, peakRss, startServer, STOCK_PRISM_CLI, stopAll, stopServer, writeRoutableCopy } from './bench-lib.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    starts: { type: 'string', default: '3' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
  },
});
const rounds = Number(values.rounds);
const starts = Number(values.starts);
const duration = Number(values.duration);
const connections = Number(values.connections);

/** The measured request: POST with a form body, as the SDKs send it (signature material present, not verified). */
const ACTION = 'GetVpcPeerConnectionAttribute';
const BODY = 'InstanceId=pcc-lnk0m24khwvtkm7q2j1x';
const HEADERS = {
  'content-type': 'application/x-www-form-urlencoded',
  authorization: 'ACS3-HMAC-SHA256 Credential=LTAI5tBench,SignedHeaders=host;x-acs-action,Signature=00',
};

interface Target {
  name: string;
  /** Path and query of the measured request. */
  url: string;
  command: string[];
  process?: ChildProcess;
  port?: number;
  startupMs: number[];
  reqPerSec: number[];
  p50: number[];
  p99: number[];
  peakRssMb?: number;
}

async function start(target: Target): Promise<void> {
  const url = (port: number) => `http://127.0.0.1:${port}${target.url}`;
  const started = await startServer(target.name, target.command, async (port) => {
    const res = await fetch(url(port), { method: 'POST', headers: HEADERS, body: BODY });
    return res.status === 200;
  });
  target.port = started.port;
  target.process = started.child;
  target.startupMs.push(started.startupMs);
}

async function load(target: Target, seconds: number): Promise<autocannon.Result> {
  return autocannon({ url: `http://127.0.0.1:${target.port}${target.url}`, method: 'POST', headers: HEADERS, body: BODY, connections, duration: seconds });
}

async function main(): Promise<void> {
  const work = await mkdtemp(path.join(tmpdir(), 'vpcpeer-bench-'));
  try {
    const { file: routable, doc } = await writeRoutableCopy(work);
    const body = JSON.stringify(
      (doc.paths[`/${ACTION}`] as any).post.responses['200'].content['application/json'].examples.Activated.value,
    );
    const bare = path.join(work, 'bare.mjs');
    await writeFile(
      bare,
      `import http from 'node:http';\nconst body = ${JSON.stringify(body)};\nhttp.createServer((req, res) => { res.writeHead(200, {'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(body)}); res.end(body); }).listen(Number(process.argv[2]), '127.0.0.1');\n`,
    );
    const node = process.execPath;
    const ours = `/?Action=${ACTION}&Version=2022-01-01`;
    const targets: Target[] = [
      { name: 'our mock (log: one line/request)', url: ours, command: [node, 'dist/bin/mock.mjs', '--port', '{port}', '--log-level', 'info'], reqPerSec: [], p50: [], p99: [], startupMs: [] },
      { name: 'our mock (log: silent)', url: ours, command: [node, 'dist/bin/mock.mjs', '--port', '{port}', '--log-level', 'silent'], reqPerSec: [], p50: [], p99: [], startupMs: [] },
      { name: 'stock `prism mock` CLI 5.14.2', url: `/${ACTION}`, command: [node, STOCK_PRISM_CLI, 'mock', routable, '--port', '{port}', '--host', '127.0.0.1'], reqPerSec: [], p50: [], p99: [], startupMs: [] },
      { name: 'bare node:http (ceiling)', url: '/', command: [node, bare, '{port}'], reqPerSec: [], p50: [], p99: [], startupMs: [] },
    ];

    console.log(`Benchmark: ${starts} cold starts and ${rounds} rounds x ${duration}s per server, ${connections} connections, POST ${ACTION} with a form body, loopback.`);
    // Build the mock bundle once up front, so no start-up below includes a rebuild.
    await new Promise<void>((resolve, reject) => {
      const build = spawn(node, ['scripts/mock-bundle.mjs', '--build-only'], { cwd: root, stdio: 'inherit' });
      build.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`bundle build failed (${code})`))));
    });
    for (let run = 1; run < starts; run += 1) {
      for (const t of targets) {
        await start(t);
        await stopServer(t.process!);
      }
    }
    for (const t of targets) await start(t);
    await measureRounds(targets, rounds, duration, load);
    for (const t of targets) t.peakRssMb = await peakRss(t.process!.pid!);

    const [logged, silent, stock, ceiling] = targets as [Target, Target, Target, Target];
    const rows = targets.map((t) => ({
      server: t.name,
      'req/s (median)': Math.round(median(t.reqPerSec)),
      'p50 ms': median(t.p50),
      'p99 ms': median(t.p99),
      'startup ms (median)': Math.round(median(t.startupMs)),
      'peak RSS MB': Math.round(t.peakRssMb!),
    }));
    console.table(rows);
    const ratio = (a: Target, b: Target) => (median(a.reqPerSec) / median(b.reqPerSec)).toFixed(2);
    console.log(`our mock / stock prism CLI throughput:   ${ratio(logged, stock)}x   (target >= 5x)`);
    console.log(`our mock / bare node:http throughput:    ${ratio(logged, ceiling)}x`);
    console.log(`our mock logging one line vs silent:     ${ratio(logged, silent)}x   (1.00 = logging costs nothing)`);
    console.log(`our mock startup to first answer:        ${Math.round(median(logged.startupMs))} ms (median of ${starts})   (target <= 1500 ms)`);
    console.log(`our mock peak RSS under load:            ${Math.round(logged.peakRssMb!)} MB   (target <= 150 MB)`);
  } finally {
    stopAll();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
