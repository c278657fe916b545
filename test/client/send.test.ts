/**
 * The client's core `send` and its steps: the built-in order (retry → timeout → your steps →
 * signing → fetch), a caller's step seeing each attempt, and the wire facts the client reads
 * instead of the whole contract (generated, drift-checked, equal to the contract's).
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { compose, VpcPeerClient, type Exchange, type Step } from '../../src/client/index.ts';
import { contract } from '../../src/contract/index.ts';
import { indexContract } from '../../src/contract/model.ts';
import { wireFacts, wireFactsModule } from '../../src/contract/wire-facts.ts';
import { wireFacts as generatedFacts } from '../../generated/wire-facts.ts';
import { verifyV3 } from '../../src/wire/signing/index.ts';

const SECRET = 'send-test-secret-never-leak';
const OK = JSON.stringify({ RequestId: 'r-1', InstanceId: 'pcc-1', OwnerId: 1210123456123456 });

/** A fetch that answers from a list (the last one repeats) and records what it was sent. */
function scripted(answers: Array<{ status: number; body: string; headers?: Record<string, string> }>) {
  const sent: Array<{ url: string; init: RequestInit }> = [];
  const fetch = (async (url: string, init: RequestInit) => {
    sent.push({ url, init });
    const next = answers[Math.min(sent.length - 1, answers.length - 1)]!;
    return new Response(next.body, { status: next.status, headers: { 'content-type': 'application/json', ...next.headers } });
  }) as unknown as typeof globalThis.fetch;
  return { fetch, sent };
}

describe('compose', () => {
  it('runs steps in order around the last one, each free to change the exchange for the next', async () => {
    const trail: string[] = [];
    const step = (name: string): Step => async (exchange, next) => {
      trail.push(`${name}>`);
      const answer = await next({ ...exchange, attempt: exchange.attempt + 1 });
      trail.push(`<${name}`);
      return answer;
    };
    const run = compose([step('a'), step('b')], async (exchange) => {
      trail.push(`last@${exchange.attempt}`);
      return { attempt: exchange.attempt };
    });
    expect(await run({ attempt: 0 } as Exchange)).toEqual({ attempt: 2 });
    expect(trail).toEqual(['a>', 'b>', 'last@2', '<b', '<a']);
  });
});

describe('a caller step', () => {
  it('runs once per attempt (inside retry and timeout), sees the unsigned request, and what it adds is signed', async () => {
    const { fetch, sent } = scripted([{ status: 503, body: JSON.stringify({ RequestId: 'r-0', Code: 'ServiceUnavailable', Message: 'busy' }) }, { status: 200, body: OK }]);
    const seen: Array<{ attempt: number; authorization: string | undefined }> = [];
    const tagging: Step = async (exchange, next) => {
      seen.push({ attempt: exchange.attempt, authorization: exchange.request.headers.authorization });
      expect(exchange.signal).toBeInstanceOf(AbortSignal);
      return next({ ...exchange, request: { ...exchange.request, headers: { ...exchange.request.headers, 'x-acs-trace': `t-${exchange.attempt}` } } });
    };
    const client = new VpcPeerClient({
      endpoint: 'http://127.0.0.1:9',
      credentials: { accessKeyId: 'LTAI5tSendTest', accessKeySecret: SECRET },
      fetch,
      steps: [tagging],
      sleep: async () => undefined,
    });
    const result = await client.getVpcPeerConnectionAttribute({ InstanceId: 'pcc-1' });
    expect(result.OwnerId).toBe('1210123456123456');
    expect(seen).toEqual([
      { attempt: 1, authorization: undefined },
      { attempt: 2, authorization: undefined },
    ]);
    const last = sent.at(-1)!;
    const headers = Object.fromEntries(Object.entries(last.init.headers as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    expect(headers['x-acs-trace']).toBe('t-2');
    expect(headers.authorization).toMatch(/SignedHeaders=[^,]*x-acs-trace/);
    const url = new URL(last.url);
    const verified = await verifyV3(
      { method: 'POST', path: '/', query: [...url.searchParams], headers: { ...headers, host: url.host }, body: new TextEncoder().encode(String(last.init.body ?? '')) },
      SECRET,
    );
    expect(verified).toEqual({ ok: true });
  });

  it('can answer instead of fetching (e.g. a test double), and its error reaches the caller as is', async () => {
    const { fetch, sent } = scripted([{ status: 200, body: OK }]);
    const canned: Step = async (exchange) => ({ RequestId: 'canned', InstanceId: exchange.action });
    const client = new VpcPeerClient({ credentials: 'anonymous', fetch, steps: [canned] });
    expect(await client.getVpcPeerConnectionAttribute({ InstanceId: 'pcc-1' })).toEqual({ RequestId: 'canned', InstanceId: 'GetVpcPeerConnectionAttribute' });
    const failing = new VpcPeerClient({ credentials: 'anonymous', fetch, steps: [async () => Promise.reject(new RangeError('from a step'))] });
    await expect(failing.getVpcPeerConnectionAttribute({ InstanceId: 'pcc-1' })).rejects.toThrow(RangeError);
    expect(sent).toHaveLength(0);
  });
});

describe('wire facts', () => {
  it('generated/wire-facts.ts is what `npm run generate` makes (run it and commit when this fails)', async () => {
    expect(await readFile(new URL('../../generated/wire-facts.ts', import.meta.url), 'utf8')).toBe(wireFactsModule(contract));
  });

  it('hold every Action, each parameter with its place and list style, and the int64 fields', () => {
    expect(Object.keys(generatedFacts.operations).sort()).toEqual([...contract.actions].sort());
    for (const action of contract.actions) {
      const op = contract.operations.get(action)!;
      const facts = generatedFacts.operations[action as keyof typeof generatedFacts.operations];
      expect(facts.parameters.map((p) => [p.name, p.placement])).toEqual(op.parameters.map((p) => [p.name, p.placement]));
    }
    expect(generatedFacts.int64Fields).toEqual(expect.arrayContaining(['OwnerId', 'AcceptingAliUid']));
  });

  it('follow the contract given: the version of another contract is what the client sends', async () => {
    expect(wireFacts(indexContract(structuredClone(contract.document)))).toEqual(wireFacts(contract));
    // The version appears as info.version and as the const of the Version parameter and header.
    const document = JSON.parse(JSON.stringify(contract.document).split('"2022-01-01"').join('"2099-01-01"')) as Record<string, unknown>;
    const facts = wireFacts(indexContract(document));
    expect(facts.version).toBe('2099-01-01');
    const prepared = await new VpcPeerClient({ credentials: 'anonymous', contract: indexContract(document) }).prepare('GetVpcPeerConnectionAttribute', { InstanceId: 'pcc-1' });
    expect(prepared.headers['x-acs-version']).toBe('2099-01-01');
  });
});
