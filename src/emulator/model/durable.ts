/**
 * The store made durable: each call's changes run inside a change set, are appended to the
 * journal (when there is a `--state` file) and only then kept; a journal write that fails undoes
 * them and surfaces as JournalWriteError. Loading rebuilds the store from snapshot and journal.
 */
import type { Clock, ClockState } from './clock.ts';
import type { Connection } from './connection.ts';
import { Journal, JournalWriteError, mergeAdditions, type JournalIo, type LoadedState } from './journal.ts';
import { StateFileError, StateShapes, type Additions } from './state-file.ts';
import type { Store } from './store.ts';

export { JournalWriteError, StateFileError };

export class DurableState {
  readonly store: Store;
  readonly clock: Clock;
  readonly journal: Journal | undefined;
  /** Accounts and world items added at run time, as persisted. */
  added: Additions = { accounts: [], world: { accounts: {} } };

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
    return loaded;
  }

  /**
   * Runs `fn` as one change: whatever it changes in the store is journaled before `change`
   * returns. When the journal write fails, the changes are undone and JournalWriteError thrown.
   */
  change<T>(fn: () => T): T {
    this.store.begin();
    let result: T;
    try {
      result = fn();
    } catch (error) {
      this.store.rollback();
      throw error;
    }
    if (!this.journal) {
      this.store.commit();
      return result;
    }
    // Read the change set without closing it, so a failed write can still undo it.
    const set = this.store.peek();
    if (set) {
      try {
        this.journal.append({ clock: this.clock.state(), seq: this.store.seq, connections: set.connections, ...(set.tokens.length && { tokens: set.tokens }) });
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
    if (this.journal) this.journal.append({ clock: record.clock ?? this.clock.state(), seq: record.reset ? 0 : this.store.seq, ...(record.reset && { reset: true }), ...(record.added && { added: record.added }) });
    apply();
    if (record.added) this.added = mergeAdditions(this.added, record.added);
    this.#compactIfDue();
  }

  #compactIfDue(): void {
    if (this.journal?.due) this.compact();
  }

  /** Writes the whole state as the snapshot (also at shutdown). */
  compact(): void {
    this.journal?.compact({ clock: this.clock.state(), seq: this.store.seq, connections: this.store.connections().map(strip), tokens: [...this.store.tokens], added: this.added });
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
