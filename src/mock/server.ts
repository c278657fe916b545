/**
 * The mock server: answers at the real URL shape (`POST /` or `GET /`, Action in the query, the
 * `x-acs-action` header or the form body) the way the contract documents, for frontends, SDKs
 * and curl.
 *
 * Request path: CORS → read (strict decoding) → route by Action → [signature presence] →
 * decode parameters → validate (case-sensitive, Alibaba errors) → Prism picks the answer →
 * fresh RequestId. Every error is an Alibaba-shaped body with its documented status.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Contract } from '../contract/model.ts';
import type { WireRequest } from '../wire/router.ts';
import { signingPresence } from '../wire/auth.ts';
import { errorAnswer, newRequestId, recommendUrl, type ErrorAnswer } from '../wire/errors.ts';
import { acceptRequest, corsHeaders, createRpcServer, send, type HandledRequest, type LogLevel } from '../server/http.ts';
import { createValidators, validateWireRequest, type Validators } from '../validate/index.ts';
import { createPrismMock, type MockChoice, type PrismMock } from './prism.ts';

export type { LogLevel } from '../server/http.ts';

export interface MockOptions {
  contract: Contract;
  /** Generate answers from schemas instead of examples (Prism dynamic mode). */
  dynamic?: boolean;
  /** Seed for dynamic mode, for repeatable data. */
  seed?: string;
  /** Demand V1 or V3 signing material (presence only) and answer IncompleteSignature without it. */
  requireAuth?: boolean;
  logLevel?: LogLevel;
  /** Where log lines go (default: stdout). */
  log?: (line: string) => void;
}

export interface MockServer {
  server: Server;
  validators: Validators;
  prism: PrismMock;
}

const CORS = corsHeaders({ exposeHeaders: ['sl-violations'] });

/** `Prefer: code=400, example=X, dynamic=true, seed=1`, else the `__code`/`__example`/… query fallbacks. */
export function mockChoice(request: WireRequest): { ok: true; choice: MockChoice } | { ok: false; reason: string } {
  const entries = new Map<string, string>();
  const prefer = request.headers.prefer;
  if (prefer !== undefined) {
    for (const part of prefer.split(/[,;]/)) {
      const [key, ...rest] = part.split('=');
      if (key?.trim()) entries.set(key.trim().toLowerCase(), rest.join('=').trim().replace(/^"|"$/g, ''));
    }
  } else {
    for (const [key, value] of request.query) {
      if (key.startsWith('__')) entries.set(key.slice(2).toLowerCase(), value);
    }
  }
  const choice: MockChoice = {};
  const code = entries.get('code');
  if (code !== undefined) {
    if (!/^[1-5]\d\d$/.test(code)) return { ok: false, reason: `code must be an HTTP status, got "${code}".` };
    choice.code = Number(code);
  }
  const example = entries.get('example');
  if (example) choice.example = example;
  const dynamic = entries.get('dynamic');
  if (dynamic !== undefined) choice.dynamic = dynamic === '' || dynamic === 'true';
  const seed = entries.get('seed');
  if (seed) choice.seed = seed;
  return { ok: true, choice };
}

export async function createMockServer(options: MockOptions): Promise<MockServer> {
  const { contract } = options;
  const validators = createValidators(contract);
  const prism = await createPrismMock(contract.document, {
    ...(options.dynamic !== undefined && { dynamic: options.dynamic }),
    ...(options.seed !== undefined && { seed: options.seed }),
  });
  const level = options.logLevel ?? 'info';
  const write = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const fail = (code: string, opts: Parameters<typeof errorAnswer>[2] = {}): ErrorAnswer =>
    errorAnswer(validators.catalog, code, opts);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<HandledRequest> {
    const origin = req.headers.origin;
    const cors = CORS(origin);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors);
      res.end();
      return { action: '-', status: 204 };
    }
    const reply = (answer: ErrorAnswer, action = '-') => {
      send(res, answer.status, answer.body, cors);
      return { action, status: answer.status };
    };

    const accepted = await acceptRequest(req, contract, validators.catalog);
    if (!accepted.ok) return reply(accepted.answer);
    const { request, operation } = accepted;
    const action = operation.action;
    if (options.requireAuth) {
      const presence = signingPresence(request);
      if (!presence.ok) {
        return reply(fail('IncompleteSignature', { action, detail: `Missing: ${presence.missing.join(', ')}.` }), action);
      }
    }
    const validated = validateWireRequest(validators, operation, request);
    if (!validated.ok) return reply(validated.answer, action);

    const chosen = mockChoice(request);
    if (!chosen.ok) return reply(fail('InvalidParameter', { action, fill: ['Prefer'], detail: chosen.reason }), action);
    const outcome = await prism.answer(action, chosen.choice);
    if (!outcome.ok) {
      return reply(fail('InvalidParameter', { action, fill: ['Prefer'], detail: outcome.reason }), action);
    }
    const { status, violations } = outcome.answer;
    const body = outcome.answer.body;
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      const fresh = newRequestId();
      const record = body as Record<string, unknown>;
      record.RequestId = fresh;
      if (typeof record.Code === 'string' && 'Recommend' in record) record.Recommend = recommendUrl(record.Code, fresh);
    }
    const headers: Record<string, string> = { ...cors };
    if (violations.length > 0) {
      headers['sl-violations'] = JSON.stringify(violations).slice(0, 8000);
      if (level !== 'silent') {
        write(`warning: ${action} answer breaks its schema in ${violations.length} place(s), first: ${violations[0]} (all in the sl-violations header)`);
      }
    }
    send(res, status, body, headers);
    return { action, status };
  }

  const server = createRpcServer(handle, { level, write, fail });
  return { server, validators, prism };
}
