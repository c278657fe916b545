// A plain Node script using the in-process emulator fixture from the installed kit.
import { startEmulator } from 'vpcpeer-contract-kit/emulator';
import { createClient } from 'vpcpeer-contract-kit/client';

const emulator = await startEmulator();
try {
  const client = createClient({ endpoint: emulator.baseUrl, credentials: 'anonymous', retry: false });
  const listed = await client.listVpcPeerConnections({ RegionId: 'cn-hangzhou' });
  console.log(JSON.stringify({ baseUrl: emulator.baseUrl, count: listed.VpcPeerConnects?.length ?? -1 }));
} finally {
  await emulator.close();
}
