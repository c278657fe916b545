/**
 * The Node HTTP layer the mock and the emulator share (Node only): CORS headers, writing a JSON
 * answer, reading and routing a request, and the server itself: one log line per request,
 * `InternalError` on a defect of ours, limits (timeouts, a connection cap) and Alibaba-shaped
 * answers at the edges of HTTP (bytes that are not HTTP, a missing Host, an unknown Expect,
 * CONNECT, timeouts). The request pipeline built on it is in pipeline.ts.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { contract as bundledContract } from '../contract/index.ts';
import type { Contract, OperationSpec } from '../contract/model.ts';
import { DEFAULT_HOST, errorAnswer, newRequestId, recommendUrl, type ErrorAnswer, type ErrorCatalog, type ErrorOptions, type WireCode } from '../wire/errors.ts';
import { readWireRequest } from './request.ts';
import { route, type WireRequest } from '../wire/router.ts';

const { dispatch, v3: V3_HEADERS } = bundledContract.signing;

/**
 * Headers a browser may send to the servers: the dispatch and V3 signing headers of the
 * contract, `authorization`, `content-type`, the mock's `prefer`, and the two the SDK adds
 * (`x-acs-accesskey-id` with STS credentials, `x-acs-credentials-provider`).
 */
export const CORS_ALLOW_HEADERS: readonly string[] = [
  'authorization',
  'content-type',
  'prefer',
  dispatch.action.header,
  dispatch.version.header,
  ...Object.values(V3_HEADERS),
  'x-acs-accesskey-id',
  'x-acs-credentials-provider',
];

export interface CorsOptions {
  /** Extra request headers to allow (lower case), e.g. the emulator's account header. */
  allowHeaders?: string[];
  /** Response headers a browser may read, e.g. `sl-violations`. */
  exposeHeaders?: string[];
}

/** The CORS headers of one request: the full set for a preflight, the two an answer needs otherwise. */
export interface CorsHeaders {
  /** For `OPTIONS`: allowed methods and request headers, and how long a browser may cache that. */
  preflight(origin: string | undefined): Record<string, string>;
  /** For every other answer: the allowed origin (and the readable response headers). */
  answer(origin: string | undefined): Record<string, string>;
}

/**
 * Builds the CORS header factories once; call them per request with its `Origin`. Methods,
 * request headers and max-age mean something only on a preflight answer (Fetch standard,
 * CORS protocol), so other answers carry just the origin, `vary` and any exposed headers.
 */
export function corsHeaders(options: CorsOptions = {}): CorsHeaders {
  const allowHeaders = [...CORS_ALLOW_HEADERS, ...(options.allowHeaders ?? [])].join(', ');
  const exposeHeaders = options.exposeHeaders?.length ? options.exposeHeaders.join(', ') : undefined;
  // Literals per request, not spreads of a shared object: this runs for every answer.
  return {
    preflight: (origin) => ({
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers': allowHeaders,
      'access-control-max-age': '600',
      'access-control-allow-origin': origin ?? '*',
      vary: 'origin',
    }),
    answer(origin) {
      const headers: Record<string, string> = { 'access-control-allow-origin': origin ?? '*', vary: 'origin' };
      if (exposeHeaders !== undefined) headers['access-control-expose-headers'] = exposeHeaders;
      return headers;
    },
  };
}

/** Writes a JSON answer. `body` is serialised with `JSON.stringify` unless it is already text. */
export function send(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  if (res.headersSent) return; // already answered (a 408 for a body that came too late)
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json;charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...extra,
  });
  res.end(text);
}

/** Writes a complete answer straight to a socket (no response object exists) and closes it. */
function writeRaw(socket: Duplex, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\ncontent-type: application/json;charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
  );
}

/**
 * The Alibaba-shaped 408 for a request that did not arrive in time. It precedes any Action, so
 * no operation documents it: `RequestTimeout` is the code the typed client uses for the same
 * condition on its side.
 */
