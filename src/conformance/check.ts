/**
 * Single-answer checks: each answer on its own against the contract (schema by Action and
 * status, documented code and status, Content-Type, 5xx) and against what its request was sent
 * to prove (success expected, DryRun, a negative test's documented code).
 * Messages: `<Action> HTTP <status>: <JSON path> [<rule>] <message> (got <value>)`.
 */
import { contract } from '../contract/index.ts';
import { createValidators, type Validators } from '../validate/index.ts';
import { bodyOf, codeOf, isSuccess, type Exchange } from './exchange.ts';
import { documents } from './facts.ts';
import { finding, type Finding } from './findings.ts';

let shared: Validators | undefined;
/** The validators, compiled once per process from the bundle. */
export function validators(): Validators {
  shared ??= createValidators(contract);
  return shared;
}

export function show(value: unknown): string {
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  if (text === undefined) return String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

export interface CheckContext {
  strictFields: boolean;
  staticAnswers: boolean;
}

const UNKNOWN_FIELD = new Set(['additionalProperties', 'unevaluatedProperties']);

/** The schema-level lines of one answer (also used for unknown-field warnings). */
export function schemaIssues(exchange: Pick<Exchange, 'action' | 'status' | 'body' | 'answerHeaders'>): Array<{ line: string; unknownField: boolean; path: string }> {
  const { action, status } = exchange;
  const prefix = `${action} HTTP ${status}:`;
  const contentType = exchange.answerHeaders['content-type'];
  const out: Array<{ line: string; unknownField: boolean; path: string }> = [];
  if (contentType === undefined) out.push({ line: `${prefix} $ [content-type] the answer has no Content-Type header; the contract says application/json`, unknownField: false, path: '$' });
  let body: unknown;
  try {
    body = JSON.parse(exchange.body);
  } catch {
    out.push({ line: `${prefix} $ [json] the body is not JSON (got ${show(exchange.body.slice(0, 80))})`, unknownField: false, path: '$' });
    if (contentType !== undefined && !/^application\/json\b/i.test(contentType)) {
      out.push({ line: `${prefix} $ [content-type] Content-Type must be application/json (got ${show(contentType)})`, unknownField: false, path: '$' });
    }
    return out;
  }
  for (const issue of validators().checkResponse(action, status, body, contentType)) {
    out.push({
      line: `${prefix} ${issue.path} [${issue.rule}] ${issue.message}${'value' in issue && issue.value !== undefined ? ` (got ${show(issue.value)})` : ''}`,
      unknownField: UNKNOWN_FIELD.has(issue.rule),
      path: issue.path,
    });
  }
  return out;
}

/** Every finding about one answer on its own. */
export function checkExchange(exchange: Exchange, ctx: CheckContext): Finding[] {
  const out: Finding[] = [];
  const { action, status, expect } = exchange;
  const prefix = `${action} HTTP ${status}:`;
  if (status === 0) {
    // Cut by an interrupt or the run deadline: reported on the case, not a contract failure.
    if (exchange.transportError?.startsWith('interrupted') || exchange.transportError?.startsWith('the run deadline')) return out;
    out.push(finding('failure', 'transport', `${action}: no answer: ${exchange.transportError ?? 'unknown'}`, [exchange]));
    return out;
  }
  for (const issue of schemaIssues(exchange)) {
    const severity = issue.unknownField && !ctx.strictFields ? 'warning' : 'failure';
    out.push(finding(severity, issue.unknownField ? 'unknown-field' : 'schema', issue.line, [exchange]));
  }
  const code = codeOf(exchange);
  const message = (bodyOf(exchange) as { Message?: unknown } | undefined)?.Message;
  const got = code !== undefined ? `${code}${typeof message === 'string' ? `: ${message}` : ''}` : `HTTP ${status}`;
  if (status >= 500) out.push(finding('failure', 'server-error', `${prefix} [server-error] a 5xx answer is always a failure (got ${got})`, [exchange]));
  if (exchange.retried) return out;
  if (code?.startsWith('Throttling')) {
    out.push(finding('warning', 'throttled', `${prefix} still throttled (${code}) after the retries allowed; this request was not checked against its purpose`, [exchange]));
    return out;
  }
  switch (expect.kind) {
    case 'success':
    case 'page':
      if (!isSuccess(exchange) && status < 500) out.push(finding('failure', 'expected-success', `${prefix} [expected-success] this request must succeed (got ${got})`, [exchange]));
      break;
    case 'dry-run':
      if (isSuccess(exchange) && !ctx.staticAnswers) {
        out.push(finding('failure', 'dry-run', `${prefix} DryRun=true was answered with success; expected DryRunOperation or a documented validation error (the change may have been carried out)`, [exchange]));
      }
      break;
    case 'negative': {
      const what = `${expect.constraint}: expected ${expect.code} (HTTP ${expect.status})`;
      if (isSuccess(exchange)) out.push(finding('failure', 'negative', `${prefix} [negative] ${what}, got success: the endpoint accepted an invalid request`, [exchange]));
      else if (status < 500 && code !== undefined && code !== expect.code && documents(action, code)) {
        out.push(finding('warning', 'negative-order', `${prefix} [negative] ${what}, got ${code}, another documented 4xx (the service may check that first)`, [exchange]));
      } else if (status < 500 && code === undefined) {
        out.push(finding('failure', 'negative', `${prefix} [negative] ${what}, got an answer without an error Code`, [exchange]));
      }
      break;
    }
    case 'mock-error':
      if (code !== expect.code) out.push(finding('failure', 'mock-error', `${prefix} [mock-error] asked the mock for ${expect.code}, got ${got}`, [exchange]));
      break;
    case 'any':
      break;
  }
  return out;
}
