/**
 * The client's core: `send` runs one call through a list of composable steps, each of the shape
 * `(exchange, next) => answer` (in the manner of openapi-fetch's middleware), ending in one
 * `fetch`. The built-in steps — retry, per-attempt timeout, signing — are plain functions here;
 * a caller's own steps (logging, tracing, extra headers) slot in between them.
 *
 * Browser-safe: only `fetch`, WebCrypto, `URL`, `AbortController` and timers.
 */
import { formEncode, type WirePairs } from '../wire/codec.ts';
import { signV1, signV3 } from '../wire/signing/index.ts';
import type { WireOperation } from '../contract/wire-facts.ts';
import type { Action, ErrorCode } from '../contract/types.ts';
import { CLIENT_ERROR_CODES, VpcPeerError } from './errors.ts';
import { parseAnswer } from '../wire/int64-json.ts';

/** An AccessKey pair, with an STS security token for temporary credentials. */
export interface Credentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string | undefined;
  /**
   * Sent (and signed, V3) as `x-acs-credentials-provider`, as the official runtime does with the
   * `providerName` of `@alicloud/credentials` (`static_ak`, `env`, `ecs_ram_role`…). Static
   * credentials have none unless given here: browsers then need no extra CORS header.
   */
  readonly providerName?: string | undefined;
}

/**
 * Anything with `getCredential()`, called before every attempt (so rotating STS credentials
 * are picked up). An `@alicloud/credentials` `Credential` instance fits as is.
 */
export interface CredentialProvider {
  getCredential(): Promise<{ accessKeyId?: string; accessKeySecret?: string; securityToken?: string; providerName?: string }>;
}

/** A request ready for `fetch`. */
export interface PreparedRequest {
  method: 'POST' | 'GET';
  url: string;
  headers: Record<string, string>;
  /** Form-encoded body, or `undefined` when there is none. */
  body: string | undefined;
}

/**
 * One attempt of one call as it travels through the steps: the request is built (encoded and
 * placed, not yet signed) before the first step; a step may replace it, the signal or anything
 * else for the steps after it by calling `next` with a changed copy.
 */
export interface Exchange {
  readonly action: Action;
  readonly operation: WireOperation;
  /** The attempt (1-based), set by the retry step. */
  readonly attempt: number;
  /** V1 only: the RPC query (dispatch pairs first) that the V1 signature covers. */
  readonly rpcQuery?: WirePairs;
  /** V3 only: the operation's query pairs, which the V3 signature covers. */
  readonly query: WirePairs;
  readonly host: string;
  readonly request: PreparedRequest;
  readonly signal: AbortSignal | undefined;
}

/** What the last step gives back: the parsed success body of the Action. */
export type Answer = Record<string, unknown>;
export type Next = (exchange: Exchange) => Promise<Answer>;
/** A composable step: do something around `next(exchange)` (or instead of it). */
export type Step = (exchange: Exchange, next: Next) => Promise<Answer>;

/**
 * Why an attempt failed, for the retry step: an answer from the service (retryable when it says
 * so) or no answer at all (retryable only for calls safe to repeat).
 */
export class AttemptFailure extends Error {
  constructor(
    readonly kind: 'answer' | 'transport',
    readonly error: VpcPeerError,
    readonly retryable = false,
    readonly retryAfterMs?: number,
  ) {
    super(error.message);
  }
}

/** Runs `exchange` through `steps` in order, ending in `last`. */
export function compose(steps: readonly Step[], last: Next): Next {
  return steps.reduceRight<Next>((next, step) => (exchange) => step(exchange, next), last);
}

/** `x-acs-retry-after` (ms, as the Darabonba runtime reads it) or `Retry-After` (seconds). */
function retryAfterMs(headers: Headers): number | undefined {
  const acs = headers.get('x-acs-retry-after');
  if (acs !== null && /^\d+$/.test(acs.trim())) return Number(acs.trim());
  const std = headers.get('retry-after');
  if (std !== null && /^\d+$/.test(std.trim())) return Number(std.trim()) * 1000;
  return undefined;
}

/**
 * The last step: one `fetch`, then the answer parsed int64-safe. A 2xx JSON object resolves;
 * anything else rejects with an {@link AttemptFailure} holding the {@link VpcPeerError}.
 */
