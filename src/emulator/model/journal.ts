/**
 * `--state FILE`: durable before acknowledged. Every change is one JSON line appended to
 * `FILE.journal` and flushed to disk (fdatasync) before its answer is sent, so a write costs in
 * proportion to the change; the changes made in one turn of the event loop share one write and
 * one flush (durable.ts).
 *
 * When the journal outgrows the last snapshot, it is compacted without stopping the service: the
 * state is serialised at once, the journal is renamed `FILE.journal.old` and a new one started,
 * and the snapshot is written to `FILE` in the background (temporary file, fsync, rename); then
 * the old journal is deleted. A crash at any point leaves a readable set: snapshot, old journal
 * (records the snapshot already holds are skipped by number), journal. Start-up therefore reads
 * at most about twice the state.
 *
 * Start-up reads the snapshot, then the journals. A torn last line of `FILE.journal` (a crash
 * mid-write, never acknowledged) is dropped with a warning; any other damage refuses start-up
 * with a message naming the file and the record. The paths are checked writable before anything
 * is served.
 */
import { closeSync, existsSync, fdatasyncSync, fsyncSync, ftruncateSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { open as openAsync, unlink as unlinkAsync } from 'node:fs/promises';
import path from 'node:path';
import type { ClockState } from './clock.ts';
import type { Connection } from './connection.ts';
import { StateFileError, STATE_FORMAT, STATE_VERSION, type Additions, type JournalRecord, type Snapshot, type StateShapes } from './state-file.ts';
import type { TokenRecord } from './store.ts';

/** The two calls a journal write makes (replaceable in tests to plant a failing disk). */
export interface JournalIo {
  write(fd: number, text: string): void;
  sync(fd: number): void;
}

const NODE_IO: JournalIo = {
  write(fd, text) {
    const buffer = Buffer.from(text);
    let offset = 0;
    while (offset < buffer.length) offset += writeSync(fd, buffer, offset);
  },
  sync: (fd) => fdatasyncSync(fd),
};

/** A change could not be made durable: it is not applied, and the call is answered 503. */
export class JournalWriteError extends Error {}

/** The state read at start-up. */
export interface LoadedState {
  clock?: ClockState;
  seq: number;
  connections: Connection[];
  tokens: Array<[string, TokenRecord]>;
  added: Additions;
  /** Problems that did not stop the load (a dropped torn record). */
  warnings: string[];
}

/** Journal size that triggers a snapshot, at least (bytes). */
const MIN_COMPACT_BYTES = 1024 * 1024;

/** Makes a rename or a new file in `dir` durable (not every platform can fsync a directory). */
function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // The rename is still atomic.
  }
}

export class Journal {
  readonly file: string;
  readonly journalFile: string;
  /** The journal being folded into a snapshot written in the background. */
  readonly oldJournalFile: string;
  readonly #shapes: StateShapes;
  readonly #io: JournalIo;
  #fd: number | undefined;
  #n = 0;
  #bytes = 0;
  #snapshotBytes = 0;
  /** The background snapshot write in progress. */
  #compacting: Promise<void> | undefined;
  /** Bumped by every snapshot written at once; a background one started before it is discarded. */
  #generation = 0;
  /** Why the last background snapshot failed, if it did (start-up and the next compaction recover). */
  lastCompactionError: Error | undefined;

  constructor(file: string, shapes: StateShapes, io: JournalIo = NODE_IO) {
    this.file = path.resolve(file);
    this.journalFile = `${this.file}.journal`;
    this.oldJournalFile = `${this.journalFile}.old`;
    this.#shapes = shapes;
    this.#io = io;
  }

