// Must not compile: a misspelled parameter name and an error code the Action does not document.
import { createClient, type DocumentedCode } from 'vpcpeer-contract-kit/client';

const client = createClient({ credentials: 'anonymous' });
await client.getVpcPeerConnectionAttribute({ InstanceID: 'pcc-1' });
export const code: DocumentedCode<'GetVpcPeerConnectionAttribute'> = 'ResourceNotFound.Instance';
