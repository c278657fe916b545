/**
 * vpcpeer-lifecycle-graph (resolved document, given `$`)
 *
 * The lifecycle is connected: every status of the enum is reachable from creation (transitions
 * `from: null`, then onwards), at least one status is terminal, and every reachable live
 * (non-terminal) status can reach a terminal one. A transition `from: '*'` leaves every live
 * status its Action allows (`x-acs-allowed-statuses`; every live status when it declares none);
 * `via` statuses are passed on the way to `to`. Statuses outside the enum are left to
 * vpcpeer-lifecycle-statuses.
 */
import { findLifecycle, lifecycleOperations, terminalOf, transitionsOf } from '../lib/lifecycle.mjs';

export default function vpcpeerLifecycleGraph(document) {
  const found = findLifecycle(document);
  if (found === undefined) return [];
  const states = found.states;
  const known = new Set(states);
  const terminal = new Set(terminalOf(found).filter((s) => known.has(s)));
  const ops = lifecycleOperations(document.paths);
  const lifecyclePath = [...found.path, 'x-acs-lifecycle'];
  if (terminal.size === 0) return [{ message: 'x-acs-lifecycle has no terminal status: a connection could never end.', path: lifecyclePath }];

  // Edges between statuses; 'start' stands for "does not exist yet".
  const edges = new Map([['start', new Set()], ...states.map((s) => [s, new Set()])]);
  const link = (from, chain) => {
    let at = from;
    for (const next of chain) {
      if (!known.has(next)) continue; // reported by vpcpeer-lifecycle-statuses
      edges.get(at).add(next);
      at = next;
    }
  };
  for (const { transition } of transitionsOf(found)) {
    const chain = [...(Array.isArray(transition.via) ? transition.via : []), transition.to];
    if (transition.from === null) link('start', chain);
    else if (transition.from === '*') {
      const allowed = ops.get(transition.action)?.allowed;
      for (const s of states) {
        if (terminal.has(s)) continue;
        if (Array.isArray(allowed) && !allowed.includes(s)) continue;
        link(s, chain);
      }
    } else if (known.has(transition.from)) link(transition.from, chain);
  }
  const reach = (from) => {
    const seen = new Set([from]);
    const queue = [from];
    while (queue.length > 0) for (const next of edges.get(queue.shift()) ?? []) if (!seen.has(next)) (seen.add(next), queue.push(next));
    return seen;
  };
  const results = [];
  const reachable = reach('start');
  for (const s of states) {
    if (!reachable.has(s)) {
      results.push({ message: `Status ${JSON.stringify(s)} cannot be reached from creation: no chain of transitions leads to it.`, path: lifecyclePath });
    } else if (!terminal.has(s) && ![...reach(s)].some((t) => terminal.has(t))) {
      results.push({ message: `Status ${JSON.stringify(s)} is live but no chain of transitions leads from it to a terminal status (${[...terminal].join(', ')}).`, path: lifecyclePath });
    }
  }
  return results;
}
