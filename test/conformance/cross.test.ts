/** Cross-answer checks as pure functions of exchanges: each catches its planted defect and passes the clean case. */
import { describe, expect, it } from 'vitest';
import { crossAnswerFindings } from '../../src/conformance/cross.ts';
import { dryRunSnapshotFindings } from '../../src/conformance/snapshot.ts';
import type { Exchange, Expectation } from '../../src/conformance/exchange.ts';

let seq = 0;
const rid = () => `0ED8D006-F706-4D23-88ED-${String(++seq).padStart(12, '0')}`;
function ex(action: string, params: Record<string, unknown>, body: Record<string, unknown>, expect: Expectation = { kind: 'success' }): Exchange {
  const requestId = (body.RequestId as string | undefined) ?? rid();
  return { seq: ++seq, case: 'c', action, account: 'owner', params, expect, request: { method: 'POST', url: 'http://127.0.0.1/', headers: {} }, status: 200, answerHeaders: { 'content-type': 'application/json' }, body: JSON.stringify({ RequestId: requestId, ...body }), requestId, startedAt: '', ms: 1 };
}
const item = (id: string, extra: Record<string, unknown> = {}) => ({ InstanceId: id, Name: `n-${id}`, ResourceGroupId: 'rg-1', Vpc: { VpcId: 'vpc-a' }, AcceptingVpc: { VpcId: 'vpc-b' }, Tags: [{ Key: 'env', Value: 'x' }], ...extra });
const page = (walk: string, n: number, params: Record<string, unknown>, items: unknown[], next: string, total?: number, mustInclude?: string) =>
  ex('ListVpcPeerConnections', params, { VpcPeerConnects: items, NextToken: next, ...(total !== undefined && { TotalCount: total }) }, { kind: 'page', walk, page: n, maxResults: Number(params.MaxResults), maxPages: 3, ...(mustInclude && { mustInclude }) });
const messages = (list: Exchange[]) => crossAnswerFindings(list, { staticAnswers: false }).map((f) => `${f.severity} ${f.action}: ${f.message}`);

describe('cross-answer checks', () => {
  it('a clean walk with filters passes', () => {
    const p = { RegionId: 'r', MaxResults: 2, VpcId: ['vpc-a'] };
    expect(messages([page('w', 1, p, [item('a'), item('b')], 't1', 3, 'a'), page('w', 2, { ...p, NextToken: 't1' }, [item('c')], '', 3, 'a')])).toEqual([]);
  });

  it.each([
    ['Get answers another connection', [ex('GetVpcPeerConnectionAttribute', { InstanceId: 'a' }, item('b'))], 'failure GetVpcPeerConnectionAttribute: GetVpcPeerConnectionAttribute HTTP 200: $.InstanceId [identity] asked for "a", answered another connection (got "b")'],
    ['a filter ignored', [page('w', 1, { MaxResults: 2, Name: 'n-a' }, [item('a'), item('b')], '', 2)], 'failure ListVpcPeerConnections: ListVpcPeerConnections HTTP 200: $.VpcPeerConnects[1] [filter] Name="n-a" was sent, the item does not match (got "b")'],
    ['a repeated token', [page('w', 1, { MaxResults: 2 }, [item('a')], 't', 9), page('w', 2, { MaxResults: 2, NextToken: 't' }, [item('b')], 't', 9)], 'failure ListVpcPeerConnections: ListVpcPeerConnections HTTP 200: $.NextToken [paging] the NextToken "t" repeats an earlier token: the walk would never end'],
    ['a repeated item', [page('w', 1, { MaxResults: 2 }, [item('a')], 't1', 9), page('w', 2, { MaxResults: 2, NextToken: 't1' }, [item('a')], '', 9)], 'failure ListVpcPeerConnections: ListVpcPeerConnections HTTP 200: $.VpcPeerConnects [paging] a was already listed on an earlier page'],
    ['an oversize page', [page('w', 1, { MaxResults: 1 }, [item('a'), item('b')], '', 2)], 'failure ListVpcPeerConnections: ListVpcPeerConnections HTTP 200: $.VpcPeerConnects [paging] a page larger than MaxResults: 2 items for MaxResults=1'],
    ['TotalCount too small', [page('w', 1, { MaxResults: 2 }, [item('a'), item('b')], '', 1)], 'failure ListVpcPeerConnections: ListVpcPeerConnections HTTP 200: $.TotalCount [paging] TotalCount 1 is smaller than the 2 items seen so far'],
    ['the matching connection left out', [page('w', 1, { MaxResults: 2, InstanceId: 'a' }, [], '', 0, 'a')], 'failure ListVpcPeerConnections: ListVpcPeerConnections HTTP 200: $.VpcPeerConnects [filter] a matches every filter sent (InstanceId="a") but is not listed on any of the 1 page(s)'],
    ['a RequestId used twice', [ex('GetVpcPeerConnectionAttribute', { InstanceId: 'a' }, { ...item('a'), RequestId: 'SAME' }), ex('GetVpcPeerConnectionAttribute', { InstanceId: 'a' }, { ...item('a'), RequestId: 'SAME' })], 'failure GetVpcPeerConnectionAttribute: GetVpcPeerConnectionAttribute HTTP 200: $.RequestId [unique] the RequestId SAME was already used by an earlier answer (GetVpcPeerConnectionAttribute)'],
    ['ListTagResources ignores ResourceId', [ex('ListTagResources', { ResourceId: ['a'] }, { TagResources: [{ ResourceId: 'b', TagKey: 'k', TagValue: 'v' }], NextToken: '' })], 'failure ListTagResources: ListTagResources HTTP 200: $.TagResources[0] [filter] ResourceId=["a"] was sent, the item is another resource (got "b")'],
  ])('%s', (_name, exchanges, message) => {
    expect(messages(exchanges as Exchange[])).toContain(message);
  });

  it('a walk cut at --max-pages is a warning when TotalCount says more remain', () => {
    const p = { MaxResults: 1 };
    const walk = [page('w', 1, p, [item('a')], 't1', 10), page('w', 2, { ...p, NextToken: 't1' }, [item('b')], 't2', 10), page('w', 3, { ...p, NextToken: 't2' }, [item('c')], 't3', 10)];
    expect(messages(walk)).toEqual(['warning ListVpcPeerConnections: ListVpcPeerConnections: paging stopped after 3 pages (--max-pages) with a NextToken left; 3 items seen of 10']);
  });

  it('static targets skip the checks that need state', () => {
    const same = [ex('GetVpcPeerConnectionAttribute', { InstanceId: 'a' }, { ...item('a'), RequestId: 'SAME' }), ex('GetVpcPeerConnectionAttribute', { InstanceId: 'a' }, { ...item('a'), RequestId: 'SAME' })];
    expect(crossAnswerFindings(same, { staticAnswers: true })).toEqual([]);
  });
});

