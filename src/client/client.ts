/**
 * The typed VpcPeer client: one generic `call(action, params)` plus one method per Action
 * (`createVpcPeerConnection(params)`…), typed from `generated/vpcpeer.ts`, encoding through the
 * shared codec (`src/wire/codec.ts`) and sending through the steps of `./send.ts` (retry →
 * timeout → your own steps → signing → fetch).
 *
 * Browser-safe: only `fetch`, WebCrypto, `URL`, `AbortController` and timers; no Node import.
 * It reads the contract's wire facts (`generated/wire-facts.ts`), not the whole document.
 * The Node entry (`src/client/node.ts`) adds the `@alicloud/credentials` default chain.
 */
import { wireFacts as bundledFacts } from '../contract/bundled-facts.ts';
import { encodeParams, formEncode, type WirePairs } from '../wire/codec.ts';
import type { Contract } from '../contract/model.ts';
import { wireFacts, type WireFacts, type WireOperation } from '../contract/wire-facts.ts';
import type { Action, ParamsArg, Result } from '../contract/types.ts';
import {
  retry,
  send,
  signing,
  timeout,
  transport,
  type Answer,
  type CredentialProvider,
  type Credentials,
  type Exchange,
  type Next,
  type PreparedRequest,
  type RetryEvent,
  type RetryOptions,
  type Step,
} from './send.ts';

export type { CredentialProvider, Credentials, Exchange, Next, PreparedRequest, RetryEvent, RetryOptions, Step } from './send.ts';

export const DEFAULT_ENDPOINT = 'https://vpcpeer.aliyuncs.com';

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
  /** Another indexed contract (tests); default: the bundled contract's wire facts. */
  contract?: Contract;
  /**
   * Your own steps, run for every attempt after the timeout starts and before signing (so a
   * step sees, and may change, the unsigned request and the parsed answer or error), e.g.
   * `async (exchange, next) => { const started = Date.now(); try { return await next(exchange); } finally { log(exchange.action, Date.now() - started); } }`.
   */
  steps?: readonly Step[];
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the client's per-attempt timeout. */
  timeoutMs?: number;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
}

type CallArgs<A extends Action> = [...ParamsArg<A>, options?: CallOptions];

/** One method per Action, named like the Action with a lower-case first letter. */
export type ActionMethods = {
  [A in Action as Uncapitalize<A>]: (...args: CallArgs<A>) => Promise<Result<A>>;
};

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

