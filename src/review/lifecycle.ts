/**
 * The status life cycle of a peering connection, as a table for the reference docs.
 *
 * The states, their order and what each means come from the `PeerConnectionStatus` schema of the
 * bundle. The transitions (which call or event moves a connection from one state to the next)
 * are not expressed in the contract yet, so they are listed here, from
 * shared/reference/vpcpeer-api-facts.md §3.2, and checked against the bundle on every build: a
 * state missing from the enum, an enum value no transition reaches, or an Action that the
 * document does not define fails the build instead of rendering a stale table.
 */
import { deref, isObj, listActions } from './openapi.ts';

export interface Transition {
  /** State before the call; `null` for a connection that does not exist yet, `*` for any state. */
  from: string | null;
  /** The Action that causes the move (a link in the docs), if it is a call. */
  action?: string;
  /** The condition or event, in words. */
  when: string;
  /** Transient states passed through, in order. */
  via: string[];
  to: string;
}

export const TRANSITIONS: readonly Transition[] = [
  { from: null, action: 'CreateVpcPeerConnection', when: 'accepter VPC in the caller’s own account', via: ['Creating'], to: 'Activated' },
  { from: null, action: 'CreateVpcPeerConnection', when: 'accepter VPC in another account', via: ['Creating'], to: 'Accepting' },
  { from: 'Accepting', action: 'AcceptVpcPeerConnection', when: 'called by the accepter account', via: ['Updating'], to: 'Activated' },
  { from: 'Accepting', action: 'RejectVpcPeerConnection', when: 'called by the accepter account', via: [], to: 'Rejected' },
  { from: 'Accepting', when: 'nobody answers within 7 days', via: [], to: 'Expired' },
  { from: 'Activated', action: 'ModifyVpcPeerConnection', when: 'name, description, bandwidth or link type changed', via: ['Updating'], to: 'Activated' },
  { from: '*', action: 'DeleteVpcPeerConnection', when: 'called by either side', via: ['Deleting'], to: 'Deleted' },
];

/** Rows of TRANSITIONS that, chained, give the cross-account path from request to deletion. */
const MAIN_PATH = [1, 2, 6] as const;

export const STATUS_SCHEMA = 'PeerConnectionStatus';

export interface Lifecycle {
  states: string[];
  description: string;
  transitions: readonly Transition[];
}

/** Reads the states from the bundle and checks the transition table against them. */
export function readLifecycle(doc: unknown): Lifecycle {
  const schemas = isObj(doc) && isObj(doc.components) && isObj(doc.components.schemas) ? doc.components.schemas : {};
  const schema = deref(doc, schemas[STATUS_SCHEMA]);
  if (!isObj(schema) || !Array.isArray(schema.enum)) {
    throw new Error(`components.schemas.${STATUS_SCHEMA} with an enum is missing: the life cycle table cannot be built.`);
  }
  const states = schema.enum.map(String);
  const actions = new Set(listActions(doc).map((a) => a.action));
  const problems: string[] = [];
  const reached = new Set<string>();
  for (const t of TRANSITIONS) {
    for (const s of [t.from, ...t.via, t.to]) {
      if (s === null || s === '*') continue;
      reached.add(s);
      if (!states.includes(s)) problems.push(`state ${s} is not in ${STATUS_SCHEMA}.enum`);
    }
    if (t.action !== undefined && !actions.has(t.action)) problems.push(`Action ${t.action} is not defined in the document`);
  }
  for (const s of states) if (!reached.has(s)) problems.push(`state ${s} of ${STATUS_SCHEMA}.enum has no transition in src/review/lifecycle.ts`);
  if (problems.length > 0) throw new Error(`The life cycle table is out of date:\n  ${[...new Set(problems)].join('\n  ')}`);
  return { states, description: typeof schema.description === 'string' ? schema.description : '', transitions: TRANSITIONS };
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** The chain of states along the main path, e.g. `Creating → Accepting → … → Deleted`. */
export function mainPath(): string[] {
  const chain: string[] = [];
  for (const i of MAIN_PATH) {
    const t = TRANSITIONS[i];
    if (t === undefined) continue;
    for (const s of [...t.via, t.to]) if (chain[chain.length - 1] !== s) chain.push(s);
  }
  return chain;
}

/** Markdown: the main path, the schema's own description, and a From / Call / Through / To table. */
export function lifecycleMarkdown(lifecycle: Lifecycle, heading = '####'): string {
  const state = (s: string | null): string => (s === null ? '(new)' : s === '*' ? 'any state' : s);
  const rows = lifecycle.transitions.map((t) => {
    const by = t.action !== undefined ? `**${t.action}**, ${t.when}` : `*${t.when}*`;
    const via = t.via.length > 0 ? t.via.join(' → ') : '—';
    return `| ${state(t.from)} | ${cell(by)} | ${via} | **${state(t.to)}** |`;
  });
  return [
    `${heading} Status life cycle`,
    '',
    `**${mainPath().join(' → ')}**`,
    '',
    cell(lifecycle.description),
    '',
    '| From | Call or event | Passes through | To |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
