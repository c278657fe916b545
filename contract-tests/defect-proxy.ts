/**
 * A proxy in front of the real emulator that plants one defect at a time in what it forwards
 * or answers (the broken-server proof), and records every request the checker sends: which
 * Action, whether it carried DryRun=true, and what the emulator answered, so the tests can count
 * the requests that changed state.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { contract } from '../src/contract/index.ts';

export interface ProxyRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  action: string;
  query: URLSearchParams;
  form: URLSearchParams;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** How to deliver it: whole (default), gzip, chunked, close the connection after, never, or reset the socket. */
  delivery?: 'whole' | 'gzip' | 'chunked' | 'close' | 'hang' | 'reset';
}

/** Per-run scratch space for stateful defects (counters, remembered IDs). */
export type DefectState = Record<string, unknown>;

export interface Defect {
  /** Answers instead of the emulator (undefined: forward). */
  intercept?(req: ProxyRequest, state: DefectState): Answer | undefined;
  /** Rewrites the request before it is forwarded. */
  request?(req: ProxyRequest, state: DefectState): void;
  /** Rewrites the emulator's answer. */
  answer?(req: ProxyRequest, upstream: Answer, state: DefectState): Answer;
}

export interface Logged {
  action: string;
  dryRun: boolean;
  /** DryRun=true was sent but the proxy forwarded the request without it (a planted defect). */
  dryRunStripped: boolean;
  upstreamStatus: number | undefined;
  params: Record<string, string>;
  /** The emulator answered an InstanceId for a create forwarded without DryRun. */
  createdId?: string;
}

export const param = (req: ProxyRequest, name: string): string | undefined => req.form.get(name) ?? req.query.get(name) ?? undefined;
export function setParam(req: ProxyRequest, name: string, value: string | undefined): void {
  const where = req.form.has(name) ? req.form : req.query.has(name) ? req.query : req.form;
  if (value === undefined) {
    req.form.delete(name);
    req.query.delete(name);
  } else where.set(name, value);
}
/** Removes every wire name of a parameter (`Tags.1.Key`…). */
export function dropParam(req: ProxyRequest, name: string): void {
  for (const list of [req.form, req.query]) for (const key of [...list.keys()]) if (key === name || key.startsWith(`${name}.`)) list.delete(key);
}

export interface DefectProxy {
  baseUrl: string;
  log: Logged[];
  defect: Defect | undefined;
  state: DefectState;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function forward(upstream: URL, req: ProxyRequest): Promise<Answer> {
  const body = req.form.toString();
  const query = req.query.toString();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...req.headers, host: upstream.host, 'content-length': String(Buffer.byteLength(body)) };
    delete headers['transfer-encoding'];
    const out = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: `/${query ? `?${query}` : ''}`, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const answerHeaders: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') answerHeaders[k] = v;
        resolve({ status: res.statusCode ?? 0, headers: answerHeaders, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    out.on('error', reject);
    out.end(body);
  });
}

function deliver(res: ServerResponse, answer: Answer): void {
  const headers = { ...answer.headers };
  for (const k of ['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'content-encoding']) delete headers[k];
  switch (answer.delivery) {
    case 'hang':
      return;
    case 'reset':
      res.socket?.destroy();
      return;
    case 'gzip': {
      const zipped = gzipSync(answer.body);
      res.writeHead(answer.status, { ...headers, 'content-encoding': 'gzip', 'content-length': String(zipped.length) });
      res.end(zipped);
      return;
    }
    case 'chunked': {
      res.writeHead(answer.status, headers);
      const text = Buffer.from(answer.body);
      for (let i = 0; i < text.length; i += 7) res.write(text.subarray(i, i + 7));
      res.end();
      return;
    }
    case 'close':
      res.writeHead(answer.status, { ...headers, connection: 'close', 'content-length': String(Buffer.byteLength(answer.body)) });
      res.end(answer.body, () => res.socket?.destroy());
      return;
    default:
      res.writeHead(answer.status, { ...headers, 'content-length': String(Buffer.byteLength(answer.body)) });
      res.end(answer.body);
  }
}

export async function startDefectProxy(upstreamBaseUrl: string): Promise<DefectProxy> {
  const upstream = new URL(upstreamBaseUrl);
  const proxy: DefectProxy = { baseUrl: '', log: [], defect: undefined, state: {}, close: async () => {} };
  const server: Server = createServer(async (incoming, res) => {
    const text = await readBody(incoming);
    const url = new URL(incoming.url ?? '/', 'http://proxy');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(incoming.headers)) if (typeof v === 'string') headers[k] = v;
    const req: ProxyRequest = { method: incoming.method ?? 'POST', path: url.pathname, headers, action: headers['x-acs-action'] ?? url.searchParams.get('Action') ?? '?', query: url.searchParams, form: new URLSearchParams(text) };
    const entry: Logged = { action: req.action, dryRun: param(req, 'DryRun') === 'true', dryRunStripped: false, upstreamStatus: undefined, params: Object.fromEntries([...req.query, ...req.form]) };
    proxy.log.push(entry);
    const defect = proxy.defect;
    try {
      const planted = defect?.intercept?.(req, proxy.state);
      if (planted) return deliver(res, planted);
      defect?.request?.(req, proxy.state);
      entry.dryRunStripped = entry.dryRun && param(req, 'DryRun') !== 'true';
      const up = await forward(upstream, req);
      entry.upstreamStatus = up.status;
      if (req.action === 'CreateVpcPeerConnection' && param(req, 'DryRun') !== 'true' && up.status === 200) entry.createdId = (JSON.parse(up.body) as { InstanceId?: string }).InstanceId;
      deliver(res, defect?.answer ? defect.answer(req, up, proxy.state) : up);
    } catch (error) {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}

/**
 * Requests from the checker that changed state: an Action that does not only read, sent
 * without DryRun=true, that the emulator carried out (2xx). The cleanup Delete of a connection
 * that a broken endpoint created from a DryRun is listed apart (the checker must send it).
 */
export function stateChanging(log: readonly Logged[]): { sent: Logged[]; cleanupOfDefects: Logged[] } {
  const createdByDefect = new Set(log.flatMap((l) => (l.createdId && l.dryRunStripped ? [l.createdId] : [])));
  const changed = log.filter((l) => {
    const op = contract.operations.get(l.action);
    return op !== undefined && !op.readOnly && !l.dryRun && l.upstreamStatus !== undefined && l.upstreamStatus < 300;
  });
  const isCleanup = (l: Logged) => l.action === 'DeleteVpcPeerConnection' && createdByDefect.has(l.params.InstanceId ?? '');
  return { sent: changed.filter((l) => !isCleanup(l)), cleanupOfDefects: changed.filter(isCleanup) };
}
