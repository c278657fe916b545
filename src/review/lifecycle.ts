/**
 * The status life cycle of a peering connection for the reference, drawn from the contract's
 * lifecycle data (`x-acs-lifecycle`, read by src/contract): the main path, a table of every
 * transition, and an SVG diagram built offline (plain SVG text, no script, no font download).
 */
import type { Contract, Lifecycle, Transition } from '../contract/model.ts';
import { escapeMarkup } from './html.ts';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A transition as a chain of states: `from` (or `null` / `*`), the `via` states, then `to`. */
function chainOf(t: Transition): string[] {
  return [...t.via, t.to];
}

/**
 * The longest path from creation to a terminal state that visits no state twice (ties: the
 * earlier transitions win), e.g. `Creating → Accepting → Updating → Activated → Deleting → Deleted`.
 */
export function mainPath(lifecycle: Lifecycle): string[] {
  const terminal = new Set(lifecycle.terminal);
  const leaving = (state: string): Transition[] =>
    lifecycle.transitions.filter((t) => t.from === state || (t.from === '*' && !terminal.has(state)));
  let best: string[] = [];
  const walk = (path: string[]): void => {
    const at = path[path.length - 1];
    if (at !== undefined && terminal.has(at)) {
      if (path.length > best.length) best = path;
      return;
    }
    for (const t of at === undefined ? lifecycle.transitions.filter((x) => x.from === null) : leaving(at)) {
      const chain = chainOf(t);
      if (chain.some((s) => path.includes(s))) continue;
      walk([...path, ...chain]);
    }
  };
  walk([]);
  return best;
}

/** The Actions whose description shows the life cycle: every Action it names, and the `get` reads. */
export function lifecycleActions(contract: Contract): string[] {
  const named = new Set(contract.lifecycle.transitions.flatMap((t) => (t.action !== undefined ? [t.action] : [])));
  return contract.actions.filter((a) => named.has(a) || contract.operations.get(a)?.operationType === 'get');
}

function triggerOf(t: Transition): string {
  if (t.action !== undefined) return `**${t.action}**, ${t.when}`;
  return `*after ${t.timer?.after ?? '?'} (${t.when})*`;
}

