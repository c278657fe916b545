/**
 * The report of a run and its renderings: the verdict and exit status (0 conforms, 1 contract
 * failures, 3 could not test; 2, a usage error, is the CLI's), the cases per Action with skip
 * reasons, the findings, the unknown-field warnings, the coverage table, JUnit XML (written
 * atomically) and JSON.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { isSuccess, type Exchange } from './exchange.ts';
import { ACTIONS, operation } from './facts.ts';
import { finding, render, type Finding } from './findings.ts';
import type { SkippedConstraint } from './negative.ts';
import type { Resolved } from './options.ts';
import type { RunState } from './state.ts';

export type CaseStatus = 'passed' | 'failed' | 'skipped' | 'interrupted';

export interface CaseResult {
  name: string;
  action: string;
  suite: string;
  status: CaseStatus;
  reason?: string;
  failures: string[];
  warnings: string[];
  requests: number;
  ms: number;
}

export interface CoverageRow {
  action: string;
  /** A 2xx body of this Action was checked against its schema. */
  successValidated: boolean;
  statusesSeen: number[];
  statusesDocumented: string[];
  codesSeen: string[];
  codesDocumented: number;
  constraintsTested: number;
  constraintsKnown: number;
}

export interface ConformanceReport {
  endpoint: string;
  runId: string;
  startedAt: string;
  durationMs: number;
  verdict: 'conforms' | 'contract failures' | 'could not test';
  exitCode: 0 | 1 | 3;
  /** Why the run could not test (exit 3), with what to fix. */
  couldNotTest?: string;
  interrupted?: string;
  cases: CaseResult[];
  findings: Finding[];
  failures: number;
  warnings: number;
  /** Unknown response fields, per Action and JSON path (warnings unless strictFields). */
  unknownFields: Array<{ action: string; path: string; severity: Finding['severity'] }>;
  /** Success bodies validated, in all. */
  successBodies: number;
  /** Actions with at least one validated success body (what --min-success counts). */
  successActions: number;
  minSuccess: number;
  coverage: { rows: CoverageRow[]; percent: number; minCoverage?: number };
  negative: { sent: number; skipped: SkippedConstraint[] };
  leftovers: string[];
  notes: string[];
  requests: number;
}

