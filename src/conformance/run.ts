/**
 * `runConformance(options) → report`: the whole check of one endpoint. Safe phase (reads with
 * paging and filter walks, DryRun calls between two snapshots, negative tests), the opt-in
 * lifecycle, cleanup, then every single-answer and cross-answer check over what was recorded,
 * the verdict and the reports. No test runner; nothing read from the environment.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exampleParams } from '../contract/model.ts';
import { contract } from '../contract/index.ts';
import type { Action, DocumentedCode } from '../contract/types.ts';
import { checkExchange } from './check.ts';
import { CONNECTION_FILTER_NAMES, crossAnswerFindings, GET_ACTION, itemsOf, LIST_ACTION, TAGS_ACTION } from './cross.ts';
import { bodyOf, codeOf, DeadlineError, InterruptedError, isSuccess, Sender, type Exchange, type Expectation } from './exchange.ts';
import { ACTIONS, READ_ACTIONS, modeOf, operation } from './facts.ts';
import type { Finding } from './findings.ts';
import { Ledger } from './ledger.ts';
import { Lifecycle, createParams, missingLifecycleValues, TAG_KEY } from './lifecycle.ts';
import { negativeCases, selectCases, type SkippedConstraint } from './negative.ts';
import { OptionsError, resolveOptions, type ConformanceOptions } from './options.ts';
import { buildReport, writeReports, type ConformanceReport } from './report.ts';
import { RunState } from './state.ts';
import { dryRunSnapshotFindings, SNAPSHOT_AFTER, SNAPSHOT_BEFORE } from './snapshot.ts';

export { OptionsError } from './options.ts';
export type { ConformanceReport } from './report.ts';

/** Answers that mean the credentials, not the endpoint, are the problem: the run cannot test anything. */
const CREDENTIAL_CODES: Partial<Record<DocumentedCode<'ListVpcPeerConnections'>, string>> = {
  'InvalidAccessKeyId.NotFound': 'the AccessKey ID is unknown to this endpoint: check the credentials (ALIBABA_CLOUD_ACCESS_KEY_ID, --profile) and the endpoint',
  'Forbidden.AccessKeyDisabled': 'the AccessKey is disabled: enable it or use another one',
  SignatureDoesNotMatch: 'the signature was rejected: check the AccessKey secret, and --signature v3|v1',
  IncompleteSignature: 'the signature is incomplete: check --signature and --credentials (anonymous requests are not signed)',
  'InvalidTimeStamp.Expired': 'the request time was refused: set the machine clock right (NTP)',
  'Forbidden.RAM': 'the RAM user may not call this VpcPeer Action: grant it the VpcPeer read Actions (and, for --lifecycle, the ones that change connections)',
};
const credentialProblem = (code: string | undefined): string | undefined => (code === undefined ? undefined : (CREDENTIAL_CODES as Record<string, string | undefined>)[code]);

const WALK_PAGE_SIZE = 2;

class CouldNotTest extends Error {}

