/**
 * The official Alibaba SDK runtime (`@alicloud/openapi-client` / `@alicloud/openapi-util`) as
 * tests use it: the reference implementation for signing, a client that calls our servers the
 * way a generated VpcPeer SDK would, and a tiny 127.0.0.1 server that captures what it sends.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import openApiUtilModule from '@alicloud/openapi-util';
import openApiClientModule, { Config, OpenApiRequest, Params } from '@alicloud/openapi-client';
import type { RawWireRequest } from '../../src/wire/signing/index.ts';

/**
 * These packages are CommonJS with `exports.default = Client`. Under TypeScript NodeNext a
 * default import is typed as the whole `module.exports` (so `.default` is the class); vitest's
 * interop already hands over the class. This returns the class in both cases.
 */
function interopDefault<M extends { default: unknown }>(mod: M): M['default'] {
  const inner = (mod as { default?: unknown }).default;
  return (inner ?? mod) as M['default'];
}

/** `@alicloud/openapi-util` 0.3.3: `getAuthorization`, `getRPCSignature`, `query`, `toForm`, `getEncodeParam`. */
export const OpenApiUtil = interopDefault(openApiUtilModule);
/** `@alicloud/openapi-client` 0.4.15 `Client`. */
export const OpenApiClient = interopDefault(openApiClientModule);

/** One request as it arrived at the capture server. */
export interface CapturedRequest {
  readonly method: string;
  /** The raw request target, e.g. `/?Action=…` (shows the client's own query encoding). */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Uint8Array;
}

/** A running capture server. */
export interface CaptureServer {
  readonly port: number;
  readonly requests: CapturedRequest[];
  close(): Promise<void>;
}

/** Starts an HTTP server on 127.0.0.1 (random port) that records requests and answers `{RequestId}`. */
export async function startCaptureServer(): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: new Uint8Array(Buffer.concat(chunks)),
      });
      res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' });
      res.end(JSON.stringify({ RequestId: `req-${requests.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** A captured request as the verifiers take it: query decoded into ordered pairs. */
export function toWireRequest(captured: CapturedRequest): RawWireRequest {
  const q = captured.url.indexOf('?');
  const path = q < 0 ? captured.url : captured.url.slice(0, q);
  const search = q < 0 ? '' : captured.url.slice(q + 1);
  return {
    method: captured.method,
    path,
    query: [...new URLSearchParams(search)],
    headers: captured.headers,
    body: captured.body,
  };
}

/** Options of {@link callOfficial}. */
export interface OfficialCall {
  readonly port: number;
  /** `'v3'`: the SDK default (ACS3-HMAC-SHA256). `'v1'`: `signatureAlgorithm: 'v2'` (HMAC-SHA1). */
  readonly scheme: 'v3' | 'v1';
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
  readonly action: string;
  /** Query parameters (already flat strings, as the generated SDKs pass them). */
  readonly query?: Record<string, string>;
  /** Logical body (arrays of objects allowed); the SDK flattens it to `Tag.1.Key`… and form-encodes it. */
  readonly body?: Record<string, unknown>;
  readonly method?: 'POST' | 'GET';
  /** Extra headers, e.g. `prefer` for the mock. */
  readonly headers?: Record<string, string>;
}

/** Calls the official `@alicloud/openapi-client` on 127.0.0.1:`port`, RPC style, like a generated VpcPeer SDK. */
export async function callOfficial(call: OfficialCall): Promise<unknown> {
  const client = new OpenApiClient(
    new Config({
      accessKeyId: call.accessKeyId,
      accessKeySecret: call.accessKeySecret,
      ...(call.securityToken !== undefined ? { securityToken: call.securityToken } : {}),
      endpoint: `127.0.0.1:${call.port}`,
      protocol: 'http',
      ...(call.scheme === 'v1' ? { signatureAlgorithm: 'v2' } : {}),
    }),
  );
  const params = new Params({
    action: call.action,
    version: '2022-01-01',
    protocol: 'HTTPS',
    pathname: '/',
    method: call.method ?? 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json',
  });
  const request = new OpenApiRequest({
    ...(call.query !== undefined ? { query: call.query } : {}),
    ...(call.body !== undefined ? { body: call.body } : {}),
    ...(call.headers !== undefined ? { headers: call.headers } : {}),
  });
  // RuntimeOptions is a plain model; an empty object means "defaults" (no retries configured).
  const runtime = {} as Parameters<InstanceType<typeof OpenApiClient>['callApi']>[2];
  return client.callApi(params, request, runtime);
}
