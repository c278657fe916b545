// A consumer's Node program: typed calls through the installed kit, a typed error code, int64 as text.
import { createNodeClient, isVpcPeerError, type DocumentedCode, type Params, type Result } from 'vpcpeer-contract-kit/client/node';

const endpoint = process.argv[2];
if (endpoint === undefined) throw new Error('usage: node out/node-consumer.js <endpoint>');
const client = createNodeClient({ endpoint, credentials: { accessKeyId: 'LTAI5tAliceEmulator0001', accessKeySecret: 'alice-emulator-secret-0001' }, retry: false });

const create: Params<'CreateVpcPeerConnection'> = {
  RegionId: 'cn-hangzhou',
  VpcId: process.argv[3] ?? 'vpc-missing',
  AcceptingAliUid: process.argv[4] ?? '1250123456123458',
  AcceptingRegionId: process.argv[5] ?? 'cn-shanghai',
  AcceptingVpcId: process.argv[6] ?? 'vpc-missing',
};
const created: Result<'CreateVpcPeerConnection'> = await client.createVpcPeerConnection(create);
const peer = await client.getVpcPeerConnectionAttribute({ InstanceId: created.InstanceId ?? '' });
const owner: string | undefined = peer.OwnerId;

const expected: DocumentedCode<'GetVpcPeerConnectionAttribute'> = 'ResourceNotFound.InstanceId';
let caught = 'none';
try {
  await client.getVpcPeerConnectionAttribute({ InstanceId: 'pcc-doesnotexist000000000' });
} catch (error) {
  if (isVpcPeerError(error, 'GetVpcPeerConnectionAttribute')) {
    switch (error.code) {
      case expected:
        caught = error.code;
        break;
      default:
        caught = `other: ${error.code}`;
    }
  } else {
    throw error;
  }
}
process.stdout.write(`${JSON.stringify({ instanceId: created.InstanceId, status: peer.Status, owner, caught })}\n`);
