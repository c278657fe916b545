/**
 * Type tests of the client (checked by `tsc` in `npm test`; the `it` bodies also run): the
 * parameter, result and error types come from generated/vpcpeer.ts, and wrong names or types
 * are compile errors. Plus the runtime proof that INT64_FIELDS is what the contract says.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { components, operations } from '../../generated/vpcpeer.ts';
import { contract } from '../../src/contract/index.ts';
import {
  INT64_FIELDS,
  VpcPeerClient,
  VpcPeerError,
  int64FieldNames,
  isVpcPeerError,
  type DocumentedCode,
  type ErrorCode,
  type Params,
  type Result,
} from '../../src/client/index.ts';

// A client that is never called: only its types matter here.
const client = new VpcPeerClient({ credentials: 'anonymous', endpoint: 'http://127.0.0.1:9' });
const never = false as boolean;

describe('client types', () => {
  it('parameters: required are required, enums are unions, lists are typed, int64 widened', () => {
    type Create = Params<'CreateVpcPeerConnection'>;
    expectTypeOf<Create['RegionId']>().toEqualTypeOf<string>();
    expectTypeOf<Create['LinkType']>().toEqualTypeOf<components['schemas']['LinkType'] | undefined>();
    expectTypeOf<Create['Tag']>().toEqualTypeOf<readonly components['schemas']['TagInput'][] | undefined>();
    expectTypeOf<Create['AcceptingAliUid']>().toEqualTypeOf<number | bigint | string>();
    expectTypeOf<Create['DryRun']>().toEqualTypeOf<boolean | undefined>();
    // The common signing parameters are not the caller's business.
    expectTypeOf<Create>().not.toHaveProperty('Action');
    expectTypeOf<Create>().not.toHaveProperty('Signature');
    expectTypeOf<Create>().not.toHaveProperty('AccessKeyId');
    type List = Params<'ListVpcPeerConnections'>;
    expectTypeOf<List['VpcId']>().toEqualTypeOf<readonly string[] | undefined>();
    expectTypeOf<Params<'TagResources'>['ResourceId']>().toEqualTypeOf<readonly string[]>();
    expect(true).toBe(true);
  });

  it('results: the documented 200 body, int64 as exact strings', () => {
    type Get = Result<'GetVpcPeerConnectionAttribute'>;
    expectTypeOf<Get['OwnerId']>().toEqualTypeOf<string>();
    expectTypeOf<Get['AcceptingOwnerUid']>().toEqualTypeOf<string>();
    expectTypeOf<Get['Status']>().toEqualTypeOf<components['schemas']['PeerConnectionStatus']>();
    expectTypeOf<Get['Bandwidth']>().toEqualTypeOf<number>();
    expectTypeOf<Result<'CreateVpcPeerConnection'>['InstanceId']>().toEqualTypeOf<
      operations['CreateVpcPeerConnection']['responses'][200]['content']['application/json']['InstanceId']
    >();
    type ListItem = NonNullable<Result<'ListVpcPeerConnections'>['VpcPeerConnects']>[number];
    expectTypeOf<ListItem['OwnerId']>().toEqualTypeOf<string>();
    expect(true).toBe(true);
  });

  it('error codes: the union of the documented codes of every error status', () => {
    type Codes = DocumentedCode<'DeleteVpcPeerConnection'>;
    expectTypeOf<'OperationDenied.RouteEntryExist'>().toExtend<Codes>();
    expectTypeOf<'Throttling.User'>().toExtend<Codes>();
    expectTypeOf<'Forbidden.RAM'>().toExtend<Codes>();
    expectTypeOf<'InternalError'>().toExtend<Codes>();
    expectTypeOf<'ServiceUnavailable'>().toExtend<Codes>();
    expectTypeOf<'BothEmpty.TagsAndResources'>().not.toExtend<Codes>();
    expectTypeOf<'BothEmpty.TagsAndResources'>().toExtend<DocumentedCode<'ListTagResources'>>();
    expectTypeOf<ErrorCode<'DeleteVpcPeerConnection'>>().toExtend<string>();
    const handle = (e: unknown): string => {
      if (isVpcPeerError(e, 'DeleteVpcPeerConnection')) {
        expectTypeOf(e).toEqualTypeOf<VpcPeerError<'DeleteVpcPeerConnection'>>();
        switch (e.code) {
          case 'OperationDenied.RouteEntryExist':
            return 'routes first';
          default:
            return e.code;
        }
      }
      return '';
    };
    expect(handle(new Error('x'))).toBe('');
  });

  it('wrong names and types are compile errors', () => {
    if (never) {
      // @ts-expect-error unknown Action
      void client.call('CreateVpcPeer', {});
      // @ts-expect-error misspelled parameter (case matters)
      void client.call('GetVpcPeerConnectionAttribute', { instanceId: 'pcc-1' });
      // @ts-expect-error missing required InstanceId
      void client.call('GetVpcPeerConnectionAttribute', {});
      // @ts-expect-error Bandwidth is a number
      void client.call('ModifyVpcPeerConnection', { InstanceId: 'pcc-1', Bandwidth: '100' });
      // @ts-expect-error LinkType is an enum
      void client.call('ModifyVpcPeerConnection', { InstanceId: 'pcc-1', LinkType: 'Silver' });
      // @ts-expect-error Tag items are {Key, Value}
      void client.createVpcPeerConnection({ RegionId: 'a', VpcId: 'b', AcceptingAliUid: 1, AcceptingRegionId: 'c', AcceptingVpcId: 'd', Tag: [{ Name: 'x' }] });
      // @ts-expect-error the signing parameters are set by the client
      void client.call('ListVpcPeerConnections', { Signature: 'x' });
      // @ts-expect-error params are required when something is required
      void client.deleteVpcPeerConnection();
      // Fine: nothing is required, params may be omitted; int64 as a string
      void client.listVpcPeerConnections();
      void client.createVpcPeerConnection({ RegionId: 'a', VpcId: 'b', AcceptingAliUid: '253460731706911260', AcceptingRegionId: 'c', AcceptingVpcId: 'd' });
    }
    expectTypeOf(client.getVpcPeerConnectionAttribute).returns.resolves.toEqualTypeOf<Result<'GetVpcPeerConnectionAttribute'>>();
    expect(typeof client.getVpcPeerConnectionAttribute).toBe('function');
  });

  it('one method per Action of the contract', () => {
    for (const action of contract.actions) {
      const name = action.charAt(0).toLowerCase() + action.slice(1);
      expect(typeof (client as unknown as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('INT64_FIELDS is exactly the set of format:int64 fields in generated/openapi.json', () => {
    expect([...int64FieldNames(contract)].sort()).toEqual([...INT64_FIELDS].sort());
  });
});
