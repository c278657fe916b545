/**
 * The mock at the edges of HTTP, over raw sockets: a complete request followed by garbage, no
 * Host, an unknown Expect, CONNECT, absolute-form targets, timeouts (408), the connection cap,
 * raw invalid UTF-8, conflicting copies of a parameter, and client text quoted literally. The
 * emulator shares this server code (src/server), so it answers the same.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '../helpers/mock.ts';

const REQUEST_ID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;
let mock: RunningMock;
let port: number;

beforeAll(async () => {
  mock = await startMock({ logLevel: 'silent', limits: { headersTimeoutMs: 400, requestTimeoutMs: 600, keepAliveTimeoutMs: 300, maxConnections: 50 } });
  port = Number(new URL(mock.baseUrl).port);
});
afterAll(async () => {
  await mock.close();
});

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** Sends bytes, collects everything until the server closes (or `waitMs`), splits the answers. */
function exchange(bytes: string | Buffer, waitMs = 3000): Promise<{ answers: RawAnswer[]; closed: boolean; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    const chunks: Buffer[] = [];
    let closed = false;
    const timer = setTimeout(() => socket.destroy(), waitMs);
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', reject);
    socket.on('end', () => (closed = true));
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      resolve({ answers: parseAnswers(text), closed, text });
    });
  });
}

function parseAnswers(text: string): RawAnswer[] {
  const answers: RawAnswer[] = [];
  let rest = text;
  while (rest.startsWith('HTTP/1.1 ')) {
    const headEnd = rest.indexOf('\r\n\r\n');
    const [statusLine, ...lines] = rest.slice(0, headEnd).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    const bodyBytes = Buffer.from(rest.slice(headEnd + 4), 'utf8').subarray(0, length);
    const bodyText = bodyBytes.toString('utf8');
    answers.push({ status: Number(statusLine!.split(' ')[1]), headers, body: bodyText ? (JSON.parse(bodyText) as Record<string, unknown>) : {} });
    rest = rest.slice(headEnd + 4 + bodyText.length);
  }
  return answers;
}

function get(target: string, extra = ''): string {
  return `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}\r\n`;
}

function post(body: string | Buffer, query = '', extra = ''): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const head = `POST /${query} HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: ${bytes.length}\r\n${extra}\r\n`;
  return Buffer.concat([Buffer.from(head), bytes]);
}

const GET_ATTRIBUTE = '/?Action=GetVpcPeerConnectionAttribute&Version=2022-01-01&InstanceId=pcc-lnk0m24khwvtkm7q2j1x';

function expectAlibaba(answer: RawAnswer | undefined, status: number, code: string): RawAnswer {
  expect(answer, 'an answer').toBeDefined();
  expect(answer!.status).toBe(status);
  expect(answer!.headers['content-type']).toMatch(/^application\/json/);
  expect(answer!.body.Code).toBe(code);
  expect(answer!.body.RequestId).toMatch(REQUEST_ID);
  expect(answer!.body.HostId).toBe('vpcpeer.aliyuncs.com');
  expect(typeof answer!.body.Message).toBe('string');
  return answer!;
}

