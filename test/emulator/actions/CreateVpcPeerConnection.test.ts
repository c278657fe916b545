/**
 * CreateVpcPeerConnection: defaults, exact UIDs, and every check before a connection is stored
 * (parameters, VPCs, pairs, inter-region-only settings, resource groups, quotas).
 */
import { describe, expect, it } from 'vitest';
import { ALICE, BOB, CAROL, createParams, startHarness, useHarness, VPC } from '../helpers.ts';

const h = useHarness();

const sameAccount = (overrides: Record<string, unknown> = {}) =>
  createParams({ AcceptingAliUid: ALICE.uid, AcceptingRegionId: 'cn-hangzhou', AcceptingVpcId: VPC.aliceHz2, ...overrides });

describe('CreateVpcPeerConnection', () => {
  it('same account: Creating → Activated, intra-region defaults (Bandwidth -1, no LinkType)', async () => {
    const created = await h.call('CreateVpcPeerConnection', createParams({ AcceptingAliUid: ALICE.uid, AcceptingRegionId: 'cn-hangzhou', AcceptingVpcId: VPC.aliceHz2, Name: 'hz-internal' }));
    expect(created.status).toBe(200);
    expect(created.body.InstanceId).toMatch(/^pcc-[0-9a-z]{20}$/);
    const first = await h.call('GetVpcPeerConnectionAttribute', { InstanceId: created.body.InstanceId });
    expect(first.body).toMatchObject({ Status: 'Creating', Bandwidth: -1, LinkType: '', GmtExpired: null, Name: 'hz-internal', ResourceGroupId: 'rg-acfmalicedefault01' });
    expect(first.text).toContain(`"OwnerId":${ALICE.uid}`);
    await h.advance(999);
    expect(await h.status(created.body.InstanceId)).toBe('Creating');
    await h.advance(1);
    const done = await h.call('GetVpcPeerConnectionAttribute', { InstanceId: created.body.InstanceId });
    expect(done.body.Status).toBe('Activated');
    expect(done.body.GmtModified).not.toBe(done.body.GmtCreate);
  });
  it('writes UIDs above 2^53 exactly', async () => {
    const { body } = await h.call('CreateVpcPeerConnection', createParams({ AcceptingAliUid: CAROL.uid, AcceptingRegionId: 'cn-hangzhou', AcceptingVpcId: VPC.carolHz }));
    const got = await h.call('GetVpcPeerConnectionAttribute', { InstanceId: body.InstanceId }, 'carol');
    expect(got.text).toContain(`"AcceptingOwnerUid":${CAROL.uid}`);
    expect(got.text).toContain(`"OwnerId":${ALICE.uid}`);
    expect(BOB.uid).not.toBe(CAROL.uid);
  });
  it('MissingParameter names the parameter', async () => {
    const { VpcId: _v, ...rest } = createParams();
    const a = await h.call('CreateVpcPeerConnection', rest);
    expect(a.body.Code).toBe('MissingParameter');
    expect(a.body.Message).toContain('"VpcId"');
  });
  it('Name and Description rules of Create', async () => {
    expect((await h.call('CreateVpcPeerConnection', sameAccount({ Name: '1abc' }))).body.Message).toContain('"Name"');
    expect((await h.call('CreateVpcPeerConnection', sameAccount({ Description: 'https://x' }))).body.Code).toBe('InvalidParameter');
    expect((await h.call('CreateVpcPeerConnection', sameAccount({ Name: 'a' }))).body.Code).toBe('InvalidParameter');
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
  });
  it('unknown resource group', async () => {
    expect((await h.call('CreateVpcPeerConnection', createParams({ ResourceGroupId: 'rg-acfmbobdefault0001' }))).body.Code).toBe('OperationFailed.NotExist.ResourceGroup');
    expect((await h.call('CreateVpcPeerConnection', createParams({ ResourceGroupId: 'rg-acfmaliceprod0001' }))).status).toBe(200);
  });
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
