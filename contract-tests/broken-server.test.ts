/**
 * The suite catches what it claims to catch: the same per-Action run the conformance suite
 * uses, pointed at a deliberately broken server, reports each planted defect with a precise
 * message (Action, status, JSON path, rule, value), and nothing for the Actions that conform.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../src/contract/index.ts';
import { DEFECTS, startBrokenServer, type BrokenServer } from '../src/conformance/broken-server.ts';
import { runAction, type ActionOutcome } from '../src/conformance/run.ts';
import type { Target } from '../src/conformance/target.ts';

let broken: BrokenServer;
const outcomes = new Map<string, ActionOutcome>();

function targetAt(baseUrl: string, staticAnswers: boolean): Target {
  return { kind: 'endpoint', baseUrl, staticAnswers, rehearseErrors: false, mayMutate: true, lifecycle: false, credentials: 'fake', signature: 'v3', close: async () => {} };
}

beforeAll(async () => {
  broken = await startBrokenServer();
  // staticAnswers: the broken server, like the mock, answers DryRun calls with the success example.
  for (const action of contract.actions) outcomes.set(action, await runAction(targetAt(broken.baseUrl, true), action));
});

afterAll(async () => {
  await broken?.close();
});

const EXPECTED: Record<string, string[]> = {
  GetVpcPeerConnectionAttribute: ['GetVpcPeerConnectionAttribute HTTP 200: $.Bandwidth [type] must be integer (got "1024")'],
  ListVpcPeerConnections: ['ListVpcPeerConnections HTTP 200: $.TotalCount [required] missing required field'],
  DeleteVpcPeerConnection: ['DeleteVpcPeerConnection HTTP 400: $.Code [code] DeleteVpcPeerConnection does not document the error code Planted.UndocumentedCode (got "Planted.UndocumentedCode")'],
  AcceptVpcPeerConnection: ['AcceptVpcPeerConnection HTTP 500: $.Code [status] IncorrectStatus.VpcPeer is documented with HTTP 400, got 500 (got 500)'],
  CreateVpcPeerConnection: [`CreateVpcPeerConnection HTTP 200: $.instanceId [casing] field name has the wrong casing; the contract says $.InstanceId (got "pcc-`],
  ListTagResources: ['ListTagResources HTTP 200: $.RequestId [pattern] must match pattern "^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$" (got "req-12345")'],
  RejectVpcPeerConnection: ['RejectVpcPeerConnection HTTP 200: $.RequestId [required] missing required field'],
  ModifyVpcPeerConnection: ['ModifyVpcPeerConnection HTTP 200: $ [content-type] Content-Type must be application/json (got "text/plain")'],
};

describe('the broken server makes the suite fail in exactly the expected places', () => {
  it('every planted defect has an expected message', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(DEFECTS).sort());
  });

  for (const [action, messages] of Object.entries(EXPECTED)) {
    it(`${action}: ${DEFECTS[action]!.what}`, () => {
      const outcome = outcomes.get(action)!;
      expect(outcome.result).toBe('failed');
      expect(outcome.failures).toHaveLength(messages.length);
      messages.forEach((message, i) => {
        if (message.endsWith('"pcc-')) expect(outcome.failures[i]).toMatch(new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[a-z0-9]+"\\)$`));
        else expect(outcome.failures[i]).toBe(message);
      });
    });
  }

  it('the Actions without a planted defect pass (no false positives)', () => {
    const clean = contract.actions.filter((a) => !(a in DEFECTS));
    expect(clean.length).toBeGreaterThan(0);
    for (const action of clean) expect(outcomes.get(action), action).toMatchObject({ result: 'passed', failures: [] });
  });

  it('on a non-mock target, a DryRun call answered with success is a failure', async () => {
    const outcome = await runAction(targetAt(broken.baseUrl, false), 'DeleteVpcPeerConnection');
    expect(outcome.failures).toContain('DeleteVpcPeerConnection HTTP 400: $.Code [code] DeleteVpcPeerConnection does not document the error code Planted.UndocumentedCode (got "Planted.UndocumentedCode")');
    const create = await runAction(targetAt(broken.baseUrl, false), 'CreateVpcPeerConnection');
    expect(create.failures[0]).toBe('CreateVpcPeerConnection HTTP 200: DryRun=true was answered with success; expected DryRunOperation or a documented validation error (the change may have been carried out)');
  });

  it('without the lifecycle opt-in, Actions that change state without DryRun are not called', async () => {
    const safe = { ...targetAt(broken.baseUrl, false), mayMutate: false };
    for (const action of ['TagResources', 'UnTagResources', 'MoveResourceGroup']) {
      expect(await runAction(safe, action)).toEqual({ action, mode: 'unsafe', result: 'skipped-unsafe', failures: [], answers: 0 });
    }
  });
});
