/**
 * Real errors from real state: validation first, then status, existence, duplicates, VPCs,
 * quotas, inter-region-only settings, resource groups, DryRun and ClientToken idempotency.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ALICE, createParams, startHarness, VPC, type Harness } from './helpers.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.admin('POST', '/__emulator/reset');
});

const sameAccount = (overrides: Record<string, unknown> = {}) =>
  createParams({ AcceptingAliUid: ALICE.uid, AcceptingRegionId: 'cn-hangzhou', AcceptingVpcId: VPC.aliceHz2, ...overrides });

describe('request validation runs first (Alibaba errors, case-sensitive names)', () => {
  it('MissingParameter names the parameter', async () => {
    const { VpcId: _v, ...rest } = createParams();
    const a = await h.call('CreateVpcPeerConnection', rest);
    expect(a.body.Code).toBe('MissingParameter');
    expect(a.body.Message).toContain('"VpcId"');
  });
  it('a wrongly cased name is not the parameter', async () => {
    const res = await fetch(`${h.baseUrl}/?Action=GetVpcPeerConnectionAttribute&Version=2022-01-01&instanceId=pcc-x`, { method: 'POST' });
    const body = (await res.json()) as Record<string, string>;
    expect(body.Code).toBe('MissingParameter');
    expect(body.Message).toContain('"InstanceId"');
  });
  it('Name and Description rules of Create and Modify', async () => {
    expect((await h.call('CreateVpcPeerConnection', sameAccount({ Name: '1abc' }))).body.Message).toContain('"Name"');
    expect((await h.call('CreateVpcPeerConnection', sameAccount({ Description: 'https://x' }))).body.Code).toBe('InvalidParameter');
    expect((await h.call('CreateVpcPeerConnection', sameAccount({ Name: 'a' }))).body.Code).toBe('InvalidParameter');
    const { body } = await h.call('CreateVpcPeerConnection', sameAccount());
    await h.advance('1s');
    expect((await h.call('ModifyVpcPeerConnection', { InstanceId: body.InstanceId, Name: 'http://x' })).body.Code).toBe('InvalidParameter');
    expect((await h.call('ModifyVpcPeerConnection', { InstanceId: body.InstanceId, Name: '1' })).status).toBe(200);
  });
});

describe('state errors', () => {
  it('IncorrectStatus.VpcPeer follows the allow-matrix', async () => {
    const cross = (await h.call('CreateVpcPeerConnection', createParams())).body.InstanceId as string;
    // Creating: nothing but Get/List.
    for (const [action, who] of [['AcceptVpcPeerConnection', 'bob'], ['RejectVpcPeerConnection', 'bob'], ['DeleteVpcPeerConnection', 'alice']] as const) {
      const a = await h.call(action, { InstanceId: cross }, who);
      expect(a.body.Code, action).toBe('IncorrectStatus.VpcPeer');
      expect(a.body.Message).toBe(`The status of ${cross} [Creating] is incorrect.`);
    }
    await h.advance('1s');
    // Accepting: no Modify.
    expect((await h.call('ModifyVpcPeerConnection', { InstanceId: cross, Name: 'n' })).body.Code).toBe('IncorrectStatus.VpcPeer');
    await h.call('AcceptVpcPeerConnection', { InstanceId: cross }, 'bob');
    // Updating: nothing.
    expect((await h.call('ModifyVpcPeerConnection', { InstanceId: cross, Name: 'n' })).body.Code).toBe('IncorrectStatus.VpcPeer');
    expect((await h.call('DeleteVpcPeerConnection', { InstanceId: cross })).body.Code).toBe('IncorrectStatus.VpcPeer');
    await h.advance('1s');
    // Activated: no second Accept or Reject.
    expect((await h.call('AcceptVpcPeerConnection', { InstanceId: cross }, 'bob')).body.Code).toBe('IncorrectStatus.VpcPeer');
    expect((await h.call('RejectVpcPeerConnection', { InstanceId: cross }, 'bob')).body.Code).toBe('IncorrectStatus.VpcPeer');
    // Same-account connections are never accepted by hand.
    const own = (await h.call('CreateVpcPeerConnection', sameAccount())).body.InstanceId as string;
    await h.advance('1s');
    expect((await h.call('AcceptVpcPeerConnection', { InstanceId: own })).body.Code).toBe('IncorrectStatus.VpcPeer');
  });

  it('ResourceNotFound.InstanceId for an unknown ID on every lifecycle call', async () => {
    for (const action of ['AcceptVpcPeerConnection', 'RejectVpcPeerConnection', 'DeleteVpcPeerConnection', 'ModifyVpcPeerConnection', 'GetVpcPeerConnectionAttribute']) {
      const a = await h.call(action, { InstanceId: 'pcc-doesnotexist000000' });
      expect(a.body.Code, action).toBe('ResourceNotFound.InstanceId');
    }
  });

  it('ResourceAlreadyExist.VpcPeer for the same pair, either direction', async () => {
    await h.call('CreateVpcPeerConnection', createParams());
    expect((await h.call('CreateVpcPeerConnection', createParams())).body.Code).toBe('ResourceAlreadyExist.VpcPeer');
    const reverse = await h.call('CreateVpcPeerConnection', { RegionId: 'cn-shanghai', VpcId: VPC.bobSh, AcceptingAliUid: ALICE.uid, AcceptingRegionId: 'cn-hangzhou', AcceptingVpcId: VPC.aliceHz1 }, 'bob');
    expect(reverse.body.Code).toBe('ResourceAlreadyExist.VpcPeer');
  });

  it('unknown or foreign VPCs, wrong regions, unsupported regions', async () => {
    expect((await h.call('CreateVpcPeerConnection', createParams({ VpcId: 'vpc-nope' }))).body.Code).toBe('InvalidVpcId.NotFound');
    // bob's VPC used as if it were alice's.
    const foreign = await h.call('CreateVpcPeerConnection', createParams({ VpcId: VPC.bobHz }));
    expect(foreign.body.Code).toBe('InvalidVpcId.NotFound');
    expect(foreign.body.Message).toContain('VpcId');
    // The accepter VPC must belong to AcceptingAliUid in AcceptingRegionId.
    expect((await h.call('CreateVpcPeerConnection', createParams({ AcceptingVpcId: VPC.aliceSh }))).body.Message).toContain('AcceptingVpcId');
    expect((await h.call('CreateVpcPeerConnection', createParams({ AcceptingRegionId: 'cn-beijing' }))).body.Code).toBe('InvalidVpcId.NotFound');
    expect((await h.call('CreateVpcPeerConnection', createParams({ AcceptingRegionId: 'mars-north-1' }))).body.Code).toBe('UnsupportedRegion');
    expect((await h.call('CreateVpcPeerConnection', sameAccount({ AcceptingVpcId: VPC.aliceHz1 }))).body.Message).toContain('AcceptingVpcId');
  });

  it('Bandwidth and LinkType only on inter-region connections', async () => {
    expect((await h.call('CreateVpcPeerConnection', sameAccount({ LinkType: 'Gold' }))).body.Code).toBe('OperationFailed.InterRegionLinkTypeNotSupported');
    const bw = await h.call('CreateVpcPeerConnection', sameAccount({ Bandwidth: 10 }));
    expect(bw.body.Code).toBe('InvalidParameter');
    expect(bw.body.Message).toContain('"Bandwidth"');
    const { body } = await h.call('CreateVpcPeerConnection', sameAccount());
    await h.advance('1s');
    expect((await h.call('ModifyVpcPeerConnection', { InstanceId: body.InstanceId, Bandwidth: 10 })).body.Code).toBe('OperationFailed.BandwidthCannotBeChangedInSameRegion');
    expect((await h.call('ModifyVpcPeerConnection', { InstanceId: body.InstanceId, LinkType: 'Gold' })).body.Code).toBe('OperationFailed.InterRegionLinkTypeNotSupported');
    const inter = (await h.call('CreateVpcPeerConnection', createParams({ AcceptingAliUid: ALICE.uid, AcceptingVpcId: VPC.aliceSh }))).body.InstanceId;
    await h.advance('1s');
    expect((await h.call('ModifyVpcPeerConnection', { InstanceId: inter, Bandwidth: 2048 })).body.Code).toBe('QuotaExceeded.Bandwidth');
  });

  it('unknown resource group', async () => {
    expect((await h.call('CreateVpcPeerConnection', createParams({ ResourceGroupId: 'rg-acfmbobdefault0001' }))).body.Code).toBe('OperationFailed.NotExist.ResourceGroup');
    const ok = await h.call('CreateVpcPeerConnection', createParams({ ResourceGroupId: 'rg-acfmaliceprod0001' }));
    await h.advance('1s');
    expect((await h.call('AcceptVpcPeerConnection', { InstanceId: ok.body.InstanceId, ResourceGroupId: 'rg-acfmaliceprod0001' }, 'bob')).body.Code).toBe('OperationFailed.NotExist.ResourceGroup');
  });
});

describe('quotas', () => {
  it('intra-region per VPC (10), per account per region (20), cross-region per VPC (20)', async () => {
    const small = await startHarness({
      config: {
        accounts: [ALICE],
        world: {
          accounts: {
            [ALICE.uid]: {
              resourceGroups: ['rg-a'],
              vpcs: {
                'cn-hangzhou': Array.from({ length: 30 }, (_, i) => ({ VpcId: `vpc-hz${String(i).padStart(2, '0')}`, Ipv4Cidrs: [`10.${i}.0.0/16`], Ipv6Cidrs: [] })),
                'cn-shanghai': Array.from({ length: 22 }, (_, i) => ({ VpcId: `vpc-sh${String(i).padStart(2, '0')}`, Ipv4Cidrs: [`10.${100 + i}.0.0/16`], Ipv6Cidrs: [] })),
              },
            },
          },
        },
      },
    });
    try {
      const create = (from: string, to: string, region = 'cn-hangzhou', toRegion = 'cn-hangzhou') =>
        small.call('CreateVpcPeerConnection', { RegionId: region, VpcId: from, AcceptingAliUid: ALICE.uid, AcceptingRegionId: toRegion, AcceptingVpcId: to });
      for (let i = 1; i <= 10; i += 1) expect((await create('vpc-hz00', `vpc-hz${String(i).padStart(2, '0')}`)).status).toBe(200);
      const perVpc = await create('vpc-hz00', 'vpc-hz11');
      expect(perVpc.body.Code).toBe('QuotaExceeded.IntraRegionVpcPeerCountPerVpc');
      expect(perVpc.body.Message).toMatch(/usage 10\/10\.$/);
      for (let i = 11; i <= 20; i += 1) expect((await create('vpc-hz29', `vpc-hz${String(i).padStart(2, '0')}`)).status).toBe(200);
      const perRegion = await create('vpc-hz21', 'vpc-hz22');
      expect(perRegion.body.Code).toBe('QuotaExceeded.VpcPeerCountPerUserPerRegion');
      expect(perRegion.body.Message).toContain('usage 20/20');
      // Cross-region: 20 from one Shanghai VPC (their region's count is separate).
      for (let i = 0; i < 20; i += 1) expect((await create('vpc-sh00', `vpc-hz${String(i).padStart(2, '0')}`, 'cn-shanghai')).status).toBe(200);
      const cross = await create('vpc-sh00', 'vpc-hz20', 'cn-shanghai');
      expect(['QuotaExceeded.CrossRegionVpcPeerCountPerVpc', 'QuotaExceeded.VpcPeerCountPerUserPerRegion']).toContain(cross.body.Code);
      // DryRun reports quota errors too.
      expect((await small.call('CreateVpcPeerConnection', { RegionId: 'cn-hangzhou', VpcId: 'vpc-hz21', AcceptingAliUid: ALICE.uid, AcceptingRegionId: 'cn-hangzhou', AcceptingVpcId: 'vpc-hz23', DryRun: true })).body.Code).toBe('QuotaExceeded.VpcPeerCountPerUserPerRegion');
    } finally {
      await small.close();
    }
  });

  it('the store cap answers the quota error', async () => {
    const capped = await startHarness({ config: { quotas: { maxConnections: 1 } } });
    try {
      expect((await capped.call('CreateVpcPeerConnection', createParams())).status).toBe(200);
      const full = await capped.call('CreateVpcPeerConnection', createParams({ VpcId: VPC.aliceHz2 }));
      expect(full.body.Code).toBe('QuotaExceeded.VpcPeerCountPerUserPerRegion');
      expect(full.body.Message).toContain('store is full');
    } finally {
      await capped.close();
    }
  });
});

describe('DryRun and ClientToken', () => {
  it('DryRun checks everything and changes nothing', async () => {
    const dry = await h.call('CreateVpcPeerConnection', createParams({ DryRun: true }));
    expect(dry.status).toBe(400);
    expect(dry.body.Code).toBe('DryRunOperation');
    expect((await h.call('ListVpcPeerConnections', {})).body.TotalCount).toBe(0);
    expect((await h.call('CreateVpcPeerConnection', createParams({ VpcId: 'vpc-nope', DryRun: true }))).body.Code).toBe('InvalidVpcId.NotFound');
    const { body } = await h.call('CreateVpcPeerConnection', createParams());
    await h.advance('1s');
    expect((await h.call('AcceptVpcPeerConnection', { InstanceId: body.InstanceId, DryRun: true }, 'bob')).body.Code).toBe('DryRunOperation');
    expect((await h.call('RejectVpcPeerConnection', { InstanceId: body.InstanceId, DryRun: true }, 'bob')).body.Code).toBe('DryRunOperation');
    expect((await h.call('DeleteVpcPeerConnection', { InstanceId: body.InstanceId, DryRun: true })).body.Code).toBe('DryRunOperation');
    expect((await h.call('ModifyVpcPeerConnection', { InstanceId: body.InstanceId, DryRun: true })).body.Code).toBe('IncorrectStatus.VpcPeer');
    expect((await h.call('GetVpcPeerConnectionAttribute', { InstanceId: body.InstanceId })).body.Status).toBe('Accepting');
  });

  it('same token + same parameters → same InstanceId; different parameters → IdempotentParameterMismatch', async () => {
    const token = 'tok-0001';
    const first = await h.call('CreateVpcPeerConnection', createParams({ ClientToken: token }));
    const again = await h.call('CreateVpcPeerConnection', createParams({ ClientToken: token }));
    expect(again.status).toBe(200);
    expect(again.body.InstanceId).toBe(first.body.InstanceId);
    expect(again.body.RequestId).not.toBe(first.body.RequestId);
    expect((await h.call('ListVpcPeerConnections', {})).body.TotalCount).toBe(1);
    const changed = await h.call('CreateVpcPeerConnection', createParams({ ClientToken: token, Name: 'other' }));
    expect(changed.body.Code).toBe('IdempotentParameterMismatch');
    // Tokens are per account: bob may use the same text.
    expect((await h.call('CreateVpcPeerConnection', { RegionId: 'cn-hangzhou', VpcId: VPC.bobHz, AcceptingAliUid: ALICE.uid, AcceptingRegionId: 'cn-hangzhou', AcceptingVpcId: VPC.aliceHz3, ClientToken: token }, 'bob')).status).toBe(200);
    // A retried Accept is answered like the first one, even though the status moved on.
    await h.advance('1s');
    expect((await h.call('AcceptVpcPeerConnection', { InstanceId: first.body.InstanceId, ClientToken: 'acc-1' }, 'bob')).status).toBe(200);
    expect((await h.call('AcceptVpcPeerConnection', { InstanceId: first.body.InstanceId, ClientToken: 'acc-1' }, 'bob')).status).toBe(200);
    expect((await h.call('AcceptVpcPeerConnection', { InstanceId: first.body.InstanceId }, 'bob')).body.Code).toBe('IncorrectStatus.VpcPeer');
  });
});
