/**
 * The contract diff in the four shapes a review needs: terminal text, Markdown (a release note or
 * a PR comment), JSON, and GitHub workflow commands (annotations on the spec lines of a PR).
 */
import type { Change, ContractDiff, Severity } from './diff.ts';
import type { Location } from './locate.ts';

export const FORMATS = ['text', 'markdown', 'json', 'github'] as const;
export type Format = (typeof FORMATS)[number];

export interface Labels {
  from: string;
  to: string;
}

const HEADINGS: Record<Severity, string> = {
  breaking: 'Breaking',
  additive: 'Additive',
  compatible: 'Compatible',
  docs: 'Documentation only',
};

const TAGS: Record<Severity, string> = {
  breaking: 'BREAKING  ',
  additive: 'additive  ',
  compatible: 'compatible',
  docs: 'docs      ',
};

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A change's message with its folded details, on one line. */
export function changeLine(c: Change): string {
  return c.details !== undefined && c.details.length > 0 ? `${c.message} (also: ${c.details.join('; ')})` : c.message;
}

function actionTitle(action: string): string {
  return action === '' ? 'Whole document' : action;
}

export function summaryLine(diff: ContractDiff): string {
  const c = diff.counts;
  const total = c.breaking + c.additive + c.compatible + c.docs;
  const actions = diff.actions.filter((a) => a !== '').length;
  const where = `${plural(actions, 'Action')}${diff.actions.includes('') ? ' and the document itself' : ''}`;
  return `${plural(total, 'change')} in ${where}: ${c.breaking} breaking, ${c.additive} additive, ${c.compatible} compatible, ${c.docs} documentation only.`;
}

function byAction(diff: ContractDiff): Map<string, Change[]> {
  const out = new Map<string, Change[]>();
  for (const action of diff.actions) out.set(action, []);
  for (const c of diff.changes) out.get(c.action)?.push(c);
  return out;
}

/** Terminal report. Documentation-only changes are counted, and listed with `verbose`. */
export function formatText(diff: ContractDiff, labels: Labels, options: { verbose?: boolean } = {}): string {
  const lines = [`Contract changes: ${labels.from} → ${labels.to}`];
  if (diff.changes.length === 0) {
    lines.push('', 'No changes.');
    return `${lines.join('\n')}\n`;
  }
  for (const [action, changes] of byAction(diff)) {
    lines.push('', actionTitle(action));
    const docs = changes.filter((c) => c.severity === 'docs');
    for (const c of changes) {
      if (c.severity === 'docs' && !options.verbose) continue;
      lines.push(`  ${TAGS[c.severity]}  ${changeLine(c)}${c.flag !== undefined ? `  [${c.flag}]` : ''}`);
    }
    if (docs.length > 0 && !options.verbose) lines.push(`  ${TAGS.docs}  ${plural(docs.length, 'documentation-only change')} (--verbose lists them)`);
  }
  lines.push('', summaryLine(diff));
  return `${lines.join('\n')}\n`;
}

/** Markdown for a release note or a review comment. */
export function formatMarkdown(diff: ContractDiff, labels: Labels): string {
  const out = [`## Contract changes: ${labels.from} → ${labels.to}`, ''];
  if (diff.changes.length === 0) {
    out.push('No changes to the contract.', '');
    return out.join('\n');
  }
  out.push(summaryLine(diff).replace(/: (\d+) breaking/, ': **$1 breaking**'), '');
  if (diff.counts.breaking > 0) {
    const names = diff.actions.filter((a) => diff.changes.some((c) => c.action === a && c.severity === 'breaking')).map((a) => (a === '' ? 'the document' : `\`${a}\``));
    out.push(`> **Breaking for clients:** ${names.join(', ')}. Existing callers may fail after this change.`, '');
  }
  const flagged = diff.changes.filter((c) => c.flag !== undefined && c.severity !== 'docs');
  if (flagged.length > 0) {
    out.push(`> **Worth a look:** ${plural(flagged.length, 'additive change')} that code with an exhaustive \`switch\` notices (new error codes or enum values).`, '');
  }
  for (const [action, changes] of byAction(diff)) {
    out.push(`### ${action === '' ? 'Whole document' : `\`${action}\``}`, '');
    for (const severity of ['breaking', 'additive', 'compatible'] as const) {
      const group = changes.filter((c) => c.severity === severity);
      if (group.length === 0) continue;
      out.push(`**${HEADINGS[severity]}**`, '');
      for (const c of group) out.push(`- ${changeLine(c)}${c.flag !== undefined ? ` *(${c.flag})*` : ''}`);
      out.push('');
    }
    const docs = changes.filter((c) => c.severity === 'docs');
    if (docs.length > 0) {
      out.push(`<details><summary>${HEADINGS.docs} (${docs.length})</summary>`, '');
      for (const c of docs) out.push(`- ${changeLine(c)}`);
      out.push('', '</details>', '');
    }
  }
  return out.join('\n');
}

/** JSON: the labels, the counts and every change (with its spec location when `locate` is given). */
export function formatJson(diff: ContractDiff, labels: Labels, locate?: (c: Change) => Location): string {
  const changes = diff.changes.map((c) => (locate !== undefined ? { ...c, location: locate(c) } : c));
  return `${JSON.stringify({ from: labels.from, to: labels.to, counts: diff.counts, changes }, null, 2)}\n`;
}

/** Escapes the message part of a workflow command. */
export function commandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value of a workflow command. */
export function commandProperty(text: string): string {
  return commandData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'notice'> = { breaking: 'error', additive: 'notice', compatible: 'notice', docs: 'notice' };

/**
 * GitHub Actions workflow commands: one annotation per change at its spec file and line
 * (`::error` for breaking, `::warning` for a flagged additive change, `::notice` otherwise;
 * documentation-only changes with `verbose` only), then the summary as a notice.
 */
export function formatGithub(diff: ContractDiff, labels: Labels, locate: (c: Change) => Location, options: { verbose?: boolean } = {}): string {
  const lines: string[] = [];
  for (const c of diff.changes) {
    if (c.severity === 'docs' && !options.verbose) continue;
    const level = c.flag !== undefined && c.severity === 'additive' ? 'warning' : LEVEL[c.severity];
    const { file, line } = locate(c);
    const title = `${HEADINGS[c.severity]}${c.action !== '' ? `: ${c.action}` : ''}`;
    const text = `${changeLine(c)}${c.flag !== undefined ? ` [${c.flag}]` : ''}`;
    lines.push(`::${level} file=${commandProperty(file)},line=${line},title=${commandProperty(title)}::${commandData(text)}`);
  }
  const summary = diff.changes.length === 0 ? 'No changes to the contract.' : summaryLine(diff);
  lines.push(`::notice title=${commandProperty(`Contract changes: ${labels.from} → ${labels.to}`)}::${commandData(summary)}`);
  return `${lines.join('\n')}\n`;
}

export interface RenderOptions {
  verbose?: boolean;
  /** Where each change sits in the spec (json and github formats). */
  locate?: (c: Change) => Location;
}

/** The diff in one of FORMATS. */
export function renderDiff(format: Format, diff: ContractDiff, labels: Labels, options: RenderOptions = {}): string {
  switch (format) {
    case 'text':
      return formatText(diff, labels, { verbose: options.verbose === true });
    case 'markdown':
      return formatMarkdown(diff, labels);
    case 'json':
      return formatJson(diff, labels, options.locate);
    case 'github':
      return formatGithub(diff, labels, options.locate ?? (() => ({ file: 'spec/openapi.yaml', line: 1 })), { verbose: options.verbose === true });
  }
}