  #refuse(file: string, why: string): never {
    throw new StateFileError(`${file} is not a usable emulator state file: ${why}. Fix or remove it (the emulator never resets a state file silently).`);
  }

  /** Checks the paths are writable, reads snapshot and journal, and opens the journal for appending. */
  open(): LoadedState {
    const dir = path.dirname(this.file);
    const probe = path.join(dir, `.${path.basename(this.file)}.${process.pid}.probe`);
    try {
      closeSync(openSync(probe, 'wx'));
      unlinkSync(probe);
    } catch (error) {
      throw new StateFileError(`cannot write the state file ${this.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} in ${dir}. Choose a writable --state path.`);
    }
    const state: LoadedState = { seq: 0, connections: [], tokens: [], added: { accounts: [], world: { accounts: {} } }, warnings: [] };
    const images = new Map<string, Connection>();
    const tokens = new Map<string, TokenRecord>();
    let included = 0;
    if (existsSync(this.file)) {
      let raw: unknown;
      let text: string;
      try {
        text = readFileSync(this.file, 'utf8');
        raw = JSON.parse(text);
      } catch (error) {
        this.#refuse(this.file, (error as Error).message);
      }
      this.#snapshotBytes = text.length;
      const problem = this.#shapes.snapshotProblem(raw);
      if (problem) this.#refuse(this.file, problem);
      const s = raw as Snapshot;
      state.clock = s.clock;
      state.seq = s.seq;
      included = s.journalRecord ?? 0;
      for (const [i, c] of s.connections.entries()) {
        if (images.has(c.id)) this.#refuse(this.file, `connections.${i} repeats the ID ${c.id}`);
        images.set(c.id, c);
      }
      for (const [key, record] of s.tokens) tokens.set(key, record);
      if (s.added) state.added = s.added;
      this.#n = included;
    }
    const apply = (record: JournalRecord) => {
      if (record.reset) {
        images.clear();
        tokens.clear();
      }
      for (const c of record.connections ?? []) images.set(c.id, c);
      for (const [key, value] of record.tokens ?? []) tokens.set(key, value);
      if (record.added) state.added = mergeAdditions(state.added, record.added);
      state.clock = record.clock;
      state.seq = record.seq;
    };
    // The old journal of an unfinished compaction first (never torn: it was complete when renamed), then the journal.
    if (existsSync(this.oldJournalFile)) this.#readJournal(this.oldJournalFile, included, false, state, apply);
    const goodLength = existsSync(this.journalFile) ? this.#readJournal(this.journalFile, included, true, state, apply) : 0;
    this.#bytes = goodLength;
    state.connections = [...images.values()].sort((a, b) => a.seq - b.seq);
    const seqs = new Set<number>();
    for (const c of state.connections) {
      if (seqs.has(c.seq)) this.#refuse(this.file, `two connections have the sequence number ${c.seq} (one is ${c.id})`);
      seqs.add(c.seq);
      if (c.seq > state.seq) this.#refuse(this.file, `connection ${c.id} has sequence number ${c.seq}, above the state's ${state.seq}`);
    }
    state.tokens = [...tokens];
    try {
      this.#fd = openSync(this.journalFile, 'a');
      if (existsSync(this.journalFile) && goodLength < Buffer.byteLength(readFileSync(this.journalFile))) ftruncateSync(this.#fd, goodLength);
    } catch (error) {
      throw new StateFileError(`cannot write the journal ${this.journalFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
    }
    return state;
  }

  /**
   * Reads one journal file into `apply`, skipping records the snapshot holds (`n <= included`);
   * returns the length of its good part. Only a file that may be torn (`tornOk`) may end in a
   * line cut short.
   */
  #readJournal(file: string, included: number, tornOk: boolean, state: LoadedState, apply: (record: JournalRecord) => void): number {
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    let goodLength = 0;
    let offset = 0;
    for (const [i, line] of lines.entries()) {
      const where = `line ${i + 1}`;
      const end = offset + Buffer.byteLength(line) + (i < lines.length - 1 ? 1 : 0);
      const last = lines.slice(i + 1).every((l) => l === '');
      if (line === '') {
        offset = end;
        if (!last) this.#refuse(file, `${where} is empty`);
        continue;
      }
      let record: JournalRecord;
      try {
        record = JSON.parse(line) as JournalRecord;
      } catch {
        if (last && tornOk) {
          state.warnings.push(`${file}: dropped a torn last record at ${where} (a write cut short; it was never acknowledged).`);
          break;
        }
        this.#refuse(file, `${where} is not JSON`);
      }
      const problem = this.#shapes.recordProblem(record);
      if (problem) this.#refuse(file, `record at ${where}: ${problem}`);
      offset = end;
      goodLength = end;
      if (record.n <= included) continue;
      if (record.n !== this.#n + 1) this.#refuse(file, `record at ${where} is number ${record.n}, expected ${this.#n + 1}`);
      this.#n = record.n;
      apply(record);
    }
    return goodLength;
  }

  /** Whether start-up found the old journal of an unfinished compaction (fold it with {@link compact}). */
  get hasOldJournal(): boolean {
    return existsSync(this.oldJournalFile);
  }

  /** Appends one change and flushes it to disk; throws JournalWriteError when the disk refuses. */
  append(change: Omit<JournalRecord, 'n'>): void {
    this.appendAll([change]);
  }

  /**
   * Appends changes in order with one write and one flush (a group commit): all of them reach
   * the disk, or none is counted and JournalWriteError is thrown.
   */
  appendAll(changes: ReadonlyArray<Omit<JournalRecord, 'n'>>): void {
    if (this.#fd === undefined) throw new JournalWriteError('the journal is not open');
    if (changes.length === 0) return;
    let line = '';
    for (const [i, change] of changes.entries()) line += `${JSON.stringify({ n: this.#n + 1 + i, ...change })}\n`;
    try {
      this.#io.write(this.#fd, line);
      this.#io.sync(this.#fd);
    } catch (error) {
      // Cut off whatever part reached the file, so the next record starts on a clean line.
      try {
        ftruncateSync(this.#fd, this.#bytes);
      } catch {
        // The record is then a torn tail that start-up drops.
      }
      throw new JournalWriteError(`cannot write ${this.journalFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    this.#n += changes.length;
    this.#bytes += Buffer.byteLength(line);
  }

  /** Whether the journal has outgrown the snapshot enough to compact it (and no compaction is running). */
  get due(): boolean {
    return this.#compacting === undefined && this.#bytes > Math.max(MIN_COMPACT_BYTES, this.#snapshotBytes);
  }

  #snapshotText(state: Omit<Snapshot, 'format' | 'version' | 'savedAt' | 'journalRecord'>): string {
    const snapshot: Snapshot = { format: STATE_FORMAT, version: STATE_VERSION, savedAt: new Date().toISOString(), journalRecord: this.#n, ...state };
    return JSON.stringify(snapshot);
  }

  /** Writes the whole state as the snapshot now, and empties the journals (shutdown, admin flush, start-up folding). */
  compact(state: Omit<Snapshot, 'format' | 'version' | 'savedAt' | 'journalRecord'>): void {
    if (this.#fd === undefined) return;
    this.#generation += 1; // a background snapshot still being written is older: it will be discarded
    const text = this.#snapshotText(state);
    const temp = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(temp, 'w');
    try {
      NODE_IO.write(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.file);
    syncDirectory(path.dirname(this.file));
    this.#snapshotBytes = text.length;
    ftruncateSync(this.#fd, 0);
    this.#bytes = 0;
    if (existsSync(this.oldJournalFile)) unlinkSync(this.oldJournalFile);
  }

  /**
   * Compacts without stopping the service: serialises `state` now, starts a new journal (the
   * current one becomes the old journal), and writes the snapshot in the background. Returns the
   * background write (it never rejects: a failure is kept in {@link lastCompactionError}, and the
   * old journal stays until a later compaction folds it).
   */
  compactInBackground(state: Omit<Snapshot, 'format' | 'version' | 'savedAt' | 'journalRecord'>): Promise<void> | undefined {
    if (this.#fd === undefined || this.#compacting) return undefined;
    if (existsSync(this.oldJournalFile)) {
      // A previous background snapshot failed: fold everything at once instead.
      this.compact(state);
      return undefined;
    }
    const text = this.#snapshotText(state);
    const dir = path.dirname(this.file);
    try {
      renameSync(this.journalFile, this.oldJournalFile);
    } catch (error) {
      this.lastCompactionError = error as Error;
      return undefined;
    }
    const previous = this.#fd;
    try {
      this.#fd = openSync(this.journalFile, 'a');
    } catch (error) {
      renameSync(this.oldJournalFile, this.journalFile); // keep appending where we were
      this.lastCompactionError = error as Error;
      return undefined;
    }
    closeSync(previous);
    syncDirectory(dir); // the new journal's name is durable before a record in it is acknowledged
    this.#bytes = 0;
    const generation = this.#generation;
    const temp = `${this.file}.${process.pid}.background.tmp`;
    const write = async () => {
      const handle = await openAsync(temp, 'w');
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      if (generation !== this.#generation) {
        await unlinkAsync(temp); // a newer snapshot was written meanwhile
        return;
      }
      renameSync(temp, this.file); // synchronous: no newer snapshot can slip in between the check and the rename
      this.#snapshotBytes = text.length;
      syncDirectory(dir);
      if (generation === this.#generation && existsSync(this.oldJournalFile)) unlinkSync(this.oldJournalFile);
      this.lastCompactionError = undefined;
    };
    this.#compacting = write()
      .catch((error: unknown) => {
        this.lastCompactionError = error as Error;
      })
      .finally(() => {
        this.#compacting = undefined;
      });
    return this.#compacting;
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}

export function mergeAdditions(a: Additions, b: Additions): Additions {
  const world = structuredClone(a.world);
  for (const [uid, account] of Object.entries(b.world.accounts)) {
    const into = (world.accounts[uid] ??= { resourceGroups: [], vpcs: {} });
    for (const g of account.resourceGroups) if (!into.resourceGroups.includes(g)) into.resourceGroups.push(g);
    for (const [region, vpcs] of Object.entries(account.vpcs)) {
      const list = (into.vpcs[region] ??= []);
      for (const v of vpcs) if (!list.some((x) => x.VpcId === v.VpcId)) list.push(v);
    }
  }
  const accounts = [...a.accounts];
  for (const account of b.accounts) if (!accounts.some((x) => x.uid === account.uid)) accounts.push(account);
  return { accounts, world };
}
