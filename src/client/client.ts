/**
 * The typed VpcPeer client: one generic `call(action, params)` plus one method per Action
 * (`createVpcPeerConnection(params)`…), typed from `generated/vpcpeer.ts`, encoding through the
 * shared codec (`src/wire/codec.ts`) and signing through `src/wire/signing.ts`.
 *
 * Browser-safe: only `fetch`, WebCrypto, `URL`, `AbortController` and timers; no Node import.
 * The Node entry (`src/client/node.ts`) adds the `@alicloud/credentials` default chain.
 */
import { contract as bundledContract } from '../contract/index.ts';
import { encodeParams, formEncode, type WirePairs } from '../wire/codec.ts';
import type { Contract, OperationSpec } from '../contract/model.ts';
import { signV1, signV3 } from '../wire/signing/index.ts';
import { CLIENT_ERROR_CODES, VpcPeerError } from './errors.ts';
import { parseAnswer } from '../wire/int64-json.ts';
import type { Action, ErrorCode, ParamsArg, Result } from '../contract/types.ts';

export const DEFAULT_ENDPOINT = 'https://vpcpeer.aliyuncs.com';

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

export interface ClientOptions {
  /** Base URL, default `https://vpcpeer.aliyuncs.com`. E.g. `http://127.0.0.1:4010` for the mock. */
  endpoint?: string;
  /**
   * Static credentials, a provider (`@alicloud/credentials`), or `'anonymous'` (unsigned: only
   * for the mock). Required here; the Node entry defaults to the `@alicloud/credentials` chain.
   */
  credentials: Credentials | CredentialProvider | 'anonymous';
  /** `'v3'` (ACS3-HMAC-SHA256, default) or `'v1'` (HMAC-SHA1, `Signature` in the query). */
  signatureVersion?: 'v3' | 'v1';
  /** `POST` (default: query/form placement per the contract) or `GET` (everything in the query). */
  method?: 'POST' | 'GET';
  /** Per-attempt timeout in ms (default 10 000). `0` disables it. */
  timeoutMs?: number;
  /** Retry policy for throttling, 5xx and (for calls safe to repeat) network failures; `false` = 1 attempt. */
  retry?: RetryOptions | false;
  /** Extra headers sent with every request (e.g. `prefer` for the mock). Never signed values. */
  headers?: Record<string, string>;
  /** `fetch` to use (default `globalThis.fetch`). */
  fetch?: typeof globalThis.fetch;
  /** Called before each retry wait. */
  onRetry?: (event: RetryEvent) => void;
  /** Test hooks: fixed clock, nonce, ClientToken, jitter and sleep for known-answer tests. */
  clock?: () => Date;
  nonce?: () => string;
  clientToken?: () => string;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Another bundled contract (tests); default `generated/openapi.json`. */
  contract?: Contract;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the client's per-attempt timeout. */
  timeoutMs?: number;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
}

/** A request ready for `fetch`, as {@link VpcPeerClient.prepare} builds it. */
export interface PreparedRequest {
  method: 'POST' | 'GET';
  url: string;
  headers: Record<string, string>;
  /** Form-encoded body, or `undefined` when there is none. */
  body: string | undefined;
}

type CallArgs<A extends Action> = [...ParamsArg<A>, options?: CallOptions];

/** One method per Action, named like the Action with a lower-case first letter. */
export type ActionMethods = {
  [A in Action as Uncapitalize<A>]: (...args: CallArgs<A>) => Promise<Result<A>>;
};

const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const TIMEOUT = Symbol('timeout');

