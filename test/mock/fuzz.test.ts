/**
 * Bounded fuzzing of the mock on loopback: 600 seeded random requests (malformed encodings,
 * wrong types, stray and mis-cased names, odd methods and content types, binary bodies). None
 * may get a 5xx or a body that is not Alibaba-shaped, and the server must keep answering.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../src/contract/index.ts';
import { createValidators } from '../../src/validate/index.ts';
import { startMock, type RunningMock } from '../helpers/mock.ts';

const REQUESTS = 600;
const validators = createValidators(contract);
let mock: RunningMock;
beforeAll(async () => {
  mock = await startMock({ logLevel: 'silent' });
});
afterAll(async () => {
  await mock.close();
});

/** mulberry32: a small seeded PRNG, so a failure can be replayed. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VALUES = ['', '0', '-1', '1e9', '99999999999999999999999', 'true', 'TRUE', 'maybe', '%', '%zz', '%E0%A4%A', '+', '%2B', 'a%00b', '中文', 'pcc-lnk0m24khwvtkm7q2j1x', 'x'.repeat(300), 'http://x', 'acs:k', ',', 'vpc-a,vpc-b,vpc-c', '[]', '{}'];
const METHODS = ['GET', 'POST', 'POST', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH'];
const TYPES = ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-8', 'application/json', 'text/plain', 'multipart/form-data; boundary=x', undefined];

function send(method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<{ status: number; text: string; type: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(mock.baseUrl);
    const req = request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, type: String(res.headers['content-type'] ?? '') }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

describe('fuzzing the mock', () => {
  it(`answers ${REQUESTS} random malformed requests without a 5xx or a non-Alibaba body`, async () => {
    const random = prng(20261123);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const actions = [...contract.actions, 'Nope', '', 'createvpcpeerconnection'];
    for (let i = 0; i < REQUESTS; i += 1) {
      const action = pick(actions);
      const op = contract.operations.get(action);
      const names = [...(op?.parameters.map((p) => p.name) ?? []), 'Tag.1.Key', 'Tag.0.Key', 'Tag.1.Foo', 'VpcId.1', 'instanceid', 'Version', '%ZZ'];
      const pairs: string[] = [];
      if (random() < 0.9) pairs.push(`Action=${action}`);
      if (random() < 0.8) pairs.push(`Version=${random() < 0.9 ? '2022-01-01' : pick(VALUES)}`);
      const n = Math.floor(random() * 8);
      for (let k = 0; k < n; k += 1) pairs.push(`${pick(names)}=${pick(VALUES)}`);
      const inBody = random() < 0.5;
      const method = pick(METHODS);
      const headers: Record<string, string> = {};
      const type = pick(TYPES);
      if (type) headers['content-type'] = type;
      if (random() < 0.2) headers.prefer = pick(['code=400', 'code=999', 'example=Nope', 'code=400, example=Throttling', 'dynamic=true', 'code=abc']);
      let body: Buffer | undefined;
      if (method !== 'GET' && method !== 'HEAD') {
        body = random() < 0.1 ? Buffer.from(Array.from({ length: 64 }, () => Math.floor(random() * 256))) : inBody ? Buffer.from(pairs.join('&')) : undefined;
      }
      // Clients percent-encode what HTTP forbids raw in a path (spaces, non-ASCII); the rest goes as is.
      const query = inBody && body ? '' : `?${pairs.join('&')}`.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));
      if (body) headers['content-length'] = String(body.length);
      const answer = await send(method, `/${query}`, headers, body);
      const where = `request ${i}: ${method} /${query} ${JSON.stringify(headers)}`;
      expect(answer.status, where).toBeGreaterThanOrEqual(200);
      expect(answer.status, where).toBeLessThan(500);
      if (method === 'HEAD') continue;
      expect(answer.type, `${where} → ${answer.status} ${answer.text}`).toMatch(/^application\/json/);
      const parsed = JSON.parse(answer.text) as Record<string, unknown>;
      expect(parsed.RequestId, where).toMatch(/^[0-9A-F-]{36}$/);
      if (answer.status >= 400) {
        const issues = validators.checkResponse(op ? action : 'GetVpcPeerConnectionAttribute', answer.status, parsed).filter((x) => x.rule !== 'code');
        expect(issues, `${where} → ${answer.text}`).toEqual([]);
      }
    }
    const alive = await send('GET', '/?Action=GetVpcPeerConnectionAttribute&Version=2022-01-01&InstanceId=pcc-1', {});
    expect(alive.status).toBe(200);
  }, 120_000);
});
