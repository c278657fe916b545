/**
 * The Action router: picks the operation of an RPC request the way the real gateway does, from
 * the `Action` query parameter (V1 signing), the `x-acs-action` header (V3 signing) or an
 * `Action` field in a form body, and checks the API version (`Version` or `x-acs-version`).
 * Shared by the mock and the emulator. Browser-safe: no Node imports.
 */
import type { Contract, OperationSpec } from '../contract/model.ts';
import type { WirePairs } from './codec.ts';

/** A request as it arrived, reduced to what routing and decoding need. */
export interface WireRequest {
  method: string;
  /** URL path without the query string. */
  path: string;
  query: WirePairs;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  /** Form-body pairs (empty for GET or an empty body). */
  body: WirePairs;
}

export interface RouteProblem {
  code: 'InvalidAction.NotFound' | 'MissingParameter' | 'InvalidVersion' | 'UnsupportedHTTPMethod';
  /** The parameter concerned, for MissingParameter. */
  parameter?: string;
}

export type RouteResult =
  | { ok: true; operation: OperationSpec; signing: 'V1' | 'V3' | 'none' }
  | { ok: false; problem: RouteProblem };

/** The methods the service answers; OPTIONS is handled by the servers' CORS layer. */
export const SERVED_METHODS = new Set(['GET', 'POST']);

function lastValue(pairs: WirePairs, name: string): string | undefined {
  let found: string | undefined;
  for (const [k, v] of pairs) if (k === name) found = v;
  return found;
}

export function route(contract: Contract, request: WireRequest): RouteResult {
  if (!SERVED_METHODS.has(request.method)) return { ok: false, problem: { code: 'UnsupportedHTTPMethod' } };
  const action =
    lastValue(request.query, 'Action') ?? request.headers['x-acs-action'] ?? lastValue(request.body, 'Action');
  const operation = action === undefined ? undefined : contract.operations.get(action);
  if (request.path !== '/' || !operation) return { ok: false, problem: { code: 'InvalidAction.NotFound' } };

  const version =
    lastValue(request.query, 'Version') ?? request.headers['x-acs-version'] ?? lastValue(request.body, 'Version');
  if (version === undefined) return { ok: false, problem: { code: 'MissingParameter', parameter: 'Version' } };
  if (version !== contract.version) return { ok: false, problem: { code: 'InvalidVersion' } };

  const signing = request.headers.authorization !== undefined
    ? 'V3'
    : lastValue(request.query, 'Signature') !== undefined
      ? 'V1'
      : 'none';
  return { ok: true, operation, signing };
}
