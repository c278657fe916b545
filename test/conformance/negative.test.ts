/** Negative-case generation: one broken constraint per request, the contract's code and status, safe by construction. */
import { describe, expect, it } from 'vitest';
import { contract } from '../../src/contract/index.ts';
import { exampleParams } from '../../src/contract/model.ts';
import { validators } from '../../src/conformance/check.ts';
import { negativeCases, selectCases } from '../../src/conformance/negative.ts';

const all = contract.actions.map((action) => ({ action, ...negativeCases(action, 'cn-hangzhou', () => 'token-1') }));

describe('negative cases', () => {
  it('every case breaks exactly what it says, and the contract documents its code under its status', () => {
    for (const { cases } of all) {
      for (const c of cases) {
        const rejection = validators().checkRequest(c.action, c.params);
        expect(rejection?.code, `${c.action} ${c.constraint}`).toBe(c.code);
        expect(contract.errors.status(c.code, c.action)).toBe(c.status);
        if (c.keyword !== 'atLeastOneOf') expect(rejection?.parameter ?? rejection?.fill[0], `${c.action} ${c.constraint}`).toBe(c.parameter);
      }
    }
  });

  it('is safe: DryRun=true wherever the Action takes it, and only the contract example IDs', () => {
    for (const { action, cases } of all) {
      const op = contract.operation(action as never);
      for (const c of cases) {
        if (op.takesDryRun) expect(c.params.DryRun, `${action} ${c.constraint}`).toBe(true);
        // IDs are the contract's fictional examples, never the account's.
        const example = exampleParams(contract, action);
        for (const key of ['InstanceId', 'ResourceId']) if (c.params[key] !== undefined && !c.parameter.startsWith(key)) expect(c.params[key], `${action} ${c.constraint}`).toEqual(example[key]);
      }
    }
  });

  it('uses the per-Action codes of x-acs-violation-codes', () => {
    const tag = all.find((a) => a.action === 'TagResources')!.cases;
    expect(tag.find((c) => c.constraint === 'Tag maxItems')).toMatchObject({ code: 'NumberExceed.Tags', status: 400 });
    expect(tag.find((c) => c.constraint === 'Tag.1.Key pattern')).toMatchObject({ code: 'Forbidden.TagKeys' });
    const list = all.find((a) => a.action === 'ListTagResources')!.cases;
    expect(list.find((c) => c.keyword === 'atLeastOneOf')).toMatchObject({ code: 'BothEmpty.TagsAndResources' });
  });

  it('sample sends one per constraint kind per parameter; all sends every variant; off sends none', () => {
    const cases = all.flatMap((a) => a.cases);
    const sample = selectCases(cases, 'sample');
    expect(new Set(sample.map((c) => `${c.action} ${c.parameter} ${c.keyword}`)).size).toBe(sample.length);
    expect(selectCases(cases, 'all').length).toBeGreaterThan(sample.length);
    expect(selectCases(cases, 'off')).toEqual([]);
  });

  it('never breaks DryRun, and says why a constraint cannot be sent', () => {
    expect(all.flatMap((a) => a.cases).some((c) => c.parameter === 'DryRun')).toBe(false);
    const skipped = all.flatMap((a) => a.skipped);
    expect(skipped.find((s) => s.constraint === 'Name minLength' && s.action === 'ModifyVpcPeerConnection')?.reason).toBe('not sent: an empty value cannot be told from an absent one on the wire');
  });
});