export function buildReport(state: RunState, allFindings: Finding[], extra: { started: number; negativeSent: number; negativeSkipped: SkippedConstraint[] }): ConformanceReport {
  const o = state.options;
  const exchanges = state.exchanges;
  const findings = [...allFindings];
  const successBodies = exchanges.filter((e) => isSuccess(e) && !e.retried).length;
  const successActions = new Set(exchanges.filter((e) => isSuccess(e) && !e.retried).map((e) => e.action)).size;
  let couldNotTest = state.couldNotTest;
  // With contract failures something was tested (and failed): those decide the verdict.
  const failed = findings.some((f) => f.severity === 'failure') || state.leftovers.length > 0;
  if (!couldNotTest && !state.interrupted && !failed && successActions < o.minSuccess) {
    couldNotTest = `nothing was tested: only ${successActions} Actions had a success body to validate, fewer than --min-success ${o.minSuccess}; give the run a connection to read (CONTRACT_INSTANCE_ID, CONTRACT_REGION) or lower --min-success`;
  }
  const rows: CoverageRow[] = ACTIONS.map((action) => {
    const mine = exchanges.filter((e) => e.action === action && e.status > 0);
    const op = operation(action);
    const known = extra.negativeSkipped.filter((s) => s.action === action).length;
    const tested = new Set(mine.filter((e) => e.expect.kind === 'negative').map((e) => (e.expect.kind === 'negative' ? `${e.expect.parameter} ${e.expect.keyword}` : ''))).size;
    return {
      action,
      successValidated: mine.some((e) => isSuccess(e)),
      statusesSeen: [...new Set(mine.map((e) => e.status))].sort(),
      statusesDocumented: ['200', ...op.errorCodes.keys()],
      codesSeen: [...new Set(mine.flatMap((e) => (e.status >= 300 ? [codeOf(e)] : [])).filter((c): c is string => !!c))].sort(),
      codesDocumented: op.statusOfCode.size,
      constraintsTested: tested,
      constraintsKnown: tested + known,
    };
  });
  const percent = Math.round((rows.filter((r) => r.successValidated).length / rows.length) * 100);
  if (o.minCoverage !== undefined && percent < o.minCoverage && !couldNotTest) {
    findings.push(finding('failure', 'coverage', `coverage ${percent}% (Actions with a validated success body) is below --min-coverage ${o.minCoverage}%`, [], 'coverage', '-'));
  }
  for (const leftover of state.leftovers) findings.push(finding('failure', 'cleanup', `cleanup: could not delete ${leftover}`, [], 'cleanup', 'DeleteVpcPeerConnection'));

  const byCase = new Map<string, Finding[]>();
  for (const f of findings) byCase.set(f.case, [...(byCase.get(f.case) ?? []), f]);
  for (const [name, list] of byCase) if (!state.cases.has(name)) state.open(name, list[0]!.action, 'run');
  const cases: CaseResult[] = [...state.cases.values()].map((c) => {
    const mine = byCase.get(c.name) ?? [];
    const requests = exchanges.filter((e) => e.case === c.name);
    const failures = mine.filter((f) => f.severity === 'failure').map(render);
    const status: CaseStatus = failures.length > 0 ? 'failed' : c.cut ? 'interrupted' : c.skipped ? 'skipped' : 'passed';
    return {
      name: c.name,
      action: c.action,
      suite: c.suite,
      status,
      ...((c.skipped ?? c.cut) && { reason: c.skipped ?? c.cut }),
      failures,
      warnings: mine.filter((f) => f.severity === 'warning').map(render),
      requests: requests.length,
      ms: requests.reduce((sum, e) => sum + e.ms, 0),
    };
  });
  const failures = findings.filter((f) => f.severity === 'failure').length;
  const exitCode: 0 | 1 | 3 = couldNotTest ? 3 : failures > 0 || state.interrupted ? 1 : 0;
  return {
    endpoint: o.endpoint,
    runId: o.runId,
    startedAt: new Date(extra.started).toISOString(),
    durationMs: Date.now() - extra.started,
    verdict: exitCode === 0 ? 'conforms' : exitCode === 3 ? 'could not test' : 'contract failures',
    exitCode,
    ...(couldNotTest && { couldNotTest }),
    ...(state.interrupted && { interrupted: state.interrupted }),
    cases,
    findings,
    failures,
    warnings: findings.length - failures,
    unknownFields: [...new Map(findings.filter((f) => f.check === 'unknown-field').map((f) => {
      const entry = { action: f.action, path: / (\$[^ ]*) \[/.exec(f.message)?.[1] ?? '$', severity: f.severity };
      return [`${entry.action} ${entry.path}`, entry] as const;
    })).values()],
    successBodies,
    successActions,
    minSuccess: o.minSuccess,
    coverage: { rows, percent, ...(o.minCoverage !== undefined && { minCoverage: o.minCoverage }) },
    negative: { sent: extra.negativeSent, skipped: extra.negativeSkipped },
    leftovers: [...state.leftovers],
    notes: [...state.notes],
    requests: exchanges.length,
  };
}

function codeOf(e: Exchange): string | undefined {
  try {
    const body = JSON.parse(e.body) as { Code?: unknown };
    return typeof body.Code === 'string' ? body.Code : undefined;
  } catch {
    return undefined;
  }
}

/** The console report: per Action, every case with its status, reason and findings. */
export function formatConsole(report: ConformanceReport): string {
  const lines = [`VpcPeer conformance: ${report.endpoint}, run ${report.runId}`];
  const actions = [...new Set(report.cases.map((c) => c.action))].sort();
  for (const action of actions) {
    const cases = report.cases.filter((c) => c.action === action);
    const count = (s: CaseStatus) => cases.filter((c) => c.status === s).length;
    const negatives = cases.filter((c) => c.suite === 'negative');
    lines.push(`${action}: ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped${count('interrupted') ? `, ${count('interrupted')} interrupted` : ''}${negatives.length ? ` (${negatives.length} negative)` : ''}`);
    for (const c of cases) {
      if (c.status === 'passed' && c.warnings.length === 0 && c.suite === 'negative') continue;
      const mark = c.status === 'passed' ? 'passed ' : c.status === 'failed' ? 'FAILED ' : c.status === 'skipped' ? 'skipped' : 'CUT    ';
      lines.push(`  ${mark} ${c.name}${c.reason ? `: ${c.reason}` : ''}`);
      for (const f of c.failures) lines.push(`      - ${f}`);
      for (const w of c.warnings) lines.push(`      ~ warning: ${w}`);
    }
  }
  if (report.unknownFields.length) {
    lines.push(`Unknown response fields (${report.unknownFields.some((u) => u.severity === 'failure') ? 'failures: --strict-fields' : 'warnings; --strict-fields makes them failures'}):`);
    for (const u of report.unknownFields) lines.push(`  ${u.action} ${u.path}`);
  }
  lines.push('Coverage (Action: success body validated | statuses seen | codes seen/documented | constraints negative-tested):');
  const width = Math.max(...report.coverage.rows.map((r) => r.action.length));
  for (const r of report.coverage.rows) {
    lines.push(`  ${r.action.padEnd(width)}  ${r.successValidated ? 'yes' : 'no '}  ${(r.statusesSeen.join(',') || '-').padEnd(12)} ${String(r.codesSeen.length).padStart(2)}/${String(r.codesDocumented).padEnd(3)} ${r.constraintsTested}/${r.constraintsKnown}`);
  }
  lines.push(`  coverage ${report.coverage.percent}%${report.coverage.minCoverage !== undefined ? ` (minimum ${report.coverage.minCoverage}%)` : ''}; ${report.negative.sent} negative requests sent, ${report.negative.skipped.length} constraints not sendable`);
  for (const n of report.notes) lines.push(`note: ${n}`);
  for (const l of report.leftovers) lines.push(`LEFT BEHIND: ${l}`);
  const count = (s: CaseStatus) => report.cases.filter((c) => c.status === s).length;
  lines.push(`${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped${count('interrupted') ? `, ${count('interrupted')} interrupted` : ''}; ${report.failures} failures, ${report.warnings} warnings; ${report.successBodies} success bodies validated for ${report.successActions} Actions (minimum ${report.minSuccess} Actions); ${report.requests} requests in ${(report.durationMs / 1000).toFixed(1)} s`);
  if (report.interrupted) lines.push(`INTERRUPTED (${report.interrupted}): no further step was sent; cleanup ran`);
  lines.push(report.couldNotTest ? `COULD NOT TEST: ${report.couldNotTest}` : `verdict: ${report.verdict}`);
  return lines.join('\n');
}

const xml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** JUnit XML: one testsuite per suite, one testcase per case; an `interrupted` and a `could not test` case when they apply. */
export function formatJUnit(report: ConformanceReport): string {
  const suites = new Map<string, CaseResult[]>();
  for (const c of report.cases) suites.set(c.suite, [...(suites.get(c.suite) ?? []), c]);
  const extra: CaseResult[] = [];
  const base = { failures: [], warnings: [], requests: 0, ms: 0 };
  if (report.interrupted) extra.push({ ...base, name: 'interrupted', action: '-', suite: 'run', status: 'interrupted', reason: `the run was interrupted (${report.interrupted}); no further step was sent, cleanup ran${report.leftovers.length ? `; LEFT BEHIND: ${report.leftovers.join('; ')}` : ''}` });
  if (report.couldNotTest) extra.push({ ...base, name: 'could not test', action: '-', suite: 'run', status: 'interrupted', reason: report.couldNotTest });
  if (extra.length) suites.set('run', [...(suites.get('run') ?? []), ...extra]);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const all = [...suites.values()].flat();
  const n = (list: CaseResult[], s: CaseStatus) => list.filter((c) => c.status === s).length;
  out.push(`<testsuites name="vpcpeer-conformance" tests="${all.length}" failures="${n(all, 'failed')}" errors="${n(all, 'interrupted')}" skipped="${n(all, 'skipped')}" time="${(report.durationMs / 1000).toFixed(3)}">`);
  for (const [suite, list] of suites) {
    out.push(`  <testsuite name="${xml(suite)}" tests="${list.length}" failures="${n(list, 'failed')}" errors="${n(list, 'interrupted')}" skipped="${n(list, 'skipped')}" time="${(list.reduce((s, c) => s + c.ms, 0) / 1000).toFixed(3)}" timestamp="${report.startedAt}">`);
    for (const c of list) {
      out.push(`    <testcase classname="vpcpeer.${xml(suite)}.${xml(c.action)}" name="${xml(c.name)}" time="${(c.ms / 1000).toFixed(3)}">`);
      if (c.status === 'failed') out.push(`      <failure message="${xml(c.failures[0]!)}" type="contract">${xml(c.failures.join('\n'))}</failure>`);
      if (c.status === 'skipped') out.push(`      <skipped message="${xml(c.reason ?? '')}"/>`);
      if (c.status === 'interrupted') out.push(`      <error message="${xml(c.reason ?? '')}" type="${c.name === 'could not test' ? 'could-not-test' : 'interrupted'}"/>`);
      if (c.warnings.length) out.push(`      <system-out>${xml(c.warnings.map((w) => `warning: ${w}`).join('\n'))}</system-out>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

/** Writes a file whole or not at all (temp file + rename): an interrupt never leaves it half-written. */
export function writeAtomically(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}

export function writeReports(report: ConformanceReport, options: Pick<Resolved, 'junitFile' | 'jsonFile'>): void {
  if (options.junitFile) writeAtomically(options.junitFile, formatJUnit(report));
  if (options.jsonFile) writeAtomically(options.jsonFile, `${JSON.stringify(report, null, 2)}\n`);
}
