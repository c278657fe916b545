/**
 * What the benchmark scripts share: starting servers on free loopback ports (timed to their first
 * good answer), stopping them, reading peak RSS, medians, and the routable contract copy the
 * stock Prism CLI serves. Everything started is stopped by
 * `stopAll()`, whatever happened.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import type autocannon from 'autocannon';
import { bundlePath, root } from '../src/contract/bundle.ts';

const spawned: ChildProcess[] = [];

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface StartedServer {
  port: number;
  child: ChildProcess;
  /** Milliseconds from spawn to the first answer `probe` accepted. */
  startupMs: number;
}

/** Spawns `command` (`{port}` is replaced by a free port) and waits until `probe(port)` is true. */
export async function startServer(name: string, command: string[], probe: (port: number) => Promise<boolean>): Promise<StartedServer> {
  const port = await freePort();
  const args = command.map((a) => a.replace('{port}', String(port)));
  const began = performance.now();
  const child = spawn(args[0]!, args.slice(1), { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  spawned.push(child);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited during startup`);
    try {
      if (await probe(port)) return { port, child, startupMs: performance.now() - began };
    } catch {
      // not listening yet
    }
    if (performance.now() - began > 60_000) throw new Error(`${name} did not answer within 60 s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export function stopAll(): void {
  for (const child of spawned) if (child.exitCode === null) child.kill('SIGTERM');
}

/** Peak resident memory (VmHWM) of a process, in MB. */
export async function peakRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN;
}

/** A measured target: its name and one figure per round. */
export interface Measured {
  name: string;
  reqPerSec: number[];
  p50: number[];
  p99: number[];
}

/**
 * One 1-second warm-up per target, then `rounds` rounds in which every target is loaded in turn
 * for `duration` seconds, so load from elsewhere on the machine hits them all alike. Any non-2xx
 * answer or socket error aborts the run.
 */
export async function measureRounds<T extends Measured>(
  targets: T[],
  rounds: number,
  duration: number,
  load: (target: T, seconds: number) => Promise<autocannon.Result>,
): Promise<void> {
  for (const t of targets) await load(t, 1);
  for (let round = 1; round <= rounds; round += 1) {
    for (const t of targets) {
      const r = await load(t, duration);
      if (r.non2xx > 0 || r.errors > 0) throw new Error(`${t.name}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
      t.reqPerSec.push(r.requests.average);
      t.p50.push(r.latency.p50);
      t.p99.push(r.latency.p99);
    }
    process.stdout.write(`round ${round}/${rounds} done\n`);
  }
}

/** The stock `prism mock` CLI 5.14.2 (the Node 20 line) from node_modules: its entry point. */
export const STOCK_PRISM_CLI = 'node_modules/@stoplight/prism-cli/dist/index.js';

/**
 * Writes the copy of the contract that the stock Prism CLI can serve: it cannot route on
 * Action, so the copy's paths are `/<Action>`. Returns the file and the copy.
 */
export async function writeRoutableCopy(work: string): Promise<{ file: string; doc: { paths: Record<string, any> } }> {
  const doc = JSON.parse(await readFile(bundlePath, 'utf8')) as { paths: Record<string, any> };
  doc.paths = Object.fromEntries(Object.entries(doc.paths).map(([k, v]) => [k.replace('/#Action=', '/'), v]));
  const file = path.join(work, 'routable.json');
  await writeFile(file, JSON.stringify(doc));
  return { file, doc };
}
