/**
 * The planted defects (each must fail the run with its precise message, naming the right
 * Action) and the benign variants (each must pass) of the broken-server proof. Every case
 * rewrites one thing the real emulator sends or answers, through the defect proxy.
 */
import { contract } from '../src/contract/index.ts';
import { errorAnswer } from '../src/wire/errors.ts';
import type { ConformanceOptions } from '../src/conformance/index.ts';
import { dropParam, param, setParam, type Answer, type Defect, type ProxyRequest } from './defect-proxy.ts';

type Body = Record<string, unknown>;
const edit = (up: Answer, change: (body: Body) => void): Answer => {
  const body = JSON.parse(up.body) as Body;
  change(body);
  return { ...up, body: JSON.stringify(body) };
};
/** A documented error answer, as the service would send it. */
export const fail = (code: string, status?: number): Answer => {
  const a = errorAnswer(contract.errors, code);
  return { status: status ?? a.status, headers: { 'content-type': 'application/json;charset=utf-8' }, body: JSON.stringify(a.body) };
};
const on = (action: string, rewrite: (up: Answer, req: ProxyRequest, state: Record<string, unknown>) => Answer): Defect => ({ answer: (req, up, state) => (req.action === action ? rewrite(up, req, state) : up) });
const everything = (answer: () => Answer): Defect => ({ intercept: () => answer() });
const isWalk = (req: ProxyRequest) => param(req, 'MaxResults') === '2';
const listItems = (body: Body) => body.VpcPeerConnects as Body[];

export interface Case {
  name: string;
  defect: Defect;
  /** Exit status the run must end with. */
  exit: 0 | 1 | 3;
  /** The Action the expected failure names. */
  action?: string;
  /** Text the failure's message (or the could-not-test reason) contains. */
  message?: string;
  /** Other Actions the same defect legitimately fails too. */
  alsoFails?: string[] | 'any';
  options?: Partial<ConformanceOptions>;
}

const GET = 'GetVpcPeerConnectionAttribute';
const LIST = 'ListVpcPeerConnections';
const TAGS = 'ListTagResources';

