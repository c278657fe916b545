/**
 * The Node HTTP pieces the mock and the emulator share (Node only): CORS headers, writing a JSON
 * answer, reading and routing a request, and the `clientError` handler that still answers
 * unparseable HTTP with an Alibaba-shaped body.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Contract, OperationSpec } from '../contract/model.ts';
import { errorAnswer, type ErrorAnswer, type ErrorCatalog, type ErrorOptions } from '../wire/errors.ts';
import { readWireRequest } from './request.ts';
import { route, type WireRequest } from '../wire/router.ts';

/** Headers a browser may send to the servers: signing, dispatch and the mock's `prefer`. */
export const CORS_ALLOW_HEADERS = [
  'authorization',
  'content-type',
  'prefer',
  'x-acs-action',
  'x-acs-version',
  'x-acs-date',
  'x-acs-signature-nonce',
  'x-acs-content-sha256',
  'x-acs-security-token',
  'x-acs-accesskey-id',
  'x-acs-credentials-provider',
];

export interface CorsOptions {
  /** Extra request headers to allow (lower case), e.g. the emulator's account header. */
  allowHeaders?: string[];
  /** Response headers a browser may read, e.g. `sl-violations`. */
  exposeHeaders?: string[];
}

/** Builds the CORS header factory once; call the result per request with its `Origin`. */
export function corsHeaders(options: CorsOptions = {}): (origin: string | undefined) => Record<string, string> {
  const base: Record<string, string> = {
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': [...CORS_ALLOW_HEADERS, ...(options.allowHeaders ?? [])].join(', '),
    'access-control-max-age': '600',
  };
  if (options.exposeHeaders?.length) base['access-control-expose-headers'] = options.exposeHeaders.join(', ');
  return (origin) => ({ ...base, 'access-control-allow-origin': origin ?? '*', vary: 'origin' });
}

/** Writes a JSON answer. `body` is serialised with `JSON.stringify` unless it is already text. */
export function send(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json;charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...extra,
  });
  res.end(text);
}

/**
 * Answers bytes Node's HTTP parser cannot read (not HTTP/1.1, oversize headers) with an
 * Alibaba-shaped `InvalidParameter` body instead of dropping the connection.
 */
export function answerClientErrors(server: Server, fail: (detail: string) => ErrorAnswer): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const answer = fail(`It is not well-formed HTTP/1.1 (${error.code ?? 'parse error'}).`);
    const text = JSON.stringify(answer.body);
    socket.end(
      `HTTP/1.1 ${answer.status} Bad Request\r\ncontent-type: application/json;charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
    );
  });
}

export type AcceptedRequest =
  | { ok: true; request: WireRequest; rawBody: Buffer; operation: OperationSpec }
  | { ok: false; answer: ErrorAnswer };

/**
 * The first steps every server takes: read the request strictly and route it by Action. A
 * malformed request or an unknown Action comes back as the answer the gateway would give.
 */
export async function acceptRequest(message: IncomingMessage, contract: Contract, catalog: ErrorCatalog): Promise<AcceptedRequest> {
  const read = await readWireRequest(message);
  if (!read.ok) {
    const { parameter, reason } = read.problem;
    return { ok: false, answer: errorAnswer(catalog, 'InvalidParameter', { fill: [parameter], detail: reason }) };
  }
  const routed = route(contract, read.request);
  if (!routed.ok) {
    const { code, parameter } = routed.problem;
    return { ok: false, answer: errorAnswer(catalog, code, parameter ? { fill: [parameter] } : {}) };
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
}

export interface RpcServerOptions {
  level: LogLevel;
  write(line: string): void;
  /** Builds a documented error answer (the servers' error catalog). */
  fail(code: string, options?: ErrorOptions): ErrorAnswer;
}

/**
 * The HTTP server around a handler, shared by the mock and the emulator: one log line per
 * request (method, Action, status, [who], ms), `InternalError` (never a stack trace) if the
 * handler itself fails, and Alibaba-shaped answers to bytes that are not HTTP.
 */
export function createRpcServer(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<HandledRequest>,
  { level, write, fail }: RpcServerOptions,
): Server {
  const server = createServer((req, res) => {
    const started = performance.now();
    handle(req, res)
      .then(({ action, status, who }) => {
        if (level === 'info' || level === 'debug') {
          write(`${req.method} ${action} ${status}${who ? ` ${who}` : ''} ${(performance.now() - started).toFixed(1)}ms`);
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
  });
  answerClientErrors(server, (detail) => fail('InvalidParameter', { fill: ['HTTP request'], detail }));
  server.keepAliveTimeout = 5000;
  return server;
}
