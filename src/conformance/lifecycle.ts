/**
 * The opt-in lifecycle (`lifecycle: true`): create → get (poll) → accept by the peer when
 * cross-account → modify → tag → list tags (by the connection's ResourceId) → untag → move
 * resource group and back → delete → confirm gone; then a second request rejected by the peer.
 * Who calls each Action and in which statuses comes from the contract (`op.caller`,
 * `op.allowedStatuses`). Everything created carries the tag `contract-test=<runId>` and a name
 * with the run ID, and goes through the ledger; `cleanup()` deletes it, confirms it gone, and
 * sweeps the account by the run's tag.
 */
import type { Action } from '../contract/types.ts';
import { bodyOf, codeOf, DeadlineError, InterruptedError, isSuccess, type Exchange, type Expectation } from './exchange.ts';
import { allowedStatusesOf, callerOf, isTransient, takesClientToken, terminalStatuses } from './facts.ts';
import { finding } from './findings.ts';
import type { Ledger, LedgerEntry } from './ledger.ts';
import type { RunState } from './state.ts';
import { exampleParams } from '../contract/model.ts';
import { contract } from '../contract/index.ts';
import { itemsOf } from './cross.ts';

export const TAG_KEY = 'contract-test';
const EXTRA_TAG = `${TAG_KEY}-extra`;
const CREATE: Action = 'CreateVpcPeerConnection';
const GET: Action = 'GetVpcPeerConnectionAttribute';
const DELETE: Action = 'DeleteVpcPeerConnection';
const LIST: Action = 'ListVpcPeerConnections';
const NOT_FOUND = 'ResourceNotFound.InstanceId';

/** The steps in order; the report lists every one, run or skipped. */
export const STEPS = ['create', 'get', 'accept', 'modify', 'tag', 'list-tags', 'untag', 'move-resource-group', 'delete', 'confirm-gone', 'reject'] as const;
export type Step = (typeof STEPS)[number];
const STEP_ACTION: Record<Step, Action> = {
  create: CREATE,
  get: GET,
  accept: 'AcceptVpcPeerConnection',
  modify: 'ModifyVpcPeerConnection',
  tag: 'TagResources',
  'list-tags': 'ListTagResources',
  untag: 'UnTagResources',
  'move-resource-group': 'MoveResourceGroup',
  delete: DELETE,
  'confirm-gone': GET,
  reject: 'RejectVpcPeerConnection',
};
export const caseName = (step: Step) => `lifecycle ${step}`;

class StepFailed extends Error {}
class StepSkipped extends Error {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The account that calls an Action on a connection, from the contract's `x-acs-caller`. */
function accountFor(action: string, crossAccount: boolean): 'owner' | 'peer' {
  return callerOf(action) === 'accepter' && crossAccount ? 'peer' : 'owner';
}

/** A status in which the connection no longer needs deleting: terminal and not deletable. */
function goneStatus(status: unknown): boolean {
  return typeof status === 'string' && terminalStatuses().includes(status) && !(allowedStatusesOf(DELETE) ?? []).includes(status);
}

/** The parameters of a create from the account's values (examples only against a static target). */
export function createParams(state: RunState, name: string, clientToken: string): Record<string, unknown> {
  const v = state.options.values;
  const example = exampleParams(contract, CREATE);
  const pick = (key: keyof typeof v) => v[key] ?? (state.options.staticAnswers ? (example[key] as string | undefined) : undefined);
  const params: Record<string, unknown> = {
    RegionId: pick('RegionId'),
    VpcId: pick('VpcId'),
    AcceptingAliUid: pick('AcceptingAliUid'),
    AcceptingRegionId: pick('AcceptingRegionId'),
    AcceptingVpcId: pick('AcceptingVpcId'),
    Name: name,
    Tag: [{ Key: TAG_KEY, Value: state.options.runId }],
    ClientToken: clientToken,
  };
  if (v.ResourceGroupId !== undefined) params.ResourceGroupId = v.ResourceGroupId;
  return params;
}

/** What the lifecycle needs that is missing (the CLI makes this a configuration error). */
export function missingLifecycleValues(values: RunState['options']['values'], staticAnswers: boolean): string[] {
  if (staticAnswers) return [];
  const names: Record<string, string> = { RegionId: 'CONTRACT_REGION', VpcId: 'CONTRACT_VPC_ID', AcceptingAliUid: 'CONTRACT_ACCEPTING_ALIUID', AcceptingRegionId: 'CONTRACT_ACCEPTING_REGION', AcceptingVpcId: 'CONTRACT_ACCEPTING_VPC_ID' };
  return Object.entries(names).filter(([k]) => values[k as keyof typeof values] === undefined).map(([, env]) => env);
}

export class Lifecycle {
  instanceId: string | undefined;
  crossAccount = false;
  #tokens = 0;