export function timeoutAnswer(limitMs: number): ErrorAnswer['body'] & { Code: 'RequestTimeout' } {
  const requestId = newRequestId();
  return {
    RequestId: requestId,
    HostId: DEFAULT_HOST,
    Code: 'RequestTimeout',
    Message: `The request did not arrive completely within ${limitMs} ms.`,
    Recommend: recommendUrl('RequestTimeout', requestId),
  };
}

export type AcceptedRequest =
  | { ok: true; request: WireRequest; rawBody: Buffer; operation: OperationSpec }
  | { ok: false; answer: ErrorAnswer };

/**
 * The first steps every server takes: read the request strictly and route it by Action. A
 * malformed request or an unknown Action comes back as the answer the gateway would give.
 */
export async function acceptRequest(message: IncomingMessage, contract: Contract, catalog: ErrorCatalog): Promise<AcceptedRequest> {
  if (message.httpVersion === '1.1' && message.headers.host === undefined) {
    message.resume();
    return { ok: false, answer: errorAnswer(catalog, 'MissingParameter', { fill: ['Host'], detail: 'HTTP/1.1 requests must carry a Host header.' }) };
  }
  const read = await readWireRequest(message);
  if (!read.ok) {
    const { parameter, reason } = read.problem;
    return { ok: false, answer: errorAnswer(catalog, 'InvalidParameter', { fill: [parameter], detail: reason }) };
  }
  const routed = route(contract, read.request);
  if (!routed.ok) {
    const { code, parameter, reason } = routed.problem;
    return { ok: false, answer: errorAnswer(catalog, code, { ...(parameter && { fill: [parameter] }), ...(reason && { detail: reason }) }) };
  }
  return { ok: true, request: read.request, rawBody: read.rawBody, operation: routed.operation };
}

export const LOG_LEVELS = ['silent', 'error', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What a server's handler reports about a request, for its log line. */
export interface HandledRequest {
  action: string;
  status: number;
  /** Who called (the emulator's account), when known. */
  who?: string;
  /** The error `Code` answered, for the log line. */
  code?: string;
  /** Names (never values) of the operation parameters the request carried, for the log line of an error. */
  parameters?: string[];
}

/** Connection limits of the servers. Every value is in milliseconds except `maxConnections`. */
export interface ServerLimits {
  /** The request line and headers must arrive within this time of the connection or of the previous answer. */
  headersTimeoutMs: number;
  /** The whole request (headers and body) must arrive within this time. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this time. */
  keepAliveTimeoutMs: number;
  /** Connections beyond this many are closed as soon as they open. */
  maxConnections: number;
}

export const DEFAULT_LIMITS: Readonly<ServerLimits> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1_000,
};

export interface RpcServerOptions {
  level: LogLevel;
  write(line: string): void;
  /** Builds a documented error answer (the servers' error catalog). */
  fail(code: WireCode, options?: ErrorOptions): ErrorAnswer;
  /** Overrides of {@link DEFAULT_LIMITS}. */
  limits?: Partial<ServerLimits>;
}

/** How many answers a socket still owes, and what to write once it owes none. */
interface SocketState {
  pending: number;
  /** The exchanges in flight, oldest first. */
  active: Array<{ req: IncomingMessage; res: ServerResponse }>;
  then?: () => void;
}
const SOCKETS = new WeakMap<Socket | Duplex, SocketState>();

function socketState(socket: Socket | Duplex): SocketState {
  let state = SOCKETS.get(socket);
  if (!state) SOCKETS.set(socket, (state = { pending: 0, active: [] }));
  return state;
}

