/**
 * The conformance checks, independent of vitest: a recording `fetch` that keeps the raw answer
 * of every call the typed client makes, and `checkExchange`, which turns one answer into
 * precise failure messages (Action, HTTP status, JSON path, rule, offending value) using the
 * Ajv validators compiled once from generated/openapi.json.
 */
import { contract } from '../contract/index.ts';
import { createValidators, type Validators } from '../validate/index.ts';

let shared: Validators | undefined;
/** The validators, compiled once per process from the bundle. */
export function validators(): Validators {
  shared ??= createValidators(contract);
  return shared;
}

/** One request/answer pair as it crossed the wire. */
export interface Exchange {
  action: string;
  status: number;
  contentType: string | undefined;
  text: string;
}

/** A `fetch` that records every answer (the client still gets an equivalent Response). */
export function recordingFetch(inner: typeof fetch = globalThis.fetch): { fetch: typeof fetch; exchanges: Exchange[] } {
  const exchanges: Exchange[] = [];
  const wrapped: typeof fetch = async (input, init) => {
    const response = await inner(input, init);
    const text = await response.text();
    const headers = new Headers(init?.headers);
    exchanges.push({
      action: headers.get('x-acs-action') ?? new URL(String(input)).searchParams.get('Action') ?? '?',
      status: response.status,
      contentType: response.headers.get('content-type') ?? undefined,
      text,
    });
    return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  return { fetch: wrapped, exchanges };
}

function show(value: unknown): string {
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  if (text === undefined) return String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * Every way one answer breaks the contract, as one line each:
 * `<Action> HTTP <status>: <JSON path> [<rule>] <message> (got <value>)`.
 */
export function checkExchange(exchange: Exchange): string[] {
  const { action, status } = exchange;
  const prefix = `${action} HTTP ${status}:`;
  let body: unknown;
  try {
    body = JSON.parse(exchange.text);
  } catch {
    const issues = [`${prefix} $ [json] the body is not JSON (got ${show(exchange.text.slice(0, 80))})`];
    if (exchange.contentType !== undefined && !/^application\/json\b/i.test(exchange.contentType)) {
      issues.push(`${prefix} $ [content-type] Content-Type must be application/json (got ${show(exchange.contentType)})`);
    }
    return issues;
  }
  return validators()
    .checkResponse(action, status, body, exchange.contentType)
    .map((issue) => `${prefix} ${issue.path} [${issue.rule}] ${issue.message}${'value' in issue && issue.value !== undefined ? ` (got ${show(issue.value)})` : ''}`);
}
