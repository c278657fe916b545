/**
 * Error codes for the reference: the codes every Action shares (gateway and signature codes)
 * apart from each Action's own, the per-response tables the Action pages show, and the one
 * "Error codes" page (plain HTML, so the browser's own find sees every code on load) with one
 * anchor per code, its HTTP status, message template, and the Actions that return it and when.
 */
import { escapeMarkup, htmlPage } from './html.ts';
import { errorCodes, listActions, type ErrorCode } from './openapi.ts';

/** Where the reference lives, relative to the Error codes page and back. */
export const ERROR_PAGE = 'error-codes.html';
export const REFERENCE_PAGE = 'index.html';

/** The anchor of a code on the Error codes page. */
export function codeAnchor(code: string): string {
  return `code-${code.replace(/[^A-Za-z0-9._-]/g, '-')}`;
}

export const COMMON_ANCHOR = 'common-codes';

/** One code as the Error codes page shows it: where it is documented and how. */
export interface CodeEntry {
  code: string;
  /** The Action's own documentation of the code (status, template, when), in document order. */
  uses: Array<{ action: string; tag: string; entry: ErrorCode }>;
  /** Documented by every Action. */
  common: boolean;
}

/** Every documented code of a bundle, common ones first, then by name. */
export function collectCodes(doc: unknown): CodeEntry[] {
  const ops = listActions(doc);
  const byCode = new Map<string, CodeEntry>();
  for (const op of ops) {
    const tag = Array.isArray(op.operation.tags) && typeof op.operation.tags[0] === 'string' ? op.operation.tags[0] : '';
    for (const entry of errorCodes(doc, op.operation)) {
      const c = byCode.get(entry.code) ?? { code: entry.code, uses: [], common: false };
      if (!c.uses.some((u) => u.action === op.action)) c.uses.push({ action: op.action, tag, entry });
      byCode.set(entry.code, c);
    }
  }
  for (const c of byCode.values()) c.common = ops.length > 0 && c.uses.length === ops.length;
  return [...byCode.values()].sort((a, b) => Number(b.common) - Number(a.common) || a.code.localeCompare(b.code));
}

/** The codes every Action of the bundle documents. */
export function commonCodeSet(doc: unknown): Set<string> {
  return new Set(collectCodes(doc).filter((c) => c.common).map((c) => c.code));
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n+/g, ' ').trim();
}

function code(text: string): string {
  const t = cell(text);
  return t.includes('`') ? `\`\` ${t} \`\`` : `\`${t}\``;
}

/**
 * The Markdown an error response of an Action shows: its own codes under that status (each
 * linked to its row on the Error codes page), then one line pointing at the shared section of
 * common gateway and signature codes.
 */
export function responseErrorsMarkdown(action: string, status: string, codes: ErrorCode[], common: Set<string>, description: string): string {
  const own = codes.filter((c) => c.status === status && !common.has(c.code));
  const shared = codes.filter((c) => c.status === status && common.has(c.code));
  const out = [description.trim(), ''];
  if (own.length > 0) {
    out.push(
      `**Codes of ${action}** (HTTP ${status}):`,
      '',
      '| Code | Message template, and when it happens |',
      '| --- | --- |',
      ...own.map((c) => {
        const note = c.unverified !== undefined ? ` *Unverified: ${cell(c.unverified)}*` : '';
        const template = c.message ? code(c.message) : '(no message documented)';
        return `| [${code(c.code)}](${ERROR_PAGE}#${codeAnchor(c.code)}) | ${template}<br>${cell(c.description || c.summary)}${note} |`;
      }),
      '',
    );
  }
  if (shared.length > 0) {
    out.push(`Also the ${shared.length} [common gateway and signature code${shared.length === 1 ? '' : 's'}](${ERROR_PAGE}#${COMMON_ANCHOR}) every Action can return with HTTP ${status}: ${shared.map((c) => code(c.code)).join(', ')}.`);
  }
  return out.join('\n').trim();
}

