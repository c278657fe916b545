/**
 * The Action handlers, one per Action (the mapped type demands all of them), and `runAction`,
 * which wraps each call in what the contract says about it: DryRun (checks only) and ClientToken
 * idempotency (a replay answers like the first call; other parameters are
 * `IdempotentParameterMismatch`).
 */
import type { Contract } from '../../contract/model.ts';
import type { Action, DocumentedCode, Params, Status } from '../../contract/types.ts';
import { AcceptVpcPeerConnection } from './AcceptVpcPeerConnection.ts';
import { CreateVpcPeerConnection } from './CreateVpcPeerConnection.ts';
import { DeleteVpcPeerConnection } from './DeleteVpcPeerConnection.ts';
import { GetVpcPeerConnectionAttribute } from './GetVpcPeerConnectionAttribute.ts';
import type { CallContext, Handler, HandlerTable, Outcome } from './handler.ts';
import { ListTagResources } from './ListTagResources.ts';
import { ListVpcPeerConnections } from './ListVpcPeerConnections.ts';
import { ModifyVpcPeerConnection } from './ModifyVpcPeerConnection.ts';
import { MoveResourceGroup } from './MoveResourceGroup.ts';
import { RejectVpcPeerConnection } from './RejectVpcPeerConnection.ts';
import { TagResources } from './TagResources.ts';
import { UnTagResources } from './UnTagResources.ts';

export const HANDLERS: HandlerTable = {
  AcceptVpcPeerConnection,
  CreateVpcPeerConnection,
  DeleteVpcPeerConnection,
  GetVpcPeerConnectionAttribute,
  ListTagResources,
  ListVpcPeerConnections,
  ModifyVpcPeerConnection,
  MoveResourceGroup,
  RejectVpcPeerConnection,
  TagResources,
  UnTagResources,
};

/** Actions whose parameters include a ClientToken. */
type TokenAction = { [A in Action]: 'ClientToken' extends keyof Params<A> ? A : never }[Action];
type DocumentsMismatch = { [A in TokenAction]: 'IdempotentParameterMismatch' extends DocumentedCode<A> ? true : false }[TokenAction];
/** Compiles only while every ClientToken Action documents IdempotentParameterMismatch (the cast below rests on it). */
const EVERY_TOKEN_ACTION_DOCUMENTS_MISMATCH: false extends DocumentsMismatch ? never : true = true;
void EVERY_TOKEN_ACTION_DOCUMENTS_MISMATCH;

/** Canonical text of a request's parameters, for ClientToken comparison. */
function fingerprint(params: Record<string, unknown>): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]));
    return v;
  };
  const { ClientToken: _t, DryRun: _d, ...rest } = params;
  return JSON.stringify(sorted(rest));
}

/** Runs one validated call of `action` (its parameters already passed the contract's validators). */
export function runAction<A extends Action>(
  contract: Contract<Action, Status>,
  action: A,
  params: Params<A>,
  ctx: Omit<CallContext, 'dryRun'>,
): Outcome<A> {
  const op = contract.operation(action);
  const raw = params as Record<string, unknown>;
  const dryRun = op.takesDryRun && raw.DryRun === true;
  const token = op.takesClientToken && !dryRun && typeof raw.ClientToken === 'string' ? raw.ClientToken : undefined;
  let key: string | undefined;
  let print = '';
  if (token !== undefined) {
    key = `${ctx.account.uid}\u0000${action}\u0000${token}`;
    print = fingerprint(raw);
    const seen = ctx.store.tokens.get(key);
    if (seen) {
      if (seen.fingerprint !== print) {
        return { ok: false, code: 'IdempotentParameterMismatch' as DocumentedCode<A>, fill: [], detail: `ClientToken ${token} was used with other parameters.` };
      }
      return { ok: true, body: { ...seen.body } as never };
    }
  }
  const handler = HANDLERS[action] as Handler<A>;
  const { account, now, exact, store, world, views, lifecycle, config, defaultLinkType } = ctx;
  const outcome = handler(params, { account, now, dryRun, exact, store, world, views, lifecycle, config, defaultLinkType }); // a literal, not a spread: the hot path
  if (outcome.ok && key) {
    const body = outcome.body ?? (JSON.parse(outcome.json!) as Record<string, unknown>);
    ctx.store.remember(key, { fingerprint: print, body: body as Record<string, unknown> });
  }
  return outcome;
}