export async function runConformance(input: ConformanceOptions): Promise<ConformanceReport> {
  const options = resolveOptions(input, READ_ACTIONS.length);
  if (options.lifecycle) {
    const missing = missingLifecycleValues(options.values, options.staticAnswers);
    if (missing.length > 0) throw new OptionsError(`the lifecycle needs ${missing.join(', ')} (the VPCs to peer)`);
  }
  const started = Date.now();
  const sender = new Sender(options);
  const state = new RunState(options, sender);
  const ledger = new Ledger(options.ledgerFile ?? path.join(tmpdir(), `vpcpeer-conformance-ledger-${options.runId}.json`), options.runId);
  if (options.recordFile) writeFileSync(options.recordFile, '');
  sender.onExchange = (e) => {
    if (options.recordFile) appendFileSync(options.recordFile, `${JSON.stringify(e)}\n`);
  };
  const negativeSkipped: SkippedConstraint[] = [];
  let negativeSent = 0;
  const onAbort = () => (state.interrupted ??= String(options.signal?.reason ?? 'abort'));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  const lifecycle = new Lifecycle(state, ledger);
  try {
    await safePhase(state, ledger, (n, skipped) => {
      negativeSent += n;
      negativeSkipped.push(...skipped);
    });
    if (options.lifecycle && !state.aborted && !state.couldNotTest) await lifecycle.run();
  } catch (error) {
    if (error instanceof CouldNotTest) state.couldNotTest = error.message;
    else if (error instanceof InterruptedError || error instanceof DeadlineError) {
      state.interrupted ??= error instanceof DeadlineError ? 'deadline' : 'interrupted';
      state.notes.push(error.message ?? 'interrupted');
      const last = state.exchanges.at(-1);
      if (last?.transportError) state.open(last.case, last.action, 'safe').cut = last.transportError;
    } else throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (options.lifecycle) {
    const why = state.couldNotTest ? 'not sent: the run could not test (see the reason)' : state.interrupted ? `not sent: the run was interrupted (${state.interrupted})` : 'not sent';
    lifecycle.skipAll(why);
  }
  if (ledger.entries.length > 0 || options.lifecycle) {
    try {
      await lifecycle.cleanup();
    } catch (error) {
      state.leftovers.push(`cleanup stopped: ${(error as Error)?.message ?? String(error)}; ledger kept at ${ledger.file}`);
    }
  }
  if (state.leftovers.length > 0 && ledger.entries.length > 0) state.notes.push(`ledger kept at ${ledger.file}`);

  const findings = evaluate(state.exchanges, { strictFields: options.strictFields, staticAnswers: options.staticAnswers });
  findings.push(...state.findings);
  const report = buildReport(state, findings, { started, negativeSent, negativeSkipped });
  writeReports(report, options);
  return report;
}

/** Every single-answer and cross-answer finding over recorded exchanges (live or replayed). */
export function evaluate(exchanges: readonly Exchange[], ctx: { strictFields: boolean; staticAnswers: boolean }): Finding[] {
  const out = exchanges.flatMap((e) => checkExchange(e, ctx));
  out.push(...crossAnswerFindings(exchanges, ctx));
  out.push(...dryRunSnapshotFindings(exchanges).findings);
  return out;
}

/** After the first answers: stop early (exit 3) when nothing can be tested, saying what to fix. */
function preflight(e: Exchange): void {
  if (e.status === 0 && !e.transportError?.startsWith('interrupted')) {
    throw new CouldNotTest(`${e.action} got no answer from ${new URL(e.request.url).origin} (${e.transportError}): check --endpoint, the network and any proxy`);
  }
  const code = codeOf(e);
  const problem = credentialProblem(code);
  if (problem) throw new CouldNotTest(`${e.action} was answered ${code} (HTTP ${e.status}${e.requestId ? `, RequestId ${e.requestId}` : ''}): ${problem}`);
}

async function walk(state: RunState, caseName: string, action: Action, params: Record<string, unknown>, mustInclude?: string): Promise<Exchange[]> {
  const pages: Exchange[] = [];
  let token: string | undefined;
  for (let page = 1; page <= state.options.maxPages; page++) {
    const expect: Expectation = { kind: 'page', walk: caseName, page, maxResults: Number(params.MaxResults), maxPages: state.options.maxPages, ...(mustInclude !== undefined && { mustInclude }) };
    const e = await state.sender.send(caseName, action, { ...params, ...(token && { NextToken: token }) }, expect);
    pages.push(e);
    if (pages.length === 1 && state.exchanges.length <= 2) preflight(e);
    if (!isSuccess(e)) break;
    const next = (bodyOf(e) as { NextToken?: unknown } | undefined)?.NextToken;
    if (typeof next !== 'string' || next === '' || next === token || pages.slice(0, -1).some((p) => p.params.NextToken === next)) break;
    token = next;
  }
  return pages;
}

const listedIds = (pages: readonly Exchange[]) => pages.flatMap((p) => (isSuccess(p) ? (itemsOf(bodyOf(p))?.items ?? []) : [])).map((i) => i as Record<string, unknown>);

async function safePhase(state: RunState, ledger: Ledger, negatives: (sent: number, skipped: SkippedConstraint[]) => void): Promise<void> {
  const o = state.options;
  const region = o.values.RegionId ?? String(exampleParams(contract, LIST_ACTION).RegionId);
  const listCase = `read ${LIST_ACTION}`;
  state.open(listCase, LIST_ACTION, 'safe');
  const listed = listedIds(await walk(state, listCase, LIST_ACTION, { RegionId: region, MaxResults: WALK_PAGE_SIZE }));

  // The connection to read: the configured one, else the first listed.
  const ref = o.values.InstanceId ?? (listed.find((i) => typeof i.InstanceId === 'string')?.InstanceId as string | undefined);
  const getCase = `read ${GET_ACTION}`;
  let refBody: Record<string, unknown> | undefined;
  if (ref === undefined) {
    state.skip(getCase, GET_ACTION, 'safe', `no connection to read: ${LIST_ACTION} lists none in ${region}; set CONTRACT_INSTANCE_ID (or create one) so Get, the List filters and ListTagResources can be checked`);
  } else {
    state.open(getCase, GET_ACTION, 'safe');
    const e = await state.sender.send(getCase, GET_ACTION, { InstanceId: ref }, { kind: 'success' });
    if (isSuccess(e)) refBody = bodyOf(e) as Record<string, unknown>;
  }

  // Only 5xx so far (every List page and the Get): the endpoint cannot be tested; stop early.
  const early = state.exchanges.filter((e) => e.status > 0);
  if (early.length > 0 && early.every((e) => e.status >= 500)) throw new CouldNotTest(allFiveHundred(early));

  // List honours every filter (values from the connection read above).
  if (refBody) {
    for (const name of CONNECTION_FILTER_NAMES) {
      const c = `filter ${LIST_ACTION} ${name}`;
      const value = filterValue(name, refBody);
      if (value === undefined) {
        state.skip(c, LIST_ACTION, 'safe', `the connection ${ref} has no ${name === 'Tags' ? 'tag' : name} to filter by`);
        continue;
      }
      if (o.staticAnswers) {
        state.skip(c, LIST_ACTION, 'safe', 'the target answers from examples (a mock): it cannot honour filters');
        continue;
      }
      state.open(c, LIST_ACTION, 'safe');
      await walk(state, c, LIST_ACTION, { RegionId: region, MaxResults: WALK_PAGE_SIZE, [name]: value }, ref);
    }
    const tagCase = `read ${TAGS_ACTION} by ResourceId`;
    state.open(tagCase, TAGS_ACTION, 'safe');
    await walk(state, tagCase, TAGS_ACTION, { RegionId: region, ResourceType: 'PeerConnection', ResourceId: [ref], MaxResults: WALK_PAGE_SIZE }, o.staticAnswers ? undefined : (refTags(refBody)[0] ? ref : undefined));
    const tag = refTags(refBody)[0];
    const tagFilter = `filter ${TAGS_ACTION} Tag`;
    if (!tag) state.skip(tagFilter, TAGS_ACTION, 'safe', `the connection ${ref} has no tag to filter by`);
    else if (o.staticAnswers) state.skip(tagFilter, TAGS_ACTION, 'safe', 'the target answers from examples (a mock): it cannot honour filters');
    else {
      state.open(tagFilter, TAGS_ACTION, 'safe');
      await walk(state, tagFilter, TAGS_ACTION, { RegionId: region, ResourceType: 'PeerConnection', Tag: [tag], MaxResults: WALK_PAGE_SIZE });
    }
  } else {
    state.skip(`read ${TAGS_ACTION} by ResourceId`, TAGS_ACTION, 'safe', `no connection was read (see ${getCase})`);
  }

  // DryRun: proven harmless by a snapshot before and after.
  const dryActions = ACTIONS.filter((a) => modeOf(a) === 'dry-run');
  if (!o.staticAnswers) await snapshot(state, region, ref, SNAPSHOT_BEFORE);
  const dryExchanges: Exchange[] = [];
  for (const action of dryActions) {
    const c = `dry-run ${action}`;
    state.open(c, action, 'safe');
    dryExchanges.push(await state.sender.send(c, action, dryRunParams(state, action, ref), { kind: 'dry-run' }));
  }
  if (!o.staticAnswers) {
    await snapshot(state, region, ref, SNAPSHOT_AFTER);
    // What a DryRun created under this run's name or tag is deleted by the cleanup.
    const create = dryExchanges.find((e) => e.action === 'CreateVpcPeerConnection');
    for (const id of dryRunSnapshotFindings(state.exchanges).ours) {
      ledger.update(ledger.intend({ step: 'dry-run', account: 'owner', clientToken: String(create?.params.ClientToken ?? ''), name: String(create?.params.Name ?? '') }), { instanceId: id, state: 'created' });
    }
  } else state.notes.push('DryRun snapshot skipped: the target answers from examples (a mock)');

  for (const action of ACTIONS.filter((a) => modeOf(a) === 'unsafe')) {
    if (!o.lifecycle) state.skip(`safe ${action}`, action, 'safe', `skipped because unsafe: ${action} changes state and has no DryRun (opt in with --lifecycle, which calls it on a connection it creates)`);
  }

  if (o.rehearseErrors) {
    for (const action of ACTIONS) {
      const code = operation(action).errorCodes.get('400')?.find((c) => !c.startsWith('Throttling'));
      if (!code) continue;
      const c = `mock-error ${action} ${code}`;
      state.open(c, action, 'safe');
      const params = modeOf(action) === 'dry-run' ? { ...exampleParams(contract, action), DryRun: true } : exampleParams(contract, action);
      await state.sender.send(c, action, params, { kind: 'mock-error', code }, { headers: { prefer: `code=400, example=${code}` } });
    }
  }

  // Negative tests.
  let sent = 0;
  const skipped: SkippedConstraint[] = [];
  let tokens = 0;
  for (const action of ACTIONS) {
    const { cases, skipped: notSent } = negativeCases(action, o.values.RegionId, () => `${o.runId}-neg-${++tokens}`.slice(0, 64));
    skipped.push(...notSent);
    for (const nc of selectCases(cases, o.negative)) {
      const c = `negative ${action} ${nc.constraint}`;
      state.open(c, action, 'negative');
      await state.sender.send(c, action, nc.params, { kind: 'negative', constraint: nc.constraint, parameter: nc.parameter, keyword: nc.keyword, code: nc.code, status: nc.status });
      sent++;
    }
  }
  negatives(sent, skipped);

  // Nothing but 5xx: the endpoint cannot be tested.
  const answered = state.exchanges.filter((e) => e.status > 0);
  if (answered.length > 0 && answered.every((e) => e.status >= 500)) throw new CouldNotTest(allFiveHundred(answered));
  const creds = state.exchanges.find((e) => READ_ACTIONS.includes(e.action as Action) && credentialProblem(codeOf(e)));
  if (creds) preflight(creds);
}

function allFiveHundred(answered: Exchange[]): string {
  const e = answered[0]!;
  return `every one of the ${answered.length} answers was HTTP 5xx (first: ${e.status} ${codeOf(e) ?? ''}${e.requestId ? `, RequestId ${e.requestId}` : ''}): the endpoint is down or overloaded; retry later`;
}

function refTags(body: Record<string, unknown>): Array<{ Key: string; Value: string }> {
  return ((body.Tags as Array<{ Key: string; Value: string }> | undefined) ?? []).filter((t) => t.Key !== TAG_KEY);
}

function filterValue(name: string, body: Record<string, unknown>): unknown {
  switch (name) {
    case 'VpcId': {
      const id = (body.Vpc as { VpcId?: string } | undefined)?.VpcId;
      return id ? [id] : undefined;
    }
    case 'Tags': {
      const tag = refTags(body)[0];
      return tag ? [{ Key: tag.Key, Value: tag.Value }] : undefined;
    }
    default:
      return typeof body[name] === 'string' && body[name] !== '' ? body[name] : undefined;
  }
}

/** A DryRun request: the Action's example with the account's values; destructive Actions target an ID that does not exist. */
function dryRunParams(state: RunState, action: Action, ref: string | undefined): Record<string, unknown> {
  const op = operation(action);
  const token = `${state.options.runId}-dryrun-${action}`.slice(0, 64);
  if (action === 'CreateVpcPeerConnection') {
    const params = createParams(state, `conformance-${state.options.runId}-dryrun`, token);
    const example = exampleParams(contract, action);
    for (const [k, v] of Object.entries(params)) if (v === undefined) params[k] = example[k];
    return { ...params, DryRun: true };
  }
  const params: Record<string, unknown> = { ...exampleParams(contract, action), DryRun: true };
  if (op.byName.has('ClientToken')) params.ClientToken = token;
  if (op.byName.has('RegionId') && state.options.values.RegionId) params.RegionId = state.options.values.RegionId;
  if (op.operationType !== 'delete' && ref !== undefined && op.byName.has('InstanceId')) params.InstanceId = ref;
  if (action === 'ModifyVpcPeerConnection') {
    delete params.Bandwidth;
    delete params.LinkType;
    params.Description = `conformance dry run ${state.options.runId}`;
  }
  return params;
}

/** The List walk and the Get of a DryRun snapshot (compared in snapshot.ts). */
async function snapshot(state: RunState, region: string, ref: string | undefined, caseName: string): Promise<void> {
  state.open(caseName, LIST_ACTION, 'safe');
  await walk(state, caseName, LIST_ACTION, { RegionId: region, MaxResults: 100 });
  if (ref !== undefined) await state.sender.send(caseName, GET_ACTION, { InstanceId: ref }, { kind: 'success' });
}
