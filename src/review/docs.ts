/**
 * The offline reference: a docs-only copy of the bundle, rendered by Scalar's standalone
 * browser build into one self-contained HTML file (dist/docs/index.html).
 *
 * The renderer is not patched. Everything specific to an Action-dispatched API is written into
 * the docs copy as ordinary OpenAPI content, generated from the bundle:
 * - each operation is titled by its Action name (the sidebar lists Actions) and its description
 *   gains a "How the request is formed" table, the error-code table and, for the operations
 *   that move a connection between states, the status life cycle;
 * - `x-codeSamples` holds two example requests (V3 and V1 signing) in place of Scalar's generated
 *   snippets, which would put the `#Action=` fragment of the path key on the wire;
 * - the signing and dispatch parameters shared by every Action (path-item `parameters`) are
 *   described once in that table instead of being repeated in every parameter list.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { errorCodes, isObj, listActions, type ErrorCode, type Obj } from './openapi.ts';
import { indexContract } from '../contract/model.ts';
import { lifecycleMarkdown, readLifecycle } from './lifecycle.ts';
import { describeRequest, STS_ONLY, type RequestForm } from './request-form.ts';

/** Operations whose description shows the status life cycle. */
export const LIFECYCLE_ACTIONS = ['CreateVpcPeerConnection', 'AcceptVpcPeerConnection', 'GetVpcPeerConnectionAttribute'];

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n+/g, ' ').trim();
}

function code(text: string): string {
  const t = cell(text);
  return t.includes('`') ? `\`\` ${t} \`\`` : `\`${t}\``;
}

export function requestMarkdown(form: RequestForm): string {
  const list = (names: string[]): string => names.map((n) => `${code(n)}${STS_ONLY.has(n) ? ' (STS only)' : ''}`).join(', ');
  const query = form.params.filter((p) => p.in === 'query');
  const body = form.params.filter((p) => p.in === 'body');
  const param = (p: RequestForm['params'][number]): string =>
    `${p.wireNames.map(code).join(' ')}${p.required ? ' (required)' : ''}`;
  const rows: Array<[string, string]> = [
    ['Endpoint', `\`${form.method} ${form.url}\` (\`GET\` with every parameter in the query string is accepted too)`],
    ['Action', `query \`${form.actionQuery}=${form.action}\` (V1 signing) or header \`${form.actionHeader}: ${form.action}\` (V3 signing)`],
    ['Version', `query \`${form.versionQuery}=${form.version}\` (V1) or header \`${form.versionHeader}: ${form.version}\` (V3)`],
    ['Query parameters', query.length > 0 ? query.map(param).join('<br>') : 'none besides the ones above'],
    [
      'Form body',
      body.length > 0
        ? `\`${form.bodyMediaType ?? 'application/x-www-form-urlencoded'}\`: ${body.map(param).join(', ')}`
        : 'none',
    ],
    ['Signing, V3', `headers ${list(form.v3Signing)} and \`${form.v3AuthHeader}: ACS3-HMAC-SHA256 …\` (the SDK default)`],
    ['Signing, V1', `query parameters ${list(form.v1Signing)} and \`${form.v1AuthParam}\``],
  ];
  if (form.ramAction !== undefined) rows.push(['RAM action', code(form.ramAction)]);
  if (form.operationType !== undefined) {
    rows.push([
      'Kind',
      `${form.operationType}${form.async ? '; asynchronous: returns at once, poll GetVpcPeerConnectionAttribute until `Status` settles' : ''}`,
    ]);
  }
  return [
    '#### How the request is formed',
    '',
    '| | |',
    '| --- | --- |',
    ...rows.map(([k, v]) => `| **${k}** | ${v} |`),
    '',
    'Complete example requests for both signing styles are in the request panel.',
  ].join('\n');
}

