/**
 * `--replay FILE...`: re-runs every single-answer and cross-answer check over exchanges
 * recorded with `--record`, offline, against the current contract. A corpus recorded once
 * against production becomes a regression test that needs no credentials.
 */
import { readFileSync } from 'node:fs';
import type { Exchange, Sender } from './exchange.ts';
import { READ_ACTIONS } from './facts.ts';
import { resolveOptions, OptionsError } from './options.ts';
import { buildReport, writeReports, type ConformanceReport } from './report.ts';
import { evaluate } from './run.ts';
import { RunState } from './state.ts';

export interface ReplayOptions {
  files: string[];
  strictFields?: boolean;
  /** The recording came from a mock (answers from examples): skip the checks that need state. */
  staticAnswers?: boolean;
  minSuccess?: number;
  junitFile?: string;
  jsonFile?: string;
}

export function readRecording(file: string): Exchange[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new OptionsError(`cannot read ${file}: ${(error as Error).message}`);
  }
  return text.split('\n').filter((l) => l.trim() !== '').map((line, i) => {
    try {
      const e = JSON.parse(line) as Exchange;
      if (typeof e.action !== 'string' || typeof e.status !== 'number' || typeof e.body !== 'string' || !e.expect) throw new Error('not an exchange');
      return e;
    } catch (error) {
      throw new OptionsError(`${file}:${i + 1}: not a recorded exchange (${(error as Error).message})`);
    }
  });
}

export function replayConformance(options: ReplayOptions): ConformanceReport {
  if (options.files.length === 0) throw new OptionsError('replay needs at least one recording');
  const exchanges: Exchange[] = [];
  for (const file of options.files) {
    for (const e of readRecording(file)) exchanges.push({ ...e, seq: exchanges.length + 1, case: options.files.length > 1 ? `${file}: ${e.case}` : e.case, ...(e.expect.kind === 'page' && { expect: { ...e.expect, walk: `${file}: ${e.expect.walk}` } }) });
  }
  const endpoint = new URL(exchanges[0]?.request.url ?? 'http://replay.invalid/').origin;
  const resolved = resolveOptions({ endpoint, credentials: 'anonymous', minSuccess: options.minSuccess ?? Math.min(READ_ACTIONS.length, 1), strictFields: options.strictFields ?? false, staticAnswers: options.staticAnswers ?? false, runId: 'replay', ...(options.junitFile && { junitFile: options.junitFile }), ...(options.jsonFile && { jsonFile: options.jsonFile }) }, READ_ACTIONS.length);
  const state = new RunState(resolved, { exchanges } as unknown as Sender);
  for (const e of exchanges) state.open(e.case, e.action, 'replay');
  const started = Date.now();
  const report = buildReport(state, evaluate(exchanges, resolved), { started, negativeSent: exchanges.filter((e) => e.expect.kind === 'negative').length, negativeSkipped: [] });
  writeReports(report, resolved);
  return report;
}
