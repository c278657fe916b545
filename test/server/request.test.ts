/**
 * src/server/request.ts, table-driven over a real socket: strict form decoding of query and
 * body, the Content-Type and size rules, raw invalid UTF-8 refused like `%FF`, and
 * absolute-form targets read like their origin form.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { originForm, parseForm, readWireRequest } from '../../src/server/request.ts';

let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((req, res) => {
    void readWireRequest(req, 64).then((result) => {
      res.end(JSON.stringify(result.ok ? { ok: true, request: result.request, raw: result.rawBody.toString('latin1') } : result));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function read(path: string, body?: Buffer | string, headers: Record<string, string> = {}): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: body === undefined ? 'GET' : 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve(JSON.parse(text)));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('readWireRequest', () => {
  it('table: what is read', async () => {
    const cases: Array<[string, string, Buffer | string | undefined, Record<string, string>, unknown]> = [
      ['query pairs, + is a space', '/?a=1&b=x+y&c=%2B&d', undefined, {}, { query: [['a', '1'], ['b', 'x y'], ['c', '+'], ['d', '']], body: [], path: '/' }],
      ['empty parts are skipped', '/?&&a=1&', undefined, {}, { query: [['a', '1']], body: [], path: '/' }],
      ['a form body', '/', 'x=%E4%B8%AD&y=2', FORM, { query: [], body: [['x', '中'], ['y', '2']], path: '/' }],
      ['raw UTF-8 in a form body', '/', Buffer.from('x=中文', 'utf8'), FORM, { query: [], body: [['x', '中文']], path: '/' }],
      ['form with charset', '/', 'x=1', { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, { query: [], body: [['x', '1']], path: '/' }],
      ['a path is kept', '/other?a=1', undefined, {}, { query: [['a', '1']], body: [], path: '/other' }],
    ];
    for (const [name, path, body, headers, expected] of cases) {
      const answer = await read(path, body, headers);
      expect(answer.ok, name).toBe(true);
      expect(answer.request, name).toMatchObject(expected as object);
    }
  });

  it('table: problems name the parameter', async () => {
    const cases: Array<[string, string, Buffer | string | undefined, Record<string, string>, string, RegExp]> = [
      ['broken escape in the query', '/?a=%ZZ', undefined, {}, 'a', /percent-encoding/],
      ['%FF in the query', '/?a=%FF', undefined, {}, 'a', /percent-encoding/],
      ['broken escape in a name', '/?%E4=1', undefined, {}, '%E4', /name/],
      ['%FF in the body', '/', 'a=%FF', FORM, 'a', /percent-encoding/],
      ['raw invalid UTF-8 in a body value', '/', Buffer.from([0x61, 0x3d, 0xff]), FORM, 'a', /not UTF-8/],
      ['raw invalid UTF-8 in the second pair', '/', Buffer.concat([Buffer.from('ok=1&b='), Buffer.from([0xc3, 0x28])]), FORM, 'b', /not UTF-8/],
      ['raw invalid UTF-8 in a name', '/', Buffer.from([0xff, 0x3d, 0x31]), FORM, 'body', /not UTF-8/],
      ['a JSON body', '/', '{"a":1}', { 'content-type': 'application/json' }, 'Content-Type', /x-www-form-urlencoded/],
      ['a body without a type', '/', 'a=1', { 'content-type': '' }, 'Content-Type', /none/],
      ['a body above the limit', '/', 'a='.padEnd(100, 'x'), FORM, 'Content-Length', /64 bytes/],
    ];
    for (const [name, path, body, headers, parameter, reason] of cases) {
      const answer = await read(path, body, headers);
      expect(answer.ok, name).toBe(false);
      expect(answer.problem.code, name).toBe('InvalidParameter');
      expect(answer.problem.parameter, name).toBe(parameter);
      expect(answer.problem.reason, name).toMatch(reason);
    }
  });
});

describe('originForm and parseForm', () => {
  it('table: absolute-form targets become origin form', () => {
    const table: Array<[string, string]> = [
      ['/?a=1', '/?a=1'],
      ['http://127.0.0.1:4011/?Action=X', '/?Action=X'],
      ['https://vpcpeer.aliyuncs.com/', '/'],
      ['http://h?x=1', '/?x=1'],
      ['http://h', '/'],
      ['*', '*'],
      ['/http://h/', '/http://h/'],
    ];
    for (const [target, origin] of table) expect(originForm(target), target).toBe(origin);
  });

  it('parseForm decodes strictly', () => {
    expect(parseForm('a=1&a=2')).toEqual({ ok: true, pairs: [['a', '1'], ['a', '2']] });
    expect(parseForm('a=%E0%A4%A')).toMatchObject({ ok: false, problem: { parameter: 'a' } });
  });
});