export function transport(fetchImpl: typeof globalThis.fetch, int64Fields: ReadonlySet<string>): Next {
  return async (exchange) => {
    const { action, request, attempt } = exchange;
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined && { body: request.body }),
        ...(exchange.signal !== undefined && { signal: exchange.signal }),
      });
      text = await response.text();
    } catch (error) {
      if (error instanceof AttemptFailure) throw error;
      throw new AttemptFailure(
        'transport',
        new VpcPeerError({
          action,
          code: CLIENT_ERROR_CODES.network,
          message: `${action}: the request failed before an answer (${(error as Error)?.message ?? 'network error'})`,
          attempts: attempt,
          cause: error,
        }),
      );
    }
    let body: unknown;
    try {
      body = parseAnswer(text, int64Fields);
    } catch {
      body = undefined;
    }
    const status = response.status;
    const record = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
    if (status >= 200 && status < 300 && record) return record;

    const retryAfter = retryAfterMs(response.headers);
    if (record && typeof record.Code === 'string') {
      const code = record.Code;
      const error = new VpcPeerError({
        action,
        code: code as ErrorCode<typeof action>,
        message: typeof record.Message === 'string' ? record.Message : code,
        requestId: typeof record.RequestId === 'string' ? record.RequestId : '',
        httpStatus: status,
        recommend: typeof record.Recommend === 'string' ? record.Recommend : '',
        hostId: typeof record.HostId === 'string' ? record.HostId : '',
        attempts: attempt,
      });
      const retryable = status >= 500 || error.isThrottling || code === 'ServiceUnavailable' || retryAfter !== undefined;
      throw new AttemptFailure('answer', error, retryable, retryAfter);
    }
    const error = new VpcPeerError({
      action,
      code: CLIENT_ERROR_CODES.invalidResponse,
      message: `${action}: HTTP ${status} with ${record ? 'a JSON body without Code' : 'a body that is not a JSON object'}`,
      requestId: typeof record?.RequestId === 'string' ? record.RequestId : '',
      httpStatus: status,
      attempts: attempt,
    });
    throw new AttemptFailure('answer', error, status >= 500, retryAfter);
  };
}

export interface SigningOptions {
  credentials: Credentials | CredentialProvider | 'anonymous';
  version: 'v3' | 'v1';
  clock?: (() => Date) | undefined;
  nonce?: (() => string) | undefined;
}

function isProvider(value: unknown): value is CredentialProvider {
  return typeof value === 'object' && value !== null && typeof (value as CredentialProvider).getCredential === 'function';
}

async function credentialsNow(source: SigningOptions['credentials'], action: Action): Promise<Credentials | undefined> {
  if (source === 'anonymous') return undefined;
  const raw = isProvider(source) ? await source.getCredential() : source;
  if (!raw.accessKeyId || !raw.accessKeySecret) {
    throw new VpcPeerError({ action, code: CLIENT_ERROR_CODES.credentials, message: 'The credential provider returned no AccessKey id or secret' });
  }
  const securityToken = raw.securityToken || undefined;
  const providerName = raw.providerName || undefined;
  return { accessKeyId: raw.accessKeyId, accessKeySecret: raw.accessKeySecret, securityToken, providerName };
}

/**
 * Signs each attempt (fresh credentials, date and nonce every time): V3 as `Authorization` and
 * `x-acs-*` headers, V1 as `Signature` and the common parameters in the query. Anonymous
 * credentials pass the request on unsigned.
 */
export function signing(options: SigningOptions): Step {
  return async (exchange, next) => {
    const { request } = exchange;
    const credentials = await credentialsNow(options.credentials, exchange.action);
    const now = options.clock?.() ?? new Date();
    const nonce = options.nonce?.();
    const headers = { ...request.headers };
    if (credentials?.providerName) headers['x-acs-credentials-provider'] = credentials.providerName;

    if (options.version === 'v1') {
      const rpcQuery = exchange.rpcQuery ?? [];
      const signed = credentials
        ? await signV1({
            method: request.method,
            query: rpcQuery,
            body: request.body,
            accessKeyId: credentials.accessKeyId,
            accessKeySecret: credentials.accessKeySecret,
            securityToken: credentials.securityToken,
            timestamp: now,
            ...(nonce !== undefined && { nonce }),
          })
        : rpcQuery;
      const origin = request.url.slice(0, request.url.indexOf('/', request.url.indexOf('//') + 2));
      return next({ ...exchange, request: { ...request, headers, url: `${origin}/?${formEncode(signed)}` } });
    }
    if (!credentials) return next({ ...exchange, request: { ...request, headers } });
    // Only the signed headers go through signV3; the rest are added after.
    const toSign: Record<string, string> = {};
    const unsigned: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      const lower = name.toLowerCase();
      if (lower === 'content-type' || lower.startsWith('x-acs-')) toSign[lower] = value;
      else unsigned[lower] = value;
    }
    const signedHeaders = await signV3({
      method: request.method,
      host: exchange.host,
      path: '/',
      query: exchange.query,
      headers: toSign,
      ...(request.body !== undefined && { body: request.body }),
      accessKeyId: credentials.accessKeyId,
      accessKeySecret: credentials.accessKeySecret,
      securityToken: credentials.securityToken,
      date: now,
      ...(nonce !== undefined && { nonce }),
    });
    // fetch sets Host itself from the URL (the same value that was signed).
    delete signedHeaders['host'];
    return next({ ...exchange, request: { ...request, headers: { ...unsigned, ...signedHeaders } } });
  };
}

