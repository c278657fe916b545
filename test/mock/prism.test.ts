/**
 * The Prism answer stage: static answers are asked of Prism once per (Action, status, example)
 * and served as fresh copies; dynamic answers go to Prism every time.
 */
import { describe, expect, it } from 'vitest';
import { contract } from '../../src/contract/index.ts';
import { createPrismMock, precomputeAnswers, usePrecomputedAnswers, type StaticAnswerTable } from '../../src/mock/prism.ts';
import { documentHash } from '../../src/server/hash.ts';

const prism = await createPrismMock(contract.document);
const action = 'CreateVpcPeerConnection';

async function body(choice: Parameters<typeof prism.answer>[1]): Promise<Record<string, unknown>> {
  const outcome = await prism.answer(action, choice);
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.answer.body as Record<string, unknown>;
}

describe('Prism answer stage', () => {
  it('serves the same static answer as a fresh copy each time: a change to one never reaches the next', async () => {
    const first = await body({});
    const expected = structuredClone(first);
    first.RequestId = 'changed-by-the-server';
    (first as { InstanceId?: unknown }).InstanceId = 'changed';
    const second = await body({});
    expect(second).toEqual(expected);
    expect(second).not.toBe(first);
  });

  it('keeps answers apart by status and by example name', async () => {
    const missing = await body({ code: 400, example: 'MissingParameter' });
    const invalid = await body({ code: 400, example: 'InvalidParameter' });
    const internal = await body({ code: 500 });
    expect(missing.Code).toBe('MissingParameter');
    expect(invalid.Code).toBe('InvalidParameter');
    expect(internal.Code).toBe('InternalError');
    expect((await body({ code: 400, example: 'MissingParameter' })).Code).toBe('MissingParameter');
    expect((await body({})).InstanceId).toEqual((await body({})).InstanceId);
  });

  it('asks Prism for every dynamic answer: unseeded data differs, a seed repeats it', async () => {
    const ids = new Set<unknown>();
    for (let i = 0; i < 5; i++) ids.add(JSON.stringify(await body({ dynamic: true })));
    expect(ids.size).toBeGreaterThan(1);
    expect(await body({ dynamic: true, seed: 'one' })).toEqual(await body({ dynamic: true, seed: 'one' }));
  });

  it('still refuses an undocumented status or example, every time', async () => {
    for (let i = 0; i < 2; i++) {
      const outcome = await prism.answer(action, { code: 418 });
      expect(outcome.ok).toBe(false);
      const named = await prism.answer(action, { code: 400, example: 'NoSuchExample' });
      expect(named).toMatchObject({ ok: false });
    }
  });
});

describe('precomputed static answers (the installed bin)', () => {
  const document = contract.document;

  it('holds exactly what live Prism answers for every static choice of every Action', async () => {
    const table = await precomputeAnswers(document);
    usePrecomputedAnswers(undefined);
    const live = await createPrismMock(document);
    expect(Object.keys(table.actions).sort()).toEqual([...live.actions].sort());
    let compared = 0;
    for (const [name, entry] of Object.entries(table.actions)) {
      expect(new Map(Object.entries(entry.examples).map(([c, n]) => [Number(c), n]))).toEqual(live.examples(name));
      for (const [key, outcome] of Object.entries(entry.answers)) {
        const [code, example] = key.split(' ');
        const choice = { ...(code && { code: Number(code) }), ...(example && { example }) };
        expect(await live.answer(name, choice), `${name} ${key}`).toEqual(outcome);
        compared += 1;
      }
    }
    // Every Action answers its default, each status and each named example.
    expect(compared).toBeGreaterThan(11 * 5);
  });

  it('is used for the document it was made from, and ignored for any other', async () => {
    const table: StaticAnswerTable = structuredClone(await precomputeAnswers(document));
    const planted = table.actions[action]!.answers[' ']!;
    if (!planted.ok) throw new Error('the default answer must be a success');
    (planted.answer.body as Record<string, unknown>).Name = 'planted-by-the-test';
    try {
      usePrecomputedAnswers(table);
      expect((await (await createPrismMock(document)).answer(action, {})) as { answer: { body: { Name: string } } }).toMatchObject({ answer: { body: { Name: 'planted-by-the-test' } } });
      const other = structuredClone(document);
      (other.info as Record<string, unknown>).title = 'Another contract';
      expect(documentHash(other)).not.toBe(table.documentHash);
      const mock = await createPrismMock(other);
      const outcome = await mock.answer(action, {});
      expect(outcome.ok && (outcome.answer.body as Record<string, unknown>).Name).not.toBe('planted-by-the-test');
    } finally {
      usePrecomputedAnswers(undefined);
    }
  });
});
