/**
 * The mock server: answers at the real URL shape (`POST /` or `GET /`, Action in the query, the
 * `x-acs-action` header or the form body) the way the contract documents, for frontends, SDKs
 * and curl.
 *
 * The shared pipeline (src/server/pipeline.ts) with the mock's stages: authenticate = the one
 * signing-style detector (src/wire/signing/presence.ts) with `--require-auth` (else anyone), answer = Prism picks the documented answer
 * (`Prefer` chooses), with a fresh RequestId. Every error is an Alibaba-shaped body with its
 * documented status.
 */
import type { Server } from 'node:http';
import type { Contract } from '../contract/model.ts';
import type { WireRequest } from '../wire/router.ts';
import { preferParameters, preferStatus } from '../wire/prefer.ts';
import { signingPresence } from '../wire/signing/presence.ts';
import { errorAnswer, newRequestId, recommendUrl, type ErrorAnswer, type ErrorOptions, type WireCode } from '../wire/errors.ts';
import { createRpcServer, type LogLevel, type ServerLimits } from '../server/http.ts';
import { createPipeline } from '../server/pipeline.ts';
import { createValidators, type Validators } from '../validate/index.ts';
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
  /** Timeouts and connection cap (defaults: DEFAULT_LIMITS in src/server/http.ts). */
  limits?: Partial<ServerLimits>;
}

export interface MockServer {
  server: Server;
  validators: Validators;
  prism: PrismMock;
}
/** `Prefer: code=400, example=X, dynamic=true, seed=1`, else the `__code`/`__example`/… query fallbacks. */
export function mockChoice(request: WireRequest): { ok: true; choice: MockChoice } | { ok: false; reason: string } {
  const prefer = request.headers.prefer;
  const entries = prefer !== undefined ? preferParameters(prefer) : new Map<string, string>();
  if (prefer === undefined) {
    for (const [key, value] of request.query) {
      if (key.startsWith('__')) entries.set(key.slice(2).toLowerCase(), value);
    }
  }
  const choice: MockChoice = {};
  const code = entries.get('code');
  if (code !== undefined) {
    const asked = preferStatus(code);
    if (!asked.ok) return asked;
    choice.code = asked.status;
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
  const fail = (code: WireCode, opts: ErrorOptions = {}): ErrorAnswer => errorAnswer(validators.catalog, code, opts);

  const handle = createPipeline<undefined>({
    contract,
    validators,
    cors: { exposeHeaders: ['sl-violations'] },
    authenticate({ request }) {
      if (!options.requireAuth) return { ok: true, caller: undefined };
      const presence = signingPresence(request);
      if (presence.ok) return { ok: true, caller: undefined };
      return { ok: false, rejection: { code: 'IncompleteSignature', detail: `${presence.detail[0]!.toUpperCase()}${presence.detail.slice(1)}.` } };
    },
    async answer({ request, action }) {
      const chosen = mockChoice(request);
      if (!chosen.ok) return { ok: false, rejection: { code: 'InvalidParameter', fill: ['Prefer'], detail: chosen.reason } };
      const outcome = await prism.answer(action, chosen.choice);
      if (!outcome.ok) return { ok: false, rejection: { code: 'InvalidParameter', fill: ['Prefer'], detail: outcome.reason } };
      const { status, violations, body } = outcome.answer;
      if (body && typeof body === 'object' && !Array.isArray(body)) {
        const fresh = newRequestId();
        const record = body as Record<string, unknown>;
        record.RequestId = fresh;
        if (typeof record.Code === 'string' && 'Recommend' in record) record.Recommend = recommendUrl(record.Code, fresh);
      }
      const headers: Record<string, string> = {};
      if (violations.length > 0) {
        headers['sl-violations'] = JSON.stringify(violations).slice(0, 8000);
        if (level !== 'silent') {
          write(`warning: ${action} answer breaks its schema in ${violations.length} place(s), first: ${violations[0]} (all in the sl-violations header)`);
        }
      }
      return { ok: true, answer: { status, body, headers } };
    },
  });

  const server = createRpcServer(handle, { level, write, fail, ...(options.limits && { limits: options.limits }) });
  return { server, validators, prism };
}
