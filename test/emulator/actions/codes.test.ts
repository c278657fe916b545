/**
 * The handlers' error codes are typed by the contract: a handler may return only a code its
 * Action documents (`DocumentedCode<A>`), so a typo or another Action's code does not compile.
 * `npm run typecheck` checks the `@ts-expect-error` lines (an unused one is itself an error); the
 * runtime cases below prove the same table against the contract's catalog.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { contract } from '../../../src/contract/index.ts';
import type { DocumentedCode } from '../../../src/contract/types.ts';
import { fail, type Handler, type HandlerTable, type Outcome } from '../../../src/emulator/actions/handler.ts';
import { HANDLERS } from '../../../src/emulator/actions/index.ts';

// A handler returning a documented code compiles…
export const documented: Handler<'RejectVpcPeerConnection'> = () => fail('IncorrectStatus.VpcPeer');
// …a misspelt one does not…
// @ts-expect-error 'IncorrectStatus.VpcPear' is not a code of RejectVpcPeerConnection
export const typo: Handler<'RejectVpcPeerConnection'> = () => fail('IncorrectStatus.VpcPear');
// …nor a real code that this Action does not document (Modify's, Create's).
// @ts-expect-error QuotaExceeded.Bandwidth is documented by ModifyVpcPeerConnection only
export const foreign: Handler<'RejectVpcPeerConnection'> = () => fail('QuotaExceeded.Bandwidth');
// @ts-expect-error ResourceAlreadyExist.VpcPeer belongs to CreateVpcPeerConnection
export const other: Outcome<'GetVpcPeerConnectionAttribute'> = fail('ResourceAlreadyExist.VpcPeer');
// The table must hold every Action: one missing does not compile.
const withoutMove: Omit<HandlerTable, 'MoveResourceGroup'> = HANDLERS;
// @ts-expect-error MoveResourceGroup is missing
export const incomplete: HandlerTable = withoutMove;

describe('handler error codes', () => {
  it('are the codes the contract documents per Action', () => {
    expectTypeOf<'IncorrectStatus.VpcPeer'>().toMatchTypeOf<DocumentedCode<'RejectVpcPeerConnection'>>();
    expectTypeOf<'QuotaExceeded.Bandwidth'>().not.toMatchTypeOf<DocumentedCode<'RejectVpcPeerConnection'>>();
    expect(contract.errors.codesOf('RejectVpcPeerConnection')).toContain('IncorrectStatus.VpcPeer');
    expect(contract.errors.codesOf('RejectVpcPeerConnection')).not.toContain('QuotaExceeded.Bandwidth');
    expect(contract.errors.codesOf('ModifyVpcPeerConnection')).toContain('QuotaExceeded.Bandwidth');
    expect(Object.keys(HANDLERS).sort()).toEqual([...contract.actions].sort());
  });
});
