/**
 * The drift check's report in the review kit's four formats: terminal text, Markdown, JSON and
 * GitHub workflow-command annotations (unexplained differences only).
 */
import type { AllowEntry, Drift, DriftReport } from './drift.ts';
import type { Location } from './locate.ts';
import { commandData, commandProperty, type Format } from './report.ts';

export interface DriftLabels {
  /** The metadata file, as given. */
  metadata: string;
  /** e.g. `VpcPeer 2022-01-01`. */
  contract: string;
}

const TAG: Record<Drift['severity'], string> = { breaking: 'BREAKING  ', additive: 'additive  ', compatible: 'compatible' };

export function driftSummary(report: DriftReport): string {
  const allowed = report.drifts.length - report.unexplained;
  if (report.drifts.length === 0) return 'No difference from the upstream metadata.';
  return `${report.drifts.length} difference${report.drifts.length === 1 ? '' : 's'} from the upstream metadata: ${report.unexplained} unexplained, ${allowed} explained by the allow-list.`;
}

function byAction(drifts: Drift[]): Map<string, Drift[]> {
  const out = new Map<string, Drift[]>();
  for (const d of drifts) out.set(d.action, [...(out.get(d.action) ?? []), d]);
  return out;
}

function unusedLines(unused: AllowEntry[]): string[] {
  return unused.map((e) => `${e.action} ${e.kind} ${e.subject === '' ? '(operation)' : e.subject}`);
}

export function formatDriftText(report: DriftReport, labels: DriftLabels, options: { verbose?: boolean } = {}): string {
  const lines = [`Drift: ${labels.contract} contract ↔ ${labels.metadata}`];
  for (const [action, drifts] of byAction(report.drifts)) {
    const shown = drifts.filter((d) => d.allowed === undefined || options.verbose);
    const hidden = drifts.length - shown.length;
    // An Action whose differences are all explained is only counted (--verbose lists them).
    if (shown.length === 0) continue;
    lines.push('', action);
    for (const d of shown) lines.push(`  ${d.allowed !== undefined ? 'allowed   ' : TAG[d.severity]}  ${d.message}${d.allowed !== undefined ? `  [${d.allowed}]` : ''}`);
    if (hidden > 0) lines.push(`  allowed     ${hidden} explained by the allow-list (--verbose lists them)`);
  }
  if (report.unused.length > 0) {
    lines.push('', `Allow-list entries that matched nothing (stale, or for another metadata revision):`, ...unusedLines(report.unused).map((l) => `  ${l}`));
  }
  lines.push('', driftSummary(report));
  if (report.unexplained < report.drifts.length && !options.verbose) lines.push('(--verbose also lists the explained ones, with their reasons)');
  return `${lines.join('\n')}\n`;
}

export function formatDriftMarkdown(report: DriftReport, labels: DriftLabels): string {
  const out = [`## Drift: ${labels.contract} contract ↔ \`${labels.metadata}\``, '', driftSummary(report), ''];
  for (const [action, drifts] of byAction(report.drifts)) {
    const open = drifts.filter((d) => d.allowed === undefined);
    const allowed = drifts.filter((d) => d.allowed !== undefined);
    out.push(`### \`${action}\``, '');
    for (const d of open) out.push(`- **${d.severity}**: ${d.message}`);
    if (open.length > 0) out.push('');
    if (allowed.length > 0) {
      out.push(`<details><summary>Explained by the allow-list (${allowed.length})</summary>`, '');
      for (const d of allowed) out.push(`- ${d.message}: ${d.allowed}`);
      out.push('', '</details>', '');
    }
  }
  if (report.unused.length > 0) out.push('**Allow-list entries that matched nothing:**', '', ...unusedLines(report.unused).map((l) => `- ${l}`), '');
  return out.join('\n');
}

export function formatDriftJson(report: DriftReport, labels: DriftLabels, locate?: (d: Drift) => Location): string {
  const drifts = report.drifts.map((d) => (locate !== undefined ? { ...d, location: locate(d) } : d));
  return `${JSON.stringify({ ...labels, unexplained: report.unexplained, drifts, unusedAllowEntries: report.unused }, null, 2)}\n`;
}

export function formatDriftGithub(report: DriftReport, labels: DriftLabels, locate: (d: Drift) => Location): string {
  const lines: string[] = [];
  for (const d of report.drifts) {
    if (d.allowed !== undefined) continue;
    const { file, line } = locate(d);
    lines.push(`::${d.severity === 'breaking' ? 'error' : 'warning'} file=${commandProperty(file)},line=${line},title=${commandProperty(`Drift from upstream metadata: ${d.action}`)}::${commandData(d.message)}`);
  }
  lines.push(`::notice title=${commandProperty(`Drift: ${labels.contract} ↔ ${labels.metadata}`)}::${commandData(driftSummary(report))}`);
  return `${lines.join('\n')}\n`;
}

export function renderDrift(format: Format, report: DriftReport, labels: DriftLabels, options: { verbose?: boolean; locate: (d: Drift) => Location }): string {
  switch (format) {
    case 'text':
      return formatDriftText(report, labels, options);
    case 'markdown':
      return formatDriftMarkdown(report, labels);
    case 'json':
      return formatDriftJson(report, labels, options.locate);
    case 'github':
      return formatDriftGithub(report, labels, options.locate);
  }
}
