/**
 * The official Alibaba SDK runtime against the mock, in both signing styles: requests built
 * exactly as a generated VpcPeer SDK builds them (query-located repeat lists, form fields, the
 * `simple` comma list) are answered, parsed, and errors surface as the SDK's typed errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../src/contract/index.ts';
import { createValidators } from '../../src/validate/index.ts';
import { callOfficial, OpenApiUtil } from '../helpers/official-sdk.ts';
import { startMock, type RunningMock } from '../helpers/mock.ts';

const validators = createValidators(contract);
let mock: RunningMock;
let port: number;
beforeAll(async () => {
  mock = await startMock({ requireAuth: true });
  port = Number(new URL(mock.baseUrl).port);
});
afterAll(async () => {
  await mock.close();
});

type Answer = { statusCode: number; body: Record<string, unknown>; headers: Record<string, string> };
const credentials = { accessKeyId: 'LTAI5tExampleKeyId', accessKeySecret: 'example-secret-never-logged' };

for (const scheme of ['v3', 'v1'] as const) {
  describe(`official runtime, ${scheme === 'v3' ? 'V3 (ACS3-HMAC-SHA256, default)' : "V1 (signatureAlgorithm: 'v2')"}`, () => {
    const call = (action: string, query: Record<string, unknown>, body: Record<string, unknown>, headers?: Record<string, string>) =>
      callOfficial({
        port,
        scheme,
        ...credentials,
        action,
        query: OpenApiUtil.query(query) as Record<string, string>,
        body: OpenApiUtil.parseToMap(body) as Record<string, unknown>,
        ...(headers && { headers }),
      }) as Promise<Answer>;

    it('CreateVpcPeerConnection with a query-located Tag list and form fields', async () => {
      const answer = await call(
        'CreateVpcPeerConnection',
        { LinkType: 'Gold', Tag: [{ Key: 'env', Value: 'staging' }, { Key: 'team', Value: 'net ops' }] },
        { RegionId: 'cn-hangzhou', VpcId: 'vpc-bp1gsk7h12ew7oegk0abc', AcceptingAliUid: 1250123456123458, AcceptingRegionId: 'cn-shanghai', AcceptingVpcId: 'vpc-uf6wqfnfp3rtaqjh1xyz', Bandwidth: 100, DryRun: false },
      );
      expect(answer.statusCode).toBe(200);
      expect(answer.body.InstanceId).toBe('pcc-lnk0m24khwvtkm7q2j1x');
      expect(validators.checkResponse('CreateVpcPeerConnection', 200, answer.body)).toEqual([]);
    });

    it('ListVpcPeerConnections with query-located Tags and a comma-joined VpcId', async () => {
      const answer = await call(
        'ListVpcPeerConnections',
        { Tags: [{ Key: 'env', Value: 'staging' }], ResourceGroupId: 'rg-acfmxazb4ph6aiy' },
        { RegionId: 'cn-hangzhou', VpcId: OpenApiUtil.arrayToStringWithSpecifiedStyle(['vpc-a', 'vpc-b'], 'VpcId', 'simple'), MaxResults: 20 },
      );
      expect(answer.statusCode).toBe(200);
      expect(Array.isArray(answer.body.VpcPeerConnects)).toBe(true);
      expect(validators.checkResponse('ListVpcPeerConnections', 200, answer.body)).toEqual([]);
    });

    it('ListTagResources with a ResourceId repeat list, all in the query', async () => {
      const answer = await call('ListTagResources', { RegionId: 'cn-hangzhou', ResourceType: 'PeerConnection', ResourceId: ['pcc-lnk0m24khwvtkm7q2j1x', 'pcc-ocd7tj7kxj2mjw5nt6qa'] }, {});
      expect(answer.statusCode).toBe(200);
      expect(validators.checkResponse('ListTagResources', 200, answer.body)).toEqual([]);
    });

    it('GetVpcPeerConnectionAttribute parses the full connection', async () => {
      const answer = await call('GetVpcPeerConnectionAttribute', {}, { InstanceId: 'pcc-lnk0m24khwvtkm7q2j1x' });
      expect(answer.body.Status).toBe('Activated');
      expect((answer.body.Vpc as { VpcId: string }).VpcId).toBe('vpc-bp1gsk7h12ew7oegk0abc');
    });

    it('a documented error surfaces as the SDK error with code, status and RequestId', async () => {
      const error = (await call('GetVpcPeerConnectionAttribute', {}, { InstanceId: 'pcc-gone' }, { prefer: 'code=400, example=ResourceNotFound.InstanceId' }).then(
        () => undefined,
        (e: unknown) => e,
      )) as { code?: string; statusCode?: number; data?: Record<string, unknown>; message?: string };
      expect(error?.code).toBe('ResourceNotFound.InstanceId');
      expect(error.statusCode).toBe(400);
      expect(error.data?.RequestId).toMatch(/^[0-9A-F-]{36}$/);
      expect(error.message).not.toContain(credentials.accessKeySecret);
    });

    it('a request the mock rejects surfaces as MissingParameter naming the parameter', async () => {
      const error = (await call('DeleteVpcPeerConnection', {}, { DryRun: true }).then(
        () => undefined,
        (e: unknown) => e,
      )) as { code?: string; statusCode?: number; data?: Record<string, unknown> };
      expect(error?.code).toBe('MissingParameter');
      expect(String(error.data?.Message)).toContain('"InstanceId"');
    });
  });
}