describe('HTTP edges over raw sockets', () => {
  it('a complete request followed by garbage gets its own answer first, then the 400', async () => {
    const { answers } = await exchange(`${get(GET_ATTRIBUTE)}NOT HTTP AT ALL\r\n\r\n`);
    expect(answers.map((a) => a.status)).toEqual([200, 400]);
    expect(answers[0]!.body.RequestId).toMatch(REQUEST_ID);
    expect(answers[0]!.body.Code).toBeUndefined();
    expectAlibaba(answers[1], 400, 'InvalidParameter');
    expect(answers[1]!.body.Message).toContain('HTTP request');
  });

  it('two pipelined requests then garbage: both answers, then the 400', async () => {
    const { answers } = await exchange(`${get(GET_ATTRIBUTE)}${get(GET_ATTRIBUTE)}\x00\x01garbage`);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 400]);
  });

  it('garbage alone is a 400 InvalidParameter and the connection closes', async () => {
    const { answers, closed } = await exchange('\x16\x03\x01 not http\r\n\r\n');
    expect(answers).toHaveLength(1);
    expectAlibaba(answers[0], 400, 'InvalidParameter');
    expect(closed).toBe(true);
  });

  it('HTTP/1.1 without Host is 400 MissingParameter naming Host; HTTP/1.0 without Host is served', async () => {
    const missing = await exchange(`GET ${GET_ATTRIBUTE} HTTP/1.1\r\n\r\n`, 1000);
    expect(expectAlibaba(missing.answers[0], 400, 'MissingParameter').body.Message).toContain('"Host"');
    const old = await exchange(`GET ${GET_ATTRIBUTE} HTTP/1.0\r\n\r\n`);
    expect(old.text).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('an unknown Expect is 400 InvalidParameter naming Expect; 100-continue is served', async () => {
    const unknown = await exchange(get(GET_ATTRIBUTE, 'Expect: teapot\r\n'), 1000);
    expect(expectAlibaba(unknown.answers[0], 400, 'InvalidParameter').body.Message).toContain('"Expect"');
    const body = 'InstanceId=pcc-lnk0m24khwvtkm7q2j1x';
    const cont = await exchange(post(body, '?Action=GetVpcPeerConnectionAttribute&Version=2022-01-01', 'Expect: 100-continue\r\n'), 1000);
    expect(cont.text).toContain('HTTP/1.1 100 Continue');
    expect(cont.text).toMatch(/HTTP\/1\.1 200 OK/);
  });

  it('CONNECT is 403 UnsupportedHTTPMethod', async () => {
    const { answers, closed } = await exchange('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    expectAlibaba(answers[0], 403, 'UnsupportedHTTPMethod');
    expect(closed).toBe(true);
  });

  it('an absolute-form target is served like its origin form', async () => {
    const { answers } = await exchange(get(`http://127.0.0.1:${port}${GET_ATTRIBUTE}`), 1000);
    expect(answers[0]!.status).toBe(200);
    const other = await exchange(get(`http://example.com/?Action=NoSuchAction&Version=2022-01-01`), 1000);
    expectAlibaba(other.answers[0], 404, 'InvalidAction.NotFound');
  });

  it('headers that never finish get an Alibaba-shaped 408', async () => {
    const started = Date.now();
    const { answers, closed } = await exchange('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    expectAlibaba(answers[0], 408, 'RequestTimeout');
    expect(closed).toBe(true);
    expect(Date.now() - started).toBeLessThan(2900);
  });

  it('a body that never finishes gets an Alibaba-shaped 408', async () => {
    const head = 'POST /?Action=GetVpcPeerConnectionAttribute&Version=2022-01-01 HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: 100\r\n\r\nInstanceId=';
    const { answers, closed } = await exchange(head);
    expectAlibaba(answers[0], 408, 'RequestTimeout');
    expect(closed).toBe(true);
  });

  it('an idle connection is closed: silent ones by the headers timeout, kept-alive ones after the keep-alive timeout', async () => {
    const silent = await exchange('', 2500);
    expect(silent.closed).toBe(true);
    const kept = await exchange(get(GET_ATTRIBUTE), 2500);
    expect(kept.answers.map((a) => a.status)).toEqual([200]);
    expect(kept.closed).toBe(true);
  });

  it('raw invalid UTF-8 in a form body is refused like %FF, naming the parameter', async () => {
    const bad = await exchange(post(Buffer.concat([Buffer.from('InstanceId=pcc-'), Buffer.from([0xff, 0xfe])]), '?Action=GetVpcPeerConnectionAttribute&Version=2022-01-01'), 1000);
    expect(expectAlibaba(bad.answers[0], 400, 'InvalidParameter').body.Message).toContain('"InstanceId"');
    const escaped = await exchange(post('InstanceId=pcc-%FF', '?Action=GetVpcPeerConnectionAttribute&Version=2022-01-01'), 1000);
    expect(expectAlibaba(escaped.answers[0], 400, 'InvalidParameter').body.Message).toContain('"InstanceId"');
    const fine = await exchange(post(Buffer.from('InstanceId=pcc-lnk0m24khwvtkm7q2j1x&Name=中文', 'utf8'), '?Action=GetVpcPeerConnectionAttribute&Version=2022-01-01'), 1000);
    expect(fine.answers[0]!.status).toBe(200);
  });

  it('a parameter in both the query and the body is refused before routing', async () => {
    const { answers } = await exchange(post('Action=GetVpcPeerConnectionAttribute&InstanceId=pcc-lnk0m24khwvtkm7q2j1x', '?Action=DeleteVpcPeerConnection&Version=2022-01-01'), 1000);
    const answer = expectAlibaba(answers[0], 400, 'InvalidParameter');
    expect(answer.body.Message).toContain('"Action"');
    const twice = await exchange(post('InstanceId=pcc-lnk0m24khwvtkm7q2j1x', GET_ATTRIBUTE.slice(1)), 1000);
    expect(expectAlibaba(twice.answers[0], 400, 'InvalidParameter').body.Message).toContain('"InstanceId"');
  });

  it('Action and x-acs-action (or Version and x-acs-version) that disagree are refused', async () => {
    const action = await exchange(get(GET_ATTRIBUTE, 'x-acs-action: DeleteVpcPeerConnection\r\n'), 1000);
    expect(expectAlibaba(action.answers[0], 400, 'InvalidParameter').body.Message).toContain('x-acs-action');
    const version = await exchange(get(GET_ATTRIBUTE, 'x-acs-version: 2016-04-28\r\n'), 1000);
    expect(expectAlibaba(version.answers[0], 400, 'InvalidParameter').body.Message).toContain('x-acs-version');
    const agree = await exchange(get(GET_ATTRIBUTE, 'x-acs-action: GetVpcPeerConnectionAttribute\r\nx-acs-version: 2022-01-01\r\n'), 1000);
    expect(agree.answers[0]!.status).toBe(200);
  });

  it("client text is quoted literally in messages ($& and $' are not replacement patterns)", async () => {
    const name = encodeURIComponent("Tag.$&.$'");
    const tricky = await exchange(get(`/?Action=TagResources&Version=2022-01-01&RegionId=cn-hangzhou&ResourceType=PeerConnection&ResourceId.1=pcc-a&Tag.1.Key=k&Tag.1.Value=v&${name}=%ZZ`), 1000);
    const message = expectAlibaba(tricky.answers[0], 400, 'InvalidParameter').body.Message as string;
    expect(message).toContain(`"Tag.$&.$'"`);
  });

  it('connections beyond the cap are closed without an answer; the server keeps serving', async () => {
    const capped = await startMock({ logLevel: 'silent', limits: { maxConnections: 2 } });
    const cappedPort = Number(new URL(capped.baseUrl).port);
    try {
      const open = await Promise.all([0, 1].map(() => new Promise<ReturnType<typeof connect>>((resolve) => {
        const s = connect(cappedPort, '127.0.0.1', () => resolve(s));
      })));
      await new Promise((r) => setTimeout(r, 100));
      const third = await new Promise<{ data: string; closed: boolean }>((resolve) => {
        const s = connect(cappedPort, '127.0.0.1', () => s.write(get(GET_ATTRIBUTE)));
        let data = '';
        s.on('data', (d) => (data += d));
        s.on('error', () => undefined);
        s.on('close', () => resolve({ data, closed: true }));
        setTimeout(() => { s.destroy(); resolve({ data, closed: false }); }, 2000);
      });
      expect(third).toEqual({ data: '', closed: true });
      for (const s of open) s.destroy();
      await new Promise((r) => setTimeout(r, 100));
      const res = await fetch(`${capped.baseUrl}${GET_ATTRIBUTE}`);
      expect(res.status).toBe(200);
    } finally {
      await capped.close();
    }
  });
});
