/**
 * Persistence across restarts (`--state FILE`): snapshot and journal, refused damage.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, StateFileError } from '../../../src/emulator/index.ts';
import { ALICE, BOB, CAROL, DELAYS, createParams, startHarness, WORLD } from '../helpers.ts';

describe('persistence (--state FILE)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vpcpeer-emulator-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a restart keeps the world: connections, statuses, tags, tokens and the clock', async () => {
    const stateFile = path.join(dir, 'state.json');
    const config = { accounts: [ALICE, BOB, CAROL], world: WORLD, delays: DELAYS };
    const first = await startHarness({ config, stateFile });
    const created = await first.call('CreateVpcPeerConnection', createParams({ ClientToken: 'persist-1', Tag: [{ Key: 'k', Value: 'v' }] }));
    await first.advance('1s');
    await first.close();
    expect(JSON.parse(await readFile(stateFile, 'utf8')).connections).toHaveLength(1);

    const second = await startHarness({ config, stateFile });
    try {
      const got = await second.call('GetVpcPeerConnectionAttribute', { InstanceId: created.body.InstanceId }, 'bob');
      expect(got.body.Status).toBe('Accepting');
      expect((await second.call('GetVpcPeerConnectionAttribute', { InstanceId: created.body.InstanceId })).body.Tags).toEqual([{ Key: 'k', Value: 'v' }]);
      const replay = await second.call('CreateVpcPeerConnection', createParams({ ClientToken: 'persist-1', Tag: [{ Key: 'k', Value: 'v' }] }));
      expect(replay.body.InstanceId).toBe(created.body.InstanceId);
      // Saved on change, without a clean shutdown: on disk before the answer, so a third
      // emulator reading the same files while the second still runs sees it at once.
      await second.call('AcceptVpcPeerConnection', { InstanceId: created.body.InstanceId }, 'bob');
      const third = createEmulator({ config, stateFile, clock: 'manual', logLevel: 'silent' });
      expect(third.store.byId.get(created.body.InstanceId)?.status).toBe('Updating');
    } finally {
      await second.close();
    }
  });

  it('a corrupt file is a clear error, never a silent reset', async () => {
    const bad = path.join(dir, 'corrupt.json');
    await writeFile(bad, '{"format": "vpcpeer-emulator-state", "version": 1, "connections": [');
    expect(() => createEmulator({ stateFile: bad, logLevel: 'silent' })).toThrow(StateFileError);
    expect(() => createEmulator({ stateFile: bad, logLevel: 'silent' })).toThrow(/corrupt\.json is not a usable emulator state file/);
    await writeFile(bad, JSON.stringify({ format: 'something-else' }));
    expect(() => createEmulator({ stateFile: bad, logLevel: 'silent' })).toThrow(/"format"/);
    expect(await readFile(bad, 'utf8')).toContain('something-else');
  });
});


describe('state files that are refused, naming the file and the record', () => {
  let dir: string;
  let good: Record<string, any>;
  const config = { accounts: [ALICE, BOB, CAROL], world: WORLD, delays: DELAYS };
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vpcpeer-corrupt-'));
    const file = path.join(dir, 'good.json');
    const h = await startHarness({ config, stateFile: file });
    await h.call('CreateVpcPeerConnection', createParams({ ClientToken: 't-1', Bandwidth: 100, LinkType: 'Gold' }));
    await h.close();
    good = JSON.parse(await readFile(file, 'utf8'));
    expect(good.connections).toHaveLength(1);
    expect(good.tokens).toHaveLength(1);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const load = (file: string) => createEmulator({ config, stateFile: file, logLevel: 'silent' });
  const variant = (change: (s: Record<string, any>) => void) => {
    const copy = structuredClone(good);
    change(copy);
    return copy;
  };

  const snapshots: Array<[string, (s: Record<string, any>) => void, RegExp]> = [
    ['a token that is a number', (s) => (s.tokens = [5]), /tokens\.0 must be array/],
    ['a VPC that is a number', (s) => (s.connections[0].vpc = 1), /connections\.0\.vpc must be object/],
    ['a date of 1e300', (s) => (s.connections[0].gmtCreate = 1e300), /connections\.0\.gmtCreate must be <=/],
    ['an unknown status', (s) => (s.connections[0].status = 'Frozen'), /connections\.0\.status must be "Creating" or/],
    ['an account UID that is not digits', (s) => (s.connections[0].ownerUid = 'alice'), /connections\.0\.ownerUid must match pattern/],
    ['a clock that is text', (s) => (s.clock.value = 'soon'), /clock\.value must be number/],
    ['an unknown field', (s) => (s.connections[0].colour = 'red'), /connections\.0 has an unknown field "colour"/],
    ['another format', (s) => (s.format = 'something-else'), /"format" is not "vpcpeer-emulator-state"/],
    ['a version from the future', (s) => (s.version = 99), /"version" 99 is not 2/],
    ['two connections with one ID', (s) => s.connections.push({ ...s.connections[0], seq: 2 }), /connections\.1 repeats the ID pcc-/],
    ['a connection numbered above the state', (s) => (s.seq = 0), /has sequence number 1, above the state's 0/],
    ['a link type the contract does not document', (s) => (s.connections[0].linkType = 'Silver'), /connection pcc-\w+: its answer would break the contract at \$\.LinkType/],
    ['a negative bandwidth below -1', (s) => (s.connections[0].bandwidth = -5), /connections\.0\.bandwidth must be >= -1/],
  ];
  for (const [name, change, message] of snapshots) {
    it(`snapshot: ${name}`, async () => {
      const file = path.join(dir, `${name.replace(/\W+/g, '-')}.json`);
      await writeFile(file, JSON.stringify(variant(change)));
      expect(() => load(file)).toThrow(StateFileError);
      expect(() => load(file)).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not a usable emulator state file: .*${message.source}`));
    });
  }

  it('snapshot: not JSON at all', async () => {
    const file = path.join(dir, 'not-json.json');
    await writeFile(file, '{"format": "vpcpeer-emulator-state", "connections": [');
    expect(() => load(file)).toThrow(/not-json\.json is not a usable emulator state file/);
  });

  const journalOf = (...records: unknown[]) => records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';
  const record = (n: number, extra: Record<string, unknown> = {}) => ({ n, clock: good.clock, seq: good.seq, ...extra });

  const journals: Array<[string, () => string, RegExp]> = [
    ['a line in the middle that is not JSON', () => journalOf(record(1), '{"n": 2, "clo', record(3)), /good-copy\.json\.journal is not a usable emulator state file: line 2 is not JSON/],
    ['a record with a malformed connection', () => journalOf(record(1, { connections: [{ ...good.connections[0], bandwidth: 'wide' }] })), /journal is not a usable emulator state file: record at line 1: connections\.0\.bandwidth must be integer/],
    ['records out of order', () => journalOf(record(1), record(5)), /record at line 2 is number 5, expected 2/],
    ['an empty line before the end', () => journalOf(record(1), '', record(2)), /line 2 is empty/],
  ];
  for (const [name, text, message] of journals) {
    it(`journal: ${name}`, async () => {
      const file = path.join(dir, 'good-copy.json');
      await writeFile(file, JSON.stringify({ ...good, journalRecord: 0 }));
      await writeFile(`${file}.journal`, text());
      expect(() => load(file)).toThrow(StateFileError);
      expect(() => load(file)).toThrow(message);
    });
  }

  describe('a compaction cut short (snapshot, FILE.journal.old, FILE.journal)', () => {
    const named = (n: number, name: string) => record(n, { connections: [{ ...good.connections[0], name, seq: 1 }] });
    const nameIn = async (file: string) => {
      const emulator = load(file);
      const name = [...emulator.store.byId.values()][0]!.name;
      emulator.closeState();
      return name;
    };

    it('before its snapshot: the old journal, then the journal, in order; folded at start-up', async () => {
      const file = path.join(dir, 'cut-before.json');
      await writeFile(file, JSON.stringify({ ...good, journalRecord: 0 }));
      await writeFile(`${file}.journal.old`, journalOf(named(1, 'from-old')));
      await writeFile(`${file}.journal`, journalOf(named(2, 'from-new')));
      const emulator = load(file);
      expect([...emulator.store.byId.values()][0]!.name).toBe('from-new');
      // Folded: one snapshot holding both, no old journal left.
      await expect(readFile(`${file}.journal.old`)).rejects.toThrow(/ENOENT/);
      expect(JSON.parse(await readFile(file, 'utf8')).journalRecord).toBe(2);
      emulator.closeState();
      expect(await nameIn(file)).toBe('from-new');
    });

    it('after its snapshot: the records of the old journal are in it and skipped by number', async () => {
      const file = path.join(dir, 'cut-after.json');
      const snapshot = { ...good, journalRecord: 2, connections: [{ ...good.connections[0], name: 'in-snapshot', seq: 1 }] };
      await writeFile(file, JSON.stringify(snapshot));
      await writeFile(`${file}.journal.old`, journalOf(named(1, 'stale-1'), named(2, 'stale-2')));
      expect(await nameIn(file)).toBe('in-snapshot');
      await writeFile(file, JSON.stringify(snapshot));
      await writeFile(`${file}.journal.old`, journalOf(named(1, 'stale-1'), named(2, 'stale-2')));
      await writeFile(`${file}.journal`, journalOf(named(3, 'latest')));
      expect(await nameIn(file)).toBe('latest');
    });

    it('a torn line in the old journal is refused: it was complete when it was renamed', async () => {
      const file = path.join(dir, 'cut-torn.json');
      await writeFile(file, JSON.stringify({ ...good, journalRecord: 0 }));
      await writeFile(`${file}.journal.old`, journalOf(named(1, 'from-old')) + '{"n":2,"clo');
      expect(() => load(file)).toThrow(/cut-torn\.json\.journal\.old is not a usable emulator state file: line 2 is not JSON/);
    });

    it('a record numbered out of order across the two files is refused', async () => {
      const file = path.join(dir, 'cut-gap.json');
      await writeFile(file, JSON.stringify({ ...good, journalRecord: 0 }));
      await writeFile(`${file}.journal.old`, journalOf(named(1, 'a')));
      await writeFile(`${file}.journal`, journalOf(named(3, 'b')));
      expect(() => load(file)).toThrow(/cut-gap\.json\.journal is not a usable emulator state file: record at line 1 is number 3, expected 2/);
    });
  });

  it('journal: a torn last record (a crash mid-write) is dropped with a warning, and appends go on cleanly', async () => {
    const file = path.join(dir, 'torn.json');
    await writeFile(file, JSON.stringify({ ...good, journalRecord: 0 }));
    const renamed = { ...good.connections[0], name: 'from-the-journal', seq: 1 };
    await writeFile(`${file}.journal`, journalOf(record(1, { connections: [renamed] })) + '{"n":2,"clock":{"mo');
    const lines: string[] = [];
    const first = await startHarness({ config, stateFile: file, logLevel: 'info', log: (l) => lines.push(l) });
    try {
      expect(lines.some((l) => /warning: .*torn\.json\.journal: dropped a torn last record at line 2/.test(l))).toBe(true);
      expect((await first.call('GetVpcPeerConnectionAttribute', { InstanceId: renamed.id })).body.Name).toBe('from-the-journal');
      await first.call('CreateVpcPeerConnection', createParams({ VpcId: 'vpc-bp1alicehz0000000002' }));
    } finally {
      await first.close();
    }
    const second = load(file);
    expect(second.store.size).toBe(2);
    second.closeState();
  });
});

describe('unwritable state paths are refused at start', () => {
  it('a missing directory, or a file where a directory should be', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vpcpeer-unwritable-'));
    try {
      await writeFile(path.join(dir, 'plain-file'), 'x');
      for (const file of [path.join(dir, 'no-such-dir', 'state.json'), path.join(dir, 'plain-file', 'state.json')]) {
        expect(() => createEmulator({ stateFile: file, logLevel: 'silent' })).toThrow(StateFileError);
        expect(() => createEmulator({ stateFile: file, logLevel: 'silent' })).toThrow(/cannot write the state file .*state\.json: (ENOENT|ENOTDIR)/);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
