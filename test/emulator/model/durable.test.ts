/**
 * Durable before acknowledged: the changes of one event-loop turn share one write and flush and
 * are released only after it (a failed flush undoes the whole batch, and reads computed on it are
 * computed again); a write failure answers 503 and changes nothing while the emulator keeps serving; a bounded kill -9 storm against a real child process and a real file
 * loses no acknowledged create; an unwritable --state path stops the CLI with exit 2.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type JournalIo } from '../../../src/emulator/index.ts';
import { ALICE, BOB, CAROL, DELAYS, createParams, startHarness, VPC, WORLD } from '../helpers.ts';
import { writeSync, fdatasyncSync, readFileSync } from 'node:fs';
import { contract } from '../../../src/contract/index.ts';
import { Clock } from '../../../src/emulator/model/clock.ts';
import type { Connection } from '../../../src/emulator/model/connection.ts';
import { DurableState, JournalWriteError } from '../../../src/emulator/model/durable.ts';
import { Store } from '../../../src/emulator/model/store.ts';
import { Lifecycle } from '../../../src/emulator/model/transitions.ts';

const root = path.resolve(import.meta.dirname, '../../..');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'vpcpeer-durable-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a write failure', () => {
  it('answers that change 503 ServiceUnavailable, does not apply it, logs once and keeps serving', async () => {
    let failing = false;
    const io: JournalIo = {
      write(fd, text) {
        if (failing) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
        writeSync(fd, text);
      },
      sync: (fd) => fdatasyncSync(fd),
    };
    const stateFile = path.join(dir, 'failing.json');
    const config = { accounts: [ALICE, BOB, CAROL], world: WORLD, delays: DELAYS };
    const lines: string[] = [];
    const h = await startHarness({ config, stateFile, journalIo: io, logLevel: 'error', log: (l) => lines.push(l) });
    try {
      const kept = await h.call('CreateVpcPeerConnection', createParams({ Name: 'kept' }));
      expect(kept.status).toBe(200);
      failing = true;
      for (const vpc of [VPC.aliceHz2, VPC.aliceHz3]) {
        const refused = await h.call('CreateVpcPeerConnection', createParams({ VpcId: vpc, ClientToken: `tok-${vpc}` }));
        expect(refused.status).toBe(503);
        expect(refused.body.Code).toBe('ServiceUnavailable');
      }
      const tagged = await h.call('TagResources', { RegionId: 'cn-hangzhou', ResourceType: 'PeerConnection', ResourceId: [kept.body.InstanceId], Tag: [{ Key: 'k', Value: 'v' }] });
      expect(tagged.status).toBe(503);
      // Reads still work, and nothing of the refused changes is there.
      const list = await h.call('ListVpcPeerConnections', {});
      expect(list.body.VpcPeerConnects.map((c: { Name: string }) => c.Name)).toEqual(['kept']);
      expect((await h.call('GetVpcPeerConnectionAttribute', { InstanceId: kept.body.InstanceId })).body.Tags).toEqual([]);
      expect((await h.admin('GET', '/__emulator/state')).body.clientTokens).toBe(0);
      expect(lines.filter((l) => l.startsWith('error:'))).toHaveLength(1);
      expect(lines[0]).toContain('ENOSPC');
      failing = false;
      // The same token now runs for real (it was never recorded), and the disk has it.
      const retried = await h.call('CreateVpcPeerConnection', createParams({ VpcId: VPC.aliceHz2, ClientToken: `tok-${VPC.aliceHz2}` }));
      expect(retried.status).toBe(200);
      const reread = createEmulator({ config, stateFile, clock: 'manual', logLevel: 'silent' });
      expect([...reread.store.byId.keys()].sort()).toEqual([kept.body.InstanceId, retried.body.InstanceId].sort());
    } finally {
      await h.close();
    }
  });
});

/** Starts the CLI as a child process and resolves its port once it listens. */
function startChild(args: string[]): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/emulator.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the emulator did not start: ${err}`));
    }, 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited with ${code}: ${err}`));
    });
  });
}

