/**
 * Prism as a library: given an Action already routed and validated by us, Prism picks the answer
 * the contract documents (the success example by default, a named example or status through
 * `Prefer`, or schema-generated data in dynamic mode) and checks it against the schema.
 *
 * Prism's own router cannot dispatch on `Action`, and its request validation is case-insensitive
 * and answers with problem+json, so both are replaced: we hand Prism exactly one operation,
 * re-pathed to `/`, with request validation and security checks off.
 *
 * Prism's static answers are a function of (document, Action, status, example) alone, so each is
 * asked of Prism once and then served from a cache (a fresh copy per request). The installed bin
 * goes one step further: `npm run build` asks Prism for every static answer of the bundled
 * contract and ships that table ({@link precomputeAnswers}); a mock serving that same document
 * (same hash) answers from the table and loads Prism only for a dynamic answer. Dynamic answers,
 * which depend on the seed and the generator, go to Prism every time.
 */
import { documentHash } from '../server/hash.ts';
import type { IHttpOperationConfig } from '@stoplight/prism-http';
import type { IHttpOperation } from '@stoplight/types';

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

/** Every static answer Prism gives for one document, by Action and `status example` key. */
export interface StaticAnswerTable {
  /** {@link documentHash} of the document the answers were computed from. */
  documentHash: string;
  actions: Record<string, { examples: Record<string, string[]>; answers: Record<string, MockOutcome> }>;
}

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


const staticKey = (choice: MockChoice) => `${choice.code ?? ''} ${choice.example ?? ''}`;

// Routing and request validation are ours; Prism only picks the answer and checks it.
const baseConfig = {
  checkSecurity: false,
  validateRequest: false,
  validateResponse: true,
  errors: false,
  upstreamProxy: undefined,
  isProxy: false,
} as const;

interface LivePrism {
  byAction: Map<string, IHttpOperation>;
  ask(operation: IHttpOperation, mock: IHttpOperationConfig): Promise<MockOutcome>;
}

/** Loads Prism (a large module graph: loaded only when an answer needs it) over one document. */
async function livePrism(document: Record<string, unknown>): Promise<LivePrism> {
  const loaded = await import('@stoplight/prism-http');
  // A CommonJS package: its exports arrive as named ones (Node) or under `default` (bundles).
  const prismHttp = typeof loaded.getHttpOperationsFromSpec === 'function' ? loaded : (loaded as unknown as { default: typeof loaded }).default;
  const { createInstance, getHttpOperationsFromSpec } = prismHttp;
  const operations = await getHttpOperationsFromSpec(structuredClone(document) as never);
  const byAction = new Map<string, IHttpOperation>();
  for (const operation of operations) {
    const action = /^\/#Action=([A-Za-z0-9]+)$/.exec(operation.path)?.[1];
    if (action && operation.method === 'post') byAction.set(action, { ...operation, path: '/' });
  }
  const prism = createInstance({ ...baseConfig, mock: { dynamic: false } }, { logger: silentLogger() });
  return {
    byAction,
    async ask(operation, mock) {
      const result = await prism.request({ method: 'post', url: { path: '/' }, headers: { accept: 'application/json' } }, [operation], { ...baseConfig, mock })();
      // fp-ts Either: Left is Prism's refusal (no such status or example), Right its answer.
      if (result._tag === 'Left') {
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

function examplesOf(operation: IHttpOperation | undefined): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const response of operation?.responses ?? []) {
    const names = (response.contents ?? []).flatMap((c) => (c.examples ?? []).map((e) => e.key));
    out.set(Number(response.code), names);
  }
  return out;
}

/** Every static choice a request can make for an Action that documents `examples`. */
function staticChoices(examples: Map<number, string[]>): MockChoice[] {
  const choices: MockChoice[] = [{}];
  for (const [code, names] of examples) {
    choices.push({ code });
    for (const example of names) choices.push({ code, example });
  }
  for (const example of examples.get(200) ?? []) choices.push({ example });
  return choices;
}

/** Asks Prism for every static answer of a document (run by `npm run build` for the bundled contract). */
export async function precomputeAnswers(document: Record<string, unknown>): Promise<StaticAnswerTable> {
  const live = await livePrism(document);
  const table: StaticAnswerTable = { documentHash: documentHash(document), actions: {} };
  for (const [action, operation] of live.byAction) {
    const examples = examplesOf(operation);
    const answers: Record<string, MockOutcome> = {};
    for (const choice of staticChoices(examples)) {
      const mock: IHttpOperationConfig = { dynamic: false };
      if (choice.code !== undefined) mock.code = choice.code;
      if (choice.example !== undefined) mock.exampleKey = choice.example;
      answers[staticKey(choice)] = await live.ask(operation, mock);
    }
    table.actions[action] = { examples: Object.fromEntries([...examples].map(([code, names]) => [String(code), names])), answers };
  }
  return table;
}

let shipped: StaticAnswerTable | undefined;

/** Offers a precomputed table; used by {@link createPrismMock} only for the document it was made from. */
export function usePrecomputedAnswers(table: StaticAnswerTable | undefined): void {
  shipped = table;
}

const fresh = (outcome: MockOutcome): MockOutcome =>
  outcome.ok ? { ok: true, answer: { ...outcome.answer, body: structuredClone(outcome.answer.body), violations: [...outcome.answer.violations] } } : outcome;

export async function createPrismMock(document: Record<string, unknown>, defaults: MockChoice = {}): Promise<PrismMock> {
  const table = shipped && shipped.documentHash === documentHash(document) ? shipped : undefined;
  let live: Promise<LivePrism> | undefined;
  const getLive = () => (live ??= livePrism(document));
  // Without a table for this document, Prism is needed for the first answer: load it now.
  if (!table || defaults.dynamic) await getLive();

  const examplesByAction = new Map<string, Map<number, string[]>>();
  let actions: string[];
  if (table) {
    actions = Object.keys(table.actions);
    for (const [action, entry] of Object.entries(table.actions)) {
      examplesByAction.set(action, new Map(Object.entries(entry.examples).map(([code, names]) => [Number(code), names])));
    }
  } else {
    const { byAction } = await getLive();
    actions = [...byAction.keys()];
    for (const [action, operation] of byAction) examplesByAction.set(action, examplesOf(operation));
  }
  const examples = (action: string): Map<number, string[]> => examplesByAction.get(action) ?? new Map();

  /** Static outcomes by `action status example`, exactly as Prism gave them. */
  const staticAnswers = new Map<string, MockOutcome>();
  if (table) {
    for (const [action, entry] of Object.entries(table.actions)) {
      for (const [key, outcome] of Object.entries(entry.answers)) staticAnswers.set(`${action} ${key}`, outcome);
    }
  }

  return {
    actions,
    examples,
    async answer(action, choice) {
      if (!examplesByAction.has(action)) return { ok: false, reason: `No operation for ${action}` };
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
      const ask = async () => {
        const prism = await getLive();
        const operation = prism.byAction.get(action);
        return operation ? prism.ask(operation, mock) : ({ ok: false, reason: `No operation for ${action}` } as const);
      };
      if (dynamic) return ask();
      const key = `${action} ${staticKey(choice)}`;
      let outcome = staticAnswers.get(key);
      if (!outcome) {
        outcome = await ask();
        staticAnswers.set(key, outcome);
      }
      return fresh(outcome);
    },
  };
}
