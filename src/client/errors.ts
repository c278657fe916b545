/**
 * `VpcPeerError`: what every failed call rejects with (except a caller's own abort, which
 * rejects with the signal's reason, as `fetch` does). It never holds a secret: no request
 * headers, no signature material, only what the service answered and what the client decided.
 */
import type { Action, ErrorCode } from '../contract/types.ts';

/** Codes the client itself produces when there is no Alibaba error body. */
export const CLIENT_ERROR_CODES = {
  /** No answer within `timeoutMs` (after the retries allowed). */
  timeout: 'RequestTimeout',
  /** The connection failed (DNS, refused, reset…). */
  network: 'NetworkError',
  /** The service answered something that is not an Alibaba JSON body. */
  invalidResponse: 'InvalidResponse',
  /** No usable credentials (empty AccessKey id or secret from the provider). */
  credentials: 'InvalidCredentials',
} as const;

export interface VpcPeerErrorInit<A extends Action = Action> {
  action: A;
  code: ErrorCode<A>;
  message: string;
  /** `RequestId` of the answer; empty when there was no answer. */
  requestId?: string;
  /** HTTP status of the answer; `0` when there was no answer (timeout, network). */
  httpStatus?: number;
  /** `Recommend`: the diagnosis URL the service gives. */
  recommend?: string;
  hostId?: string;
  /** How many attempts were made (1 = no retry). */
  attempts?: number;
  cause?: unknown;
}

export class VpcPeerError<A extends Action = Action> extends Error {
  override readonly name = 'VpcPeerError';
  readonly action: A;
  /** The operation's documented code union, or another string (undocumented or client-side). */
  readonly code: ErrorCode<A>;
  readonly requestId: string;
  readonly httpStatus: number;
  readonly recommend: string;
  readonly hostId: string;
  readonly attempts: number;

  constructor(init: VpcPeerErrorInit<A>) {
    super(init.message, init.cause !== undefined ? { cause: init.cause } : undefined);
    this.action = init.action;
    this.code = init.code;
    this.requestId = init.requestId ?? '';
    this.httpStatus = init.httpStatus ?? 0;
    this.recommend = init.recommend ?? '';
    this.hostId = init.hostId ?? '';
    this.attempts = init.attempts ?? 1;
  }

  /** Whether this is a throttling error (`Throttling`, `Throttling.User`, …). */
  get isThrottling(): boolean {
    return /^Throttling(\.|$)/.test(this.code);
  }
}

/** Type guard, optionally narrowed to an Action: `if (isVpcPeerError(e, 'DeleteVpcPeerConnection')) switch (e.code) …`. */
export function isVpcPeerError<A extends Action>(error: unknown, action?: A): error is VpcPeerError<A> {
  return error instanceof VpcPeerError && (action === undefined || error.action === action);
}
