/**
 * The state of one run shared by its parts (safe checks, lifecycle, cleanup): the sender, the
 * resolved options, the test cases with their skip reasons, and the findings made outside the
 * per-answer checks.
 */
import type { Exchange, Sender } from './exchange.ts';
import type { Finding } from './findings.ts';
import type { Resolved } from './options.ts';

export interface CaseRecord {
  name: string;
  action: string;
  /** `safe`, `negative`, `lifecycle`, `cleanup`, `run`. */
  suite: string;
  skipped?: string;
  /** Cut by an interrupt or the deadline. */
  cut?: string;
}

export class RunState {
  readonly cases = new Map<string, CaseRecord>();
  readonly findings: Finding[] = [];
  /** What could not be cleaned up, with the reason (printed, and the exit status is non-zero). */
  readonly leftovers: string[] = [];
  readonly notes: string[] = [];
  interrupted: string | undefined;
  /** Set when the run stops early: could not test (exit 3). */
  couldNotTest: string | undefined;

  constructor(
    readonly options: Resolved,
    readonly sender: Sender,
  ) {}

  get exchanges(): Exchange[] {
    return this.sender.exchanges;
  }

  open(name: string, action: string, suite: string): CaseRecord {
    let record = this.cases.get(name);
    if (!record) {
      record = { name, action, suite };
      this.cases.set(name, record);
    }
    return record;
  }

  skip(name: string, action: string, suite: string, reason: string): void {
    this.open(name, action, suite).skipped = reason;
  }

  get aborted(): boolean {
    return this.options.signal?.aborted === true || this.interrupted !== undefined;
  }
}
