/**
 * The shapes of the `--state` files, as JSON Schemas checked with Ajv at load: the snapshot
 * (every connection, token, the clock, what the admin API added) and each journal record (the
 * connections one call changed). Statuses come from the contract's lifecycle; each connection's
 * rendered view is also checked against the contract's Get answer, so no stored value can make
 * a later answer break the contract.
 */
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { Status } from '../../contract/types.ts';
import { shapeValidators } from '../../validate/precompiled.ts';
import { WORLD_SCHEMA } from '../config.ts';
import { MAX_TIME_MS, type ClockState } from './clock.ts';
import type { Connection } from './connection.ts';
import type { TokenRecord } from './store.ts';
import type { WorldDocument } from './world.ts';

export const STATE_FORMAT = 'vpcpeer-emulator-state';
export const STATE_VERSION = 2;

/** Accounts and world items added at run time (admin API), kept across restarts. */
export interface Additions {
  accounts: Array<{ name: string; uid: string; accessKeys: Array<{ id: string; secret: string }> }>;
  world: WorldDocument;
}

export interface Snapshot {
  format: typeof STATE_FORMAT;
  version: number;
  savedAt: string;
  /** The last journal record this snapshot includes. */
  journalRecord: number;
  clock: ClockState;
  seq: number;
  connections: Connection[];
  tokens: Array<[string, TokenRecord]>;
  added: Additions;
}

export interface JournalRecord {
  /** 1, 2, 3…: one more than the record before. */
  n: number;
  clock: ClockState;
  seq: number;
  /** Connections as they are after the change (replacing any earlier image). */
  connections?: Connection[];
  tokens?: Array<[string, TokenRecord]>;
  /** Everything was forgotten (admin reset) before this record's connections. */
  reset?: boolean;
  added?: Additions;
}

export class StateFileError extends Error {}

const UID = { type: 'string', pattern: '^[1-9][0-9]{0,19}$' };
const TIME = { type: 'integer', minimum: 0, maximum: MAX_TIME_MS };
const TEXT = { type: 'string', maxLength: 1024 };

