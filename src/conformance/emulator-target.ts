/**
 * A fresh stateful emulator as the target (`--emulator`, and the tests): short lifecycle
 * delays, the first account signs, the second accepts and rejects, and one connection to read
 * (tagged, in the first account) is seeded so the safe checks have something to check.
 */
import { VpcPeerClient, type Credentials } from '../client/client.ts';
import { startEmulator, type RunningEmulator } from '../emulator/index.ts';
import type { TargetValues } from './options.ts';

export interface EmulatorTarget {
  baseUrl: string;
  owner: Credentials;
  peer: Credentials;
  values: TargetValues & { InstanceId: string };
  emulator: RunningEmulator;
  close(): Promise<void>;
}

export const FAST_DELAYS = { createMs: 100, acceptMs: 100, modifyMs: 100, deleteMs: 100, deletedVisibleMs: 100 };

export async function startEmulatorTarget(options: { config?: Record<string, unknown>; seed?: boolean } = {}): Promise<EmulatorTarget> {
  const running = await startEmulator({ config: { delays: FAST_DELAYS, ...options.config }, logLevel: 'silent' });
  try {
    const { accounts, world } = running.emulator.config;
    const [owner, peer] = accounts;
    if (!owner?.accessKeys[0] || !peer?.accessKeys[0]) throw new Error('the emulator config needs two accounts with AccessKeys');
    const region = 'cn-hangzhou';
    const ownVpcs = world.accounts[owner.uid]?.vpcs[region] ?? [];
    const peerRegion = Object.keys(world.accounts[peer.uid]?.vpcs ?? {}).find((r) => r !== region);
    const peerVpc = peerRegion ? world.accounts[peer.uid]?.vpcs[peerRegion]?.[0] : undefined;
    if (ownVpcs.length < 3 || !peerRegion || !peerVpc) throw new Error('the emulator world needs three VPCs of the first account in cn-hangzhou and one of the second account in another region');
    const ownerKey = { accessKeyId: owner.accessKeys[0].id, accessKeySecret: owner.accessKeys[0].secret };
    const peerKey = { accessKeyId: peer.accessKeys[0].id, accessKeySecret: peer.accessKeys[0].secret };
    let instanceId = '';
    if (options.seed !== false) {
      const client = new VpcPeerClient({ endpoint: running.baseUrl, credentials: ownerKey });
      const created = await client.createVpcPeerConnection({ RegionId: region, VpcId: ownVpcs[1]!.VpcId, AcceptingAliUid: owner.uid, AcceptingRegionId: region, AcceptingVpcId: ownVpcs[2]!.VpcId, Name: 'conformance-fixture', Tag: [{ Key: 'env', Value: 'conformance' }] });
      instanceId = created.InstanceId;
      for (let i = 0; i < 100; i++) {
        const got = await client.getVpcPeerConnectionAttribute({ InstanceId: instanceId });
        if (got.Status === 'Activated') break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    const groups = world.accounts[owner.uid]?.resourceGroups ?? [];
    return {
      baseUrl: running.baseUrl,
      owner: ownerKey,
      peer: peerKey,
      values: {
        RegionId: region,
        VpcId: ownVpcs[0]!.VpcId,
        AcceptingRegionId: peerRegion,
        AcceptingVpcId: peerVpc.VpcId,
        AcceptingAliUid: peer.uid,
        InstanceId: instanceId,
        ...(groups[1] && { ResourceGroupId2: groups[1] }),
      },
      emulator: running,
      close: () => running.close(),
    };
  } catch (error) {
    await running.close();
    throw error;
  }
}
