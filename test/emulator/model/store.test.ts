/**
 * The store's change sets: a call's changes can be read for the journal, or undone exactly
 * (connections, indexes, quota counters, tokens, the sequence) when the journal write fails.
 */
import { describe, expect, it } from 'vitest';
import { contract } from '../../../src/contract/index.ts';
import { Clock } from '../../../src/emulator/model/clock.ts';
import type { Connection } from '../../../src/emulator/model/connection.ts';
import { Store } from '../../../src/emulator/model/store.ts';
import { Lifecycle } from '../../../src/emulator/model/transitions.ts';

const lifecycle = new Lifecycle(contract);
const vpc = (id: string) => ({ VpcId: id, Ipv4Cidrs: [], Ipv6Cidrs: [] });
function connection(store: Store, id: string, a: string, b: string): Connection {
  return {
    seq: ++store.seq, id, ownerUid: '1', acceptingUid: '2', regionId: 'r', acceptingRegionId: 'r', vpc: vpc(a), acceptingVpc: vpc(b),
    name: '', description: '', bandwidth: -1, linkType: '', status: 'Accepting', gmtCreate: 0, gmtModified: 0, gmtExpired: null,
    owner: { resourceGroupId: 'rg-1', tags: [] }, accepter: { resourceGroupId: 'rg-2', tags: [] },
  };
}

describe('Store change sets', () => {
  it('commit hands over the changed connections and tokens; rollback undoes all of them', () => {
    const store = new Store(new Clock('manual', 0), lifecycle, { deletedVisibleMs: 1000 });
    store.insert(connection(store, 'pcc-kept', 'a', 'b'));
    store.begin();
    store.insert(connection(store, 'pcc-new', 'c', 'd'));
    const kept = store.edit(store.byId.get('pcc-kept')!);
    kept.name = 'renamed';
    store.remember('k', { fingerprint: 'f', body: {} });
    const set = store.commit()!;
    expect(set.connections.map((c) => c.id).sort()).toEqual(['pcc-kept', 'pcc-new']);
    expect(set.tokens.map(([k]) => k)).toEqual(['k']);

    const before = { size: store.size, seq: store.seq, owned: store.liveOwned('1', 'r'), pair: store.byPair.has('c|d'), name: store.byId.get('pcc-kept')!.name };
    store.begin();
    store.insert(connection(store, 'pcc-rolled', 'e', 'f'));
    const deleting = lifecycle.transitionFor('DeleteVpcPeerConnection', 'Accepting')!;
    store.enter(store.byId.get('pcc-new')!, deleting.via[0]!, 5, { to: deleting.to, afterMs: 10 });
    store.edit(store.byId.get('pcc-kept')!).owner.tags.push({ Key: 'x', Value: 'y' });
    store.remember('k', { fingerprint: 'other', body: {} });
    store.remember('k2', { fingerprint: 'g', body: {} });
    expect(store.liveOwned('1', 'r')).toBe(before.owned); // +1 new, -1 deleting
    store.rollback();
    expect({ size: store.size, seq: store.seq, owned: store.liveOwned('1', 'r'), pair: store.byPair.has('c|d'), name: store.byId.get('pcc-kept')!.name }).toEqual(before);
    expect(store.byId.has('pcc-rolled')).toBe(false);
    expect(store.byId.get('pcc-new')!.status).toBe('Accepting');
    expect(store.byId.get('pcc-kept')!.owner.tags).toEqual([]);
    expect(store.tokens.get('k')!.fingerprint).toBe('f');
    expect(store.tokens.has('k2')).toBe(false);
    expect(store.byParty.get('1')!.map((c) => c.id)).toEqual(['pcc-kept', 'pcc-new']);
    // Nothing changed: nothing to journal.
    store.begin();
    expect(store.commit()).toBeUndefined();
  });

  it('sealed calls undone newest first restore the state before the first, indexes without duplicates', () => {
    const store = new Store(new Clock('manual', 0), lifecycle, { deletedVisibleMs: 1000 });
    store.insert(connection(store, 'pcc-kept', 'a', 'b'));
    const snapshot = () => ({
      ids: [...store.byId.keys()].sort(),
      party1: store.byParty.get('1')!.map((c) => c.id),
      region: store.byViewRegion.get('1|r')!.map((c) => c.id),
      owned: store.liveOwned('1', 'r'),
      pairs: [...store.byPair.keys()].sort(),
      seq: store.seq,
      name: store.byId.get('pcc-kept')!.name,
      tags: store.byId.get('pcc-kept')!.owner.tags.length,
      tokens: [...store.tokens.keys()],
    });
    const before = snapshot();
    // Call 1: a create and a rename of the kept connection; call 2 edits the same connection again.
    store.begin();
    store.insert(connection(store, 'pcc-one', 'c', 'd'));
    store.edit(store.byId.get('pcc-kept')!).name = 'first';
    store.remember('t1', { fingerprint: 'f', body: {} });
    const first = store.seal();
    store.begin();
    store.edit(store.byId.get('pcc-kept')!).owner.tags.push({ Key: 'k', Value: 'v' });
    const deleting = lifecycle.transitionFor('DeleteVpcPeerConnection', 'Accepting')!;
    store.enter(store.byId.get('pcc-one')!, deleting.via[0]!, 5, { to: deleting.to, afterMs: 10 });
    const second = store.seal();
    expect(snapshot()).not.toEqual(before);
    store.undo(second);
    expect(store.byId.get('pcc-kept')!.name).toBe('first');
    expect(store.byId.get('pcc-one')!.status).toBe('Accepting');
    store.undo(first);
    expect(snapshot()).toEqual(before);
    // A sealed change set is closed: nothing is being recorded any more.
    store.begin();
    expect(store.commit()).toBeUndefined();
  });

  it('the lifecycle compiled from the contract: live states, the timer, the terminal state', () => {
    expect(lifecycle.states).toEqual(contract.lifecycle.states);
    const deleting = lifecycle.transitionFor('DeleteVpcPeerConnection', 'Activated')!;
    expect(lifecycle.isLive(deleting.via[0]!)).toBe(false);
    expect(lifecycle.isLive(deleting.to)).toBe(false);
    expect(lifecycle.isTerminal(deleting.to)).toBe(true);
    const timer = contract.lifecycle.transitions.find((t) => t.timer)!;
    expect(lifecycle.timerFrom(timer.from as Connection['status'])).toEqual({ to: timer.to, afterMs: 7 * 24 * 3600 * 1000 });
    expect(lifecycle.callerOf('ModifyVpcPeerConnection')?.caller).toBe('either');
    expect(lifecycle.callerOf('GetVpcPeerConnectionAttribute')).toBeUndefined();
  });
});
