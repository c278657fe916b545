/**
 * vpcpeer-lifecycle-rules (resolved document, given `$`)
 *
 * When the document has a lifecycle, every operation that changes state (its
 * `x-acs-operation-type` is not `get` or `list`) says who may call it (`x-acs-caller`:
 * requester, accepter or either) and in which statuses (`x-acs-allowed-statuses`), except the
 * operation that creates the connection (a transition `from: null`), which declares only its
 * caller: there is no status before it exists. Read-only operations declare neither.
 */
import { creatingActions, findLifecycle, lifecycleOperations } from '../lib/lifecycle.mjs';

const CALLERS = ['requester', 'accepter', 'either'];

export default function vpcpeerLifecycleRules(document) {
  const found = findLifecycle(document);
  if (found === undefined) return [];
  const creating = creatingActions(found);
  const results = [];
  for (const [action, { op, caller, allowed, readOnly }] of lifecycleOperations(document.paths)) {
    const at = (key) => (op.operation[key] !== undefined ? [...op.path, key] : op.path);
    if (readOnly) {
      for (const key of ['x-acs-caller', 'x-acs-allowed-statuses']) {
        if (op.operation[key] !== undefined) results.push({ message: `${action} only reads (x-acs-operation-type ${op.operation['x-acs-operation-type']}); it must not declare ${key}.`, path: at(key) });
      }
      continue;
    }
    if (caller === undefined) {
      results.push({ message: `${action} changes state but declares no x-acs-caller (requester, accepter or either).`, path: op.path });
    } else if (!CALLERS.includes(caller)) {
      results.push({ message: `${action}: x-acs-caller is ${JSON.stringify(caller)}; it must be requester, accepter or either.`, path: at('x-acs-caller') });
    }
    if (creating.has(action)) {
      if (allowed !== undefined) results.push({ message: `${action} creates the connection, so it has no status to be allowed in; remove x-acs-allowed-statuses.`, path: at('x-acs-allowed-statuses') });
    } else if (allowed === undefined) {
      results.push({ message: `${action} changes state but declares no x-acs-allowed-statuses (the statuses in which it is carried out).`, path: op.path });
    } else if (Array.isArray(allowed) && allowed.length === 0) {
      results.push({ message: `${action}: x-acs-allowed-statuses is empty; the operation could never be carried out.`, path: at('x-acs-allowed-statuses') });
    }
  }
  return results;
}