describe('DryRun snapshot', () => {
  const snap = (caseName: string, items: Array<Record<string, unknown>>, ref: Record<string, unknown>): Exchange[] => [
    { ...page(caseName, 1, { MaxResults: 100 }, items, '', items.length), case: caseName },
    { ...ex('GetVpcPeerConnectionAttribute', { InstanceId: ref.InstanceId }, ref), case: caseName },
  ];
  const dry = (action: string, params: Record<string, unknown>) => ({ ...ex(action, params, {}), status: 400, expect: { kind: 'dry-run' } as Expectation, case: `dry-run ${action}` });
  const findings = (list: Exchange[]) => dryRunSnapshotFindings(list).findings.map((f) => `${f.severity} ${f.action}: ${f.message}`);

  it('nothing changed: no finding', () => {
    const a = item('a', { Status: 'Activated' });
    expect(findings([...snap('dry-run snapshot before', [a], a), dry('ModifyVpcPeerConnection', { InstanceId: 'a' }), ...snap('dry-run snapshot after', [a], a)])).toEqual([]);
  });

  it('a connection created by the DryRun create, a changed field, a vanished connection', () => {
    const a = item('a', { Status: 'Activated' });
    const list = [
      ...snap('dry-run snapshot before', [a, item('z', { Status: 'Activated' })], a),
      dry('CreateVpcPeerConnection', { Name: 'conformance-r-dryrun', Tag: [{ Key: 'contract-test', Value: 'r' }] }),
      dry('ModifyVpcPeerConnection', { InstanceId: 'a' }),
      dry('DeleteVpcPeerConnection', { InstanceId: 'pcc-example' }),
      ...snap('dry-run snapshot after', [{ ...a, Description: 'new' }, item('n', { Name: 'conformance-r-dryrun' })], { ...a, Description: 'new' }),
    ];
    expect(findings(list)).toEqual([
      "failure CreateVpcPeerConnection: CreateVpcPeerConnection: DryRun=true created the connection n (it carries this run's name and tag; the run deletes it)",
      'failure DeleteVpcPeerConnection: DeleteVpcPeerConnection: the connection z disappeared during the DryRun calls',
      'failure ModifyVpcPeerConnection: ModifyVpcPeerConnection: DryRun=true changed the connection a: Description undefined -> "new"',
    ]);
    expect(dryRunSnapshotFindings(list).ours).toEqual(['n']);
  });

  it('a connection settling from a transient status, or a Deleted one vanishing, is not blamed on DryRun', () => {
    const a = item('a', { Status: 'Updating' });
    const gone = item('g', { Status: 'Deleted' });
    const list = [...snap('dry-run snapshot before', [a, gone], a), dry('ModifyVpcPeerConnection', { InstanceId: 'a' }), ...snap('dry-run snapshot after', [{ ...a, Status: 'Activated' }], { ...a, Status: 'Activated' })];
    expect(findings(list)).toEqual(['warning ModifyVpcPeerConnection: ModifyVpcPeerConnection: the connection a was Updating (transient) before the DryRun calls and changed while they ran: Status "Updating" -> "Activated"']);
  });
});
