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

