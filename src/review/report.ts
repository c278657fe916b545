/**
 * The contract diff as terminal text (`npm run diff`) and as Markdown (`npm run changelog`).
 */
import type { Change, ContractDiff, Severity } from './diff.ts';

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
      lines.push(`  ${TAGS[c.severity]}  ${c.message}${c.flag !== undefined ? `  [${c.flag}]` : ''}`);
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
      for (const c of group) out.push(`- ${c.message}${c.flag !== undefined ? ` *(${c.flag})*` : ''}`);
      out.push('');
    }
    const docs = changes.filter((c) => c.severity === 'docs');
    if (docs.length > 0) {
      out.push(`<details><summary>${HEADINGS.docs} (${docs.length})</summary>`, '');
      for (const c of docs) out.push(`- ${c.message}`);
      out.push('', '</details>', '');
    }
  }
  return out.join('\n');
}