/** Inline Markdown of the spec's descriptions (backticks only) as HTML. */
function inline(text: string): string {
  return escapeMarkup(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

/** The link to an Action in the Scalar reference (its sidebar anchor). */
export function actionHref(action: string, tag: string): string {
  const slug = tag.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `${REFERENCE_PAGE}#tag/${slug}/POST/#Action=${action}`;
}

function row(c: CodeEntry): string {
  const statuses = [...new Set(c.uses.map((u) => u.entry.status))];
  const templates = [...new Set(c.uses.map((u) => u.entry.message).filter((m) => m.length > 0))];
  const where = c.common
    ? '<p>Every Action.</p>'
    : `<ul>${c.uses
        .map((u) => {
          const when = u.entry.description || u.entry.summary;
          const note = u.entry.unverified !== undefined ? ` <em>Unverified: ${inline(u.entry.unverified)}</em>` : '';
          return `<li><a href="${escapeMarkup(actionHref(u.action, u.tag))}">${escapeMarkup(u.action)}</a>${statuses.length > 1 ? ` (HTTP ${escapeMarkup(u.entry.status)})` : ''}: ${inline(when)}${note}</li>`;
        })
        .join('')}</ul>`;
  const when = c.common ? inline(c.uses[0]?.entry.description || c.uses[0]?.entry.summary || '') : '';
  return [
    `<tr id="${codeAnchor(c.code)}">`,
    `<td><a class="code" href="#${codeAnchor(c.code)}"><code>${escapeMarkup(c.code)}</code></a></td>`,
    `<td>${statuses.map(escapeMarkup).join(', ')}</td>`,
    `<td>${templates.map((t) => `<code>${escapeMarkup(t)}</code>`).join('<br>') || '(no message documented)'}</td>`,
    `<td>${where}${when ? `<p>${when}</p>` : ''}</td>`,
    '</tr>',
  ].join('');
}

const PAGE_CSS = `
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 1200px; padding: 1rem 2rem; color: #1b1b1b; }
  table { border-collapse: collapse; width: 100%; margin: 1rem 0 2rem; }
  th, td { border: 1px solid #ccc; padding: .4rem .6rem; text-align: left; vertical-align: top; }
  th { background: #f3f3f3; }
  td:first-child { white-space: nowrap; }
  tr:target { background: #fff6c8; }
  code { font: 13px ui-monospace, monospace; }
  ul, p { margin: 0 0 .3rem; padding-left: 1.1rem; }
  p { padding-left: 0; }
  nav a { margin-right: 1rem; }
`;

/** The Error codes page: one self-contained HTML file, no script. */
export function errorCodesPageHtml(doc: unknown, title: string): string {
  const codes = collectCodes(doc);
  const table = (list: CodeEntry[]): string =>
    ['<table>', '<thead><tr><th>Code</th><th>HTTP</th><th>Message template</th><th>Returned by, and when</th></tr></thead>', '<tbody>', ...list.map(row), '</tbody>', '</table>'].join('\n');
  const common = codes.filter((c) => c.common);
  const own = codes.filter((c) => !c.common);
  return htmlPage({
    title: `Error codes: ${title}`,
    head: [`<style>${PAGE_CSS}</style>`],
    body: [
      `<nav><a href="${REFERENCE_PAGE}">← ${escapeMarkup(title)} reference</a><a href="#${COMMON_ANCHOR}">Common codes</a><a href="#operation-codes">Codes of one or more Actions</a></nav>`,
      `<h1>Error codes</h1>`,
      `<p>Every code ${escapeMarkup(title)} documents (${codes.length}), with its HTTP status and message template. Every error body is <code>{RequestId, HostId, Code, Message, Recommend}</code>; <code>%s</code> in a template stands for a value from the request. Each code has one anchor: <code>${ERROR_PAGE}#code-&lt;Code&gt;</code>.</p>`,
      `<h2 id="${COMMON_ANCHOR}">Common gateway and signature codes (${common.length})</h2>`,
      '<p>Any Action can return these: they come from the API gateway (dispatch, signing, throttling, authorization) before the Action runs.</p>',
      table(common),
      `<h2 id="operation-codes">Codes of one or more Actions (${own.length})</h2>`,
      table(own),
    ],
  });
}
