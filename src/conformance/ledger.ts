/**
 * The cleanup ledger: one JSON file per run, rewritten atomically (temp file + rename). Each
 * create's intent and ClientToken are written before the request is sent; the InstanceId is
 * added when the answer arrives; an entry is removed only once Get confirms the connection gone.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

export interface LedgerEntry {
  /** The lifecycle step that created it (`create`, `reject`). */
  step: string;
  account: 'owner' | 'peer';
  clientToken: string;
  name: string;
  instanceId?: string;
  state: 'intent' | 'created' | 'delete-sent';
  at: string;
}

export class Ledger {
  #entries: LedgerEntry[];

  constructor(
    readonly file: string,
    readonly runId: string,
  ) {
    this.#entries = Ledger.read(file).filter((e) => e !== null);
  }

  static read(file: string): LedgerEntry[] {
    if (!existsSync(file)) return [];
    try {
      const doc = JSON.parse(readFileSync(file, 'utf8')) as { entries?: LedgerEntry[] };
      return Array.isArray(doc.entries) ? doc.entries : [];
    } catch {
      return [];
    }
  }

  get entries(): readonly LedgerEntry[] {
    return this.#entries;
  }

  #save(): void {
    if (this.#entries.length === 0) {
      rmSync(this.file, { force: true });
      return;
    }
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify({ runId: this.runId, entries: this.#entries }, null, 2));
    renameSync(temp, this.file);
  }

  intend(entry: Omit<LedgerEntry, 'state' | 'at'>): LedgerEntry {
    const full: LedgerEntry = { ...entry, state: 'intent', at: new Date().toISOString() };
    this.#entries.push(full);
    this.#save();
    return full;
  }

  update(entry: LedgerEntry, change: Partial<LedgerEntry>): void {
    Object.assign(entry, change);
    this.#save();
  }

  /** Only after Get confirmed the connection gone. */
  forget(entry: LedgerEntry): void {
    this.#entries = this.#entries.filter((e) => e !== entry);
    this.#save();
  }
}