describe('kill -9 storm', () => {
  it('loses no acknowledged create over three rounds of kill -9 during a storm of creates', { timeout: 120_000 }, async () => {
    const vpcs = Array.from({ length: 40 }, (_, i) => `vpc-bp1storm${String(i).padStart(3, '0')}`);
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < vpcs.length; i += 1) for (let j = i + 1; j < vpcs.length; j += 1) pairs.push([vpcs[i]!, vpcs[j]!]);
    const configFile = path.join(dir, 'storm-config.json');
    await writeFile(
      configFile,
      JSON.stringify({
        accounts: [ALICE],
        quotas: { perAccountPerRegion: 100_000, intraRegionPerVpc: 100_000 },
        world: { accounts: { [ALICE.uid]: { resourceGroups: ['rg-storm'], vpcs: { 'cn-hangzhou': vpcs.map((VpcId, i) => ({ VpcId, Ipv4Cidrs: [`10.${i}.0.0/16`] })) } } } },
      }),
    );
    const stateFile = path.join(dir, 'storm.json');
    const args = ['--port', '0', '--state', stateFile, '--config', configFile, '--log-level', 'error', '--clock', 'manual'];
    const acknowledged: string[] = [];
    let next = 0;
    for (let round = 0; round < 3; round += 1) {
      const { child, port } = await startChild(args);
      let stop = false;
      const worker = async () => {
        while (!stop && next < pairs.length) {
          const [a, b] = pairs[next++]!;
          const body = new URLSearchParams({ RegionId: 'cn-hangzhou', VpcId: a, AcceptingAliUid: ALICE.uid, AcceptingRegionId: 'cn-hangzhou', AcceptingVpcId: b });
          try {
            const res = await fetch(`http://127.0.0.1:${port}/?Action=CreateVpcPeerConnection&Version=2022-01-01`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
            const json = (await res.json()) as { InstanceId?: string };
            if (res.status === 200 && json.InstanceId) acknowledged.push(json.InstanceId);
          } catch {
            return; // the process is gone: this request was never acknowledged
          }
        }
      };
      const before = acknowledged.length;
      const workers = Array.from({ length: 8 }, worker);
      // Kill once this round has some acknowledged creates, with requests still in flight.
      const deadline = Date.now() + 20_000;
      while (acknowledged.length - before < 120 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      child.kill('SIGKILL');
      stop = true;
      await Promise.all(workers);
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(undefined) : child.once('exit', r)));
      expect(acknowledged.length - before).toBeGreaterThanOrEqual(120);
    }
    const { child, port } = await startChild(args);
    try {
      const state = (await (await fetch(`http://127.0.0.1:${port}/__emulator/state`)).json()) as { connections: Array<{ id: string }> };
      const stored = new Set(state.connections.map((c) => c.id));
      const lost = acknowledged.filter((id) => !stored.has(id));
      expect(lost).toEqual([]);
      expect(acknowledged.length).toBeGreaterThanOrEqual(360);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('the CLI', () => {
  it('exits 2 with a clear message when --state cannot be written', async () => {
    const file = path.join(dir, 'missing-dir', 'state.json');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/emulator.ts', '--port', '0', '--state', file], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(2);
    expect(err).toContain(`cannot write the state file ${file}: ENOENT`);
    expect(err).not.toMatch(/\n\s+at /);
  });
});

describe('group commit', () => {
  const lifecycle = new Lifecycle(contract);
  const vpc = (id: string) => ({ VpcId: id, Ipv4Cidrs: [], Ipv6Cidrs: [] });
  const connection = (store: Store, id: string): Connection => ({
    seq: ++store.seq, id, ownerUid: '1', acceptingUid: '1', regionId: 'r', acceptingRegionId: 'r', vpc: vpc(`${id}-a`), acceptingVpc: vpc(`${id}-b`),
    name: '', description: '', bandwidth: -1, linkType: '', status: 'Activated', gmtCreate: 0, gmtModified: 0, gmtExpired: null,
    owner: { resourceGroupId: 'rg-1', tags: [] }, accepter: { resourceGroupId: 'rg-1', tags: [] },
  });
  const open = (file: string, io: JournalIo) => {
    const clock = new Clock('manual', 0);
    const store = new Store(clock, lifecycle, { deletedVisibleMs: 1000 });
    const durable = new DurableState(store, clock, file, io);
    durable.open(() => undefined);
    return { store, durable };
  };
  const countingIo = () => {
    const io = {
      writes: 0,
      syncs: 0,
      failing: false,
      write(fd: number, text: string) {
        if (io.failing) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
        writeSync(fd, text);
        io.writes += 1;
      },
      sync(fd: number) {
        fdatasyncSync(fd);
        io.syncs += 1;
      },
    };
    return io;
  };

  it('one write and one flush for the changes of a turn, released only after the flush', async () => {
    const file = path.join(dir, 'group.json');
    const io = countingIo();
    const { store, durable } = open(file, io);
    const created = ['pcc-1', 'pcc-2', 'pcc-3'].map((id) => durable.groupChange(() => (store.insert(connection(store, id)), id)));
    const read = durable.groupChange(() => store.size);
    for (const p of [...created, read]) expect(p).toBeInstanceOf(Promise);
    expect(io.syncs).toBe(0); // nothing is acknowledged before it is on disk
    expect(await Promise.all(created)).toEqual(['pcc-1', 'pcc-2', 'pcc-3']);
    expect(await read).toBe(3);
    expect({ writes: io.writes, syncs: io.syncs }).toEqual({ writes: 1, syncs: 1 });
    expect(readFileSync(`${file}.journal`, 'utf8').trim().split('\n').map((l) => JSON.parse(l).n)).toEqual([1, 2, 3]);
    // Nothing pending: a call that changes nothing answers at once.
    expect(durable.groupChange(() => 'now')).toBe('now');
    durable.close();
    expect([...open(file, io).store.byId.keys()]).toEqual(['pcc-1', 'pcc-2', 'pcc-3']);
  });

  it('a failed flush undoes the whole batch, newest first; a read computed on it is computed again', async () => {
    const file = path.join(dir, 'group-failing.json');
    const io = countingIo();
    const { store, durable } = open(file, io);
    await durable.groupChange(() => store.insert(connection(store, 'pcc-kept')));
    const before = { ids: [...store.byId.keys()], seq: store.seq, party: store.byParty.get('1')!.map((c) => c.id), pairs: [...store.byPair.keys()] };
    io.failing = true;
    const create = durable.groupChange(() => store.insert(connection(store, 'pcc-new')));
    const rename = durable.groupChange(() => {
      store.edit(store.byId.get('pcc-new')!).name = 'renamed';
      store.edit(store.byId.get('pcc-kept')!).name = 'renamed';
    });
    const read = durable.groupChange(() => store.byId.has('pcc-new'));
    await expect(create).rejects.toBeInstanceOf(JournalWriteError);
    await expect(rename).rejects.toBeInstanceOf(JournalWriteError);
    expect(await read).toBe(false);
    expect({ ids: [...store.byId.keys()], seq: store.seq, party: store.byParty.get('1')!.map((c) => c.id), pairs: [...store.byPair.keys()] }).toEqual(before);
    expect(store.byId.get('pcc-kept')!.name).toBe('');
    io.failing = false;
    expect(await durable.groupChange(() => (store.insert(connection(store, 'pcc-after')), 'ok'))).toBe('ok');
    durable.close();
    expect([...open(file, io).store.byId.keys()]).toEqual(['pcc-kept', 'pcc-after']);
  });

  /** Grows the journal past the compaction threshold (1 MiB) with renames, 100 per turn. */
  const fill = async (store: Store, durable: DurableState, until: () => boolean) => {
    for (let turn = 0; !until(); turn += 1) {
      if (turn > 200) throw new Error('the journal never became due for compaction');
      await Promise.all(Array.from({ length: 100 }, (_, i) => durable.groupChange(() => (store.edit(store.byId.get('pcc-big')!).description = `${turn}-${i}-${'x'.repeat(400)}`))));
    }
  };

  /** A fresh state with one connection, changed until a background compaction is under way. */
  const compactingState = async (name: string) => {
    const file = path.join(dir, name);
    const io = countingIo();
    const { store, durable } = open(file, io);
    await durable.groupChange(() => store.insert(connection(store, 'pcc-big')));
    await fill(store, durable, () => durable.compacting !== undefined);
    return { file, io, store, durable, background: durable.compacting! };
  };

  it('compaction runs in the background: changes go on meanwhile, none is lost, the old journal goes', async () => {
    const { file, io, store, durable, background } = await compactingState('group-compact.json');
    // While the snapshot is written, new changes land in the new journal and are acknowledged.
    expect(await durable.groupChange(() => (store.insert(connection(store, 'pcc-during')), 'during'))).toBe('during');
    await background;
    await expect(readFile(`${file}.journal.old`, 'utf8')).rejects.toThrow(/ENOENT/);
    const journalNumbers = readFileSync(`${file}.journal`, 'utf8').trim().split('\n').map((l) => JSON.parse(l).n);
    expect(journalNumbers[0]).toBe(JSON.parse(readFileSync(file, 'utf8')).journalRecord + 1);
    const last = store.byId.get('pcc-big')!.description;
    const reread = open(file, io).store; // no close(): as after a kill -9
    expect(reread.byId.get('pcc-big')!.description).toBe(last);
    expect(reread.byId.has('pcc-during')).toBe(true);
  });

  it('a snapshot written at once while a background one is in flight is the one kept', async () => {
    const { file, io, store, durable, background } = await compactingState('group-compact-race.json');
    await durable.groupChange(() => store.insert(connection(store, 'pcc-late')));
    durable.compact(); // e.g. shutdown: writes everything now and empties the journals
    const written = JSON.parse(readFileSync(file, 'utf8')).journalRecord;
    await background; // finishes later, older: discarded, not renamed over the newer snapshot
    expect(JSON.parse(readFileSync(file, 'utf8')).journalRecord).toBe(written);
    expect(open(file, io).store.byId.has('pcc-late')).toBe(true);
  });

  it('an admin change is written after the pending batch, never before it', async () => {
    const file = path.join(dir, 'group-admin.json');
    const io = countingIo();
    const { store, durable } = open(file, io);
    const created = durable.groupChange(() => store.insert(connection(store, 'pcc-first')));
    durable.adminChange({ added: { accounts: [], world: { accounts: { '2': { resourceGroups: ['rg-2'], vpcs: {} } } } } }, () => undefined);
    await created;
    const records = readFileSync(`${file}.journal`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(records.map((r) => [r.n, r.connections?.[0]?.id ?? 'admin'])).toEqual([[1, 'pcc-first'], [2, 'admin']]);
  });
});
