/**
 * Every request the checker sends and the answer it got, as one `Exchange` record: what the
 * checks read, what the reports cite (sequence number, RequestId) and what `--record` writes.
 * The `Sender` sends through the typed client (signing, encoding) with its own pacing,
 * Throttling retries, per-call timeout and whole-run deadline; secrets are redacted at capture.
 */
import { VpcPeerClient, type Credentials, type CredentialProvider } from '../client/client.ts';
import { defaultSleep } from '../client/send.ts';
import { contract } from '../contract/index.ts';
import type { Action } from '../contract/types.ts';
import type { Resolved } from './options.ts';

/** What a request was sent to prove. */
export type Expectation =
  /** Must succeed (reads of configured resources, lifecycle steps). */
  | { kind: 'success' }
  /** One page of a paging walk (must succeed). */
  | { kind: 'page'; walk: string; page: number; maxResults: number; maxPages: number; mustInclude?: string }
  /** DryRun=true: DryRunOperation or another documented 4xx; a success means it may have run. */
  | { kind: 'dry-run' }
  /** Breaks exactly one constraint: the documented code under its documented status. */
  | { kind: 'negative'; constraint: string; parameter: string; keyword: string; code: string; status: number }
  /** The mock rehearsing a documented error (`Prefer: code=...`). */
  | { kind: 'mock-error'; code: string }
  /** Only the single-answer checks (cleanup, polling, probes). */
  | { kind: 'any' };

export interface Exchange {
  seq: number;
  /** The test case it belongs to. */
  case: string;
  action: string;
  account: 'owner' | 'peer';
  /** The logical parameters (no secrets: signing is added by the client). */
  params: Record<string, unknown>;
  expect: Expectation;
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  /** HTTP status; 0 when there was no answer. */
  status: number;
  answerHeaders: Record<string, string>;
  body: string;
  requestId?: string;
  /** Why there was no answer (timeout, network, deadline, interrupted). */
  transportError?: string;
  /** A Throttling answer that was retried (never a failure). */
  retried?: boolean;
  startedAt: string;
  ms: number;
}

export const REDACTED = '[redacted]';
/** Every signing and dispatch parameter of the contract (query names and `x-acs-*` headers), lower-cased. */
const SIGNING = new Set([...contract.commonParameters].map((n) => n.toLowerCase()));

/**
 * Removes every secret from a captured request: every query parameter that is not one of the
 * Action's own, every signing header of the contract (AccessKey IDs, signatures, nonces,
 * security tokens), `Authorization`, and any literal secret text given.
 */
export function redactRequest(action: string, request: Exchange['request'], secrets: readonly string[]): Exchange['request'] {
  const scrub = (text: string) => secrets.reduce((t, s) => (s.length >= 4 ? t.split(s).join(REDACTED) : t), text);
  const url = new URL(request.url);
  // The query keeps the operation's own parameters; everything else there is signing (V1 `Signature` included).
  const own = contract.operations.get(action)?.byName;
  for (const name of [...url.searchParams.keys()]) if (SIGNING.has(name.toLowerCase()) || !own?.has(name.split('.')[0]!)) url.searchParams.set(name, REDACTED);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    const lower = name.toLowerCase();
    headers[lower] = lower === 'authorization' || SIGNING.has(lower) ? REDACTED : scrub(value);
  }
  return { method: request.method, url: scrub(url.toString()), headers, ...(request.body !== undefined && { body: scrub(request.body) }) };
}

export class DeadlineError extends Error {}
export class InterruptedError extends Error {}

export interface SendOptions {
  account?: 'owner' | 'peer';
  headers?: Record<string, string>;
  /** Ignore the run's abort signal (cleanup must finish after an interrupt). */
  cleanup?: boolean;
}

/** The client's abortable sleep; an abort is the run's interrupt. */
const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  ms <= 0
    ? Promise.resolve()
    : defaultSleep(ms, signal).catch(() => {
        throw new InterruptedError('interrupted');
      });

export class Sender {
  readonly exchanges: Exchange[] = [];
  readonly #clients: { owner: VpcPeerClient; peer?: VpcPeerClient };
  readonly #secrets: string[];
  readonly #deadlineAt: number | undefined;
  #capture: { request?: Exchange['request']; status?: number; headers?: Record<string, string>; body?: string } = {};
  #sentAny = false;
  /** Called with each exchange as it completes (the recorder). */
  onExchange: (exchange: Exchange) => void = () => {};