const TIMEOUT = Symbol('timeout');

/**
 * A per-attempt timeout (`0` disables it), and the caller's own `signal`: a timeout becomes a
 * `RequestTimeout` {@link AttemptFailure}; the caller's abort rejects with the signal's reason.
 */
export function timeout(ms: number, outer: AbortSignal | undefined): Step {
  return async (exchange, next) => {
    if (outer?.aborted) throw outer.reason;
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort(outer?.reason);
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    const timer = ms > 0 ? setTimeout(() => controller.abort(TIMEOUT), ms) : undefined;
    try {
      return await next({ ...exchange, signal: controller.signal });
    } catch (error) {
      if (outer?.aborted) throw outer.reason;
      if (controller.signal.aborted && controller.signal.reason === TIMEOUT) {
        const { action, attempt } = exchange;
        throw new AttemptFailure('transport', new VpcPeerError({ action, code: CLIENT_ERROR_CODES.timeout, message: `${action}: no answer within ${ms} ms`, attempts: attempt }));
      }
      throw error;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    }
  };
}

export interface RetryOptions {
  /** Total attempts, the first included. Default 3; 1 disables retries. */
  maxAttempts?: number;
  /** First backoff ceiling. Default 200 ms; doubled after each attempt. */
  baseDelayMs?: number;
  /** Upper bound of any wait, `x-acs-retry-after` included. Default 10 000 ms. */
  maxDelayMs?: number;
}

/** Information passed to `onRetry`; contains no secret. */
export interface RetryEvent {
  action: Action;
  /** The attempt that failed (1-based). */
  attempt: number;
  delayMs: number;
  code: string;
  httpStatus: number;
}

export interface RetryStepOptions extends RetryOptions {
  /** Whether the call may be repeated after an unknown outcome (reads, writes with a ClientToken). */
  safeToRepeat: boolean;
  onRetry?: ((event: RetryEvent) => void) | undefined;
  random?: (() => number) | undefined;
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
  signal?: AbortSignal | undefined;
}

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Retries throttling, 5xx and (for calls safe to repeat) failures without an answer, with
 * exponential backoff and full jitter, or the wait the service asks for (`x-acs-retry-after`).
 * Rejects with the last {@link VpcPeerError}.
 */
export function retry(options: RetryStepOptions): Step {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  const baseDelay = options.baseDelayMs ?? 200;
  const maxDelay = options.maxDelayMs ?? 10_000;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? defaultSleep;
  return async (exchange, next) => {
    for (let attempt = 1; ; attempt++) {
      let failure: AttemptFailure;
      try {
        return await next({ ...exchange, attempt });
      } catch (error) {
        if (!(error instanceof AttemptFailure)) throw error;
        failure = error;
        const retryable = error.kind === 'answer' ? error.retryable : options.safeToRepeat;
        if (!retryable || attempt >= maxAttempts) throw error;
      }
      const ceiling = Math.min(maxDelay, baseDelay * 2 ** (attempt - 1));
      const serverDelay = failure.retryAfterMs;
      const delayMs = serverDelay !== undefined ? Math.min(serverDelay, maxDelay) : Math.floor(random() * ceiling);
      options.onRetry?.({ action: exchange.action, attempt, delayMs, code: failure.error.code, httpStatus: failure.error.httpStatus });
      await sleep(delayMs, options.signal);
    }
  };
}

/**
 * Sends one call: runs the exchange through `steps` and `last` (by default, one `fetch`), and
 * turns an {@link AttemptFailure} that no step handled into its {@link VpcPeerError}.
 */
export async function send(exchange: Exchange, steps: readonly Step[], last: Next): Promise<Answer> {
  try {
    return await compose(steps, last)(exchange);
  } catch (error) {
    if (error instanceof AttemptFailure) throw error.error;
    throw error;
  }
}
