/**
 * The contract suite: every Action of generated/openapi.json, called through the typed client
 * against the target (default: the mock, started here on a free port; `CONTRACT_TARGET=<url>`
 * for any endpoint), every answer checked by the Ajv validators. Safe by default: reads, and
 * mutating calls only with DryRun=true; Actions that change state without DryRun are skipped
 * (reported as "skipped because unsafe") unless the target is the self-started mock or the
 * lifecycle was opted in. See contract-tests/lib/target.ts for the variables.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../src/contract/index.ts';
import { runAction, summaryTable, type ActionOutcome } from '../src/conformance/run.ts';
import { openTarget, type Target } from '../src/conformance/target.ts';

let target: Target;
const outcomes: ActionOutcome[] = [];

beforeAll(async () => {
  target = await openTarget();
});

afterAll(async () => {
  if (target && outcomes.length > 0) console.log(summaryTable(outcomes, target));
  await target?.close();
});

describe('VpcPeer answers conform to the contract', () => {
  for (const action of contract.actions) it(action, async (ctx) => {
    const outcome = await runAction(target, action);
    outcomes.push(outcome);
    if (outcome.result === 'skipped-unsafe') {
      ctx.skip(`${action} changes state and has no DryRun: skipped because unsafe (opt in with --lifecycle)`);
      return;
    }
    expect(outcome.failures, outcome.failures.join('\n')).toEqual([]);
    expect(outcome.answers).toBeGreaterThan(0);
  });
});