/** Markdown: the diagram, the main path, the status schema's description and a transition table. */
export function lifecycleMarkdown(lifecycle: Lifecycle, options: { description?: string; svgHref?: string; heading?: string } = {}): string {
  const state = (s: string | null): string => (s === null ? '(new)' : s === '*' ? 'any status it allows' : s);
  const rows = lifecycle.transitions.map((t) => {
    const via = t.via.length > 0 ? t.via.join(' → ') : '—';
    return `| ${state(t.from)} | ${cell(triggerOf(t))} | ${via} | **${state(t.to)}** |`;
  });
  return [
    `${options.heading ?? '####'} Status life cycle`,
    '',
    ...(options.svgHref !== undefined ? [`![Status life cycle: ${mainPath(lifecycle).join(', ')}](${options.svgHref})`, ''] : []),
    `**${mainPath(lifecycle).join(' → ')}**`,
    '',
    ...(options.description ? [cell(options.description), ''] : []),
    `Terminal: ${lifecycle.terminal.map((s) => `**${s}**`).join(', ')}.`,
    '',
    '| From | Call or event | Passes through | To |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/**
 * The life cycle as an SVG diagram: states in columns by their distance from creation, the
 * transient (`via`-only) states dashed, terminal states doubled; an arrow per step, labelled
 * with its Action or timer. Transitions from "any status" start at one shared box.
 */
export function lifecycleSvg(lifecycle: Lifecycle): string {
  const START = '(new)';
  const ANY = 'any status';
  const terminal = new Set(lifecycle.terminal);
  const transient = new Set(lifecycle.states.filter((s) => lifecycle.transitions.every((t) => t.to !== s && t.from !== s)));
  interface Edge { from: string; to: string; label: string }
  const edges: Edge[] = [];
  for (const t of lifecycle.transitions) {
    const label = t.action ?? `after ${t.timer?.after ?? ''}`;
    let at = t.from === null ? START : t.from === '*' ? ANY : t.from;
    chainOf(t).forEach((next, i) => {
      const same = edges.find((e) => e.from === at && e.to === next);
      const text = i === 0 ? label : '';
      if (same === undefined) edges.push({ from: at, to: next, label: text });
      else if (text && !same.label.split(', ').includes(text)) same.label = same.label ? `${same.label}, ${text}` : text;
      at = next;
    });
  }
  // Columns: shortest distance from creation; "any status" sits beside the states it leaves.
  const depth = new Map<string, number>();
  /** Breadth first from `root` (at column `column`): each state not placed yet goes one column further. */
  const spread = (root: string, column: number) => {
    depth.set(root, column);
    const queue = [root];
    while (queue.length > 0) {
      const s = queue.shift() as string;
      for (const e of edges) {
        if (e.from !== s || depth.has(e.to)) continue;
        depth.set(e.to, (depth.get(s) ?? 0) + 1);
        queue.push(e.to);
      }
    }
  };
  spread(START, 0);
  // "Any status" starts a second row at the first column after creation, so the diagram
  // stays about as wide as the longest chain.
  if (edges.some((e) => e.from === ANY)) spread(ANY, 1);
  // States reached only from "any status" go to the bottom row with it.
  const fromAny = new Set<string>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const e of edges) if ((e.from === ANY || fromAny.has(e.from)) && !fromAny.has(e.to) && edges.every((x) => x.to !== e.to || x.from === ANY || fromAny.has(x.from))) grew = fromAny.size < fromAny.add(e.to).size || grew;
  }
  const top = lifecycle.states.filter((n) => !fromAny.has(n));
  const bottom = lifecycle.states.filter((n) => fromAny.has(n));
  const nodes = [START, ...top, ...(depth.has(ANY) ? [ANY] : []), ...bottom].filter((n) => depth.has(n));
  const columns = new Map<number, string[]>();
  for (const n of nodes) columns.set(depth.get(n) ?? 0, [...(columns.get(depth.get(n) ?? 0) ?? []), n]);
  const W = 118;
  const H = 34;
  const GAP_X = 82;
  const GAP_Y = 40;
  const rows = Math.max(...[...columns.values()].map((c) => c.length));
  const width = columns.size * (W + GAP_X) - GAP_X + 40;
  const height = rows * (H + GAP_Y) - GAP_Y + 60;
  const pos = new Map<string, { x: number; y: number }>();
  for (const [col, list] of columns) {
    const offset = ((rows - list.length) * (H + GAP_Y)) / 2;
    list.forEach((n, i) => pos.set(n, { x: 20 + col * (W + GAP_X), y: 30 + offset + i * (H + GAP_Y) }));
  }
  const parts: string[] = [];
  for (const e of edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (a === undefined || b === undefined) continue;
    let d: string;
    let lx: number;
    let ly: number;
    if (b.x > a.x) {
      const [x1, y1, x2, y2] = [a.x + W, a.y + H / 2, b.x, b.y + H / 2];
      d = `M${x1},${y1} C${x1 + GAP_X / 2},${y1} ${x2 - GAP_X / 2},${y2} ${x2},${y2}`;
      // The label sits 70% along the curve (near its target), where edges from one state part.
      const t = 0.7;
      const bx = (1 - t) ** 3 * x1 + 3 * (1 - t) ** 2 * t * (x1 + GAP_X / 2) + 3 * (1 - t) * t ** 2 * (x2 - GAP_X / 2) + t ** 3 * x2;
      const by = y1 + (y2 - y1) * (3 * t ** 2 - 2 * t ** 3);
      [lx, ly] = [bx, by - 4];
    } else {
      // Back (or same-column) edge: an arc above both boxes.
      const [x1, y1, x2, y2] = [a.x + W / 2, a.y, b.x + W / 2, b.y];
      const top = Math.min(y1, y2) - 24;
      d = `M${x1},${y1} C${x1},${top} ${x2},${top} ${x2},${y2}`;
      [lx, ly] = [(x1 + x2) / 2, top + 2];
    }
    parts.push(`<path d="${d}" fill="none" stroke="#555" stroke-width="1.3" marker-end="url(#arrow)"/>`);
    const label = e.label.split(', ').map((l) => l.replace(/VpcPeerConnection$/, '')).join(', ');
    if (label) parts.push(`<text x="${Math.round(lx)}" y="${Math.round(ly)}" font-size="10" text-anchor="middle" fill="#123" stroke="#fff" stroke-width="3" paint-order="stroke">${escapeMarkup(label)}</text>`);
  }
  for (const n of nodes) {
    const { x, y } = pos.get(n) as { x: number; y: number };
    const dashed = transient.has(n) || n === ANY ? ' stroke-dasharray="4 3"' : '';
    const fill = n === START ? '#eef' : terminal.has(n) ? '#eee' : '#fff';
    parts.push(`<rect x="${x}" y="${y}" width="${W}" height="${H}" rx="8" fill="${fill}" stroke="#333"${dashed}/>`);
    if (terminal.has(n)) parts.push(`<rect x="${x + 3}" y="${y + 3}" width="${W - 6}" height="${H - 6}" rx="6" fill="none" stroke="#333"/>`);
    parts.push(`<text x="${x + W / 2}" y="${y + H / 2 + 4}" font-size="12" text-anchor="middle" fill="#000">${escapeMarkup(n)}</text>`);
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" role="img">`,
    `<title>Status life cycle: ${escapeMarkup(mainPath(lifecycle).join(' → '))}</title>`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
    ...parts,
    `<text x="20" y="${height - 8}" font-size="10" fill="#555">Dashed: passed through on the way (transient) or any status the call allows. Double: terminal. Labels: the Action (without "VpcPeerConnection") or the timer.</text>`,
    '</svg>',
    '',
  ].join('\n');
}