/**
 * The HTTP server around a handler, shared by the mock and the emulator: one log line per
 * request (method, Action, status, [who], ms), `InternalError` (never a stack trace) if the
 * handler itself fails, and Alibaba-shaped answers to what never reaches the handler:
 * - bytes that are not HTTP: 400 `InvalidParameter` naming `HTTP request`, written after the
 *   answers still owed on that connection (a complete request before them gets its own answer);
 * - headers or body too slow ({@link ServerLimits}): 408 `RequestTimeout`;
 * - an `Expect` other than `100-continue`: 400 `InvalidParameter` naming `Expect`;
 * - `CONNECT`: 403 `UnsupportedHTTPMethod`.
 * HTTP/1.1 without `Host` is answered by {@link acceptRequest} (400 `MissingParameter`).
 */
/** The health endpoint of every server: `GET /__health` → 200 `{"Status":"ok"}`, before any routing. */
export const HEALTH_PATH = '/__health';

export function createRpcServer(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<HandledRequest>,
  { level, write, fail, limits: overrides }: RpcServerOptions,
): Server {
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  const server = createServer(
    {
      requireHostHeader: false,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
    },
    (req, res) => {
      const started = performance.now();
      const state = socketState(req.socket);
      state.pending++;
      const exchange = { req, res };
      state.active.push(exchange);
      res.once('close', () => {
        state.pending--;
        state.active.splice(state.active.indexOf(exchange), 1);
        if (state.pending === 0 && state.then) state.then();
      });
      // Health first: no reading, routing or validation, so CI wait loops cost nothing; logged at debug only.
      if ((req.method === 'GET' || req.method === 'HEAD') && (req.url === HEALTH_PATH || req.url?.startsWith(`${HEALTH_PATH}?`))) {
        send(res, 200, { Status: 'ok' });
        if (level === 'debug') write(`${req.method} ${HEALTH_PATH} 200 ${(performance.now() - started).toFixed(1)}ms`);
        return;
      }
      handle(req, res)
        .then(({ action, status, who, code, parameters }) => {
          if (level === 'info' || level === 'debug') {
            const error = code ? ` ${code}${parameters ? ` params=${parameters.join(',') || '-'}` : ''}` : '';
            write(`${req.method} ${action} ${status}${error}${who ? ` ${who}` : ''} ${(performance.now() - started).toFixed(1)}ms`);
          }
        })
        .catch((error: unknown) => {
          // A defect of ours, never the client's: answer as the service does, log without secrets.
          if (level !== 'silent') write(`error: ${(error as Error)?.stack ?? String(error)}`);
          if (!res.headersSent) {
            const answer = fail('InternalError');
            send(res, answer.status, answer.body);
          } else {
            res.destroy();
          }
        });
    },
  );
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;

  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const answer = error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? { status: 408, body: timeoutAnswer(limits.requestTimeoutMs) }
      : fail('InvalidParameter', { fill: ['HTTP request'], detail: `It is not well-formed HTTP/1.1 (${error.code ?? 'parse error'}).` });
    const state = socketState(socket);
    // A timeout while a request's body is still arriving: that request gets the 408.
    const slow = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? state.active.find((e) => !e.req.complete) : undefined;
    if (slow) {
      if (!slow.res.headersSent) send(slow.res, answer.status, answer.body, { connection: 'close' });
      slow.res.once('finish', () => socket.destroy());
      return;
    }
    const answerNow = () => {
      if (socket.writable) writeRaw(socket, answer.status, answer.body);
      else socket.destroy();
    };
    if (state.pending > 0) state.then = answerNow;
    else answerNow();
  });

  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    const answer = fail('InvalidParameter', { fill: ['Expect'], detail: 'Only "100-continue" is understood.' });
    req.resume();
    send(res, answer.status, answer.body, { connection: 'close' });
    if (level === 'info' || level === 'debug') write(`${req.method} - ${answer.status} 0.0ms`);
  });

  server.on('connect', (req: IncomingMessage, socket: Duplex) => {
    const answer = fail('UnsupportedHTTPMethod');
    writeRaw(socket, answer.status, answer.body);
    if (level === 'info' || level === 'debug') write(`${req.method} - ${answer.status} 0.0ms`);
  });
  return server;
}
