/**
 * The opt-in lifecycle: create → get → modify → tag → list tags → untag → (cross-account
 * accept / reject with a second credential) → delete, every answer checked against the
 * contract. Whatever it creates is tagged `contract-test=<runId>`, written to a ledger file the
 * moment the service returns its ID, and deleted in teardown — after a failed step, on SIGINT
 * or SIGTERM, and, as a last resort, by the runner's sweep of the ledger after the run.
 */
import { existsSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { VpcPeerError, type Params, type VpcPeerClient } from '../client/index.ts';
import { contract } from '../contract/index.ts';
import { checkExchange, type Exchange } from './check.ts';
import { clientFor, env, sampleParams, type Target } from './target.ts';

export const TAG_KEY = 'contract-test';

/** Where created IDs are recorded until deleted (`CONTRACT_LEDGER`, default in the temp dir). */
export function ledgerPath(): string {
  return env('CONTRACT_LEDGER') ?? path.join(tmpdir(), `vpcpeer-contract-ledger-${process.pid}.json`);
}

interface LedgerEntry {
  instanceId: string;
  /** `owner` (the main credential) or `peer`. */
  account: 'owner' | 'peer';
  runId: string;
}

export function readLedger(file = ledgerPath()): LedgerEntry[] {
  if (!existsSync(file)) return [];
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LedgerEntry[];
  } catch {
    return [];
  }
}

function writeLedger(entries: LedgerEntry[], file = ledgerPath()): void {
  if (entries.length === 0) rmSync(file, { force: true });
  else writeFileSync(file, JSON.stringify(entries, null, 2));
}

/** Deletes what the lifecycle created; safe to call many times and from a signal handler. */
export class Janitor {
  readonly deleted: string[] = [];
  /** Why an entry could not be deleted (`<id>: <code>: <message>`); it stays in the ledger. */
  readonly failures: string[] = [];
  #running: Promise<string[]> | undefined;
  #onSignal = (signal: NodeJS.Signals) => {
    void this.cleanup()
      .then((deleted) => {
        process.stdout.write(`lifecycle interrupted by ${signal}; teardown deleted: ${deleted.join(', ') || 'nothing'}\n`);
      })
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };

  constructor(
    readonly clients: { owner: VpcPeerClient; peer?: VpcPeerClient | undefined },
    readonly runId: string,
    readonly file = ledgerPath(),
  ) {}

  register(instanceId: string, account: LedgerEntry['account'] = 'owner'): void {
    writeLedger([...readLedger(this.file), { instanceId, account, runId: this.runId }], this.file);
  }

  forget(instanceId: string): void {
    writeLedger(readLedger(this.file).filter((e) => e.instanceId !== instanceId), this.file);
  }

  installSignalHandlers(): void {
    process.once('SIGINT', this.#onSignal);
    process.once('SIGTERM', this.#onSignal);
  }

  removeSignalHandlers(): void {
    process.off('SIGINT', this.#onSignal);
    process.off('SIGTERM', this.#onSignal);
  }

  /** Deletes every ledger entry of this run (Force=true); a connection already gone counts as deleted. */
  cleanup(): Promise<string[]> {
    this.#running ??= (async () => {
      for (const entry of readLedger(this.file).filter((e) => e.runId === this.runId)) {
        const client = entry.account === 'peer' ? this.clients.peer : this.clients.owner;
        if (!client) continue;
        try {
          await deleteWhenSettled(client, entry.instanceId);
        } catch (error) {
          if (!(error instanceof VpcPeerError && error.code === 'ResourceNotFound.InstanceId')) {
            this.failures.push(`${entry.instanceId}: ${error instanceof VpcPeerError ? `${error.code}: ${error.message}` : String(error)}`);
            continue;
          }
        }
        this.deleted.push(entry.instanceId);
        this.forget(entry.instanceId);
      }
      return this.deleted;
    })().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }
}

const pollMs = () => Number(env('CONTRACT_POLL_MS') ?? 5000);
const waitMs = () => Number(env('CONTRACT_WAIT_MS') ?? 300_000);

/** Deletes (Force=true), waiting out a transitional status (Creating, Updating…) up to CONTRACT_WAIT_MS. */
async function deleteWhenSettled(client: VpcPeerClient, instanceId: string): Promise<void> {
  const deadline = Date.now() + waitMs();
  for (;;) {
    try {
      await client.deleteVpcPeerConnection({ InstanceId: instanceId, Force: true });
      return;
    } catch (error) {
      const transitional = error instanceof VpcPeerError && error.code === 'IncorrectStatus.VpcPeer';
      if (!transitional || Date.now() + pollMs() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, pollMs()));
    }
  }
}

