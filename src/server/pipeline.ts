/**
 * The one request pipeline of the mock and the emulator (Node only): accept → route →
 * authenticate → admit → validate → answer, composed from stages in the manner of Prism's core
 * factory (packages/core/src/factory.ts): the servers differ only in the stages they plug in.
 *
 * API
 * ```ts
 * const handle = createPipeline<Caller>({
 *   contract, validators,                 // the contract and its validators (error catalog)
 *   cors: { allowHeaders, exposeHeaders }, // CORS: OPTIONS → 204 preflight; other answers carry the origin
 *   intercept?(message, res, cors),        // before reading: return a HandledRequest to take the
 *                                          //   request over (the emulator's admin API), or undefined
 *   authenticate(routed),                  // → { ok: true, caller, who? } | { ok: false, rejection }
 *   admit?(authenticated),                 // after authentication, before validation (faults,
 *                                          //   latency): → a Rejection to refuse, or undefined
 *   answer(validated),                     // → { ok: true, answer: { status, body, headers? } }
 *                                          //   | { ok: false, rejection }
 * });
 * const server = createRpcServer(handle, { level, write, fail, limits }); // src/server/http.ts
 * ```
 * - accept (src/server/request.ts): read the request strictly (decoding, body size, Content-Type);
 * - route (src/wire/router.ts): refuse conflicting copies of a parameter (query and body,
 *   `Action`/`x-acs-action`), pick the operation by Action, check the version;
 * - authenticate and admit: the server's own stages;
 * - validate (src/validate): decode the parameters with the codec, check them with Ajv;
 * - answer: the server's own stage; its body (an object, or JSON text) is sent as is.
 *
 * A stage refuses with a {@link Rejection} (a documented code, the template's `%s` values and a
 * detail sentence); the pipeline turns it into the Alibaba-shaped answer for the routed Action.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Contract, OperationSpec } from '../contract/model.ts';
import type { Action } from '../contract/types.ts';
import type { WireRequest } from '../wire/router.ts';
import { errorAnswer, type ErrorAnswer, type WireCode } from '../wire/errors.ts';
import { V1 } from '../wire/signing/names.ts';
import { validateWireRequest, type Validators } from '../validate/index.ts';
import { acceptRequest, corsHeaders, send, type CorsOptions, type HandledRequest } from './http.ts';

/** A stage's refusal: answered with the code's documented status and message template. */
export interface Rejection {
  code: WireCode;
  /** Values for the template's `%s` placeholders, in order. */
  fill?: string[];
  /** A sentence appended to the message. */
  detail?: string;
}

/** What the server's answer stage sends: `body` is serialised with JSON.stringify unless it is text. */
export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A request that was read and routed. */
export interface RoutedRequest {
  message: IncomingMessage;
  request: WireRequest;
  /** The body bytes exactly as received (V3 signatures hash them). */
  rawBody: Buffer;
  operation: OperationSpec;
  action: Action;
}

export interface AuthenticatedRequest<Caller> extends RoutedRequest {
  caller: Caller;
}

export interface ValidatedRequest<Caller> extends AuthenticatedRequest<Caller> {
  /** Logical parameters, decoded by the codec and valid against the contract. */
  params: Record<string, unknown>;
  /** Exact decimal text of every integer parameter, by wire name. */
  exactIntegers: Map<string, string>;
}

export type Authentication<Caller> =
  | { ok: true; caller: Caller; /** Who called, for the log line. */ who?: string }
  | { ok: false; rejection: Rejection };

export type AnswerOutcome = { ok: true; answer: Answer } | { ok: false; rejection: Rejection };

export interface PipelineStages<Caller> {
  contract: Contract;
  validators: Validators;
  cors?: CorsOptions;
  intercept?(message: IncomingMessage, res: ServerResponse, cors: Record<string, string>): Promise<HandledRequest | undefined>;
  authenticate(routed: RoutedRequest): Authentication<Caller> | Promise<Authentication<Caller>>;
  admit?(request: AuthenticatedRequest<Caller>): Rejection | undefined | Promise<Rejection | undefined>;
  answer(request: ValidatedRequest<Caller>): AnswerOutcome | Promise<AnswerOutcome>;
}

/** Builds the request handler for {@link createRpcServer} from the server's own stages. */
export function createPipeline<Caller>(stages: PipelineStages<Caller>): (message: IncomingMessage, res: ServerResponse) => Promise<HandledRequest> {
  const { contract, validators } = stages;
  const cors = corsHeaders(stages.cors);

  return async function handle(message, res) {
    if (message.method === 'OPTIONS') {
      res.writeHead(204, cors.preflight(message.headers.origin));
      res.end();
      return { action: '-', status: 204 };
    }
    const headers = cors.answer(message.headers.origin);
    if (stages.intercept) {
      const taken = await stages.intercept(message, res, headers);
      if (taken) return taken;
    }
    let who: string | undefined;
    let request: WireRequest | undefined;
    const reply = (answer: ErrorAnswer | Answer, action = '-'): HandledRequest => {
      send(res, answer.status, answer.body, 'headers' in answer && answer.headers ? { ...headers, ...answer.headers } : headers);
      // The log line of an error names its Code and the parameters sent (names only, never values).
      const body = answer.body as { Code?: unknown } | null;
      const code = answer.status >= 400 && body !== null && typeof body === 'object' && typeof body.Code === 'string' ? body.Code : undefined;
      if (code === undefined) return { action, status: answer.status, ...(who !== undefined && { who }) };
      return { action, status: answer.status, ...(who !== undefined && { who }), code, ...(request && { parameters: parameterNames(contract, request) }) };
    };
    const refuse = (rejection: Rejection, action: Action): HandledRequest =>
      reply(errorAnswer(validators.catalog, rejection.code, { action, ...(rejection.fill && { fill: rejection.fill }), ...(rejection.detail && { detail: rejection.detail }) }), action);

    const accepted = await acceptRequest(message, contract, validators.catalog);
    if (!accepted.ok) return reply(accepted.answer);
    const action = accepted.operation.action as Action;
    request = accepted.request;
    const routed: RoutedRequest = { message, request, rawBody: accepted.rawBody, operation: accepted.operation, action };

    const authenticating = stages.authenticate(routed);
    const authentication = authenticating instanceof Promise ? await authenticating : authenticating;
    if (!authentication.ok) return refuse(authentication.rejection, action);
    who = authentication.who;
    // Explicit literals rather than spreads: this is the per-request hot path.
    const { rawBody, operation } = accepted;
    const { caller } = authentication;
    const authenticated: AuthenticatedRequest<Caller> = { message, request, rawBody, operation, action, caller };

    if (stages.admit) {
      const admitting = stages.admit(authenticated);
      const refused = admitting instanceof Promise ? await admitting : admitting;
      if (refused) return refuse(refused, action);
    }

    const validated = validateWireRequest(validators, operation, request);
    if (!validated.ok) return reply(validated.answer, action);

    const { params, exactIntegers } = validated;
    const answering = stages.answer({ message, request, rawBody, operation, action, caller, params, exactIntegers });
    const outcome = answering instanceof Promise ? await answering : answering;
    if (!outcome.ok) return refuse(outcome.rejection, action);
    return reply(outcome.answer, action);
  };
}

/** The operation parameters a request carried, by name (never values), for an error's log line. */
function parameterNames(contract: Contract, request: WireRequest): string[] {
  const names = new Set<string>();
  for (const [name] of request.query) names.add(name);
  for (const [name] of request.body) names.add(name);
  return [...names].filter((name) => !contract.commonParameters.has(name) && name !== V1.signature).slice(0, 30);
}
