/**
 * The contract model (src/contract/model.ts): what it reads from the bundle — life cycle, caller
 * rules, DryRun/ClientToken Actions, int64 fields, error catalog — and how it refuses a broken
 * life cycle instead of handing it to the emulator, the docs or the checker.
 */
import { describe, expect, it } from 'vitest';
import { bundledDocument, contract } from '../../src/contract/index.ts';
import { indexContract, isoDurationMs, STATUS_SCHEMA } from '../../src/contract/model.ts';
import type { Action, Status } from '../../src/contract/types.ts';

type Doc = Record<string, any>;
const copy = (): Doc => structuredClone(bundledDocument) as Doc;
const statusSchema = (doc: Doc): Doc => doc.components.schemas[STATUS_SCHEMA];
const post = (doc: Doc, action: string): Doc => doc.paths[`/#Action=${action}`].post;

describe('life cycle', () => {
  it('lists the enum states in order, the terminal state and every documented transition', () => {
    expect(contract.lifecycle.states).toEqual(statusSchema(bundledDocument as Doc).enum);
    expect(contract.lifecycle.terminal).toEqual(['Deleted']);
    const rows = contract.lifecycle.transitions.map((t) => `${t.from} -${t.action ?? t.timer?.after}-> ${[...t.via, t.to].join('>')}`);
    expect(rows).toEqual([
      'null -CreateVpcPeerConnection-> Creating>Activated',
      'null -CreateVpcPeerConnection-> Creating>Accepting',
      'Accepting -AcceptVpcPeerConnection-> Updating>Activated',
      'Accepting -RejectVpcPeerConnection-> Rejected',
      'Accepting -P7D-> Expired',
      'Activated -ModifyVpcPeerConnection-> Updating>Activated',
      '* -DeleteVpcPeerConnection-> Deleting>Deleted',
    ]);
    const expiry = contract.lifecycle.transitions.find((t) => t.timer);
    expect(expiry?.timer?.afterMs).toBe(7 * 24 * 3600 * 1000);
  });

  it('reads who may call each state-changing operation and in which statuses', () => {
    const rules = Object.fromEntries(
      contract.actions.map((a) => [a, `${contract.operation(a).caller ?? '-'} ${contract.operation(a).allowedStatuses?.join(',') ?? '-'}`]),
    );
    expect(rules).toMatchObject({
      CreateVpcPeerConnection: 'requester -',
      AcceptVpcPeerConnection: 'accepter Accepting',
      RejectVpcPeerConnection: 'accepter Accepting',
      DeleteVpcPeerConnection: 'either Activated,Accepting,Rejected,Expired',
      GetVpcPeerConnectionAttribute: '- -',
      ListVpcPeerConnections: '- -',
      ListTagResources: '- -',
    });
  });

  it('refuses a status the enum does not hold, wherever it is named', () => {
    const inTransition = copy();
    statusSchema(inTransition)['x-acs-lifecycle'].transitions[2].to = 'Actived';
    expect(() => indexContract(inTransition)).toThrow(/transition 3 to: "Actived" is not a PeerConnectionStatus value/);
    const inVia = copy();
    statusSchema(inVia)['x-acs-lifecycle'].transitions[0].via = ['Creatin'];
    expect(() => indexContract(inVia)).toThrow(/transition 1 via: "Creatin"/);
    const inTerminal = copy();
    statusSchema(inTerminal)['x-acs-lifecycle'].terminal = ['Gone'];
    expect(() => indexContract(inTerminal)).toThrow(/terminal: "Gone"/);
    const inAllowed = copy();
    post(inAllowed, 'DeleteVpcPeerConnection')['x-acs-allowed-statuses'] = ['Activated', 'Expird'];
    expect(() => indexContract(inAllowed)).toThrow(/DeleteVpcPeerConnection x-acs-allowed-statuses: "Expird"/);
  });

  it('refuses an unknown Action, a transition with both or neither trigger, and a bad caller', () => {
    const unknown = copy();
    statusSchema(unknown)['x-acs-lifecycle'].transitions[3].action = 'RejectVpcPeer';
    expect(() => indexContract(unknown)).toThrow(/transition 4: unknown Action "RejectVpcPeer"/);
    const both = copy();
    statusSchema(both)['x-acs-lifecycle'].transitions[4].action = 'DeleteVpcPeerConnection';
    expect(() => indexContract(both)).toThrow(/transition 5: needs exactly one of action and timer/);
    const neither = copy();
    delete statusSchema(neither)['x-acs-lifecycle'].transitions[0].action;
    expect(() => indexContract(neither)).toThrow(/transition 1: needs exactly one/);
    const caller = copy();
    post(caller, 'AcceptVpcPeerConnection')['x-acs-caller'] = 'owner';
    expect(() => indexContract(caller)).toThrow(/AcceptVpcPeerConnection: x-acs-caller must be requester, accepter or either/);
  });

  it('accepts harmless variants: reordered keys, an empty via, a timer in hours', () => {
    const doc = copy();
    const lifecycle = statusSchema(doc)['x-acs-lifecycle'];
    lifecycle.transitions[4] = { to: 'Expired', via: [], when: 'later', timer: { after: 'PT168H' }, from: 'Accepting' };
    delete lifecycle.transitions[3].via;
    const model = indexContract(doc);
    expect(model.lifecycle.transitions[4]?.timer?.afterMs).toBe(7 * 24 * 3600 * 1000);
    expect(model.lifecycle.transitions[3]?.via).toEqual([]);
  });
});

