/**
 * DryRun proven harmless: the List and Get recorded before the DryRun calls against those
 * recorded after them. A connection that appeared, disappeared or changed is a failure naming
 * it (a pure function of the exchanges, so `--replay` checks it too).
 */
import { GET_ACTION, LIST_ACTION, itemsOf } from './cross.ts';
import { bodyOf, isSuccess, type Exchange } from './exchange.ts';
import { isTransient, operation, terminalStatuses } from './facts.ts';
import { finding, type Finding } from './findings.ts';

export const SNAPSHOT_BEFORE = 'dry-run snapshot before';
export const SNAPSHOT_AFTER = 'dry-run snapshot after';

interface Snapshot {
  ids: Map<string, Record<string, unknown>>;
  ref?: Record<string, unknown>;
  complete: boolean;
  pages: Exchange[];
}

function snapshotOf(exchanges: readonly Exchange[], caseName: string): Snapshot | undefined {
  const mine = exchanges.filter((e) => e.case === caseName && !e.retried);
  const pages = mine.filter((e) => e.action === LIST_ACTION);
  if (pages.length === 0) return undefined;
  const ids = new Map<string, Record<string, unknown>>();
  for (const p of pages) if (isSuccess(p)) for (const item of itemsOf(bodyOf(p))?.items ?? []) ids.set(String(item.InstanceId), item);
  const last = pages.at(-1)!;
  const snap: Snapshot = { ids, complete: isSuccess(last) && !(bodyOf(last) as { NextToken?: string } | undefined)?.NextToken, pages };
  const get = mine.find((e) => e.action === GET_ACTION && isSuccess(e));
  if (get) snap.ref = bodyOf(get) as Record<string, unknown>;
  return snap;
}

const VOLATILE = new Set(['RequestId']);
const MODIFY_FIELDS = new Set(operation('ModifyVpcPeerConnection').parameters.map((p) => p.name));

/** The snapshot findings, and the connections created by a DryRun that carry the DryRun create's name or tag (the run deletes those). */
export function dryRunSnapshotFindings(exchanges: readonly Exchange[]): { findings: Finding[]; ours: string[] } {
  const findings: Finding[] = [];
  const ours: string[] = [];
  const before = snapshotOf(exchanges, SNAPSHOT_BEFORE);
  const after = snapshotOf(exchanges, SNAPSHOT_AFTER);
  if (!before || !after) return { findings, ours };
  const dry = exchanges.filter((e) => e.expect.kind === 'dry-run');
  const create = dry.filter((e) => e.action === 'CreateVpcPeerConnection');
  const marks = create.flatMap((e) => [String(e.params.Name), ...((e.params.Tag as Array<{ Value: string }> | undefined) ?? []).map((t) => t.Value)]);
  if (before.complete && after.complete) {
    for (const [id, item] of after.ids) {
      if (before.ids.has(id)) continue;
      const mine = marks.includes(String(item.Name)) || ((item.Tags as Array<{ Value: string }> | undefined) ?? []).some((t) => marks.includes(t.Value));
      if (mine) ours.push(id);
      findings.push(finding('failure', 'dry-run-snapshot', `CreateVpcPeerConnection: DryRun=true created the connection ${id}${mine ? " (it carries this run's name and tag; the run deletes it)" : ' (it appeared during the DryRun calls)'}`, [...create, after.pages[0]!], SNAPSHOT_AFTER, 'CreateVpcPeerConnection'));
    }
    for (const [id, item] of before.ids) {
      // A connection already terminal or passing through a transient status may vanish by itself.
      if (terminalStatuses().includes(String(item.Status)) || isTransient(item.Status)) continue;
      if (!after.ids.has(id)) findings.push(finding('failure', 'dry-run-snapshot', `DeleteVpcPeerConnection: the connection ${id} disappeared during the DryRun calls`, dry.filter((e) => operation(e.action).operationType === 'delete'), SNAPSHOT_AFTER, 'DeleteVpcPeerConnection'));
    }
  }
  if (before.ref && after.ref) {
    const changed = [...new Set([...Object.keys(before.ref), ...Object.keys(after.ref)])].filter((key) => !VOLATILE.has(key) && JSON.stringify(before.ref![key]) !== JSON.stringify(after.ref![key]));
    if (changed.length > 0) {
      const involved = dry.filter((e) => e.params.InstanceId === before.ref!.InstanceId);
      // A changed field that only Modify sets names Modify; otherwise the first DryRun call on the connection.
      const action = changed.some((key) => MODIFY_FIELDS.has(key)) ? 'ModifyVpcPeerConnection' : (involved[0]?.action ?? 'ModifyVpcPeerConnection');
      const what = changed.map((key) => `${key} ${JSON.stringify(before.ref![key])} -> ${JSON.stringify(after.ref![key])}`).join(', ');
      // A connection that was passing through a transient status changes by itself: news, not proof.
      const settling = isTransient(before.ref.Status);
      const id = String(before.ref.InstanceId);
      findings.push(finding(settling ? 'warning' : 'failure', 'dry-run-snapshot', `${action}: ${settling ? `the connection ${id} was ${String(before.ref.Status)} (transient) before the DryRun calls and changed while they ran` : `DryRun=true changed the connection ${id}`}: ${what}`, involved.length ? involved : dry, SNAPSHOT_AFTER, action));
    }
  }
  return { findings, ours };
}