export function errorTableMarkdown(action: string, codes: ErrorCode[]): string {
  if (codes.length === 0) return '';
  const rows = [...codes]
    .sort((a, b) => a.status.localeCompare(b.status))
    .map((c) => {
      const when = cell(c.description || c.summary);
      const note = c.unverified !== undefined ? ` *Unverified: ${cell(c.unverified)}*` : '';
      const template = c.message ? code(c.message) : '(no message documented)';
      return `| ${c.status} | ${code(c.code)} | ${template}<br>${when}${note} |`;
    });
  return [
    `#### Error codes of ${action}`,
    '',
    'Every error body is `{RequestId, HostId, Code, Message, Recommend}`; `%s` in a template stands for a value from the request.',
    '',
    '| HTTP | Code | Message template, and when it happens |',
    '| --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** The docs-only copy of a bundle. The input is not changed. */
export function buildDocsDocument(bundle: unknown): Obj {
  if (!isObj(bundle)) throw new Error('The bundle is not an OpenAPI document.');
  const doc = structuredClone(bundle);
  const lifecycle = readLifecycle(doc);
  const actions = listActions(doc);
  if (actions.length === 0) throw new Error('The document has no `/#Action=<Action>` paths.');
  // Read everything from the untouched copy first: dropping shared parameters changes the input.
  const contract = indexContract(doc);
  const prepared = actions.map((op) => ({ op, form: describeRequest(doc, op, contract), codes: errorCodes(doc, op.operation) }));
  for (const { op, form, codes } of prepared) {
    const { operation } = op;
    const summary = typeof operation.summary === 'string' ? operation.summary : '';
    const description = typeof operation.description === 'string' ? operation.description.trim() : '';
    const sections = [
      summary ? `**${summary}.**` : '',
      description,
      requestMarkdown(form),
      errorTableMarkdown(op.action, codes),
      LIFECYCLE_ACTIONS.includes(op.action) ? lifecycleMarkdown(lifecycle) : '',
    ].filter((s) => s.length > 0);
    operation.summary = op.action;
    operation.description = sections.join('\n\n');
    operation['x-codeSamples'] = [
      { lang: 'http', label: 'V3 signing (SDK default)', source: form.v3Example },
      { lang: 'http', label: 'V1 signing', source: form.v1Example },
    ];
    delete op.pathItem.parameters;
  }
  return doc;
}

/** Scalar configuration: nothing that loads fonts, sends telemetry or offers to send requests. */
export const SCALAR_CONFIGURATION = {
  withDefaultFonts: false,
  telemetry: false,
  hideClientButton: true,
  hideTestRequestButton: true,
  hiddenClients: true,
  showDeveloperTools: 'never',
  defaultOpenAllTags: true,
  operationTitleSource: 'summary',
  orderRequiredPropertiesFirst: true,
  documentDownloadType: 'json',
  mcp: { disabled: true },
} as const;

/**
 * Scalar's standalone browser build (one IIFE script that defines `Scalar.createApiReference`):
 * a build-time asset (scripts/build-assets.mjs), not an installed dependency, found in
 * `assets/scalar-api-reference/` upward from this file (src/review/ or the dist/bin bundle).
 */
function scalarDir(): string {
  for (let dir = import.meta.dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'assets', 'scalar-api-reference');
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error('Scalar\'s browser bundle is missing: run `node scripts/build-assets.mjs` (npm test and npm run build do).');
  }
}

export function scalarStandalonePath(): string {
  return path.join(scalarDir(), 'dist', 'browser', 'standalone.js');
}

export function scalarVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(scalarDir(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Makes text safe inside an inline `<script>` element. */
function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const CUSTOM_CSS = `
  /* Give the description column (request table, parameters, error codes) more room than the
     example column, except where Scalar already stacks them in one column. */
  @container narrow-references-container (min-width: 901px) {
    .scalar-app .operation-layout.operation-layout { grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); }
  }
  /* Tables in operation descriptions size their columns by content; long codes wrap in place. */
  .scalar-app .operation-description .markdown table { table-layout: auto; width: 100%; }
  .scalar-app .operation-description .markdown td,
  .scalar-app .operation-description .markdown th { word-break: normal; }
  .scalar-app .operation-description .markdown th:first-of-type { white-space: nowrap; }
  .scalar-app .operation-description .markdown td code { overflow-wrap: anywhere; }
  .scalar-app .operation-description .markdown td:first-of-type { white-space: nowrap; }
  /* Error-code and life-cycle tables: room for a dotted code on one or two lines. */
  .scalar-app .operation-description .markdown table:has(th:nth-of-type(3)) td:nth-of-type(2) { min-width: 12em; }
`;

export function renderDocsHtml(docsDocument: Obj, standaloneJs: string): string {
  const info = isObj(docsDocument.info) ? docsDocument.info : {};
  const title = `${typeof info.title === 'string' ? info.title : 'API'} ${typeof info.version === 'string' ? info.version : ''}`.trim();
  const configuration = { ...SCALAR_CONFIGURATION, content: docsDocument, customCss: CUSTOM_CSS, metaData: { title } };
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    '</head>',
    '<body>',
    '<div id="app"></div>',
    `<script>${scriptSafe(standaloneJs)}</script>`,
    `<script>Scalar.createApiReference('#app', ${jsonForScript(configuration)});</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export interface DocsBuild {
  htmlPath: string;
  bytes: number;
  actions: string[];
}

/** Writes `<outDir>/index.html` from a bundle (already parsed). */
export async function writeDocs(bundle: unknown, outDir: string): Promise<DocsBuild> {
  const docsDocument = buildDocsDocument(bundle);
  const standalone = await readFile(scalarStandalonePath(), 'utf8');
  const html = renderDocsHtml(docsDocument, standalone);
  await mkdir(outDir, { recursive: true });
  const htmlPath = path.join(outDir, 'index.html');
  await writeFile(htmlPath, html);
  return { htmlPath, bytes: Buffer.byteLength(html), actions: listActions(docsDocument).map((a) => a.action) };
}
