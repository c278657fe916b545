/**
 * src/server/pipeline.ts with planted stages: the order accept → route → authenticate → admit →
 * validate → answer, each stage's refusal turned into the documented answer for the routed
 * Action, intercept taking a request over, CORS on every answer, and a defect in a stage
 * answered as InternalError without a stack trace.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../src/contract/index.ts';
import { errorAnswer } from '../../src/wire/errors.ts';
import { createRpcServer, send } from '../../src/server/http.ts';
import { createPipeline, type Rejection } from '../../src/server/pipeline.ts';
import { createValidators } from '../../src/validate/index.ts';

const validators = createValidators(contract);
const stages: string[] = [];
const lines: string[] = [];
let baseUrl: string;
let close: () => Promise<void>;

beforeAll(async () => {
  const handle = createPipeline<{ name: string }>({
    contract,
    validators,
    cors: { exposeHeaders: ['x-test'] },
    async intercept(message, res, cors) {
      if (message.url !== '/__taken') return undefined;
      send(res, 200, { taken: true }, cors);
      return { action: 'intercepted', status: 200 };
    },
    authenticate({ request, action }) {
      stages.push(`authenticate ${action}`);
      if (request.headers['x-deny'] === 'auth') return { ok: false, rejection: { code: 'IncompleteSignature', detail: 'Planted.' } };
      return { ok: true, caller: { name: 'alice' }, who: 'alice' };
    },
    async admit({ request, caller }) {
      stages.push(`admit ${caller.name}`);
      if (request.headers['x-deny'] === 'admit') return { code: 'Throttling.User' } satisfies Rejection;
      if (request.headers['x-deny'] === 'defect') throw new Error('planted defect with a secret-looking text');
      return undefined;
    },
    async answer({ action, params }) {
      stages.push(`answer ${action} ${JSON.stringify(params)}`);
      if (params.InstanceId === 'pcc-refuse') return { ok: false, rejection: { code: 'ResourceNotFound.InstanceId', fill: ['InstanceId'] } };
      return { ok: true, answer: { status: 200, body: '{"RequestId":"R","OwnerId":1}', headers: { 'x-test': '1' } } };
    },
  });
  const server = createRpcServer(handle, { level: 'info', write: (l) => lines.push(l), fail: (code, o) => errorAnswer(validators.catalog, code, o) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
});
afterAll(async () => {
  await close();
});

const GET = '/?Action=GetVpcPeerConnectionAttribute&Version=2022-01-01';

async function call(path: string, headers: Record<string, string> = {}) {
  stages.length = 0;
  const res = await fetch(`${baseUrl}${path}`, { headers: { origin: 'http://page.test', ...headers } });
  return { status: res.status, text: await res.text(), headers: res.headers, stages: [...stages] };
}

describe('createPipeline', () => {
  it('runs the stages in order and sends the answer as given, with CORS', async () => {
    const answer = await call(`${GET}&InstanceId=pcc-1`);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('{"RequestId":"R","OwnerId":1}');
    expect(answer.headers.get('access-control-allow-origin')).toBe('http://page.test');
    expect(answer.headers.get('x-test')).toBe('1');
    expect(answer.stages).toEqual(['authenticate GetVpcPeerConnectionAttribute', 'admit alice', 'answer GetVpcPeerConnectionAttribute {"InstanceId":"pcc-1"}']);
    expect(lines.at(-1)).toMatch(/^GET GetVpcPeerConnectionAttribute 200 alice \d+\.\dms$/);
  });

  it('table: each stage refuses with the documented answer, and later stages do not run', async () => {
    const table: Array<[string, Record<string, string>, number, string, string[]]> = [
      ['route', {}, 404, 'InvalidAction.NotFound', []],
      ['authenticate', { 'x-deny': 'auth' }, 400, 'IncompleteSignature', ['authenticate GetVpcPeerConnectionAttribute']],
      ['admit', { 'x-deny': 'admit' }, 400, 'Throttling.User', ['authenticate GetVpcPeerConnectionAttribute', 'admit alice']],
      ['validate', {}, 400, 'MissingParameter', ['authenticate GetVpcPeerConnectionAttribute', 'admit alice']],
      ['answer', {}, 400, 'ResourceNotFound.InstanceId', ['authenticate GetVpcPeerConnectionAttribute', 'admit alice', 'answer GetVpcPeerConnectionAttribute {"InstanceId":"pcc-refuse"}']],
    ];
    for (const [stage, headers, status, code, ran] of table) {
      const path = stage === 'route' ? '/?Action=Nope&Version=2022-01-01' : stage === 'validate' ? GET : stage === 'answer' ? `${GET}&InstanceId=pcc-refuse` : `${GET}&InstanceId=pcc-1`;
      const answer = await call(path, headers);
      expect(answer.status, stage).toBe(status);
      const body = JSON.parse(answer.text) as Record<string, string>;
      expect(body.Code, stage).toBe(code);
      expect(validators.checkResponse('GetVpcPeerConnectionAttribute', status, body, answer.headers.get('content-type') ?? '')).toEqual([]);
      expect(answer.headers.get('access-control-allow-origin'), stage).toBe('http://page.test');
      expect(answer.stages, stage).toEqual(ran);
    }
  });

  it('intercept takes a request over before it is read', async () => {
    const answer = await call('/__taken');
    expect(JSON.parse(answer.text)).toEqual({ taken: true });
    expect(answer.stages).toEqual([]);
  });

  it('OPTIONS is a 204 preflight', async () => {
    const res = await fetch(`${baseUrl}/`, { method: 'OPTIONS', headers: { origin: 'http://page.test' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-headers')).toContain('x-acs-signature-nonce');
  });

  it('a defect in a stage is InternalError without its text', async () => {
    const answer = await call(`${GET}&InstanceId=pcc-1`, { 'x-deny': 'defect' });
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.text).Code).toBe('InternalError');
    expect(answer.text).not.toContain('planted defect');
  });
});