/** The snapshot's and a journal record's schemas (group `state-file` of `shapeValidators`). */
export function stateFileShapes(states: readonly Status[]) {
  const tag = { type: 'object', additionalProperties: false, required: ['Key', 'Value'], properties: { Key: TEXT, Value: TEXT } };
  const side = {
    type: 'object',
    additionalProperties: false,
    required: ['resourceGroupId', 'tags'],
    properties: { resourceGroupId: { type: 'string', minLength: 1, maxLength: 256 }, tags: { type: 'array', maxItems: 1000, items: tag } },
  };
  const vpc = {
    type: 'object',
    additionalProperties: false,
    required: ['VpcId', 'Ipv4Cidrs', 'Ipv6Cidrs'],
    properties: { VpcId: { type: 'string', minLength: 1, maxLength: 256 }, Ipv4Cidrs: { type: 'array', items: TEXT }, Ipv6Cidrs: { type: 'array', items: TEXT } },
  };
  const connection = {
    type: 'object',
    additionalProperties: false,
    required: ['seq', 'id', 'ownerUid', 'acceptingUid', 'regionId', 'acceptingRegionId', 'vpc', 'acceptingVpc', 'name', 'description', 'bandwidth', 'linkType', 'status', 'gmtCreate', 'gmtModified', 'gmtExpired', 'owner'],
    properties: {
      seq: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
      id: { type: 'string', minLength: 1, maxLength: 64 },
      ownerUid: UID,
      acceptingUid: UID,
      regionId: { type: 'string', minLength: 1, maxLength: 64 },
      acceptingRegionId: { type: 'string', minLength: 1, maxLength: 64 },
      vpc,
      acceptingVpc: vpc,
      name: TEXT,
      description: TEXT,
      bandwidth: { type: 'integer', minimum: -1, maximum: 1_000_000 },
      linkType: { type: 'string', maxLength: 32 },
      status: { enum: [...states] },
      gmtCreate: TIME,
      gmtModified: TIME,
      gmtExpired: { anyOf: [TIME, { type: 'null' }] },
      owner: side,
      accepter: side,
      next: {
        type: 'object',
        additionalProperties: false,
        required: ['at', 'to'],
        properties: { at: TIME, to: { enum: [...states, 'Gone'] } },
      },
    },
  };
  const token = {
    type: 'array',
    prefixItems: [
      { type: 'string', minLength: 1, maxLength: 1024 },
      { type: 'object', additionalProperties: false, required: ['fingerprint', 'body'], properties: { fingerprint: { type: 'string' }, body: { type: 'object' } } },
    ],
    minItems: 2,
    maxItems: 2,
  };
  const clock = {
    type: 'object',
    additionalProperties: false,
    required: ['mode', 'value'],
    properties: { mode: { enum: ['system', 'manual'] }, value: { type: 'number', minimum: -MAX_TIME_MS, maximum: MAX_TIME_MS } },
  };
  const added = {
    type: 'object',
    additionalProperties: false,
    required: ['accounts', 'world'],
    properties: {
      accounts: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'uid', 'accessKeys'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 64 },
            uid: UID,
            accessKeys: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['id', 'secret'], properties: { id: TEXT, secret: TEXT } } },
          },
        },
      },
      world: WORLD_SCHEMA,
    },
  };
  const seq = { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER };
  const snapshot = {
    type: 'object',
    additionalProperties: false,
    required: ['format', 'version', 'clock', 'seq', 'connections', 'tokens'],
    properties: {
      format: { const: STATE_FORMAT },
      version: { enum: [1, STATE_VERSION] },
      savedAt: { type: 'string' },
      journalRecord: seq,
      clock,
      seq,
      connections: { type: 'array', items: connection },
      tokens: { type: 'array', items: token },
      added,
    },
  };
  const record = {
    type: 'object',
    additionalProperties: false,
    required: ['n', 'clock', 'seq'],
    properties: {
      n: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
      clock,
      seq,
      connections: { type: 'array', items: connection },
      tokens: { type: 'array', items: token },
      reset: { type: 'boolean' },
      added,
    },
  };
  return { snapshot, record };
}

function describe(errors: ErrorObject[] | null | undefined): string {
  const e = errors?.[0];
  if (!e) return 'it is malformed';
  const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : 'the document';
  let what = e.message ?? 'is invalid';
  if (e.keyword === 'additionalProperties') what = `has an unknown field "${String(e.params.additionalProperty)}"`;
  if (e.keyword === 'enum' || e.keyword === 'const') what = `must be ${((e.params.allowedValues as unknown[] | undefined) ?? [e.params.allowedValue]).map((v) => JSON.stringify(v)).join(' or ')}`;
  return `${where} ${what}`;
}

/** Checkers of both file shapes, compiled once per lifecycle. */
export class StateShapes {
  readonly #snapshot: ValidateFunction;
  readonly #record: ValidateFunction;

  constructor(states: readonly Status[]) {
    const { snapshot, record } = shapeValidators('state-file', stateFileShapes(states));
    this.#snapshot = snapshot;
    this.#record = record;
  }

  /** The snapshot's problem (a sentence naming the field), or undefined when it is well-formed. */
  snapshotProblem(value: unknown): string | undefined {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'it is not a JSON object';
    const v = value as Record<string, unknown>;
    if (v.format !== STATE_FORMAT) return `"format" is not "${STATE_FORMAT}"`;
    if (v.version !== 1 && v.version !== STATE_VERSION) return `"version" ${JSON.stringify(v.version)} is not ${STATE_VERSION}`;
    return this.#snapshot(value) ? undefined : describe(this.#snapshot.errors);
  }

  recordProblem(value: unknown): string | undefined {
    return this.#record(value) ? undefined : describe(this.#record.errors);
  }
}
