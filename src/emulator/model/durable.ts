/**
 * The store made durable: each call's changes run inside a change set, are appended to the
 * journal (when there is a `--state` file) and only then acknowledged; a journal write that
 * fails undoes them and surfaces as JournalWriteError. Loading rebuilds the store from snapshot
 * and journal.
 *
 * API calls use a group commit ({@link DurableState.groupChange}): a call's change is applied at
 * once, and every change made in the same turn of the event loop is written and flushed with
 * one fdatasync just after that turn; only then are their answers released. When that write
 * fails, the whole batch is undone (newest first) and each of its calls gets JournalWriteError.
 * An answer that changed nothing but was computed while a batch was pending waits for it too
 * (no answer ever shows a change that is not on disk), and is computed again if the batch is
 * undone. Admin changes ({@link DurableState.change}, {@link DurableState.adminChange}) are
 * written at once, after any pending batch.
 */
import type { Clock, ClockState } from './clock.ts';
import type { Connection } from './connection.ts';
import { Journal, JournalWriteError, mergeAdditions, type JournalIo, type LoadedState } from './journal.ts';
import { StateFileError, StateShapes, type Additions, type JournalRecord } from './state-file.ts';
import type { ChangeSet, Store, Undo } from './store.ts';

export { JournalWriteError, StateFileError };

/** Changes applied and waiting for the one write and flush they share. */
interface Batch {
  records: Array<Omit<JournalRecord, 'n'>>;
  undos: Undo[];
  /** Settles when the batch is on disk (or rejects once it has been undone). */
  done: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

export class DurableState {
  readonly store: Store;
  readonly clock: Clock;
  readonly journal: Journal | undefined;
  /** Accounts and world items added at run time, as persisted. */
  added: Additions = { accounts: [], world: { accounts: {} } };
  /** The group commit being gathered in this turn of the event loop. */
  #batch: Batch | undefined;

  constructor(store: Store, clock: Clock, stateFile?: string, io?: JournalIo) {
    this.store = store;
    this.clock = clock;
    this.journal = stateFile ? new Journal(stateFile, new StateShapes(store.lifecycle.states), io) : undefined;
  }

  /**
   * Opens the state file (if any) and loads it into the store; `check` vets every connection
   * (its answer must conform) and returns a problem sentence to refuse it.
   */
  open(check: (c: Connection) => string | undefined): LoadedState | undefined {
    if (!this.journal) return undefined;
    const loaded = this.journal.open();
    for (const c of loaded.connections) {
      const problem = check(c);
      if (problem) {
        throw new StateFileError(`${this.journal.file} is not a usable emulator state file: connection ${c.id}: ${problem}. Fix or remove it (the emulator never resets a state file silently).`);
      }
    }
    this.store.clear();
    if (loaded.clock) this.clock.restore(loaded.clock);
    this.store.seq = loaded.seq;
    for (const c of loaded.connections) this.store.insert(c);
    for (const [key, record] of loaded.tokens) this.store.tokens.set(key, record);
    this.added = loaded.added;
    // A compaction that a crash interrupted: finish it now, before anything is served.
    if (this.journal.hasOldJournal) this.compact();
    return loaded;
  }

  /**
   * Runs `fn` as one change, group-committed: its result at once when it changed nothing and
   * nothing is pending (or there is no journal), else a promise that settles once its batch is
   * on disk. When the batch's write fails, its changes are undone and the promise rejects with
   * JournalWriteError.
   */
  groupChange<T>(fn: () => T): T | Promise<T> {
    if (!this.journal) return this.change(fn);
    const result = this.#run(fn);
    const set = this.store.peek();
    if (!set) {
      this.store.close(); // nothing to read: peek() just said so
      // The answer may rest on changes not yet on disk: it waits for them, or is computed again without them.
      const pending = this.#batch?.done;
      return pending ? pending.then(() => result, () => this.groupChange(fn)) : result;
    }
    const record = this.#record(set);
    const batch = this.#openBatch();
    batch.records.push(record);
    batch.undos.push(this.store.seal());
    return batch.done.then(() => result);
  }

  /** Runs `fn` inside a fresh change set; a throw undoes what it changed. */
  #run<T>(fn: () => T): T {
    this.store.begin();
    try {
      return fn();
    } catch (error) {
      this.store.rollback();
      throw error;
    }
  }

  /** The journal record of a change set, with the clock and sequence as they are now. */
  #record(set: ChangeSet): Omit<JournalRecord, 'n'> {
    return { clock: this.clock.state(), seq: this.store.seq, connections: set.connections, ...(set.tokens.length && { tokens: set.tokens }) };
  }

  #openBatch(): Batch {
    if (this.#batch) return this.#batch;
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const done = new Promise<void>((yes, no) => {
      resolve = yes;
      reject = no;
    });
    const batch: Batch = { records: [], undos: [], done, resolve, reject };
    this.#batch = batch;
    // After this turn's callbacks: every change made in the turn joins this one write.
    setImmediate(() => this.#flush());
    return batch;
  }

  /** Writes and flushes the pending batch, if any; on failure undoes it, newest first. */
  #flush(): void {
    const batch = this.#batch;
    if (!batch) return;
    this.#batch = undefined;
    try {
      this.journal!.appendAll(batch.records);
    } catch (error) {
      for (const undo of batch.undos.reverse()) this.store.undo(undo);
      batch.reject(error);
      return;
    }
    batch.resolve();
    this.#compactIfDue();
  }

  /**
   * Runs `fn` as one change, written at once: whatever it changes in the store is journaled
   * before `change` returns. When the journal write fails, the changes are undone and
   * JournalWriteError thrown.
   */
  change<T>(fn: () => T): T {
    this.#flush();
    const result = this.#run(fn);
    if (!this.journal) {
      this.store.close();
      return result;
    }
    // Read the change set without closing it, so a failed write can still undo it.
    const set = this.store.peek();
    if (set) {
      try {
        this.journal.append(this.#record(set));
      } catch (error) {
        this.store.rollback();
        throw error;
      }
    }
    this.store.commit();
    this.#compactIfDue();
    return result;
  }

  /** Journals an admin change described by `record`, then applies it with `apply`. */
  adminChange(record: { clock?: ClockState; reset?: boolean; added?: Additions }, apply: () => void): void {
    this.#flush();
    if (this.journal) this.journal.append({ clock: record.clock ?? this.clock.state(), seq: record.reset ? 0 : this.store.seq, ...(record.reset && { reset: true }), ...(record.added && { added: record.added }) });
    apply();
    if (record.added) this.added = mergeAdditions(this.added, record.added);
    this.#compactIfDue();
  }

  #compactIfDue(): void {
    if (this.journal?.due) this.compacting = this.journal.compactInBackground(this.#state());
  }

  /** The background snapshot write started last, if any (tests await it). */
  compacting: Promise<void> | undefined;

  #state() {
    return { clock: this.clock.state(), seq: this.store.seq, connections: this.store.connections().map(strip), tokens: [...this.store.tokens], added: this.added };
  }

  /** Writes the whole state as the snapshot now (also at shutdown). */
  compact(): void {
    this.#flush();
    this.journal?.compact(this.#state());
  }

  close(): void {
    if (!this.journal) return;
    this.compact();
    this.journal.close();
  }
}

function strip(c: Connection): Connection {
  const { rev: _rev, ...rest } = c;
  return rest;
}