describe('ISO 8601 durations', () => {
  it.each([
    ['P7D', 604_800_000],
    ['PT15M', 900_000],
    ['P1DT2H', 93_600_000],
    ['PT0.5S', 500],
  ])('%s is %d ms', (text, ms) => expect(isoDurationMs(text)).toBe(ms));
  it.each(['7d', 'P', 'PT', 'P1W', 'P1Y', '-P1D', 'P1DT'])('refuses %s', (text) => {
    expect(() => isoDurationMs(text)).toThrow(/not an ISO 8601 duration/);
  });
});

describe('operation facts', () => {
  it('knows which Actions take DryRun and ClientToken from their parameters', () => {
    const dryRun = contract.actions.filter((a) => contract.operation(a).takesDryRun);
    const token = contract.actions.filter((a) => contract.operation(a).takesClientToken);
    for (const a of contract.actions) {
      const names = contract.operation(a).parameters.map((p) => p.name);
      expect(contract.operation(a).takesDryRun, a).toBe(names.includes('DryRun'));
      expect(contract.operation(a).takesClientToken, a).toBe(names.includes('ClientToken'));
    }
    expect(dryRun).toHaveLength(5);
    expect(token.length).toBeGreaterThanOrEqual(7);
    expect(contract.actions.filter((a) => contract.operation(a).readOnly).sort()).toEqual(
      ['GetVpcPeerConnectionAttribute', 'ListTagResources', 'ListVpcPeerConnections'],
    );
  });

  it('finds every int64 field, and a planted one', () => {
    expect([...contract.int64Fields].sort()).toEqual(['AcceptingAliUid', 'AcceptingOwnerUid', 'OwnerId']);
    const doc = copy();
    doc.components.schemas.VpcPeerConnection.properties.Bandwidth = { type: 'integer', format: 'int64' };
    expect(indexContract(doc).int64Fields.has('Bandwidth')).toBe(true);
  });

  it('serves the error catalog built once with the model', () => {
    expect(contract.errors.status('IncorrectStatus.VpcPeer', 'AcceptVpcPeerConnection')).toBe(400);
    expect(contract.errors.template('ResourceNotFound.InstanceId', 'GetVpcPeerConnectionAttribute')).toMatch(/%s/);
    expect(contract.errors.codesOf('CreateVpcPeerConnection')).toContain('DryRunOperation');
  });

  it('types Action and Status names', () => {
    const status: Status = contract.lifecycle.states[0]!;
    const action: Action = 'CreateVpcPeerConnection';
    expect(contract.operation(action).action).toBe(action);
    expect(contract.lifecycle.states).toContain(status);
    // @ts-expect-error a misspelt Action is a compile error
    expect(() => contract.operation('CreateVpcPeerConection')).toThrow(/Unknown Action/);
    // @ts-expect-error a misspelt Status is a compile error
    const typo: Status = 'Activate';
    expect(contract.lifecycle.states).not.toContain(typo);
  });
});