export class VpcPeerClient {
  readonly endpoint: string;
  readonly signatureVersion: 'v3' | 'v1';
  readonly method: 'POST' | 'GET';
  readonly #credentials: Credentials | CredentialProvider | 'anonymous';
  readonly #options: ClientOptions;
  readonly #facts: WireFacts;
  readonly #operations = new Map<string, WireOperation & { byName: Set<string> }>();
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
    this.#facts = options.contract ? wireFacts(options.contract) : bundledFacts;
    this.#int64 = new Set(this.#facts.int64Fields);
  }

  /** Calls an Action and resolves to its documented result; rejects with {@link VpcPeerError}. */
  async call<A extends Action>(action: A, ...args: CallArgs<A>): Promise<Result<A>> {
    const [params, options] = args as unknown as [Record<string, unknown> | undefined, CallOptions | undefined];
    const op = this.#operation(action);
    const logical = this.#withClientToken(op, { ...(params ?? {}) });
    const retryOptions = this.#options.retry === false ? { maxAttempts: 1 } : (this.#options.retry ?? {});
    const steps: Step[] = [
      retry({
        ...retryOptions,
        // Calls that can be repeated after an unknown outcome: reads, and writes carrying a ClientToken.
        safeToRepeat: op.readOnly || logical.ClientToken !== undefined,
        onRetry: this.#options.onRetry,
        random: this.#options.random,
        sleep: this.#options.sleep,
        signal: options?.signal,
      }),
      timeout(options?.timeoutMs ?? this.#options.timeoutMs ?? 10_000, options?.signal),
      ...(this.#options.steps ?? []),
      this.#signing(),
    ];
    const exchange = this.#exchange(action, op, logical, options?.headers ?? {});
    return (await send(exchange, steps, transport(this.#options.fetch ?? globalThis.fetch, this.#int64))) as Result<A>;
  }

  /**
   * Builds the exact request a call would send (encoded, placed and signed), without sending
   * it. `params` must already hold a `ClientToken` if you want one.
   */
  async prepare<A extends Action>(action: A, ...args: ParamsArg<A>): Promise<PreparedRequest> {
    const op = this.#operation(action);
    const exchange = this.#exchange(action, op, { ...((args[0] as Record<string, unknown> | undefined) ?? {}) }, {});
    let prepared: PreparedRequest | undefined;
    const capture: Next = async (signed) => {
      prepared = signed.request;
      return {} as Answer;
    };
    await send(exchange, [this.#signing()], capture);
    return prepared!;
  }

  #signing(): Step {
    return signing({ credentials: this.#credentials, version: this.signatureVersion, clock: this.#options.clock, nonce: this.#options.nonce });
  }

  #operation(action: string): WireOperation & { byName: Set<string> } {
    let op = this.#operations.get(action);
    if (!op) {
      const facts = this.#facts.operations[action];
      if (!facts) throw new TypeError(`${action} is not an Action of VpcPeer ${this.#facts.version}`);
      op = { ...facts, byName: new Set(facts.parameters.map((p) => p.name)) };
      this.#operations.set(action, op);
    }
    return op;
  }

  /** Mutating calls get one ClientToken per call, reused by every retry. */
  #withClientToken(op: WireOperation & { byName: Set<string> }, params: Record<string, unknown>): Record<string, unknown> {
    if (op.takesClientToken && (params.ClientToken === undefined || params.ClientToken === null)) {
      params.ClientToken = (this.#options.clientToken ?? (() => globalThis.crypto.randomUUID()))();
    }
    return params;
  }

  /** The unsigned request of a call: parameters encoded and placed, the dispatch headers set. */
  #exchange(action: Action, op: WireOperation & { byName: Set<string> }, params: Record<string, unknown>, extraHeaders: Record<string, string>): Exchange {
    const method = this.method;
    const { query, body } = encodeParams(op, params, method);
    const version = this.#facts.version;
    const bodyText = body.length > 0 ? formEncode(body) : undefined;
    const headers: Record<string, string> = {
      ...this.#options.headers,
      ...extraHeaders,
      'x-acs-action': op.action,
      'x-acs-version': version,
      accept: 'application/json',
    };
    if (bodyText !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const rpcQuery: WirePairs = [['Action', op.action], ['Format', 'JSON'], ['Version', version], ...query];
    const url =
      this.signatureVersion === 'v1' ? `${this.endpoint}/?${formEncode(rpcQuery)}` : query.length > 0 ? `${this.endpoint}/?${formEncode(query)}` : `${this.endpoint}/`;
    return {
      action,
      operation: op,
      attempt: 1,
      ...(this.signatureVersion === 'v1' && { rpcQuery }),
      query,
      host: this.#host,
      request: { method, url, headers, body: bodyText },
      signal: undefined,
    };
  }

  /** `util.inspect` shows the configuration, never the credentials. */
  [INSPECT](): string {
    return `VpcPeerClient { endpoint: '${this.endpoint}', signatureVersion: '${this.signatureVersion}', method: '${this.method}', credentials: [redacted] }`;
  }

  toJSON(): Record<string, string> {
    return { endpoint: this.endpoint, signatureVersion: this.signatureVersion, method: this.method, credentials: '[redacted]' };
  }
}

// One method per Action, from the contract (typed by ActionMethods).
for (const action of Object.keys(bundledFacts.operations)) {
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