  constructor(readonly options: Resolved) {
    const capturing: typeof fetch = async (input, init) => {
      const headers: Record<string, string> = {};
      new Headers(init?.headers).forEach((value, name) => (headers[name] = value));
      this.#capture.request = { method: init?.method ?? 'GET', url: String(input), headers, ...(typeof init?.body === 'string' && { body: init.body }) };
      const response = await (options.fetch ?? globalThis.fetch)(input, init);
      const text = await response.text();
      const answerHeaders: Record<string, string> = {};
      response.headers.forEach((value, name) => (answerHeaders[name] = value));
      Object.assign(this.#capture, { status: response.status, headers: answerHeaders, body: text });
      return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
    };
    const make = (credentials: Credentials | CredentialProvider | 'anonymous') =>
      new VpcPeerClient({ endpoint: options.endpoint, credentials, signatureVersion: options.signature, retry: false, timeoutMs: options.timeoutMs, fetch: capturing });
    this.#clients = { owner: make(options.credentials), ...(options.peerCredentials && { peer: make(options.peerCredentials) }) };
    this.#secrets = [options.credentials, options.peerCredentials].flatMap((c) => (c && typeof c === 'object' && 'accessKeySecret' in c ? [c.accessKeyId, c.accessKeySecret, c.securityToken ?? ''] : []));
    this.#deadlineAt = options.deadlineMs !== undefined ? Date.now() + options.deadlineMs : undefined;
  }

  get hasPeer(): boolean {
    return this.#clients.peer !== undefined;
  }

  /** Sends one request (Throttling answers are retried after a pause) and returns the final exchange. */
  async send(caseName: string, action: Action, params: Record<string, unknown>, expect: Expectation, opts: SendOptions = {}): Promise<Exchange> {
    const account = opts.account ?? 'owner';
    const client = this.#clients[account];
    if (!client) throw new Error(`no ${account} credentials`);
    const signal = opts.cleanup ? undefined : this.options.signal;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw new InterruptedError(`interrupted before ${action} was sent`);
      if (this.#sentAny) await sleep(this.options.paceMs, signal);
      let timeoutMs = this.options.timeoutMs;
      let cutByDeadline = false;
      if (this.#deadlineAt !== undefined && !opts.cleanup) {
        const left = this.#deadlineAt - Date.now();
        if (left <= 0) throw new DeadlineError(`the run deadline (${this.options.deadlineMs} ms) passed before ${action} was sent`);
        if (left < timeoutMs) {
          timeoutMs = Math.max(1, left);
          cutByDeadline = true;
        }
      }
      this.#sentAny = true;
      this.#capture = {};
      const started = Date.now();
      let transportError: string | undefined;
      let aborted = false;
      try {
        await (client.call as (a: string, p: unknown, o: unknown) => Promise<unknown>)(action, params, { ...(signal && { signal }), timeoutMs, ...(opts.headers && { headers: opts.headers }) });
      } catch (error) {
        const e = error as { httpStatus?: number; code?: string; message?: string };
        if (signal?.aborted) {
          aborted = true;
          transportError = `interrupted while ${action} was in flight`;
        } else if (e?.httpStatus === 0 || this.#capture.status === undefined) {
          transportError = e?.code === 'RequestTimeout' ? (cutByDeadline ? `the run deadline (${this.options.deadlineMs} ms) cut ${action}` : `no answer within --timeout-ms ${timeoutMs} ms`) : (e?.message ?? String(error));
        }
      }
      const exchange = this.#record(caseName, action, account, params, expect, started, transportError);
      const code = codeOf(exchange);
      const throttled = code !== undefined && /^Throttling/.test(code);
      if (throttled && attempt < this.options.throttleRetries) {
        exchange.retried = true;
        this.onExchange(exchange);
        await sleep(Math.min(10_000, Math.max(200, this.options.paceMs) * 2 ** attempt), signal);
        continue;
      }
      this.onExchange(exchange);
      if (aborted) throw new InterruptedError(transportError);
      if (cutByDeadline && exchange.status === 0) throw new DeadlineError(transportError);
      return exchange;
    }
  }

  #record(caseName: string, action: string, account: 'owner' | 'peer', params: Record<string, unknown>, expect: Expectation, started: number, transportError?: string): Exchange {
    const c = this.#capture;
    const exchange: Exchange = {
      seq: this.exchanges.length + 1,
      case: caseName,
      action,
      account,
      params: structuredClone(params),
      expect,
      request: redactRequest(action, c.request ?? { method: 'POST', url: `${this.options.endpoint}/`, headers: {} }, this.#secrets),
      status: transportError !== undefined ? 0 : (c.status ?? 0),
      answerHeaders: c.headers ?? {},
      body: c.body ?? '',
      startedAt: new Date(started).toISOString(),
      ms: Date.now() - started,
    };
    const requestId = requestIdOf(exchange.body);
    if (requestId !== undefined) exchange.requestId = requestId;
    if (transportError !== undefined) exchange.transportError = transportError;
    this.exchanges.push(exchange);
    return exchange;
  }
}

/** The answer parsed as JSON, or undefined. */
export function bodyOf(exchange: Pick<Exchange, 'body'>): unknown {
  try {
    return JSON.parse(exchange.body);
  } catch {
    return undefined;
  }
}

export function requestIdOf(text: string): string | undefined {
  const body = bodyOf({ body: text }) as { RequestId?: unknown } | undefined;
  return body && typeof body === 'object' && typeof body.RequestId === 'string' ? body.RequestId : undefined;
}

/** The error code of an answer (`Code`), if it is an Alibaba error body. */
export function codeOf(exchange: Exchange): string | undefined {
  if (exchange.status < 300) return undefined;
  const body = bodyOf(exchange) as { Code?: unknown } | undefined;
  return body && typeof body === 'object' && typeof body.Code === 'string' ? body.Code : undefined;
}

export const isSuccess = (exchange: Exchange) => exchange.status >= 200 && exchange.status < 300;

/** `#<seq> <Action> RequestId <id>`: how a report cites a request. */
export function cite(exchange: Exchange): string {
  return `#${exchange.seq} ${exchange.action}${exchange.account === 'peer' ? ' (peer)' : ''} ${exchange.requestId ? `RequestId ${exchange.requestId}` : exchange.transportError ? 'no answer' : 'no RequestId'}`;
}