/** Deletes every entry in a ledger (the runner's sweep after an interrupted run). */
export async function sweepLedger(target: Target, file = ledgerPath()): Promise<string[]> {
  const runs = new Set(readLedger(file).map((e) => e.runId));
  const deleted: string[] = [];
  for (const runId of runs) {
    const janitor = new Janitor({ owner: clientFor(target).client, peer: peerClient(target)?.client }, runId, file);
    deleted.push(...(await janitor.cleanup()));
  }
  return deleted;
}

/**
 * The second account's client, when `CONTRACT_PEER_ACCESS_KEY_ID`/`_SECRET` are set (on the
 * self-started mock, a fake second credential, so the steps run there too).
 */
export function peerClient(target: Target): { client: VpcPeerClient; exchanges: Exchange[] } | undefined {
  const mock = target.kind === 'self-mock';
  const id = env('CONTRACT_PEER_ACCESS_KEY_ID') ?? (mock ? 'LTAIcontractFakePeer' : undefined);
  const secret = env('CONTRACT_PEER_ACCESS_KEY_SECRET') ?? (mock ? 'contract-fake-peer-secret' : undefined);
  if (!id || !secret) return undefined;
  return clientFor(target, { credentials: { accessKeyId: id, accessKeySecret: secret } });
}

export type Step = 'create' | 'get' | 'accept' | 'modify' | 'tag' | 'list-tags' | 'untag' | 'reject' | 'delete';
/** `reject` comes after `delete`: the service allows one connection per VPC pair. */
export const STEPS: readonly Step[] = ['create', 'get', 'accept', 'modify', 'tag', 'list-tags', 'untag', 'delete', 'reject'];

/** Shared state of one lifecycle run. */
export interface LifecycleRun {
  target: Target;
  runId: string;
  owner: VpcPeerClient;
  peer: VpcPeerClient | undefined;
  exchanges: Exchange[];
  janitor: Janitor;
  instanceId?: string;
  /** Last status seen by Get. */
  status?: string;
}

export function startLifecycle(target: Target, runId = `run-${Date.now().toString(36)}`): LifecycleRun {
  const owner = clientFor(target);
  const peer = peerClient(target);
  const janitor = new Janitor({ owner: owner.client, peer: peer?.client }, runId);
  const exchanges = owner.exchanges;
  if (peer) {
    // Peer answers are checked too: collect them into the same list.
    const peerList = peer.exchanges;
    const push = peerList.push.bind(peerList);
    peerList.push = (...items: Exchange[]) => {
      exchanges.push(...items);
      return push(...items);
    };
  }
  return { target, runId, owner: owner.client, peer: peer?.client, exchanges, janitor };
}

/** The contract defects in the answers of the last step (and clears the list). */
export function defectsSoFar(run: LifecycleRun): string[] {
  const defects = run.exchanges.flatMap(checkExchange);
  run.exchanges.length = 0;
  return [...new Set(defects)];
}

/** Test-only fault injection: `CONTRACT_LIFECYCLE_FAIL_AT=<step>` fails that step, `CONTRACT_LIFECYCLE_PAUSE_AFTER=<step>` waits forever after it. */
async function faults(step: Step): Promise<void> {
  if (env('CONTRACT_LIFECYCLE_FAIL_AT') === step) throw new Error(`injected failure at step ${step} (CONTRACT_LIFECYCLE_FAIL_AT)`);
}
export async function pauseAfter(step: Step): Promise<void> {
  if (env('CONTRACT_LIFECYCLE_PAUSE_AFTER') === step) {
    process.stdout.write(`lifecycle paused after ${step}\n`);
    await new Promise(() => {});
  }
}

