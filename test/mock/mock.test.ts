/**
 * The mock answers like the real endpoint: every Action at `/` by query, header and form Action,
 * GET and POST; every documented answer reachable with Prefer; every bad input gets its
 * Alibaba error. Every answer is checked against the contract with the contract's validators.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../src/contract/index.ts';
import { encodeParams, formEncode } from '../../src/wire/codec.ts';
import { createValidators } from '../../src/validate/index.ts';
import { sampleParams } from '../helpers/samples.ts';
import { startMock, type RunningMock } from '../helpers/mock.ts';

const validators = createValidators(contract);
const REQUEST_ID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;
let mock: RunningMock;

beforeAll(async () => {
  mock = await startMock();
});
afterAll(async () => {
  await mock.close();
});

type Style = 'query-get' | 'query-post' | 'header-post' | 'form-post';

async function call(action: string, params: Record<string, unknown>, style: Style, headers: Record<string, string> = {}) {
  const op = contract.operations.get(action)!;
  const method = style === 'query-get' ? 'GET' : 'POST';
  const wire = encodeParams(op, params, method);
  const query: Array<[string, string]> = [...wire.query];
  const body: Array<[string, string]> = [...wire.body];
  const h: Record<string, string> = { ...headers };
  if (style === 'header-post') {
    h['x-acs-action'] = action;
    h['x-acs-version'] = '2022-01-01';
  } else if (style === 'form-post') {
    body.unshift(['Action', action], ['Version', '2022-01-01']);
  } else {
    query.unshift(['Action', action], ['Version', '2022-01-01']);
  }
  if (body.length) h['content-type'] = 'application/x-www-form-urlencoded';
  const qs = formEncode(query);
  const res = await fetch(`${mock.baseUrl}/${qs ? `?${qs}` : ''}`, {
    method,
    headers: h,
    ...(body.length && { body: formEncode(body) }),
  });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

async function raw(path: string, init: RequestInit = {}) {
  const res = await fetch(`${mock.baseUrl}${path}`, init);
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: (await res.json()) as Record<string, unknown> };
}

function expectError(answer: { status: number; body: Record<string, unknown>; contentType: string }, code: string, status: number, action?: string) {
  expect(answer.contentType).toMatch(/^application\/json/);
  expect(answer.body.Code).toBe(code);
  expect(answer.status).toBe(status);
  expect(answer.body.RequestId).toMatch(REQUEST_ID);
  expect(answer.body.Recommend).toBe(`https://api.aliyun.com/troubleshoot?q=${code}&product=VpcPeer&requestId=${answer.body.RequestId as string}`);
  // The body validates against the error schema of the Action (any Action for gateway codes).
  expect(validators.checkResponse(action ?? 'GetVpcPeerConnectionAttribute', status, answer.body, answer.contentType)).toEqual([]);
}

describe('routing: every Action, every way of naming it', () => {
  for (const action of contract.actions) {
    for (const style of ['query-get', 'query-post', 'header-post', 'form-post'] as const) {
      it(`${action} by ${style} answers its documented success`, async () => {
        const answer = await call(action, sampleParams(action), style);
        expect(answer.status, JSON.stringify(answer.body)).toBe(200);
        expect(validators.checkResponse(action, 200, answer.body, answer.contentType)).toEqual([]);
        expect(answer.body.RequestId).toMatch(REQUEST_ID);
      });
    }
  }

  it('gives every answer a fresh RequestId', async () => {
    const a = await call('GetVpcPeerConnectionAttribute', sampleParams('GetVpcPeerConnectionAttribute'), 'query-post');
    const b = await call('GetVpcPeerConnectionAttribute', sampleParams('GetVpcPeerConnectionAttribute'), 'query-post');
    expect(a.body.RequestId).not.toBe(b.body.RequestId);
  });

  it('logs one line per request: method, Action, status, time', () => {
    expect(mock.lines.some((l) => /^POST CreateVpcPeerConnection 200 \d+\.\dms$/.test(l))).toBe(true);
  });
});

describe('choosing answers with Prefer', () => {
  for (const action of contract.actions) {
    it(`${action}: every documented example is reachable and valid`, async () => {
      const paths = contract.document.paths as Record<string, any>;
      const responses = paths[`/#Action=${action}`].post.responses as Record<string, any>;
      let count = 0;
      for (const [status, response] of Object.entries(responses)) {
        const resolved = response.$ref ? (contract.resolve(response.$ref) as any) : response;
        for (const name of Object.keys(resolved.content['application/json'].examples)) {
          const answer = await call(action, sampleParams(action), 'query-post', { prefer: `code=${status}, example=${name}` });
          expect(answer.status, `${action} ${status} ${name}`).toBe(Number(status));
          if (Number(status) >= 400) expect(answer.body.Code).toBe(name);
          expect(validators.checkResponse(action, answer.status, answer.body, answer.contentType), `${action} ${name}`).toEqual([]);
          count += 1;
        }
      }
      expect(count).toBeGreaterThan(15);
    });
  }

  it('accepts the __code / __example query fallbacks', async () => {
    const answer = await raw(`/?Action=DeleteVpcPeerConnection&Version=2022-01-01&InstanceId=pcc-1&__code=400&__example=OperationDenied.RouteEntryExist`);
    expectError(answer, 'OperationDenied.RouteEntryExist', 400, 'DeleteVpcPeerConnection');
    expect(answer.body.Message).toBe('The operation is not allowed because of existing routeEntry point to VpcPeer.');
  });

  it('answers an unknown example with InvalidParameter naming Prefer and listing the documented ones', async () => {
    const answer = await call('RejectVpcPeerConnection', sampleParams('RejectVpcPeerConnection'), 'query-post', { prefer: 'code=400, example=Nope' });
    expectError(answer, 'InvalidParameter', 400, 'RejectVpcPeerConnection');
    expect(answer.body.Message).toContain('"Prefer"');
    expect(answer.body.Message).toContain('IncorrectStatus.VpcPeer');
  });

  it('answers an undocumented status with InvalidParameter naming Prefer', async () => {
    const answer = await call('RejectVpcPeerConnection', sampleParams('RejectVpcPeerConnection'), 'query-post', { prefer: 'code=418' });
    expectError(answer, 'InvalidParameter', 400, 'RejectVpcPeerConnection');
    expect(answer.body.Message).toContain('418');
  });

  it('generates schema-valid data for one request with Prefer: dynamic=true, repeatably with a seed', async () => {
    const prefer = { prefer: 'dynamic=true, seed=42' };
    const a = await call('CreateVpcPeerConnection', sampleParams('CreateVpcPeerConnection'), 'query-post', prefer);
    const b = await call('CreateVpcPeerConnection', sampleParams('CreateVpcPeerConnection'), 'query-post', prefer);
    expect(a.status).toBe(200);
    expect(a.body.InstanceId).toMatch(/^pcc-[0-9a-z]+$/);
    expect(a.body.InstanceId).not.toBe('pcc-lnk0m24khwvtkm7q2j1x');
    expect(b.body.InstanceId).toBe(a.body.InstanceId);
  });
});

describe('bad input gets the error the real API would give', () => {
  const create = () => sampleParams('CreateVpcPeerConnection');

  it('unknown Action → 404 InvalidAction.NotFound', async () => {
    expectError(await raw('/?Action=DescribeVpcPeerConnections&Version=2022-01-01'), 'InvalidAction.NotFound', 404);
  });

  it('missing Action → 404 InvalidAction.NotFound', async () => {
    expectError(await raw('/?Version=2022-01-01'), 'InvalidAction.NotFound', 404);
  });

  it('a path other than / → 404 InvalidAction.NotFound', async () => {
    expectError(await raw('/CreateVpcPeerConnection?Action=CreateVpcPeerConnection&Version=2022-01-01'), 'InvalidAction.NotFound', 404);
  });

  it('missing Version → MissingParameter naming Version', async () => {
    const answer = await raw('/?Action=GetVpcPeerConnectionAttribute&InstanceId=pcc-1');
    expectError(answer, 'MissingParameter', 400);
    expect(answer.body.Message).toBe('The input parameter "Version" that is mandatory for processing this request is not supplied.');
  });

  it('another Version → InvalidVersion', async () => {
    expectError(await raw('/?Action=GetVpcPeerConnectionAttribute&Version=2016-04-28&InstanceId=pcc-1'), 'InvalidVersion', 400);
  });

  it('missing required parameter → MissingParameter naming it', async () => {
    const { AcceptingVpcId: _dropped, ...params } = create();
    const answer = await call('CreateVpcPeerConnection', params, 'form-post');
    expectError(answer, 'MissingParameter', 400, 'CreateVpcPeerConnection');
    expect(answer.body.Message).toContain('"AcceptingVpcId"');
  });

  it('parameter names are case-sensitive: instanceid does not supply InstanceId', async () => {
    const answer = await raw('/?Action=GetVpcPeerConnectionAttribute&Version=2022-01-01&instanceid=pcc-lnk0m24khwvtkm7q2j1x');
    expectError(answer, 'MissingParameter', 400, 'GetVpcPeerConnectionAttribute');
    expect(answer.body.Message).toContain('"InstanceId"');
  });

  it('missing key inside a repeat list → MissingParameter naming Tag.1.Key', async () => {
    const answer = await raw('/?Action=TagResources&Version=2022-01-01&RegionId=cn-hangzhou&ResourceType=PeerConnection&ResourceId.1=pcc-1&Tag.1.Value=x');
    expectError(answer, 'MissingParameter', 400, 'TagResources');
    expect(answer.body.Message).toContain('"Tag.1.Key"');
  });

  const invalid: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['a non-integer Bandwidth', { Bandwidth: 'fast' }, 'Bandwidth', /whole number/],
    ['Bandwidth 0', { Bandwidth: 0 }, 'Bandwidth', />= 1/],
    ['an unknown LinkType', { LinkType: 'Silver' }, 'LinkType', /Platinum, Gold/],
    ['a Name starting with a digit', { Name: '1peer' }, 'Name', /pattern/],
    ['a one-character Name', { Name: 'a' }, 'Name', /fewer than 2/],
    ['a Description starting with http://', { Description: 'http://x' }, 'Description', /pattern/],
    ['DryRun that is not a boolean', { DryRun: 'maybe' }, 'DryRun', /true or false/],
    ['a ClientToken of 65 characters', { ClientToken: 'x'.repeat(65) }, 'ClientToken', /more than 64/],
    ['a reserved tag key', { Tag: [{ Key: 'acs:env', Value: 'x' }] }, 'Tag.1.Key', /pattern/],
    ['21 tags', { Tag: Array.from({ length: 21 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) }, 'Tag', /more than 20/],
  ];
  for (const [label, change, parameter, rule] of invalid) {
    it(`${label} → InvalidParameter naming ${parameter} and the rule`, async () => {
      const answer = await call('CreateVpcPeerConnection', { ...create(), ...change }, 'query-post');
      expectError(answer, 'InvalidParameter', 400, 'CreateVpcPeerConnection');
      expect(answer.body.Message).toContain(`The specified parameter "${parameter}" is not valid.`);
      expect(answer.body.Message).toMatch(rule);
    });
  }

  const tagging = '/?Action=TagResources&Version=2022-01-01&RegionId=cn-hangzhou&ResourceType=PeerConnection&ResourceId.1=pcc-1';
  it('TagResources with 21 tags → NumberExceed.Tags (its own code, not InvalidParameter)', async () => {
    const tags = Array.from({ length: 21 }, (_, i) => `&Tag.${i + 1}.Key=k${i}&Tag.${i + 1}.Value=v`).join('');
    const answer = await raw(`${tagging}${tags}`);
    expectError(answer, 'NumberExceed.Tags', 400, 'TagResources');
    expect(answer.body.Message).toBe('The maximum number of tags is exceeded. Parameter: Tag.');
  });

  it('TagResources with a reserved key → Forbidden.TagKeys naming the parameter', async () => {
    const answer = await raw(`${tagging}&Tag.1.Key=env&Tag.2.Key=aliyun-owner`);
    expectError(answer, 'Forbidden.TagKeys', 400, 'TagResources');
    expect(answer.body.Message).toContain('Tag.2.Key');
  });

  it('UnTagResources with 21 resource IDs → NumberExceed.ResourceIds', async () => {
    const ids = Array.from({ length: 21 }, (_, i) => `&ResourceId.${i + 1}=pcc-${i}`).join('');
    expectError(await raw(`/?Action=UnTagResources&Version=2022-01-01&RegionId=cn-hangzhou&ResourceType=PeerConnection&All=true${ids}`), 'NumberExceed.ResourceIds', 400, 'UnTagResources');
  });

  it('ListTagResources with a 129-character tag key → InvalidTagKey', async () => {
    expectError(await raw(`/?Action=ListTagResources&Version=2022-01-01&RegionId=cn-hangzhou&ResourceType=PeerConnection&Tag.1.Key=${'k'.repeat(129)}`), 'InvalidTagKey', 400, 'ListTagResources');
  });

  it('ListTagResources with neither ResourceId nor Tag → BothEmpty.TagsAndResources', async () => {
    expectError(await raw('/?Action=ListTagResources&Version=2022-01-01&RegionId=cn-hangzhou&ResourceType=PeerConnection'), 'BothEmpty.TagsAndResources', 400, 'ListTagResources');
  });

  it('an HTTP method other than GET and POST → 403 UnsupportedHTTPMethod', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      expectError(await raw('/?Action=GetVpcPeerConnectionAttribute&Version=2022-01-01&InstanceId=pcc-1', { method }), 'UnsupportedHTTPMethod', 403);
    }
  });

  it('malformed percent-encoding → InvalidParameter naming the parameter', async () => {
    const answer = await raw('/?Action=GetVpcPeerConnectionAttribute&Version=2022-01-01&InstanceId=%E0%A4%A');
    expectError(answer, 'InvalidParameter', 400);
    expect(answer.body.Message).toContain('"InstanceId"');
  });

  it('malformed form body → InvalidParameter naming the parameter', async () => {
    const answer = await raw('/', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetVpcPeerConnectionAttribute&Version=2022-01-01&InstanceId=%zz' });
    expectError(answer, 'InvalidParameter', 400);
    expect(answer.body.Message).toContain('"InstanceId"');
  });

  it('a JSON body → InvalidParameter naming Content-Type', async () => {
    const answer = await raw('/?Action=GetVpcPeerConnectionAttribute&Version=2022-01-01', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"InstanceId":"pcc-1"}' });
    expectError(answer, 'InvalidParameter', 400);
    expect(answer.body.Message).toContain('"Content-Type"');
  });

  it('an oversize body → InvalidParameter naming Content-Length, and the server keeps serving', async () => {
    const answer = await raw('/?Action=GetVpcPeerConnectionAttribute&Version=2022-01-01', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `InstanceId=${'x'.repeat(200_000)}` });
    expectError(answer, 'InvalidParameter', 400);
    expect(answer.body.Message).toContain('"Content-Length"');
    const after = await call('GetVpcPeerConnectionAttribute', sampleParams('GetVpcPeerConnectionAttribute'), 'query-get');
    expect(after.status).toBe(200);
  });

  it('bytes that are not HTTP/1.1 → an Alibaba-shaped 400, not a bare parser error', async () => {
    const { connect } = await import('node:net');
    const url = new URL(mock.baseUrl);
    const text = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => socket.write('GARBAGE / NOT-HTTP\r\n\r\n'));
      let data = '';
      socket.on('data', (d) => (data += d.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
    expectError({ status: 400, body, contentType: 'application/json' }, 'InvalidParameter', 400);
    expect(body.Message).toContain('"HTTP request"');
  });

  it('an invalid request is answered with its real error even when Prefer asks for another', async () => {
    const answer = await raw('/?Action=GetVpcPeerConnectionAttribute&Version=2022-01-01', { headers: { prefer: 'code=200' } });
    expectError(answer, 'MissingParameter', 400, 'GetVpcPeerConnectionAttribute');
  });
});

describe('--require-auth', () => {
  let strict: RunningMock;
  beforeAll(async () => {
    strict = await startMock({ requireAuth: true });
  });
  afterAll(async () => {
    await strict.close();
  });
  const get = (suffix: string, headers: Record<string, string> = {}) =>
    fetch(`${strict.baseUrl}/?Action=GetVpcPeerConnectionAttribute&Version=2022-01-01&InstanceId=pcc-1${suffix}`, { headers }).then(async (r) => ({ status: r.status, contentType: r.headers.get('content-type') ?? '', body: (await r.json()) as Record<string, unknown> }));

  it('answers an unsigned request with IncompleteSignature', async () => {
    expectError(await get(''), 'IncompleteSignature', 400, 'GetVpcPeerConnectionAttribute');
  });

  it('answers partial V1 material with IncompleteSignature naming what is missing', async () => {
    const answer = await get('&AccessKeyId=LTAI5tExample&Signature=abc');
    expectError(answer, 'IncompleteSignature', 400, 'GetVpcPeerConnectionAttribute');
    expect(answer.body.Message).toContain('SignatureNonce');
  });

  it('accepts complete V1 material', async () => {
    const v1 = '&AccessKeyId=LTAI5tExample&Signature=abc%3D&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&SignatureNonce=n1&Timestamp=2026-11-23T08%3A00%3A00Z';
    expect((await get(v1)).status).toBe(200);
  });

  it('accepts complete V3 material and rejects a malformed Authorization header', async () => {
    const headers = {
      authorization: 'ACS3-HMAC-SHA256 Credential=LTAI5tExample,SignedHeaders=host;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce,Signature=0a1b2c',
      'x-acs-date': '2026-11-23T08:00:00Z',
      'x-acs-signature-nonce': 'n1',
      'x-acs-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    };
    expect((await get('', headers)).status).toBe(200);
    expectError(await get('', { ...headers, authorization: 'Bearer x' }), 'IncompleteSignature', 400, 'GetVpcPeerConnectionAttribute');
    // The verifier's structural rules apply: every x-acs-* header sent must be signed.
    const unsignedDate = await get('', { ...headers, authorization: 'ACS3-HMAC-SHA256 Credential=LTAI5tExample,SignedHeaders=host;x-acs-action,Signature=0a1b2c' });
    expectError(unsignedDate, 'IncompleteSignature', 400, 'GetVpcPeerConnectionAttribute');
    expect(unsignedDate.body.Message).toContain('x-acs-date is not in SignedHeaders');
  });

  it('finds V1 material in the form body as the verifier does (one detector)', async () => {
    const v1 = 'AccessKeyId=LTAI5tExample&Signature=abc%3D&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&SignatureNonce=n1&Timestamp=2026-11-23T08%3A00%3A00Z';
    const res = await fetch(`${strict.baseUrl}/?Action=GetVpcPeerConnectionAttribute&Version=2022-01-01&InstanceId=pcc-1`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: v1,
    });
    expect(res.status).toBe(200);
    const wrongMethod = await fetch(`${strict.baseUrl}/?Action=GetVpcPeerConnectionAttribute&Version=2022-01-01&InstanceId=pcc-1`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: v1.replace('HMAC-SHA1', 'HMAC-MD5'),
    });
    expect(wrongMethod.status).toBe(400);
    expect(((await wrongMethod.json()) as { Message: string }).Message).toContain('SignatureMethod');
  });
});
