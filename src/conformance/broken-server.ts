/**
 * A deliberately broken VpcPeer endpoint for proving the suite catches what it claims to catch.
 * It answers every Action with the contract's own success example, except for the planted
 * defects below (one per Action, the rest conform so false positives show up too).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { contract } from '../contract/index.ts';

type Doc = Record<string, any>;

/** The first named 200 example of an Action, deep-copied. */
export function successExample(action: string): Record<string, unknown> {
  const op = contract.operations.get(action)!;
  const examples = (contract.document.paths as Doc)[op.pathKey].post.responses['200'].content['application/json'].examples as Doc;
  let example = Object.values(examples)[0] as Doc;
  if (typeof example.$ref === 'string') example = contract.resolve(example.$ref) as Doc;
  return structuredClone(example.value) as Record<string, unknown>;
}

interface Answer {
  status: number;
  body: unknown;
  contentType?: string;
}

const RID = '0ED8D006-F706-4D23-88ED-E11ED28DCAC0';
const errorBody = (code: string) => ({ RequestId: RID, HostId: 'vpcpeer.aliyuncs.com', Code: code, Message: 'planted', Recommend: `https://api.aliyun.com/troubleshoot?q=${code}&product=VpcPeer&requestId=${RID}` });

/** The planted defects, by Action. */
export const DEFECTS: Record<string, { what: string; answer: () => Answer }> = {
  GetVpcPeerConnectionAttribute: {
    what: 'wrong type: Bandwidth is a string',
    answer: () => ({ status: 200, body: { ...successExample('GetVpcPeerConnectionAttribute'), Bandwidth: '1024' } }),
  },
  ListVpcPeerConnections: {
    what: 'missing field: TotalCount',
    answer: () => {
      const { TotalCount: _dropped, ...rest } = successExample('ListVpcPeerConnections');
      return { status: 200, body: rest };
    },
  },
  DeleteVpcPeerConnection: {
    what: 'undocumented error code',
    answer: () => ({ status: 400, body: errorBody('Planted.UndocumentedCode') }),
  },
  AcceptVpcPeerConnection: {
    what: 'wrong HTTP status for a documented code',
    answer: () => ({ status: 500, body: errorBody('IncorrectStatus.VpcPeer') }),
  },
  CreateVpcPeerConnection: {
    what: 'lower-cased field name',
    answer: () => {
      const { InstanceId, ...rest } = successExample('CreateVpcPeerConnection');
      return { status: 200, body: { ...rest, instanceId: InstanceId } };
    },
  },
  ListTagResources: {
    what: 'malformed RequestId',
    answer: () => ({ status: 200, body: { ...successExample('ListTagResources'), RequestId: 'req-12345' } }),
  },
  RejectVpcPeerConnection: {
    what: 'missing RequestId',
    answer: () => {
      const { RequestId: _dropped, ...rest } = successExample('RejectVpcPeerConnection');
      return { status: 200, body: rest };
    },
  },
  ModifyVpcPeerConnection: {
    what: 'wrong Content-Type',
    answer: () => ({ status: 200, body: successExample('ModifyVpcPeerConnection'), contentType: 'text/plain' }),
  },
};

export interface BrokenServer {
  baseUrl: string;
  /** Every request, with its parameters (query and form body merged), in arrival order. */
  requests: Array<{ action: string; params: Record<string, string> }>;
  close(): Promise<void>;
}

/**
 * Starts the broken server; with `{ defects: {} }` it answers every Action with its success
 * example and only records (a static stand-in with a request log).
 */
export async function startBrokenServer(options: { defects?: typeof DEFECTS } = {}): Promise<BrokenServer> {
  const defects = options.defects ?? DEFECTS;
  const requests: BrokenServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const action = String(req.headers['x-acs-action'] ?? url.searchParams.get('Action') ?? '');
      requests.push({ action, params: Object.fromEntries([...url.searchParams, ...new URLSearchParams(Buffer.concat(chunks).toString())]) });
      const answer: Answer = defects[action]?.answer() ?? (contract.operations.has(action) ? { status: 200, body: successExample(action) } : { status: 404, body: errorBody('InvalidAction.NotFound') });
      res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'application/json;charset=utf-8' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