async function waitForStatus(run: LifecycleRun, wanted: readonly string[], client = run.owner): Promise<string> {
  const deadline = Date.now() + waitMs();
  for (;;) {
    const got = await client.getVpcPeerConnectionAttribute({ InstanceId: run.instanceId! });
    if (wanted.includes(got.Status)) return got.Status;
    if (run.target.staticAnswers || Date.now() > deadline) throw new Error(`${run.instanceId} stayed ${got.Status}, expected ${wanted.join(' or ')}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs()));
  }
}

/** Polls Get until the connection is Deleted or not found (the VPC pair is free again). */
async function waitForGone(run: LifecycleRun): Promise<void> {
  if (run.target.staticAnswers) return;
  const deadline = Date.now() + waitMs();
  for (;;) {
    try {
      const got = await run.owner.getVpcPeerConnectionAttribute({ InstanceId: run.instanceId! });
      if (got.Status === 'Deleted') return;
      if (Date.now() > deadline) throw new Error(`${run.instanceId} stayed ${got.Status} after Delete`);
    } catch (error) {
      if (error instanceof VpcPeerError && error.code === 'ResourceNotFound.InstanceId') return;
      throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs()));
  }
}

/** Only the required parameters of an Action (plus overrides): optional example values such as a resource group or a bandwidth may not fit the account under test. */
function requiredParams(action: string): Record<string, unknown> {
  const op = contract.operations.get(action)!;
  const sample = sampleParams(action);
  const out: Record<string, unknown> = {};
  for (const p of op.parameters) if (p.required && sample[p.name] !== undefined) out[p.name] = sample[p.name];
  const group = env('CONTRACT_RESOURCE_GROUP_ID');
  if (group !== undefined && op.byName.has('ResourceGroupId')) out.ResourceGroupId = group;
  return out;
}

/** Runs one step; throws on failure. */
export async function runStep(run: LifecycleRun, step: Step): Promise<string | undefined> {
  const tag = { Key: TAG_KEY, Value: run.runId };
  const regionId = String(sampleParams('CreateVpcPeerConnection').RegionId);
  switch (step) {
    case 'create': {
      const created = await run.owner.createVpcPeerConnection({ ...(requiredParams('CreateVpcPeerConnection') as Params<'CreateVpcPeerConnection'>), Tag: [tag], Name: `contract-${run.runId}` });
      run.instanceId = created.InstanceId;
      run.janitor.register(created.InstanceId);
      await faults(step);
      return created.InstanceId;
    }
    case 'get':
      await faults(step);
      run.status = await waitForStatus(run, ['Activated', 'Accepting']);
      return undefined;
    case 'accept':
      await faults(step);
      // A static mock always says Activated; call anyway there, to check the answers.
      if (run.status !== 'Accepting' && !run.target.staticAnswers) return `skipped: the connection is ${run.status} (same account: activated at once)`;
      if (!run.peer) return 'skipped: a cross-account connection needs the second credential (CONTRACT_PEER_ACCESS_KEY_ID/_SECRET) to be accepted';
      await run.peer.acceptVpcPeerConnection({ InstanceId: run.instanceId! });
      run.status = await waitForStatus(run, ['Activated']);
      return undefined;
    case 'modify':
      await faults(step);
      if (run.status !== 'Activated') return `skipped: only an Activated connection can be modified (it is ${run.status})`;
      await run.owner.modifyVpcPeerConnection({ InstanceId: run.instanceId!, Description: `contract test ${run.runId}` });
      run.status = await waitForStatus(run, ['Activated']);
      return undefined;
    case 'tag':
      await faults(step);
      await run.owner.tagResources({ RegionId: regionId, ResourceType: 'PeerConnection', ResourceId: [run.instanceId!], Tag: [{ Key: `${TAG_KEY}-extra`, Value: 'x' }] });
      return undefined;
    case 'list-tags':
      await faults(step);
      await run.owner.listTagResources({ RegionId: regionId, ResourceType: 'PeerConnection', ResourceId: [run.instanceId!] });
      return undefined;
    case 'untag':
      await faults(step);
      await run.owner.unTagResources({ RegionId: regionId, ResourceType: 'PeerConnection', ResourceId: [run.instanceId!], TagKey: [`${TAG_KEY}-extra`] });
      return undefined;
    case 'reject': {
      await faults(step);
      if (!run.peer) return 'skipped: no second credential (CONTRACT_PEER_ACCESS_KEY_ID/_SECRET)';
      // A second request, rejected by the peer, then deleted by teardown.
      const second = await run.owner.createVpcPeerConnection({ ...(requiredParams('CreateVpcPeerConnection') as Params<'CreateVpcPeerConnection'>), Tag: [tag], Name: `contract-${run.runId}-2` });
      run.janitor.register(second.InstanceId);
      const previous = { id: run.instanceId, status: run.status };
      run.instanceId = second.InstanceId;
      const state = await waitForStatus(run, ['Accepting', 'Activated']);
      run.instanceId = previous.id;
      if (state !== 'Accepting' && !run.target.staticAnswers) return `skipped: the second connection is ${state} (same account), nothing to reject`;
      await run.peer.rejectVpcPeerConnection({ InstanceId: second.InstanceId });
      return undefined;
    }
    case 'delete':
      await faults(step);
      await run.owner.deleteVpcPeerConnection({ InstanceId: run.instanceId! });
      run.janitor.forget(run.instanceId!);
      await waitForGone(run);
      return undefined;
  }
}
