/**
 * Which endpoint the conformance suite talks to, with which credentials, and what it may do
 * there. Everything comes from environment variables (set by `npm run conformance`):
 *
 * | variable | meaning | default |
 * | --- | --- | --- |
 * | `CONTRACT_TARGET` | base URL of the endpoint under test | unset: the suite starts the mock itself |
 * | `CONTRACT_CREDENTIALS` | `default` (@alicloud/credentials chain), `fake`, `anonymous` | `fake` for the self-started mock, else `default` |
 * | `CONTRACT_SIGNATURE` | `v3` or `v1` | `v3` |
 * | `CONTRACT_LIFECYCLE` | `1`: opt in to create/modify/tag/delete real resources | off |
 * | `CONTRACT_STATIC` | `1`: the target answers from examples (a mock), so a success to a DryRun call is accepted | off (the runner sets it for loopback endpoints unless `--strict-dry-run`) |
 * | `CONTRACT_REGION`, `CONTRACT_VPC_ID`, `CONTRACT_ACCEPTING_REGION`, `CONTRACT_ACCEPTING_VPC_ID`, `CONTRACT_ACCEPTING_ALIUID`, `CONTRACT_INSTANCE_ID`, `CONTRACT_RESOURCE_GROUP_ID` | values used instead of the contract's examples | examples |
 * | `CONTRACT_PEER_ACCESS_KEY_ID`, `CONTRACT_PEER_ACCESS_KEY_SECRET` | the second (accepter) account for cross-account accept/reject | unset: those steps are skipped |
 */
import type { AddressInfo } from 'node:net';
import { createNodeClient, VpcPeerClient, type ClientOptions } from '../client/node.ts';
import { contract } from '../contract/index.ts';
import { exampleParams, type OperationSpec } from '../contract/model.ts';
import { recordingFetch, type Exchange } from './check.ts';

export type TargetKind = 'self-mock' | 'endpoint';

export interface Target {
  kind: TargetKind;
  baseUrl: string;
  /**
   * The target answers from examples without state (the mock): a success to a DryRun call is
   * fine there. On any other target it is a failure (the change may have happened).
   */
  staticAnswers: boolean;
  /** Also rehearse one documented error per Action with the mock's `Prefer` header. */
  rehearseErrors: boolean;
  /** Whether Actions that change state without DryRun may be called (self-started mock, or lifecycle opt-in). */
  mayMutate: boolean;
  lifecycle: boolean;
  credentials: 'default' | 'fake' | 'anonymous';
  signature: 'v3' | 'v1';
  close(): Promise<void>;
}

export function env(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** Resolves the target; starts the mock on a free loopback port when no `CONTRACT_TARGET` is set. */
export async function openTarget(): Promise<Target> {
  const url = env('CONTRACT_TARGET');
  const lifecycle = env('CONTRACT_LIFECYCLE') === '1';
  const signature = env('CONTRACT_SIGNATURE') === 'v1' ? 'v1' : 'v3';
  if (url !== undefined) {
    const credentials = (env('CONTRACT_CREDENTIALS') ?? 'default') as Target['credentials'];
    return {
      kind: 'endpoint',
      baseUrl: new URL(url).origin,
      staticAnswers: env('CONTRACT_STATIC') === '1',
      rehearseErrors: false,
      mayMutate: lifecycle,
      lifecycle,
      credentials,
      signature,
      close: async () => {},
    };
  }
  const { createMockServer } = await import('../mock/server.ts');
  const { server } = await createMockServer({ contract, logLevel: 'silent', log: () => {} });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const credentials = (env('CONTRACT_CREDENTIALS') ?? 'fake') as Target['credentials'];
  return {
    kind: 'self-mock',
    baseUrl: `http://127.0.0.1:${port}`,
    staticAnswers: true,
    rehearseErrors: true,
    mayMutate: true,
    lifecycle,
    credentials,
    signature,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A typed client for the target whose raw answers are recorded for the checks. */
export function clientFor(target: Target, extra: Partial<ClientOptions> = {}): { client: VpcPeerClient; exchanges: Exchange[] } {
  const recorder = recordingFetch(extra.fetch);
  const options = {
    endpoint: target.baseUrl,
    signatureVersion: target.signature,
    retry: { maxAttempts: 2, baseDelayMs: 200 },
    timeoutMs: 15_000,
    ...extra,
    fetch: recorder.fetch,
  };
  const fake = { accessKeyId: 'LTAIcontractFakeId', accessKeySecret: 'contract-fake-secret' };
  const client =
    extra.credentials === undefined && target.credentials === 'default'
      ? createNodeClient(options)
      : new VpcPeerClient({ ...options, credentials: extra.credentials ?? (target.credentials === 'anonymous' ? 'anonymous' : fake) });
  return { client, exchanges: recorder.exchanges };
}

// ---------------------------------------------------------------------------------------------
// What the suite sends for each Action
// ---------------------------------------------------------------------------------------------

/** Environment overrides by parameter name. */
const OVERRIDES: Record<string, string> = {
  RegionId: 'CONTRACT_REGION',
  VpcId: 'CONTRACT_VPC_ID',
  AcceptingRegionId: 'CONTRACT_ACCEPTING_REGION',
  AcceptingVpcId: 'CONTRACT_ACCEPTING_VPC_ID',
  AcceptingAliUid: 'CONTRACT_ACCEPTING_ALIUID',
  InstanceId: 'CONTRACT_INSTANCE_ID',
  ResourceGroupId: 'CONTRACT_RESOURCE_GROUP_ID',
};

/** Valid parameters for an Action from the contract's own examples, with environment overrides. */
export function sampleParams(action: string): Record<string, unknown> {
  const op = contract.operations.get(action)!;
  const params = exampleParams(contract, action);
  for (const [name, variable] of Object.entries(OVERRIDES)) {
    const value = env(variable);
    if (value !== undefined && op.byName.has(name)) params[name] = op.byName.get(name)!.listStyle ? [value] : value;
  }
  return params;
}

/** How the safe suite exercises an Action. */
export type Mode = 'read' | 'dry-run' | 'unsafe';

export function modeOf(op: OperationSpec): Mode {
  if (op.operationType === 'get' || op.operationType === 'list') return 'read';
  if (op.byName.has('DryRun')) return 'dry-run';
  return 'unsafe';
}