  constructor(
    readonly state: RunState,
    readonly ledger: Ledger,
  ) {}

  token(label: string): string {
    return `${this.state.options.runId}-${label}-${++this.#tokens}`.slice(0, 64);
  }

  /** A fresh ClientToken for the Actions that take one (`op.takesClientToken`). */
  #withToken(action: Action, params: Record<string, unknown>, label: string): Record<string, unknown> {
    return takesClientToken(action) ? { ...params, ClientToken: this.token(label) } : params;
  }

  get #region(): string {
    return String(this.state.options.values.RegionId ?? exampleParams(contract, CREATE).RegionId);
  }

  async #send(step: Step | string, action: Action, params: Record<string, unknown>, expect: Expectation, account: 'owner' | 'peer' = 'owner', cleanup = false): Promise<Exchange> {
    return this.state.sender.send(typeof step === 'string' && !STEPS.includes(step as Step) ? step : caseName(step as Step), action, params, expect, { account, cleanup });
  }

  /** Polls Get until `done(body)`; throws StepFailed (with a finding) after waitMs. */
  async #poll(step: Step, done: (body: Record<string, unknown>) => boolean, what: string, account: 'owner' | 'peer' = 'owner'): Promise<Record<string, unknown>> {
    const deadline = Date.now() + this.state.options.waitMs;
    for (;;) {
      const e = await this.#send(step, GET, { InstanceId: this.instanceId }, { kind: 'success' }, account);
      if (!isSuccess(e)) throw new StepFailed();
      const body = bodyOf(e) as Record<string, unknown>;
      if (done(body) || this.state.options.staticAnswers) return body;
      if (Date.now() > deadline) {
        this.state.findings.push(finding('failure', 'lifecycle', `${GET}: ${this.instanceId} ${what}: still ${String(body.Status)} after ${this.state.options.waitMs} ms`, [e], caseName(step)));
        throw new StepFailed();
      }
      await sleep(this.state.options.pollMs);
    }
  }

  /** Waits until the contract allows `action` in the connection's status (when the contract says). */
  async #ready(step: Step, action: Action, account: 'owner' | 'peer' = 'owner'): Promise<Record<string, unknown> | undefined> {
    const allowed = allowedStatusesOf(action);
    if (!allowed) return undefined;
    return this.#poll(step, (b) => allowed.includes(String(b.Status)), `waiting for a status that allows ${action} (${allowed.join(', ')})`, account);
  }

  /** Sends a step's request; a documented wrong-status answer is retried until waitMs. */
  async #step(step: Step, action: Action, params: Record<string, unknown>, account: 'owner' | 'peer' = 'owner'): Promise<Exchange> {
    const deadline = Date.now() + this.state.options.waitMs;
    for (;;) {
      const e = await this.#send(step, action, params, { kind: 'success' }, account);
      const code = codeOf(e);
      if (code?.startsWith('IncorrectStatus') && Date.now() < deadline && !this.state.options.staticAnswers) {
        e.expect = { kind: 'any' };
        await sleep(this.state.options.pollMs);
        continue;
      }
      if (!isSuccess(e)) throw new StepFailed();
      return e;
    }
  }

  /** Lists every step as not sent, with the reason (the run stopped before the lifecycle). */
  skipAll(reason: string): void {
    for (const step of STEPS) if (!this.state.cases.has(caseName(step))) this.state.skip(caseName(step), STEP_ACTION[step], 'lifecycle', reason);
  }

  async run(): Promise<void> {
    const s = this.state;
    let failed: string | undefined;
    for (const step of STEPS) {
      const name = caseName(step);
      const action = STEP_ACTION[step];
      if (s.aborted) {
        s.skip(name, action, 'lifecycle', `not sent: the run was interrupted (${s.interrupted ?? 'abort'})`);
        continue;
      }
      if (failed) {
        s.skip(name, action, 'lifecycle', `not sent: the earlier step ${failed} failed (cleanup still deletes what was created)`);
        continue;
      }
      s.open(name, action, 'lifecycle');
      s.options.log(`lifecycle: ${step}`);
      try {
        await this.#run(step);
        s.options.log(`lifecycle: ${step} done`);
      } catch (error) {
        if (error instanceof StepSkipped) s.skip(name, action, 'lifecycle', error.message);
        else if (error instanceof InterruptedError || error instanceof DeadlineError) {
          s.open(name, action, 'lifecycle').cut = error.message;
          if (error instanceof DeadlineError) s.interrupted ??= 'deadline';
        } else {
          if (!(error instanceof StepFailed)) s.findings.push(finding('failure', 'lifecycle', `${action}: lifecycle step ${step} failed: ${(error as Error)?.message ?? String(error)}`, [], name, action));
          failed ??= step;
        }
      }
    }
  }

  async #run(step: Step): Promise<void> {
    const s = this.state;
    const tagParams = { RegionId: this.#region, ResourceType: 'PeerConnection', ResourceId: [this.instanceId] };
    if (step !== 'create' && step !== 'reject' && this.instanceId === undefined) throw new StepSkipped('not sent: nothing was created');
    switch (step) {
      case 'create': {
        this.instanceId = await this.#create('create', `conformance-${s.options.runId}`);
        return;
      }
      case 'get': {
        const body = await this.#poll('get', (b) => !isTransient(b.Status), 'waiting for the create to settle');
        this.crossAccount = String(body.OwnerId) !== String(body.AcceptingOwnerUid);
        return;
      }
      case 'accept': {
        if (!this.crossAccount) throw new StepSkipped('skipped: a same-account connection is activated without acceptance');
        const account = accountFor('AcceptVpcPeerConnection', true);
        if (account === 'peer' && !s.sender.hasPeer) throw new StepSkipped('skipped: a cross-account connection is accepted by the peer account; set CONTRACT_PEER_ACCESS_KEY_ID/_SECRET');
        await this.#ready('accept', 'AcceptVpcPeerConnection', account);
        await this.#step('accept', 'AcceptVpcPeerConnection', this.#withToken('AcceptVpcPeerConnection', { InstanceId: this.instanceId }, 'accept'), account);
        return;
      }
      case 'modify': {
        const description = `conformance run ${s.options.runId}`;
        await this.#ready('modify', 'ModifyVpcPeerConnection');
        const sent = await this.#step('modify', 'ModifyVpcPeerConnection', this.#withToken('ModifyVpcPeerConnection', { InstanceId: this.instanceId, Description: description }, 'modify'));
        if (s.options.staticAnswers) return;
        const body = await this.#poll('modify', (b) => !isTransient(b.Status), 'waiting for the modify to settle');
        if (body.Description !== description) {
          s.findings.push(finding('failure', 'lifecycle', `ModifyVpcPeerConnection: acknowledged, but Get still shows Description ${JSON.stringify(body.Description)} instead of ${JSON.stringify(description)}`, [sent], caseName('modify')));
        }
        return;
      }
      case 'tag':
        await this.#step('tag', 'TagResources', this.#withToken('TagResources', { ...tagParams, Tag: [{ Key: EXTRA_TAG, Value: s.options.runId }] }, 'tag'));
        return;
      case 'list-tags': {
        const e = await this.#step('list-tags', 'ListTagResources', tagParams);
        const rows = itemsOf(bodyOf(e))?.items ?? [];
        if (!s.options.staticAnswers && !rows.some((r) => r.ResourceId === this.instanceId && r.TagKey === EXTRA_TAG)) {
          s.findings.push(finding('failure', 'lifecycle', `ListTagResources: the tag ${EXTRA_TAG} just attached to ${this.instanceId} is not listed`, [e], caseName('list-tags')));
        }
        return;
      }
      case 'untag': {
        await this.#step('untag', 'UnTagResources', this.#withToken('UnTagResources', { ...tagParams, TagKey: [EXTRA_TAG] }, 'untag'));
        if (s.options.staticAnswers) return;
        const e = await this.#step('untag', 'ListTagResources', tagParams);
        if ((itemsOf(bodyOf(e))?.items ?? []).some((r) => r.TagKey === EXTRA_TAG)) {
          s.findings.push(finding('failure', 'lifecycle', `UnTagResources: acknowledged, but ListTagResources still lists ${EXTRA_TAG} on ${this.instanceId}`, [e], caseName('untag')));
        }
        return;
      }
      case 'move-resource-group': {
        const target = s.options.values.ResourceGroupId2 ?? (s.options.staticAnswers ? String(exampleParams(contract, 'MoveResourceGroup').NewResourceGroupId) : undefined);
        if (target === undefined) throw new StepSkipped('skipped: set CONTRACT_RESOURCE_GROUP_ID_2 (a second resource group of the account) to move the connection there and back');
        const before = await this.#poll('move-resource-group', () => true, '');
        const original = String(before.ResourceGroupId);
        const move = { RegionId: this.#region, ResourceType: 'PeerConnection', ResourceId: this.instanceId };
        const sent = await this.#step('move-resource-group', 'MoveResourceGroup', this.#withToken('MoveResourceGroup', { ...move, NewResourceGroupId: target }, 'move'));
        const after = await this.#poll('move-resource-group', (b) => b.ResourceGroupId === target, `waiting for resource group ${target}`);
        if (!s.options.staticAnswers && after.ResourceGroupId !== target) s.findings.push(finding('failure', 'lifecycle', `MoveResourceGroup: acknowledged, but Get shows ${String(after.ResourceGroupId)}`, [sent], caseName('move-resource-group')));
        await this.#step('move-resource-group', 'MoveResourceGroup', this.#withToken('MoveResourceGroup', { ...move, NewResourceGroupId: original }, 'move-back'));
        return;
      }
      case 'delete': {
        await this.#ready('delete', DELETE);
        const entry = this.ledger.entries.find((e) => e.instanceId === this.instanceId);
        await this.#step('delete', DELETE, this.#withToken(DELETE, { InstanceId: this.instanceId }, 'delete'));
        if (entry) this.ledger.update(entry, { state: 'delete-sent' });
        return;
      }
      case 'confirm-gone': {
        if (s.options.staticAnswers) return;
        const entry = this.ledger.entries.find((e) => e.instanceId === this.instanceId);
        const gone = await this.confirmGone(this.instanceId!, 'owner', caseName('confirm-gone'));
        if (!gone.ok) {
          s.findings.push(finding('failure', 'lifecycle', `${DELETE}: acknowledged, but the connection ${this.instanceId} is still ${gone.status} after ${s.options.waitMs} ms (Get)`, gone.last ? [gone.last] : [], caseName('confirm-gone'), DELETE));
          throw new StepFailed();
        }
        if (entry) this.ledger.forget(entry);
        return;
      }
      case 'reject': {
        if (!s.sender.hasPeer && !s.options.staticAnswers) throw new StepSkipped('skipped: rejecting needs the peer account; set CONTRACT_PEER_ACCESS_KEY_ID/_SECRET');
        if (!this.crossAccount && !s.options.staticAnswers) throw new StepSkipped('skipped: a same-account request is activated at once, there is nothing to reject');
        const id = await this.#create('reject', `conformance-${s.options.runId}-2`);
        const previous = this.instanceId;
        this.instanceId = id;
        try {
          const account = accountFor('RejectVpcPeerConnection', true);
          await this.#ready('reject', 'RejectVpcPeerConnection', account);
          await this.#step('reject', 'RejectVpcPeerConnection', this.#withToken('RejectVpcPeerConnection', { InstanceId: id }, 'reject'), s.sender.hasPeer ? account : 'owner');
        } finally {
          this.instanceId = previous;
        }
        return;
      }
    }
  }

  /** A create through the ledger: intent and ClientToken written before the request is sent. */
  async #create(step: Step, name: string): Promise<string> {
    const clientToken = this.token(step);
    const entry = this.ledger.intend({ step, account: 'owner', clientToken, name });
    const e = await this.#send(step, CREATE, createParams(this.state, name, clientToken), { kind: 'success' });
    const id = (bodyOf(e) as { InstanceId?: unknown } | undefined)?.InstanceId;
    // A definite refusal (4xx) created nothing; no answer or a 5xx may have: the sweep looks.
    if (e.status >= 400 && e.status < 500) this.ledger.forget(entry);
    if (!isSuccess(e) || typeof id !== 'string') throw new StepFailed();
    this.ledger.update(entry, { instanceId: id, state: 'created' });
    return id;
  }

  /** Polls Get until the connection is not found (or in a terminal, non-deletable status). */
  async confirmGone(id: string, account: 'owner' | 'peer', name: string): Promise<{ ok: boolean; status?: string; last?: Exchange }> {
    const deadline = Date.now() + this.state.options.waitMs;
    let last: Exchange | undefined;
    for (;;) {
      last = await this.#send(name, GET, { InstanceId: id }, { kind: 'any' }, account, true);
      const body = bodyOf(last) as Record<string, unknown> | undefined;
      if (codeOf(last) === NOT_FOUND || (isSuccess(last) && goneStatus(body?.Status))) return { ok: true };
      const status = isSuccess(last) ? String(body?.Status) : (codeOf(last) ?? `HTTP ${last.status}`);
      if (Date.now() > deadline) return { ok: false, status, last };
      await sleep(this.state.options.pollMs);
    }
  }

  /** Deletes one connection (Force=true), waiting out statuses that refuse it, and confirms it gone. */
  async #deleteAndConfirm(id: string, account: 'owner' | 'peer'): Promise<string | undefined> {
    const name = 'cleanup';
    const deadline = Date.now() + this.state.options.waitMs;
    for (;;) {
      const got = await this.#send(name, GET, { InstanceId: id }, { kind: 'any' }, account, true);
      const body = bodyOf(got) as Record<string, unknown> | undefined;
      if (codeOf(got) === NOT_FOUND || (isSuccess(got) && goneStatus(body?.Status))) return undefined;
      const allowed = allowedStatusesOf(DELETE);
      if (!isSuccess(got) || !allowed || allowed.includes(String(body?.Status))) {
        const e = await this.#send(name, DELETE, this.#withToken(DELETE, { InstanceId: id, Force: true }, 'cleanup'), { kind: 'any' }, account, true);
        if (isSuccess(e) || codeOf(e) === NOT_FOUND) break;
        if (!codeOf(e)?.startsWith('IncorrectStatus')) return `${id}: the cleanup Delete was refused: ${codeOf(e) ?? `HTTP ${e.status}`} [RequestId ${e.requestId ?? '-'}]`;
      }
      if (Date.now() > deadline) return `${id}: still ${String(body?.Status)} after ${this.state.options.waitMs} ms; Delete never allowed`;
      await sleep(this.state.options.pollMs);
    }
    if (this.state.options.staticAnswers) return undefined;
    const gone = await this.confirmGone(id, account, name);
    return gone.ok ? undefined : `${id}: Delete acknowledged but the connection is still ${gone.status} after ${this.state.options.waitMs} ms`;
  }

  /**
   * Deletes everything of this run: every ledger entry with an ID, then every connection the
   * account lists under the run's tag (which also finds a create that was in flight when the
   * run was cut). Leftovers are recorded with the reason.
   */
  async cleanup(): Promise<void> {
    const s = this.state;
    s.open('cleanup', DELETE, 'cleanup');
    const done = new Set<string>();
    const settle = async (entry: LedgerEntry | undefined, id: string, account: 'owner' | 'peer') => {
      if (done.has(id)) return;
      done.add(id);
      const problem = await this.#deleteAndConfirm(id, account);
      if (problem) s.leftovers.push(problem);
      else if (entry) this.ledger.forget(entry);
      else this.ledger.entries.filter((e) => e.instanceId === id).forEach((e) => this.ledger.forget(e));
      if (!problem) s.notes.push(`cleanup: ${id} deleted${s.options.staticAnswers ? ' (static target: nothing to confirm)' : ' and confirmed gone'}`);
    };
    for (const entry of [...this.ledger.entries]) if (entry.instanceId) await settle(entry, entry.instanceId, entry.account);
    if (s.options.staticAnswers) {
      for (const entry of [...this.ledger.entries]) this.ledger.forget(entry);
      return;
    }
    // The sweep: anything tagged with this run. Unresolved intents get a few more looks (a create in flight may land late).
    for (let round = 0; round < 3; round++) {
      const found = await this.#listTagged();
      for (const item of found) {
        const entry = this.ledger.entries.find((e) => e.instanceId === item.id || (!e.instanceId && e.name === item.name));
        await settle(entry, item.id, 'owner');
      }
      if (!this.ledger.entries.some((e) => !e.instanceId)) break;
      await sleep(Math.max(this.state.options.pollMs, 200));
    }
    for (const entry of this.ledger.entries) {
      if (!entry.instanceId) s.leftovers.push(`a create (ClientToken ${entry.clientToken}, name ${entry.name}) was in flight and no connection tagged ${TAG_KEY}=${s.options.runId} was found: check the account (ledger ${this.ledger.file})`);
    }
  }

  async #listTagged(): Promise<Array<{ id: string; name: string }>> {
    const out: Array<{ id: string; name: string }> = [];
    let token: string | undefined;
    for (let page = 0; page < this.state.options.maxPages; page++) {
      const params: Record<string, unknown> = { RegionId: this.#region, Tags: [{ Key: TAG_KEY, Value: this.state.options.runId }], MaxResults: 100 };
      if (token) params.NextToken = token;
      const e = await this.#send('cleanup', LIST, params, { kind: 'any' }, 'owner', true);
      const body = bodyOf(e) as { NextToken?: string } | undefined;
      for (const item of itemsOf(body)?.items ?? []) {
        const tagged = ((item.Tags as Array<{ Key: string; Value: string }> | undefined) ?? []).some((t) => t.Key === TAG_KEY && t.Value === this.state.options.runId);
        if (tagged && typeof item.InstanceId === 'string' && !goneStatus(item.Status)) out.push({ id: item.InstanceId, name: String(item.Name) });
      }
      token = body?.NextToken || undefined;
      if (!token) break;
    }
    return out;
  }
}
