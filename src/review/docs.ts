/**
 * The offline reference: a docs-only copy of the bundle, rendered by Scalar's standalone
 * browser build into one self-contained HTML file (dist/docs/index.html), beside a plain HTML
 * Error codes page (error-codes.html) and the life-cycle diagram (lifecycle.svg).
 *
 * The renderer is not patched. Everything specific to an Action-dispatched API is written into
 * the docs copy as ordinary OpenAPI content, generated from the bundle, so that each Action reads
 * in this order: summary, how the request is formed, parameters, responses, then its errors:
 * - each operation is titled by its Action name (the sidebar lists Actions); its description
 *   holds the summary, the "How the request is formed" table and, for the Actions the life
 *   cycle names and the `get` reads, the status life cycle (diagram and table);
 * - each error response's description lists that Action's own codes under the status, linked to
 *   their anchor on the Error codes page, and points at the shared section of the gateway and
 *   signature codes every Action can return; the API description gains an "Error codes" section
 *   (a sidebar entry) linking to that page;
 * - `x-codeSamples` holds two example requests (V3 and V1 signing) in place of Scalar's generated
 *   snippets, which would put the `#Action=` fragment of the path key on the wire;
 * - the signing and dispatch parameters shared by every Action (path-item `parameters`) are
 *   described once in that table instead of being repeated in every parameter list.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { deref, errorCodes, isErrorStatus, isObj, listActions, type Obj } from './openapi.ts';
import { indexContract, STATUS_SCHEMA } from '../contract/model.ts';
import { commonCodeSet, COMMON_ANCHOR, ERROR_PAGE, errorCodesPageHtml, responseErrorsMarkdown } from './error-codes.ts';
import { htmlPage } from './html.ts';
import { lifecycleActions, lifecycleMarkdown, lifecycleSvg } from './lifecycle.ts';
import { describeRequest, type RequestForm } from './request-form.ts';

/** The diagram's file name beside index.html. */
export const LIFECYCLE_SVG = 'lifecycle.svg';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n+/g, ' ').trim();
}

function code(text: string): string {
  const t = cell(text);
  return t.includes('`') ? `\`\` ${t} \`\`` : `\`${t}\``;
}

