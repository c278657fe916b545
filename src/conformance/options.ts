/**
 * The typed options of `runConformance()` and their defaults. The CLI builds this object from
 * its flags and the documented `CONTRACT_*` variables; nothing below reads the environment.
 */
import type { Credentials, CredentialProvider } from '../client/client.ts';

/** Values of the account under test used instead of the contract's examples. */
export interface TargetValues {
  RegionId?: string;
  VpcId?: string;
  AcceptingRegionId?: string;
  AcceptingVpcId?: string;
  AcceptingAliUid?: string;
  /** A connection to read (Get, List filters, ListTagResources); default: the first one listed. */
  InstanceId?: string;
  ResourceGroupId?: string;
  /** A second resource group: the lifecycle moves its connection there and back. */
  ResourceGroupId2?: string;
}

export type NegativeMode = 'off' | 'sample' | 'all';

export interface ConformanceOptions {
  /** Base URL of the endpoint under test, e.g. https://vpcpeer.aliyuncs.com. */
  endpoint: string;
  /** The account under test: static keys, a provider (@alicloud/credentials) or 'anonymous'. */
  credentials: Credentials | CredentialProvider | 'anonymous';
  /** The accepter account, for the cross-account lifecycle steps. */
  peerCredentials?: Credentials | CredentialProvider;
  signature?: 'v3' | 'v1';
  values?: TargetValues;
  /**
   * The target answers from examples without state (the mock): DryRun answered with success is
   * accepted and the checks that need state (filters, RequestId uniqueness, snapshots) are skipped
   * with that reason. Never set it for a real endpoint or the emulator.
   */
  staticAnswers?: boolean;
  /** Rehearse one documented error per Action through the mock's `Prefer` header. */
  rehearseErrors?: boolean;
  /** Opt in to create, change and delete real resources (default false: reads and DryRun only). */
  lifecycle?: boolean;
  /** Negative tests from the parameter constraints (default 'sample'). */
  negative?: NegativeMode;
  /** Unknown response fields are failures instead of warnings. */
  strictFields?: boolean;
  /** Fewest Actions whose success body must be validated (default: the number of read Actions, i.e. one per read Action). */
  minSuccess?: number;
  /** Lowest acceptable coverage, in percent of Actions whose success body was validated. */
  minCoverage?: number;
  /** Most pages a paging walk follows (default 50). */
  maxPages?: number;
  /** Per-call timeout (default 15000 ms). */
  timeoutMs?: number;
  /** Whole-run deadline in ms from the start (default none). */
  deadlineMs?: number;
  /** Pause between requests (default 0 on loopback, 100 ms elsewhere). */
  paceMs?: number;
  /** Throttling answers retried per request before giving up (default 5). */
  throttleRetries?: number;
  /** Lifecycle polling interval and the longest wait for a status (defaults 5 s and 300 s). */
  pollMs?: number;
  waitMs?: number;
  /** The cleanup ledger (default: a file in the temp directory named after the run). */
  ledgerFile?: string;
  /** Tag value and name prefix of everything this run creates (default: run-<time>). */
  runId?: string;
  junitFile?: string;
  jsonFile?: string;
  /** Write every exchange, secrets redacted, as JSON lines. */
  recordFile?: string;
  /** Abort: the step in flight is cut, no further step is sent, cleanup runs. */
  signal?: AbortSignal;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** `fetch` to use (tests, proxies). */
  fetch?: typeof globalThis.fetch;
}

export type Resolved = Required<Omit<ConformanceOptions, 'peerCredentials' | 'minCoverage' | 'deadlineMs' | 'junitFile' | 'jsonFile' | 'recordFile' | 'signal' | 'fetch' | 'ledgerFile'>> &
  Pick<ConformanceOptions, 'peerCredentials' | 'minCoverage' | 'deadlineMs' | 'junitFile' | 'jsonFile' | 'recordFile' | 'signal' | 'fetch' | 'ledgerFile'> & { values: TargetValues };

export function isLoopback(endpoint: string): boolean {
  const host = new URL(endpoint).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host === '::1';
}

export class OptionsError extends Error {}

export function resolveOptions(options: ConformanceOptions, readActions: number): Resolved {
  let url: URL;
  try {
    url = new URL(options.endpoint);
  } catch {
    throw new OptionsError(`endpoint must be a URL such as https://vpcpeer.aliyuncs.com, got ${JSON.stringify(options.endpoint)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OptionsError('endpoint must be http: or https:');
  const positive = (name: string, value: number | undefined, min = 0) => {
    if (value !== undefined && (!Number.isFinite(value) || value < min)) throw new OptionsError(`${name} must be a number >= ${min}, got ${value}`);
  };
  positive('minSuccess', options.minSuccess);
  positive('minCoverage', options.minCoverage);
  positive('maxPages', options.maxPages, 1);
  positive('timeoutMs', options.timeoutMs, 1);
  positive('deadlineMs', options.deadlineMs, 1);
  positive('paceMs', options.paceMs);
  if (options.minCoverage !== undefined && options.minCoverage > 100) throw new OptionsError('minCoverage is a percentage (0-100)');
  if (options.negative !== undefined && !['off', 'sample', 'all'].includes(options.negative)) throw new OptionsError('negative must be off, sample or all');
  const loopback = isLoopback(url.origin);
  return {
    ...options,
    endpoint: url.origin,
    signature: options.signature ?? 'v3',
    values: { ...options.values },
    staticAnswers: options.staticAnswers ?? false,
    rehearseErrors: options.rehearseErrors ?? false,
    lifecycle: options.lifecycle ?? false,
    negative: options.negative ?? 'sample',
    strictFields: options.strictFields ?? false,
    minSuccess: options.minSuccess ?? readActions,
    maxPages: options.maxPages ?? 50,
    timeoutMs: options.timeoutMs ?? 15_000,
    paceMs: options.paceMs ?? (loopback ? 0 : 100),
    throttleRetries: options.throttleRetries ?? 5,
    pollMs: options.pollMs ?? 5000,
    waitMs: options.waitMs ?? 300_000,
    runId: options.runId ?? `run-${Date.now().toString(36)}`,
    log: options.log ?? (() => {}),
  };
}
