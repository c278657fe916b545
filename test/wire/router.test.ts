/**
 * src/wire/router.ts, table-driven: every way of naming the Action and the version, the
 * conflicts refused before routing (a name in the query and the body, Action/x-acs-action and
 * Version/x-acs-version disagreeing), and the gateway's answers to unknown Actions, paths,
 * versions and methods.
 */
import { describe, expect, it } from 'vitest';
import { contract } from '../../src/contract/index.ts';
import { nameInBothPlaces, route, type WireRequest } from '../../src/wire/router.ts';

const A = 'GetVpcPeerConnectionAttribute';
const V = contract.version;

function request(parts: Partial<WireRequest>): WireRequest {
  return { method: 'POST', path: '/', query: [], headers: {}, body: [], ...parts };
}

describe('route', () => {
  it('table: routes by query, header or form body', () => {
    const routed: Array<[string, WireRequest]> = [
      ['query', request({ query: [['Action', A], ['Version', V]] })],
      ['GET query', request({ method: 'GET', query: [['Action', A], ['Version', V]] })],
      ['headers', request({ headers: { 'x-acs-action': A, 'x-acs-version': V } })],
      ['form body', request({ body: [['Action', A], ['Version', V]] })],
      ['query Action, header version', request({ query: [['Action', A]], headers: { 'x-acs-version': V } })],
      ['agreeing query and header', request({ query: [['Action', A], ['Version', V]], headers: { 'x-acs-action': A, 'x-acs-version': V } })],
      ['last of two query values', request({ query: [['Action', 'Nope'], ['Action', A], ['Version', V]] })],
    ];
    for (const [name, req] of routed) {
      const result = route(contract, req);
      expect(result.ok, name).toBe(true);
      if (result.ok) expect(result.operation.action, name).toBe(A);
    }
  });

  it('table: refusals, with the documented code and the parameter', () => {
    const refused: Array<[string, WireRequest, string, string | undefined]> = [
      ['PUT', request({ method: 'PUT', query: [['Action', A], ['Version', V]] }), 'UnsupportedHTTPMethod', undefined],
      ['no Action', request({ query: [['Version', V]] }), 'InvalidAction.NotFound', undefined],
      ['unknown Action', request({ query: [['Action', 'DescribeVpcs'], ['Version', V]] }), 'InvalidAction.NotFound', undefined],
      ['mis-cased Action', request({ query: [['Action', A.toLowerCase()], ['Version', V]] }), 'InvalidAction.NotFound', undefined],
      ['other path', request({ path: '/x', query: [['Action', A], ['Version', V]] }), 'InvalidAction.NotFound', undefined],
      ['no version', request({ query: [['Action', A]] }), 'MissingParameter', 'Version'],
      ['other version', request({ query: [['Action', A], ['Version', '2016-04-28']] }), 'InvalidVersion', undefined],
      // Issue 11: an Action in the body plus another in the query (a signed body, a smuggled query).
      ['Action in query and body', request({ query: [['Action', 'DeleteVpcPeerConnection'], ['Version', V]], body: [['Action', A]] }), 'InvalidParameter', 'Action'],
      ['any name in query and body', request({ query: [['Action', A], ['Version', V], ['InstanceId', 'a']], body: [['InstanceId', 'b']] }), 'InvalidParameter', 'InstanceId'],
      ['Action vs x-acs-action', request({ query: [['Action', A], ['Version', V]], headers: { 'x-acs-action': 'DeleteVpcPeerConnection' } }), 'InvalidParameter', 'Action'],
      ['body Action vs x-acs-action', request({ body: [['Action', A], ['Version', V]], headers: { 'x-acs-action': 'DeleteVpcPeerConnection' } }), 'InvalidParameter', 'Action'],
      ['Version vs x-acs-version', request({ query: [['Action', A], ['Version', V]], headers: { 'x-acs-version': '2016-04-28' } }), 'InvalidParameter', 'Version'],
    ];
    for (const [name, req, code, parameter] of refused) {
      const result = route(contract, req);
      expect(result.ok, name).toBe(false);
      if (!result.ok) {
        expect(result.problem.code, name).toBe(code);
        expect(result.problem.parameter, name).toBe(parameter);
        // Every refusal code is one the contract documents.
        expect(contract.errors.status(result.problem.code), name).toBeGreaterThanOrEqual(400);
      }
    }
  });

  it('the result carries no signing guess (RouteResult.signing is gone)', () => {
    const result = route(contract, request({ query: [['Action', A], ['Version', V], ['Signature', 'x']] }));
    expect(Object.keys(result).sort()).toEqual(['ok', 'operation']);
  });
});

describe('nameInBothPlaces', () => {
  it('finds the first name in both, or nothing', () => {
    expect(nameInBothPlaces(request({ query: [['a', '1'], ['b', '2']], body: [['c', '3'], ['b', '4']] }))).toBe('b');
    expect(nameInBothPlaces(request({ query: [['a', '1']], body: [['A', '1']] }))).toBeUndefined();
    expect(nameInBothPlaces(request({ query: [['a', '1'], ['a', '2']] }))).toBeUndefined();
  });
});