export function requestMarkdown(form: RequestForm): string {
  const list = (names: string[]): string => names.map((n) => `${code(n)}${form.stsOnly.includes(n) ? ' (STS only)' : ''}`).join(', ');
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

/** The docs-only copy of a bundle. The input is not changed. */
export function buildDocsDocument(bundle: unknown): Obj {
  if (!isObj(bundle)) throw new Error('The bundle is not an OpenAPI document.');
  const doc = structuredClone(bundle);
  const actions = listActions(doc);
  if (actions.length === 0) throw new Error('The document has no `/#Action=<Action>` paths.');
  // Read everything from the untouched copy first: dropping shared parameters changes the input.
  const contract = indexContract(doc);
  const withLifecycle = new Set(lifecycleActions(contract));
  const schemas = isObj(doc.components) && isObj(doc.components.schemas) ? doc.components.schemas : {};
  const statusSchema = deref(doc, schemas[STATUS_SCHEMA]);
  const statusDescription = isObj(statusSchema) && typeof statusSchema.description === 'string' ? statusSchema.description : '';
  const lifecycle = lifecycleMarkdown(contract.lifecycle, { description: statusDescription, svgHref: LIFECYCLE_SVG });
  const common = commonCodeSet(doc);
  const prepared = actions.map((op) => ({ op, form: describeRequest(doc, op, contract), codes: errorCodes(doc, op.operation) }));
  for (const { op, form, codes } of prepared) {
    const { operation } = op;
    const summary = typeof operation.summary === 'string' ? operation.summary : '';
    const description = typeof operation.description === 'string' ? operation.description.trim() : '';
    const sections = [
      summary ? `**${summary}.**` : '',
      description,
      requestMarkdown(form),
      withLifecycle.has(op.action) ? lifecycle : '',
      `Errors: this Action's own codes are listed under each error response below; the [common gateway and signature codes](${ERROR_PAGE}#${COMMON_ANCHOR}) and every other code are on the [Error codes](${ERROR_PAGE}) page.`,
    ].filter((s) => s.length > 0);
    operation.summary = op.action;
    operation.description = sections.join('\n\n');
    const responses = isObj(operation.responses) ? operation.responses : {};
    for (const [status, raw] of Object.entries(responses)) {
      if (!isErrorStatus(status)) continue;
      const response = deref(doc, raw);
      if (!isObj(response)) continue;
      const text = typeof response.description === 'string' ? response.description : '';
      // A copy per Action: shared responses (components/responses) get each Action's own list.
      responses[status] = { ...response, description: responseErrorsMarkdown(op.action, status, codes, common, text) };
    }
    operation['x-codeSamples'] = [
      { lang: 'http', label: 'V3 signing (SDK default)', source: form.v3Example },
      { lang: 'http', label: 'V1 signing', source: form.v1Example },
    ];
    delete op.pathItem.parameters;
  }
  const info = isObj(doc.info) ? doc.info : {};
  // Starting with a level-1 heading makes every level-1 heading a sidebar entry of its own.
  info.description = [
    '# Introduction',
    typeof info.description === 'string' ? info.description.trim() : '',
    '# Error codes',
    `Every error code of every Action, with its HTTP status, message template, and the Actions that return it and when, is on one page: **[Error codes](${ERROR_PAGE})** (plain HTML, so the browser's find sees every code). Each Action lists its own codes under its error responses.`,
  ].join('\n\n');
  doc.info = info;
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

export interface RenderOptions {
  /**
   * A local mock or emulator URL (`http://127.0.0.1:4010`): shows Scalar's try-it panel aimed at
   * it. Off by default; even when on, the page sends nothing until the reader presses Send.
   */
  tryIt?: string;
}

/** Checks a try-it URL: http(s) on a loopback host only, so the page never aims at a real endpoint. */
export function tryItUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`--try-it must be a URL such as http://127.0.0.1:4010, got ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('--try-it must be an http: or https: URL');
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new Error(`--try-it aims the page at a local mock or emulator (127.0.0.1, localhost or [::1]), not at ${url.hostname}`);
  }
  return url.origin;
}

export function renderDocsHtml(docsDocument: Obj, standaloneJs: string, options: RenderOptions = {}): string {
  const info = isObj(docsDocument.info) ? docsDocument.info : {};
  const title = `${typeof info.title === 'string' ? info.title : 'API'} ${typeof info.version === 'string' ? info.version : ''}`.trim();
  const content = options.tryIt !== undefined ? { ...docsDocument, servers: [{ url: tryItUrl(options.tryIt), description: 'Local mock or emulator' }] } : docsDocument;
  const tryIt = options.tryIt !== undefined ? { hideClientButton: false, hideTestRequestButton: false } : {};
  const configuration = { ...SCALAR_CONFIGURATION, ...tryIt, content, customCss: CUSTOM_CSS, metaData: { title } };
  return htmlPage({
    title,
    body: ['<div id="app"></div>', `<script>${scriptSafe(standaloneJs)}</script>`, `<script>Scalar.createApiReference('#app', ${jsonForScript(configuration)});</script>`],
  });
}

export interface DocsBuild {
  htmlPath: string;
  errorPagePath: string;
  svgPath: string;
  bytes: number;
  actions: string[];
}

/** Writes `<outDir>/index.html`, `error-codes.html` and `lifecycle.svg` from a bundle (already parsed). */
export async function writeDocs(bundle: unknown, outDir: string, options: RenderOptions = {}): Promise<DocsBuild> {
  const docsDocument = buildDocsDocument(bundle);
  const contract = indexContract(structuredClone(bundle) as Obj);
  const standalone = await readFile(scalarStandalonePath(), 'utf8');
  const html = renderDocsHtml(docsDocument, standalone, options);
  const info = isObj(docsDocument.info) ? docsDocument.info : {};
  const title = `${typeof info.title === 'string' ? info.title : 'API'} ${typeof info.version === 'string' ? info.version : ''}`.trim();
  await mkdir(outDir, { recursive: true });
  const htmlPath = path.join(outDir, 'index.html');
  const errorPagePath = path.join(outDir, ERROR_PAGE);
  const svgPath = path.join(outDir, LIFECYCLE_SVG);
  await Promise.all([
    writeFile(htmlPath, html),
    writeFile(errorPagePath, errorCodesPageHtml(bundle, title)),
    writeFile(svgPath, lifecycleSvg(contract.lifecycle)),
  ]);
  return { htmlPath, errorPagePath, svgPath, bytes: Buffer.byteLength(html), actions: listActions(docsDocument).map((a) => a.action) };
}
