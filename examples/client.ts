/**
 * The typed client against the mock: `npm start` in one terminal, then
 * `npx tsx examples/client.ts`. For the real endpoint, drop `endpoint` and `credentials`: the
 * Node entry then signs with the @alicloud/credentials default chain.
 */
import { createNodeClient, isVpcPeerError } from '../src/client/node.ts';

const client = createNodeClient({
  endpoint: process.env.VPCPEER_ENDPOINT ?? 'http://127.0.0.1:4010',
  credentials: { accessKeyId: 'LTAI5tExampleKeyId', accessKeySecret: 'example-secret' },
});

const { InstanceId } = await client.createVpcPeerConnection({
  RegionId: 'cn-hangzhou',
  VpcId: 'vpc-bp1gsk7h12ew7oegk0abc',
  AcceptingAliUid: '1250123456123458', // int64: exact as a string (or a bigint)
  AcceptingRegionId: 'cn-shanghai',
  AcceptingVpcId: 'vpc-uf6wqfnfp3rtaqjh1xyz',
  Tag: [{ Key: 'env', Value: 'dev' }],
});
const peer = await client.getVpcPeerConnectionAttribute({ InstanceId });
console.log(InstanceId, peer.Status, peer.OwnerId); // OwnerId comes back as the exact digits

try {
  // Against the mock, Prefer picks a documented error; the real service decides by itself.
  await client.call('DeleteVpcPeerConnection', { InstanceId }, { headers: { prefer: 'code=400, example=OperationDenied.RouteEntryExist' } });
} catch (error) {
  if (isVpcPeerError(error, 'DeleteVpcPeerConnection') && error.code === 'OperationDenied.RouteEntryExist') {
    console.log(`routes still point at ${InstanceId}: ${error.message} (RequestId ${error.requestId})`);
  } else {
    throw error;
  }
}
