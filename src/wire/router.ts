/**
 * The Action router: picks the operation of an RPC request the way the real gateway does, from
 * the `Action` query parameter (V1 signing), the `x-acs-action` header (V3 signing) or an
 * `Action` field in a form body, and checks the API version (`Version` or `x-acs-version`).
 * Before it picks, it refuses requests whose copies of a parameter could be read two ways: a
 * name in both the query and the form body, or `Action`/`Version` disagreeing with
 * `x-acs-action`/`x-acs-version`; so the value a signature covers is the value dispatched on.
 * Shared by the mock and the emulator. Browser-safe: no Node imports.
 */
import type { Contract, OperationSpec } from '../contract/model.ts';
import type { WirePairs } from './codec.ts';
import type { WireCode } from './errors.ts';

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
  code: Extract<WireCode, 'InvalidAction.NotFound' | 'MissingParameter' | 'InvalidParameter' | 'InvalidVersion' | 'UnsupportedHTTPMethod'>;
  /** The parameter concerned, for MissingParameter and InvalidParameter. */
  parameter?: string;
  /** Why, for InvalidParameter. */
  reason?: string;
}

export type RouteResult = { ok: true; operation: OperationSpec } | { ok: false; problem: RouteProblem };

/** The methods the service answers; OPTIONS is handled by the servers' CORS layer. */
export const SERVED_METHODS = new Set(['GET', 'POST']);

function lastValue(pairs: WirePairs, name: string): string | undefined {
  let found: string | undefined;
  for (const [k, v] of pairs) if (k === name) found = v;
  return found;
}

/** The first name that is both in the query and in the form body, if any. */
export function nameInBothPlaces(request: WireRequest): string | undefined {
  if (request.body.length === 0 || request.query.length === 0) return undefined;
  const inQuery = new Set(request.query.map(([name]) => name));
  for (const [name] of request.body) if (inQuery.has(name)) return name;
  return undefined;
}

/** The value a dispatch parameter has: query, else header, else body (conflicts refused first). */
function dispatchValue(request: WireRequest, name: string, header: string): string | undefined {
  return lastValue(request.query, name) ?? request.headers[header] ?? lastValue(request.body, name);
}

export function route(contract: Contract, request: WireRequest): RouteResult {
  if (!SERVED_METHODS.has(request.method)) return { ok: false, problem: { code: 'UnsupportedHTTPMethod' } };
  const twice = nameInBothPlaces(request);
  if (twice !== undefined) {
    return { ok: false, problem: { code: 'InvalidParameter', parameter: twice, reason: 'It is given both in the query and in the body; send it once.' } };
  }
  const { action: actionNames, version: versionNames } = contract.signing.dispatch;
  for (const { query: name, header } of [actionNames, versionNames]) {
    const param = lastValue(request.query, name) ?? lastValue(request.body, name);
    const fromHeader = request.headers[header];
    if (param !== undefined && fromHeader !== undefined && param !== fromHeader) {
      return { ok: false, problem: { code: 'InvalidParameter', parameter: name, reason: `It disagrees with the ${header} header; send one value.` } };
    }
  }
  const action = dispatchValue(request, actionNames.query, actionNames.header);
  const operation = action === undefined ? undefined : contract.operations.get(action);
  if (request.path !== '/' || !operation) return { ok: false, problem: { code: 'InvalidAction.NotFound' } };

  const version = dispatchValue(request, versionNames.query, versionNames.header);
  if (version === undefined) return { ok: false, problem: { code: 'MissingParameter', parameter: versionNames.query } };
  if (version !== contract.version) return { ok: false, problem: { code: 'InvalidVersion' } };
  return { ok: true, operation };
}
