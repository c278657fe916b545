/**
 * Prism as a library: given an Action already routed and validated by us, Prism picks the answer
 * the contract documents (the success example by default, a named example or status through
 * `Prefer`, or schema-generated data in dynamic mode) and checks it against the schema.
 *
 * Prism's own router cannot dispatch on `Action`, and its request validation is case-insensitive
 * and answers with problem+json, so both are replaced: we hand Prism exactly one operation,
 * re-pathed to `/`, with request validation and security checks off.
 */
import { createInstance, getHttpOperationsFromSpec, type IHttpOperationConfig } from '@stoplight/prism-http';
import type { IHttpOperation } from '@stoplight/types';
import { isLeft } from 'fp-ts/lib/Either.js';

export interface MockChoice {
  /** HTTP status to answer with (`Prefer: code=`). */
  code?: number;
  /** Named example to answer with (`Prefer: example=`). */
  example?: string;
  /** Generate data from the schema instead of using examples. */
  dynamic?: boolean;
  /** Seed for dynamic generation, for repeatable data. */
  seed?: string;
}

export interface MockAnswer {
  status: number;
  body: unknown;
  /** Where the answer breaks its own schema (Prism's output validation). */
  violations: string[];
}

export type MockOutcome = { ok: true; answer: MockAnswer } | { ok: false; reason: string };

/** A no-op pino-compatible logger: Prism logs through it, and we log one line per request ourselves. */
function silentLogger(): never {
  const logger: Record<string, unknown> = {};
  for (const level of ['trace', 'debug', 'info', 'success', 'warn', 'error', 'fatal', 'log']) logger[level] = () => undefined;
  logger.child = () => logger;
  logger.level = 'silent';
  return logger as never;
}

export interface PrismMock {
  actions: string[];
  /** Documented statuses of an Action and the named examples under each. */
  examples(action: string): Map<number, string[]>;
  answer(action: string, choice: MockChoice): Promise<MockOutcome>;
}

export async function createPrismMock(document: Record<string, unknown>, defaults: MockChoice = {}): Promise<PrismMock> {
  const operations = await getHttpOperationsFromSpec(structuredClone(document) as never);
  const byAction = new Map<string, IHttpOperation>();
  for (const operation of operations) {
    const action = /^\/#Action=([A-Za-z0-9]+)$/.exec(operation.path)?.[1];
    if (action && operation.method === 'post') byAction.set(action, { ...operation, path: '/' });
  }
  // Routing and request validation are ours; Prism only picks the answer and checks it.
  const baseConfig = {
    checkSecurity: false,
    validateRequest: false,
    validateResponse: true,
    errors: false,
    upstreamProxy: undefined,
    isProxy: false,
  } as const;
  const prism = createInstance({ ...baseConfig, mock: { dynamic: false } }, { logger: silentLogger() });

  const examples = (action: string): Map<number, string[]> => {
    const out = new Map<number, string[]>();
    for (const response of byAction.get(action)?.responses ?? []) {
      const names = (response.contents ?? []).flatMap((c) => (c.examples ?? []).map((e) => e.key));
      out.set(Number(response.code), names);
    }
    return out;
  };

  return {
    actions: [...byAction.keys()],
    examples,
    async answer(action, choice) {
      const operation = byAction.get(action);
      if (!operation) return { ok: false, reason: `No operation for ${action}` };
      const documented = examples(action);
      if (choice.code !== undefined && !documented.has(choice.code)) {
        return { ok: false, reason: `${action} documents no HTTP ${choice.code}; it documents ${[...documented.keys()].join(', ')}.` };
      }
      if (choice.example !== undefined) {
        const status = choice.code ?? 200;
        const names = documented.get(status) ?? [];
        if (!names.includes(choice.example)) {
          return {
            ok: false,
            reason: `${action} has no example "${choice.example}" under HTTP ${status}${choice.code === undefined ? ' (add code=<status> to pick an error)' : ''}; documented: ${names.join(', ')}.`,
          };
        }
      }
      const dynamic = choice.dynamic ?? defaults.dynamic ?? false;
      const seed = choice.seed ?? defaults.seed;
      const mock: IHttpOperationConfig = { dynamic };
      if (choice.code !== undefined) mock.code = choice.code;
      if (choice.example !== undefined) mock.exampleKey = choice.example;
      if (seed !== undefined) mock.seed = seed;
      const result = await prism.request(
        { method: 'post', url: { path: '/' }, headers: { accept: 'application/json' } },
        [operation],
        { ...baseConfig, mock },
      )();
      if (isLeft(result)) {
        const error = result.left as Error & { detail?: string };
        return { ok: false, reason: error.detail || error.message };
      }
      const { output, validations } = result.right;
      return {
        ok: true,
        answer: {
          status: output.statusCode,
          body: output.body,
          violations: validations.output.map((v) => `${(v.path ?? []).join('.')}: ${v.message}`),
        },
      };
    },
  };
}
