// A consumer's browser console: bundled for the browser from the installed kit's browser-safe entry.
import { createClient, isVpcPeerError } from 'vpcpeer-contract-kit/client';

export async function runConsole(endpoint: string): Promise<Record<string, unknown>> {
  const client = createClient({ endpoint, credentials: { accessKeyId: 'LTAI5tAliceEmulator0001', accessKeySecret: 'alice-emulator-secret-0001' }, retry: false });
  const listed = await client.listVpcPeerConnections({ RegionId: 'cn-hangzhou' });
  let code = 'none';
  try {
    await client.getVpcPeerConnectionAttribute({ InstanceId: 'pcc-doesnotexist000000000' });
  } catch (error) {
    if (isVpcPeerError(error, 'GetVpcPeerConnectionAttribute')) code = error.code;
  }
  return { listed: Array.isArray(listed.VpcPeerConnects), code, secure: globalThis.isSecureContext };
}