export const DEFECTS: Case[] = [
  // Verdicts that must not pass vacuously: could not test (exit 3).
  { name: 'every call answered InvalidAccessKeyId.NotFound', defect: everything(() => fail('InvalidAccessKeyId.NotFound')), exit: 3, message: 'ListVpcPeerConnections was answered InvalidAccessKeyId.NotFound (HTTP 404' },
  { name: 'every call answered SignatureDoesNotMatch', defect: everything(() => fail('SignatureDoesNotMatch')), exit: 3, message: 'SignatureDoesNotMatch (HTTP 400' },
  { name: 'every call answered InvalidTimeStamp.Expired', defect: everything(() => fail('InvalidTimeStamp.Expired')), exit: 3, message: 'set the machine clock right' },
  { name: 'reads answered Forbidden.RAM', defect: { intercept: (req) => (contract.operations.get(req.action)?.readOnly ? fail('Forbidden.RAM') : undefined) }, exit: 3, message: 'Forbidden.RAM (HTTP 403' },
  { name: 'every call answered 503 ServiceUnavailable (stops after the first reads)', defect: everything(() => fail('ServiceUnavailable')), exit: 3, message: 'every one of the 2 answers was HTTP 5xx (first: 503 ServiceUnavailable' },
  { name: 'the endpoint resets every connection', defect: everything(() => ({ status: 0, headers: {}, body: '', delivery: 'reset' })), exit: 3, message: 'ListVpcPeerConnections got no answer from' },
  // Single answers.
  { name: 'Get answers a documented 500 InternalError', defect: on(GET, () => fail('InternalError')), exit: 1, action: GET, message: 'GetVpcPeerConnectionAttribute HTTP 500: [server-error] a 5xx answer is always a failure (got InternalError' },
  { name: 'Get of the configured connection answers ResourceNotFound.InstanceId', defect: on(GET, () => fail('ResourceNotFound.InstanceId')), exit: 1, action: GET, message: 'GetVpcPeerConnectionAttribute HTTP 400: [expected-success] this request must succeed (got ResourceNotFound.InstanceId' },
  { name: 'List answers without a Content-Type header', defect: on(LIST, (up) => ({ ...up, headers: {} })), exit: 1, action: LIST, message: 'ListVpcPeerConnections HTTP 200: $ [content-type] the answer has no Content-Type header; the contract says application/json' },
  { name: 'Get answers Content-Type text/plain', defect: on(GET, (up) => ({ ...up, headers: { 'content-type': 'text/plain' } })), exit: 1, action: GET, message: 'GetVpcPeerConnectionAttribute HTTP 200: $ [content-type] Content-Type must be application/json (got "text/plain")' },
  { name: 'Get answers Bandwidth as a string', defect: on(GET, (up) => edit(up, (b) => (b.Bandwidth = String(b.Bandwidth)))), exit: 1, action: GET, message: 'GetVpcPeerConnectionAttribute HTTP 200: $.Bandwidth [type] must be integer (got "' },
  { name: 'List answers without TotalCount', defect: on(LIST, (up) => edit(up, (b) => delete b.TotalCount)), exit: 1, action: LIST, message: 'ListVpcPeerConnections HTTP 200: $.TotalCount [required] missing required field' },
  { name: 'Get answers without Status', defect: on(GET, (up) => edit(up, (b) => delete b.Status)), exit: 1, action: GET, message: 'GetVpcPeerConnectionAttribute HTTP 200: $.Status [required] missing required field' },
  { name: 'Get answers a Status outside the enum', defect: on(GET, (up) => edit(up, (b) => (b.Status = 'Active'))), exit: 1, action: GET, message: 'GetVpcPeerConnectionAttribute HTTP 200: $.Status [enum] must be equal to one of the allowed values (got "Active")' },
  { name: 'Get renames Name to ConnectionName', defect: on(GET, (up) => edit(up, (b) => ((b.ConnectionName = b.Name), delete b.Name))), exit: 1, action: GET, message: 'GetVpcPeerConnectionAttribute HTTP 200: $.Name [required] missing required field' },
  { name: 'Get answers instanceId in the wrong case', defect: on(GET, (up) => edit(up, (b) => ((b.instanceId = b.InstanceId), delete b.InstanceId))), exit: 1, action: GET, message: 'GetVpcPeerConnectionAttribute HTTP 200: $.instanceId [casing] field name has the wrong casing; the contract says $.InstanceId' },
  { name: 'ListTagResources answers a RequestId of the wrong pattern', defect: on(TAGS, (up) => edit(up, (b) => (b.RequestId = 'req-12345'))), exit: 1, action: TAGS, message: 'ListTagResources HTTP 200: $.RequestId [pattern] must match pattern "^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$" (got "req-12345")' },
  { name: 'Get answers without RequestId', defect: on(GET, (up) => edit(up, (b) => delete b.RequestId)), exit: 1, action: GET, message: 'GetVpcPeerConnectionAttribute HTTP 200: $.RequestId [required] missing required field' },
  { name: 'Get answers a body that is not JSON', defect: on(GET, (up) => ({ ...up, body: '<html>oops</html>' })), exit: 1, action: GET, message: 'GetVpcPeerConnectionAttribute HTTP 200: $ [json] the body is not JSON (got "<html>oops</html>")' },
  { name: 'Delete DryRun answers an undocumented code', defect: on('DeleteVpcPeerConnection', (up) => edit(up, (b) => (b.Code = 'Planted.UndocumentedCode'))), exit: 1, action: 'DeleteVpcPeerConnection', message: 'DeleteVpcPeerConnection HTTP 400: $.Code [code] DeleteVpcPeerConnection does not document the error code Planted.UndocumentedCode (got "Planted.UndocumentedCode")' },
  { name: 'Accept DryRun answers a documented code under the wrong status', defect: on('AcceptVpcPeerConnection', () => fail('IncorrectStatus.VpcPeer', 500)), exit: 1, action: 'AcceptVpcPeerConnection', message: 'AcceptVpcPeerConnection HTTP 500: $.Code [status] IncorrectStatus.VpcPeer is documented with HTTP 400, got 500 (got 500)' },
  { name: 'Reject DryRun answered with success without RequestId', defect: on('RejectVpcPeerConnection', (up) => ({ status: 200, headers: up.headers, body: '{}' })), exit: 1, action: 'RejectVpcPeerConnection', message: 'RejectVpcPeerConnection HTTP 200: $.RequestId [required] missing required field' },
  { name: 'Modify DryRun answers Content-Type text/plain', defect: on('ModifyVpcPeerConnection', (up) => ({ ...up, headers: { 'content-type': 'text/plain' } })), exit: 1, action: 'ModifyVpcPeerConnection', message: 'ModifyVpcPeerConnection HTTP 400: $ [content-type] Content-Type must be application/json (got "text/plain")' },
  { name: 'an unknown field under --strict-fields', defect: on(GET, (up) => edit(up, (b) => (b.ServiceAddedField = 1))), exit: 1, action: GET, message: 'GetVpcPeerConnectionAttribute HTTP 200: $.ServiceAddedField [unevaluatedProperties] field is not in the contract (got 1)', options: { strictFields: true } },
  // Across answers.
  { name: 'Get answers another connection', defect: { request: (req, state) => { if (req.action === GET && state.other) setParam(req, 'InstanceId', String(state.other)); }, answer: (req, up, state) => { if (req.action === LIST && isWalk(req) && up.status === 200) { const items = listItems(JSON.parse(up.body) as Body); state.other ??= items.map((i) => i.InstanceId).find((id) => id !== state.fixture); } return up; } }, exit: 1, action: GET, message: 'GetVpcPeerConnectionAttribute HTTP 200: $.InstanceId [identity] asked for "', alsoFails: [LIST] },
  { name: 'NextToken repeats the same token for ever', defect: { request: (req) => { if (req.action === LIST && isWalk(req)) dropParam(req, 'NextToken'); }, answer: (req, up) => (req.action === LIST && isWalk(req) && up.status === 200 ? edit(up, (b) => (b.NextToken = 'same-token')) : up) }, exit: 1, action: LIST, message: '$.NextToken [paging] the NextToken "same-token" repeats an earlier token: the walk would never end' },
  { name: 'NextToken never ends and repeats the first page', defect: { request: (req) => { if (req.action === LIST && isWalk(req)) dropParam(req, 'NextToken'); }, answer: (req, up, state) => (req.action === LIST && isWalk(req) ? edit(up, (b) => (b.NextToken = `t${(state.n = Number(state.n ?? 0) + 1)}`)) : up) }, exit: 1, action: LIST, message: 'was already listed on an earlier page' },
  { name: 'NextToken never ends although every item was seen', defect: { request: (req) => { if (req.action === LIST && isWalk(req)) dropParam(req, 'NextToken'); }, answer: (req, up, state) => (req.action === LIST && isWalk(req) ? edit(up, (b) => { b.NextToken = `t${(state.n = Number(state.n ?? 0) + 1)}`; b.VpcPeerConnects = []; b.TotalCount = 0; }) : up) }, exit: 1, action: LIST, message: 'NextToken does not end although all 0 items (TotalCount) were seen after 5 pages', options: { maxPages: 5 } },
  { name: 'TotalCount smaller than the items returned', defect: on(LIST, (up) => edit(up, (b) => (b.TotalCount = 1))), exit: 1, action: LIST, message: '$.TotalCount [paging] TotalCount 1 is smaller than the 2 items seen so far' },
  { name: 'a page larger than MaxResults', defect: { request: (req) => { if (req.action === LIST && isWalk(req)) setParam(req, 'MaxResults', '3'); } }, exit: 1, action: LIST, message: '$.VpcPeerConnects [paging] a page larger than MaxResults: 3 items for MaxResults=2' },
  ...['InstanceId', 'Name', 'ResourceGroupId'].map((name): Case => ({ name: `List ignores the ${name} filter`, defect: { request: (req) => { if (req.action === LIST && isWalk(req)) dropParam(req, name); } }, exit: 1, action: LIST, message: `[filter] ${name}="` })),
  { name: 'List ignores the VpcId filter', defect: { request: (req) => { if (req.action === LIST && isWalk(req)) dropParam(req, 'VpcId'); } }, exit: 1, action: LIST, message: '[filter] VpcId=["' },
  { name: 'List ignores the Tags filter', defect: { request: (req) => { if (req.action === LIST && isWalk(req)) dropParam(req, 'Tags'); } }, exit: 1, action: LIST, message: '[filter] Tags=[{"Key":"env","Value":"conformance"}] was sent, the item does not match' },
  { name: 'List by InstanceId leaves out the matching connection', defect: on(LIST, (up, req) => (param(req, 'InstanceId') ? edit(up, (b) => ((b.VpcPeerConnects = []), (b.TotalCount = 0))) : up)), exit: 1, action: LIST, message: 'matches every filter sent (InstanceId="' },
  { name: 'ListTagResources ignores ResourceId', defect: on(TAGS, (up) => edit(up, (b) => (b.TagResources as Body[]).push({ ResourceId: 'pcc-someoneelse0000000000', ResourceType: 'PeerConnection', RegionNo: 'cn-hangzhou', TagKey: 'env', TagValue: 'conformance' }))), exit: 1, action: TAGS, message: 'ListTagResources HTTP 200: $.TagResources[1] [filter] ResourceId=["' },
  { name: 'ListTagResources ignores the Tag filter', defect: on(TAGS, (up, req) => (param(req, 'Tag.1.Key') ? edit(up, (b) => (b.TagResources as Body[]).push({ ResourceId: 'pcc-someoneelse0000000000', ResourceType: 'PeerConnection', RegionNo: 'cn-hangzhou', TagKey: 'team', TagValue: 'x' })) : up)), exit: 1, action: TAGS, message: 'pcc-someoneelse0000000000 is listed without that tag' },
  { name: 'the same RequestId on every answer', defect: { answer: (_req, up) => (up.body.startsWith('{') ? edit(up, (b) => (b.RequestId = '0ED8D006-F706-4D23-88ED-E11ED28DCAC0')) : up) }, exit: 1, action: LIST, message: '$.RequestId [unique] the RequestId 0ED8D006-F706-4D23-88ED-E11ED28DCAC0 was already used by an earlier answer', alsoFails: 'any' },
  // DryRun.
  { name: 'Create DryRun carried out but answered DryRunOperation', defect: { request: (req) => { if (req.action === 'CreateVpcPeerConnection') setParam(req, 'DryRun', undefined); }, answer: (req, up) => (req.action === 'CreateVpcPeerConnection' && up.status === 200 ? fail('DryRunOperation') : up) }, exit: 1, action: 'CreateVpcPeerConnection', message: "CreateVpcPeerConnection: DryRun=true created the connection pcc-" },
  { name: 'Modify DryRun carried out but answered DryRunOperation', defect: { request: (req) => { if (req.action === 'ModifyVpcPeerConnection' && param(req, 'DryRun') === 'true' && param(req, 'Description')?.startsWith('conformance dry run')) setParam(req, 'DryRun', undefined); }, answer: (req, up) => (req.action === 'ModifyVpcPeerConnection' && up.status === 200 ? fail('DryRunOperation') : up) }, exit: 1, action: 'ModifyVpcPeerConnection', message: 'ModifyVpcPeerConnection: DryRun=true changed the connection pcc-' },
  { name: 'Create DryRun answered with success', defect: on('CreateVpcPeerConnection', (up) => (up.status === 400 ? { status: 200, headers: up.headers, body: JSON.stringify({ RequestId: JSON.parse(up.body).RequestId, InstanceId: 'pcc-lnk0m24khwvtkm7q2j1x' }) } : up)), exit: 1, action: 'CreateVpcPeerConnection', message: 'CreateVpcPeerConnection HTTP 200: DryRun=true was answered with success; expected DryRunOperation or a documented validation error (the change may have been carried out)' },
  { name: 'Create DryRun answered with success in the wrong case', defect: on('CreateVpcPeerConnection', (up) => (up.status === 400 ? { status: 200, headers: up.headers, body: JSON.stringify({ RequestId: JSON.parse(up.body).RequestId, instanceId: 'pcc-lnk0m24khwvtkm7q2j1x' }) } : up)), exit: 1, action: 'CreateVpcPeerConnection', message: 'CreateVpcPeerConnection HTTP 200: $.instanceId [casing] field name has the wrong casing; the contract says $.InstanceId (got "pcc-lnk0m24khwvtkm7q2j1x")' },
  // Negative tests.
  { name: 'List accepts MaxResults above its maximum', defect: { request: (req) => { if (req.action === LIST && param(req, 'MaxResults') === '101') setParam(req, 'MaxResults', '100'); } }, exit: 1, action: LIST, message: 'ListVpcPeerConnections HTTP 200: [negative] MaxResults maximum: expected InvalidParameter (HTTP 400), got success: the endpoint accepted an invalid request', options: { negative: 'sample' } },
  { name: 'a missing parameter answered with an undocumented code', defect: on(GET, (up, req) => (param(req, 'InstanceId') === undefined ? edit(up, (b) => (b.Code = 'MissingInstanceId')) : up)), exit: 1, action: GET, message: 'GetVpcPeerConnectionAttribute HTTP 400: $.Code [code] GetVpcPeerConnectionAttribute does not document the error code MissingInstanceId', options: { negative: 'sample' } },
  { name: 'a negative test answered 500', defect: on('TagResources', (up) => (up.status === 400 ? fail('InternalError') : up)), exit: 1, action: 'TagResources', message: 'TagResources HTTP 500: [server-error] a 5xx answer is always a failure (got InternalError', options: { negative: 'sample' } },
  { name: 'a documented violation code under the wrong status', defect: on('UnTagResources', (up) => (up.body.includes('"NumberExceed.Tags"') ? { ...up, status: 404 } : up)), exit: 1, action: 'UnTagResources', message: 'UnTagResources HTTP 404: $.Code [status] NumberExceed.Tags is documented with HTTP 400, got 404 (got 404)', options: { negative: 'sample' } },
  // Timeouts.
  { name: 'Get never answers (per-call timeout)', defect: { intercept: (req) => (req.action === GET ? { status: 0, headers: {}, body: '', delivery: 'hang' } : undefined) }, exit: 1, action: GET, message: 'GetVpcPeerConnectionAttribute: no answer: no answer within --timeout-ms 300 ms', options: { timeoutMs: 300 } },
];

