/**
 * vpcpeer-lifecycle-statuses (resolved document, given `$`)
 *
 * Every status the lifecycle names (a transition's `from`, `via` and `to`, the `terminal` list)
 * and every status of an operation's `x-acs-allowed-statuses` is a value of the enum of the
 * schema that carries `x-acs-lifecycle`; every transition names an Action of the document
 * (`action`) or a timer, not both.
 */
import { findLifecycle, lifecycleOperations, terminalOf, transitionsOf } from '../lib/lifecycle.mjs';
import { isObject } from '../lib/openapi.mjs';

export default function vpcpeerLifecycleStatuses(document) {
  const found = findLifecycle(document);
  if (found === undefined) return [];
  const results = [];
  const states = new Set(found.states);
  const ops = lifecycleOperations(document.paths);
  const check = (value, where, path) => {
    if (typeof value === 'string' && states.has(value)) return;
    results.push({ message: `${where} names status ${JSON.stringify(value)}, which is not a value of the status enum (${found.states.join(', ')}).`, path });
  };
  const lifecycle = found.schema['x-acs-lifecycle'];
  if (!isObject(lifecycle)) {
    return [{ message: 'x-acs-lifecycle must be an object with terminal and transitions.', path: [...found.path, 'x-acs-lifecycle'] }];
  }
  terminalOf(found).forEach((s, i) => check(s, 'x-acs-lifecycle terminal', [...found.path, 'x-acs-lifecycle', 'terminal', i]));
  for (const { transition, path } of transitionsOf(found)) {
    const where = `x-acs-lifecycle transition ${path[path.length - 1] + 1}`;
    if (transition.from !== null && transition.from !== '*') check(transition.from, `${where} (from)`, [...path, 'from']);
    (Array.isArray(transition.via) ? transition.via : []).forEach((s, i) => check(s, `${where} (via)`, [...path, 'via', i]));
    check(transition.to, `${where} (to)`, [...path, 'to']);
    const hasAction = transition.action !== undefined;
    const hasTimer = transition.timer !== undefined;
    if (hasAction === hasTimer) {
      results.push({ message: `${where} needs exactly one of "action" and "timer".`, path });
    } else if (hasAction && !ops.has(transition.action)) {
      results.push({ message: `${where} names Action ${JSON.stringify(transition.action)}, which the document does not define.`, path: [...path, 'action'] });
    }
  }
  for (const [action, { op, allowed }] of ops) {
    if (allowed === undefined) continue;
    if (!Array.isArray(allowed)) {
      results.push({ message: `${action}: x-acs-allowed-statuses must be a list of statuses.`, path: [...op.path, 'x-acs-allowed-statuses'] });
      continue;
    }
    allowed.forEach((s, i) => check(s, `${action}: x-acs-allowed-statuses`, [...op.path, 'x-acs-allowed-statuses', i]));
  }
  return results;
}
