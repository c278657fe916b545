/**
 * Type tests of generated/vpcpeer.ts. They are checked by `tsc` (part of `npm test`): a wrong
 * expectation or an unexpected compile success (`@ts-expect-error`) fails the typecheck.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { components, operations, paths } from '../../generated/vpcpeer.ts';

type FormOf<A extends keyof operations> = operations[A] extends {
  requestBody?: { content: { 'application/x-www-form-urlencoded': infer F } };
}
  ? F
  : never;
type JsonOf<A extends keyof operations, S extends number> = operations[A]['responses'] extends Record<S, infer R>
  ? R extends { content: { 'application/json': infer B } }
    ? B
    : never
  : never;
type CodeOf<A extends keyof operations, S extends number> = JsonOf<A, S> extends { Code: infer C } ? C : never;

describe('generated types', () => {
  it('has one typed operation per Action, keyed by its path', () => {
    expectTypeOf<keyof operations>().toEqualTypeOf<
      | 'CreateVpcPeerConnection'
      | 'AcceptVpcPeerConnection'
      | 'RejectVpcPeerConnection'
      | 'ModifyVpcPeerConnection'
      | 'DeleteVpcPeerConnection'
      | 'GetVpcPeerConnectionAttribute'
      | 'ListVpcPeerConnections'
      | 'TagResources'
      | 'UnTagResources'
      | 'ListTagResources'
      | 'MoveResourceGroup'
    >();
    expectTypeOf<paths['/#Action=CreateVpcPeerConnection']['post']>().toEqualTypeOf<operations['CreateVpcPeerConnection']>();
  });

  it("makes Create's five required parameters required and the rest optional", () => {
    type Create = FormOf<'CreateVpcPeerConnection'>;
    expectTypeOf<Create['RegionId']>().toEqualTypeOf<string>();
    expectTypeOf<Create['AcceptingAliUid']>().toEqualTypeOf<number>();
    const complete: Create = {
      RegionId: 'cn-hangzhou',
      VpcId: 'vpc-a',
      AcceptingAliUid: 1210123456123456,
      AcceptingRegionId: 'cn-shanghai',
      AcceptingVpcId: 'vpc-b',
    };
    expectTypeOf(complete).toMatchTypeOf<Create>();
    // @ts-expect-error AcceptingVpcId is required
    const incomplete: Create = { RegionId: 'r', VpcId: 'v', AcceptingAliUid: 1, AcceptingRegionId: 'r' };
    // @ts-expect-error Bandwidth is an integer, not a string
    const wrongType: Create = { ...complete, Bandwidth: '100' };
    void incomplete;
    void wrongType;
    type LinkType = NonNullable<NonNullable<operations['CreateVpcPeerConnection']['parameters']['query']>['LinkType']>;
    expectTypeOf<LinkType>().toEqualTypeOf<'Platinum' | 'Gold'>();
  });

  it('types Status and BizStatus as their closed unions', () => {
    expectTypeOf<components['schemas']['PeerConnectionStatus']>().toEqualTypeOf<
      'Creating' | 'Accepting' | 'Updating' | 'Activated' | 'Rejected' | 'Expired' | 'Deleting' | 'Deleted'
    >();
    expectTypeOf<JsonOf<'GetVpcPeerConnectionAttribute', 200>['Status']>().toEqualTypeOf<
      components['schemas']['PeerConnectionStatus']
    >();
    expectTypeOf<components['schemas']['BizStatus']>().toEqualTypeOf<'Normal' | 'FinancialLocked'>();
    expectTypeOf<JsonOf<'GetVpcPeerConnectionAttribute', 200>['GmtExpired']>().toEqualTypeOf<string | null | undefined>();
  });

  it("narrows each operation's error Code to the codes it documents", () => {
    type GetCode = CodeOf<'GetVpcPeerConnectionAttribute', 400>;
    expectTypeOf<GetCode>().toEqualTypeOf<components['schemas']['CommonErrorCode400'] | 'ResourceNotFound.InstanceId'>();
    expectTypeOf<'ResourceNotFound.InstanceId'>().toMatchTypeOf<CodeOf<'DeleteVpcPeerConnection', 400>>();
    expectTypeOf<'DryRunOperation'>().toMatchTypeOf<CodeOf<'CreateVpcPeerConnection', 400>>();
    expectTypeOf<'DryRunOperation'>().not.toMatchTypeOf<GetCode>();
    expectTypeOf<CodeOf<'ListVpcPeerConnections', 403>>().toEqualTypeOf<
      'Forbidden.AccessKeyDisabled' | 'Forbidden.RAM' | 'UnsupportedHTTPMethod'
    >();
    // A switch over the union is exhaustive: adding a code to the contract breaks this function.
    const describe404 = (code: CodeOf<'MoveResourceGroup', 404>): string => {
      switch (code) {
        case 'InvalidAction.NotFound':
          return 'unknown Action';
        case 'InvalidAccessKeyId.NotFound':
          return 'unknown AccessKey';
        default: {
          const unreachable: never = code;
          return unreachable;
        }
      }
    };
    void describe404;
  });
});
