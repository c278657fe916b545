/**
 * A finding: one defect (failure) or one piece of news (warning), naming the Action, the check
 * that found it and every request involved with its RequestId.
 */
import { cite, type Exchange } from './exchange.ts';

export type Severity = 'failure' | 'warning';

export interface Finding {
  severity: Severity;
  action: string;
  /** The check's name, e.g. `schema`, `paging`, `negative`, `dry-run-snapshot`. */
  check: string;
  /** The precise message, starting with the Action. */
  message: string;
  /** `#<seq> <Action> RequestId <id>` of every request involved. */
  requests: string[];
  requestIds: string[];
  /** The test case the finding belongs to (the report groups by it). */
  case: string;
}

export function finding(severity: Severity, check: string, message: string, exchanges: readonly Exchange[], caseName?: string, action?: string): Finding {
  const first = exchanges[0];
  return {
    severity,
    action: action ?? first?.action ?? '-',
    check,
    message,
    requests: exchanges.map(cite),
    requestIds: exchanges.flatMap((e) => (e.requestId ? [e.requestId] : [])),
    case: caseName ?? first?.case ?? '-',
  };
}

/** The message with the requests it cites: what the console and JUnit print. */
export function render(f: Finding): string {
  return f.requests.length > 0 ? `${f.message} [${f.requests.join('; ')}]` : f.message;
}