export interface Benign {
  name: string;
  defect: Defect;
  options?: Partial<ConformanceOptions>;
  /** A warning the run must report (and still pass). */
  warning?: string;
}

const reorder = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(reorder);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reorder(v)]));
  return value;
};
const json = (up: Answer) => up.status > 0 && (up.headers['content-type'] ?? '').includes('json');

export const BENIGN: Benign[] = [
  { name: 'fields in another order', defect: { answer: (_r, up) => (json(up) ? { ...up, body: JSON.stringify(reorder(JSON.parse(up.body))) } : up) } },
  { name: 'Content-Type with charset=utf-8', defect: { answer: (_r, up) => ({ ...up, headers: { ...up.headers, 'content-type': 'application/json; charset=utf-8' } }) } },
  { name: 'Content-Type without a charset', defect: { answer: (_r, up) => ({ ...up, headers: { ...up.headers, 'content-type': 'application/json' } }) } },
  { name: 'gzip-encoded answers', defect: { answer: (_r, up) => ({ ...up, delivery: 'gzip' }) } },
  { name: 'chunked answers', defect: { answer: (_r, up) => ({ ...up, delivery: 'chunked' }) } },
  { name: 'Connection: close after every answer', defect: { answer: (_r, up) => ({ ...up, delivery: 'close' }) } },
  { name: 'an int64 above 2^53', defect: { answer: (_r, up) => ({ ...up, body: up.body.replace(/"OwnerId":\d+/g, '"OwnerId":253460731706911260') }) } },
  { name: 'extra answer headers', defect: { answer: (_r, up) => ({ ...up, headers: { ...up.headers, 'x-acs-trace-id': 'abc', server: 'Tengine', 'access-control-expose-headers': '*' } }) } },
  { name: 'optional fields absent', defect: on(GET, (up) => edit(up, (b) => delete b.LinkType)) },
  { name: 'a Throttling answer, then success', defect: { intercept: (req, state) => (req.action === GET && !state.throttled ? ((state.throttled = true), fail('Throttling')) : undefined) } },
  { name: 'pretty-printed JSON', defect: { answer: (_r, up) => (json(up) ? { ...up, body: JSON.stringify(JSON.parse(up.body), null, 2) } : up) } },
  { name: '\\u escapes in strings', defect: { answer: (_r, up) => (json(up) ? { ...up, body: up.body.replace(/"([A-Za-z]+)":"([^"\\]*)"/g, (_m, k: string, v: string) => `"${k}":"${[...v].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"`) } : up) } },
  { name: 'an unknown field (a warning, not a failure)', defect: on(GET, (up) => edit(up, (b) => (b.ServiceAddedField = 'new'))), warning: 'GetVpcPeerConnectionAttribute HTTP 200: $.ServiceAddedField [unevaluatedProperties] field is not in the contract (got "new")' },
];
