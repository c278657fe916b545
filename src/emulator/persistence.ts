/**
 * `--state FILE`: the world survives a restart. The file is read at start (a corrupt or foreign
 * file is an error that names it, never a silent reset) and written atomically (temporary file,
 * fsync, rename) shortly after every change and at shutdown.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { StateFileError, type Store } from './store.ts';

export class Persistence {
  readonly file: string;
  readonly #store: Store;
  #timer: NodeJS.Timeout | undefined;
  #dirty = false;
  /** Debounce between a change and the write, in ms. */
  readonly delayMs: number;

  constructor(file: string, store: Store, delayMs = 25) {
    this.file = path.resolve(file);
    this.#store = store;
    this.delayMs = delayMs;
  }

  /** Loads the file into the store; returns false when it does not exist yet. */
  load(): boolean {
    if (!existsSync(this.file)) {
      this.#dirty = true; // written at the first change or at shutdown
      return false;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch (error) {
      throw new StateFileError(`${this.file} is not a usable emulator state file: ${(error as Error).message}. Fix or remove it (the emulator never resets a state file silently).`);
    }
    this.#store.restore(raw, this.file);
    return true;
  }

  changed(): void {
    this.#dirty = true;
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.flush();
    }, this.delayMs);
    this.#timer.unref();
  }

  /** Writes now if anything changed since the last write. */
  flush(): void {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (!this.#dirty) return;
    this.#dirty = false;
    const text = JSON.stringify(this.#store.snapshot());
    const temp = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(temp, 'w');
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.file);
  }
}