function isProvider(value: unknown): value is CredentialProvider {
  return typeof value === 'object' && value !== null && typeof (value as CredentialProvider).getCredential === 'function';
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
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

/** `x-acs-retry-after` (ms, as the Darabonba runtime reads it) or `Retry-After` (seconds). */
function retryAfterMs(headers: Headers): number | undefined {
  const acs = headers.get('x-acs-retry-after');
  if (acs !== null && /^\d+$/.test(acs.trim())) return Number(acs.trim());
  const std = headers.get('retry-after');
  if (std !== null && /^\d+$/.test(std.trim())) return Number(std.trim()) * 1000;
  return undefined;
}

export class VpcPeerClient {
  readonly endpoint: string;
  readonly signatureVersion: 'v3' | 'v1';
  readonly method: 'POST' | 'GET';
  readonly #credentials: Credentials | CredentialProvider | 'anonymous';
  readonly #options: ClientOptions;
  readonly #contract: Contract;
  readonly #int64: ReadonlySet<string>;
  readonly #host: string;

  constructor(options: ClientOptions) {
    if (options?.credentials === undefined) {
      throw new TypeError("VpcPeerClient needs credentials: static ones, a provider, or 'anonymous' (use src/client/node.ts for the default chain)");
    }
    const url = new URL(options.endpoint ?? DEFAULT_ENDPOINT);
    if (url.pathname !== '/' || url.search !== '' || url.hash !== '') throw new TypeError('endpoint must be a bare origin, e.g. https://vpcpeer.aliyuncs.com');
    this.endpoint = url.origin;
    this.#host = url.host;
    this.signatureVersion = options.signatureVersion ?? 'v3';
    this.method = options.method ?? 'POST';
    this.#credentials = options.credentials;
    this.#options = { ...options };
    delete (this.#options as { credentials?: unknown }).credentials;
    this.#contract = options.contract ?? bundledContract;
    this.#int64 = this.#contract.int64Fields;
  }

  /** Calls an Action and resolves to its documented result; rejects with {@link VpcPeerError}. */
  async call<A extends Action>(action: A, ...args: CallArgs<A>): Promise<Result<A>> {
    const [params, options] = args as unknown as [Record<string, unknown> | undefined, CallOptions | undefined];
    const op = this.#operation(action);
    const logical = this.#withClientToken(op, { ...(params ?? {}) });
    const retry = this.#options.retry === false ? { maxAttempts: 1 } : (this.#options.retry ?? {});
    const maxAttempts = Math.max(1, retry.maxAttempts ?? 3);
    const baseDelay = retry.baseDelayMs ?? 200;
    const maxDelay = retry.maxDelayMs ?? 10_000;
    const random = this.#options.random ?? Math.random;
    const sleep = this.#options.sleep ?? defaultSleep;
    // Calls that can be repeated after an unknown outcome: reads, and writes carrying a ClientToken.
    const safeToRepeat = op.operationType === 'get' || op.operationType === 'list' || logical.ClientToken !== undefined;

    for (let attempt = 1; ; attempt++) {
      let failure: VpcPeerError<A>;
      let serverDelay: number | undefined;
      try {
        return (await this.#attempt(action, op, logical, options, attempt)) as Result<A>;
      } catch (error) {
        if (!(error instanceof AttemptFailure)) throw error;
        failure = error.error as VpcPeerError<A>;
        serverDelay = error.retryAfterMs;
        const retryable = error.kind === 'answer' ? error.retryable : safeToRepeat;
        if (!retryable || attempt >= maxAttempts) throw failure;
      }
      const ceiling = Math.min(maxDelay, baseDelay * 2 ** (attempt - 1));
      const delayMs = serverDelay !== undefined ? Math.min(serverDelay, maxDelay) : Math.floor(random() * ceiling);
      this.#options.onRetry?.({ action, attempt, delayMs, code: failure.code, httpStatus: failure.httpStatus });
      await sleep(delayMs, options?.signal);
    }
  }

  /**
   * Builds the exact request a call would send (encoded, placed and signed), without sending
   * it. `params` must already hold a `ClientToken` if you want one.
   */
  async prepare<A extends Action>(action: A, ...args: ParamsArg<A>): Promise<PreparedRequest> {
    const op = this.#operation(action);
    return this.#build(op, { ...((args[0] as Record<string, unknown> | undefined) ?? {}) }, {});
  }

  #operation(action: string): OperationSpec {
    const op = this.#contract.operations.get(action);
    if (!op) throw new TypeError(`${action} is not an Action of VpcPeer ${this.#contract.version}`);
    return op;
  }

  /** Mutating calls get one ClientToken per call, reused by every retry. */
  #withClientToken(op: OperationSpec, params: Record<string, unknown>): Record<string, unknown> {
    if (op.byName.has('ClientToken') && (params.ClientToken === undefined || params.ClientToken === null)) {
      params.ClientToken = (this.#options.clientToken ?? (() => globalThis.crypto.randomUUID()))();
    }
    return params;
  }

  async #credentialsNow(action: string): Promise<Credentials | undefined> {
    const source = this.#credentials;
    if (source === 'anonymous') return undefined;
    const raw = isProvider(source) ? await source.getCredential() : source;
    if (!raw.accessKeyId || !raw.accessKeySecret) {
      throw new VpcPeerError({ action: action as Action, code: CLIENT_ERROR_CODES.credentials, message: 'The credential provider returned no AccessKey id or secret' });
    }
    const securityToken = raw.securityToken || undefined;
    const providerName = raw.providerName || undefined;
    return { accessKeyId: raw.accessKeyId, accessKeySecret: raw.accessKeySecret, securityToken, providerName };
  }

  async #build(op: OperationSpec, params: Record<string, unknown>, extraHeaders: Record<string, string>): Promise<PreparedRequest> {
    const method = this.method;
    const { query, body } = encodeParams(op, params, method);
    const version = this.#contract.version;
    const credentials = await this.#credentialsNow(op.action);
    const now = this.#options.clock?.() ?? new Date();
    const nonce = this.#options.nonce?.();
    const bodyText = body.length > 0 ? formEncode(body) : undefined;
    const headers: Record<string, string> = {
      ...this.#options.headers,
      ...extraHeaders,
      'x-acs-action': op.action,
      'x-acs-version': version,
      accept: 'application/json',
    };
    if (bodyText !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    if (credentials?.providerName) headers['x-acs-credentials-provider'] = credentials.providerName;

    if (this.signatureVersion === 'v1') {
      const rpcQuery: WirePairs = [['Action', op.action], ['Format', 'JSON'], ['Version', version], ...query];
      const signed = credentials
        ? await signV1({
            method,
            query: rpcQuery,
            body: bodyText,
            accessKeyId: credentials.accessKeyId,
            accessKeySecret: credentials.accessKeySecret,
            securityToken: credentials.securityToken,
            timestamp: now,
            ...(nonce !== undefined && { nonce }),
          })
        : rpcQuery;
      return { method, url: `${this.endpoint}/?${formEncode(signed)}`, headers, body: bodyText };
    }

    const url = query.length > 0 ? `${this.endpoint}/?${formEncode(query)}` : `${this.endpoint}/`;
    if (!credentials) return { method, url, headers, body: bodyText };
    // Only the signed headers go through signV3; the rest are added after.
    const toSign: Record<string, string> = {};
    const unsigned: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      const lower = name.toLowerCase();
      if (lower === 'content-type' || lower.startsWith('x-acs-')) toSign[lower] = value;
      else unsigned[lower] = value;
    }
    const signedHeaders = await signV3({
      method,
      host: this.#host,
      path: '/',
      query,
      headers: toSign,
      ...(bodyText !== undefined && { body: bodyText }),
      accessKeyId: credentials.accessKeyId,
      accessKeySecret: credentials.accessKeySecret,
      securityToken: credentials.securityToken,
      date: now,
      ...(nonce !== undefined && { nonce }),
    });
    // fetch sets Host itself from the URL (the same value that was signed).
    delete signedHeaders['host'];
    return { method, url, headers: { ...unsigned, ...signedHeaders }, body: bodyText };
  }

  async #attempt(action: Action, op: OperationSpec, params: Record<string, unknown>, options: CallOptions | undefined, attempt: number): Promise<unknown> {
    const request = await this.#build(op, params, options?.headers ?? {});
    const fetchImpl = this.#options.fetch ?? globalThis.fetch;
    const timeoutMs = options?.timeoutMs ?? this.#options.timeoutMs ?? 10_000;
    const controller = new AbortController();
    const outer = options?.signal;
    const onOuterAbort = () => controller.abort(outer?.reason);
    if (outer?.aborted) throw outer.reason;
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    const timer = timeoutMs > 0 ? setTimeout(() => controller.abort(TIMEOUT), timeoutMs) : undefined;
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined && { body: request.body }),
        signal: controller.signal,
      });
      text = await response.text();
    } catch (error) {
      if (outer?.aborted) throw outer.reason;
      const timedOut = controller.signal.aborted && controller.signal.reason === TIMEOUT;
      throw new AttemptFailure(
        'transport',
        new VpcPeerError({
          action,
          code: timedOut ? CLIENT_ERROR_CODES.timeout : CLIENT_ERROR_CODES.network,
          message: timedOut ? `${action}: no answer within ${timeoutMs} ms` : `${action}: the request failed before an answer (${(error as Error)?.message ?? 'network error'})`,
          attempts: attempt,
          ...(!timedOut && { cause: error }),
        }),
      );
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    }

    let body: unknown;
    try {
      body = parseAnswer(text, this.#int64);
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
  }

  /** `util.inspect` shows the configuration, never the credentials. */
  [INSPECT](): string {
    return `VpcPeerClient { endpoint: '${this.endpoint}', signatureVersion: '${this.signatureVersion}', method: '${this.method}', credentials: [redacted] }`;
  }

  toJSON(): Record<string, string> {
    return { endpoint: this.endpoint, signatureVersion: this.signatureVersion, method: this.method, credentials: '[redacted]' };
  }
}

class AttemptFailure extends Error {
  constructor(
    readonly kind: 'answer' | 'transport',
    readonly error: VpcPeerError,
    readonly retryable = false,
    readonly retryAfterMs?: number,
  ) {
    super(error.message);
  }
}

// One method per Action, from the contract (typed by ActionMethods).
for (const action of bundledContract.actions) {
  const name = action.charAt(0).toLowerCase() + action.slice(1);
  Object.defineProperty(VpcPeerClient.prototype, name, {
    value: function (this: VpcPeerClient, ...args: unknown[]) {
      return (this.call as (a: string, ...rest: unknown[]) => Promise<unknown>)(action, ...args);
    },
    writable: true,
    configurable: true,
  });
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface VpcPeerClient extends ActionMethods {}

/** Creates a client (browser-safe entry). */
export function createClient(options: ClientOptions): VpcPeerClient {
  return new VpcPeerClient(options);
}
