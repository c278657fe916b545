/**
 * What every Action handler is: a function from the Action's validated parameters (`Params<A>`)
 * and the call's context to its answer body (`Result<A>` without RequestId) or one of the error
 * codes the contract documents for that Action (`DocumentedCode<A>`: a typo, or a code the
 * Action does not document, does not compile). Helpers shared by several handlers live here.
 */
import type { Action, DocumentedCode, Params, Result } from '../../contract/types.ts';
import type { Account, EmulatorConfig } from '../config.ts';
import type { Connection, LinkType, Tag } from '../model/connection.ts';
import type { Store } from '../model/store.ts';
import type { Lifecycle } from '../model/transitions.ts';
import type { World } from '../model/world.ts';
import type { Views } from '../views.ts';

export interface CallContext {
  account: Account;
  /** Emulator time of the call (epoch ms). */
  now: number;
  dryRun: boolean;
  /** Exact decimal text of integer parameters (int64 UIDs can exceed 2^53). */
  exact: ReadonlyMap<string, string>;
  store: Store;
  world: World;
  views: Views;
  lifecycle: Lifecycle;
  config: EmulatorConfig;
  /** The contract's default link type of an inter-region connection. */
  defaultLinkType: LinkType;
}

/** An answer body without its RequestId (the server adds a fresh one). */
export type AnswerBody<A extends Action> = Omit<Result<A>, 'RequestId'>;

export interface Failure<C extends string> {
  ok: false;
  code: C;
  /** The message template's `%s` values. */
  fill?: string[];
  /** A sentence appended to the message. */
  detail?: string;
}

export type Success<A extends Action> =
  | { ok: true; body: AnswerBody<A>; json?: undefined }
  /** The body already serialised (object text without RequestId), for cached views. */
  | { ok: true; json: string; body?: undefined };

export type Outcome<A extends Action> = Success<A> | Failure<DocumentedCode<A>>;

export type Handler<A extends Action> = (params: Params<A>, ctx: CallContext) => Outcome<A>;

/** Every Action's handler: the mapped type makes the compiler demand one per Action. */
export type HandlerTable = { [A in Action]: Handler<A> };

export function fail<C extends string>(code: C, fill: string[] = [], detail?: string): Failure<C> {
  return { ok: false, code, fill, ...(detail !== undefined && { detail }) };
}

export function ok<A extends Action>(body: AnswerBody<A>): Success<A> {
  return { ok: true, body };
}

/** The connection as `uid` sees it, or undefined when `uid` is not a party (or it is gone). */
export function visible(store: Store, id: unknown, uid: string): Connection | undefined {
  if (typeof id !== 'string') return undefined;
  const c = store.byId.get(id);
  return c && (c.ownerUid === uid || c.acceptingUid === uid) ? c : undefined;
}

type LifecycleCode = 'ResourceNotFound.InstanceId' | 'Forbidden.RAM' | 'IncorrectStatus.VpcPeer';

/**
 * The connection a lifecycle call targets, or the error for it: unknown to the caller
 * (`ResourceNotFound.InstanceId`), the wrong party (`Forbidden.RAM`), or a status the Action is
 * not allowed in (`IncorrectStatus.VpcPeer`), as the contract's caller rules say.
 */
export function lifecycleTarget(action: Action, id: string, ctx: CallContext): Connection | Failure<LifecycleCode> {
  const c = visible(ctx.store, id, ctx.account.uid);
  if (!c) return fail('ResourceNotFound.InstanceId', [id]);
  const rule = ctx.lifecycle.callerOf(action);
  if (!rule) throw new Error(`the lifecycle has no caller rule for ${action}`);
  if (rule.caller === 'accepter' && c.ownerUid === c.acceptingUid) {
    return fail('IncorrectStatus.VpcPeer', [id, c.status], 'Same-account connections are accepted automatically.');
  }
  if (!ctx.lifecycle.plays(c, ctx.account.uid, rule.caller)) {
    return fail('Forbidden.RAM', [], `Only the ${rule.caller === 'accepter' ? 'accepter' : 'owner (requester)'} account can do this.`);
  }
  if (!rule.allowedStatuses.includes(c.status)) return fail('IncorrectStatus.VpcPeer', [id, c.status]);
  return c;
}

export function isFailure<C extends string>(value: Connection | Failure<C>): value is Failure<C> {
  return 'ok' in value;
}

/**
 * Runs the lifecycle transition `action` takes from the connection's status: into its transient
 * state now and on to its target after the configured delay, or straight to the target.
 */
export function runTransition(action: Action, c: Connection, ctx: CallContext, delayMs: number): void {
  const t = ctx.lifecycle.transitionFor(action, c.status);
  if (!t) throw new Error(`the lifecycle has no ${action} transition from ${c.status}`);
  const [via] = t.via;
  if (via) ctx.store.enter(c, via, ctx.now, { to: t.to, afterMs: delayMs });
  else ctx.store.enter(c, t.to, ctx.now);
}

/** A problem sentence when a tag list repeats a key. */
export function repeatedKey(tags: ReadonlyArray<{ Key: string }>): string | undefined {
  const seen = new Set<string>();
  for (const t of tags) {
    if (seen.has(t.Key)) return `The tag key "${t.Key}" appears more than once.`;
    seen.add(t.Key);
  }
  return undefined;
}

/** Existing tags with `added` set on top (a key already there gets the new value). */
export function mergeTags(existing: Tag[], added: ReadonlyArray<{ Key: string; Value?: string }>): Tag[] {
  const out = existing.map((t) => ({ ...t }));
  for (const t of added) {
    const found = out.find((o) => o.Key === t.Key);
    if (found) found.Value = t.Value ?? '';
    else out.push({ Key: t.Key, Value: t.Value ?? '' });
  }
  return out;
}

/** Whether a side's tags hold every filter (a filter without Value matches any value). */
export function matchesTags(tags: Tag[], filters: ReadonlyArray<{ Key: string; Value?: string }>): boolean {
  return filters.every((f) => tags.some((t) => t.Key === f.Key && (f.Value === undefined || t.Value === f.Value)));
}

/** Base64url paging token over a number (a sequence number or an offset). */
export function encodePageToken(kind: string, n: number): string {
  return Buffer.from(`${kind}:${n}`).toString('base64url');
}

export function decodePageToken(kind: string, token: string): number | undefined {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const m = new RegExp(`^${kind}:(\\d{1,15})$`).exec(text);
  return m ? Number(m[1]) : undefined;
}

/**
 * Connections named by `ResourceId.N`, live and seen by the caller in `region`, or the error
 * naming the ones that are not.
 */
export function taggable(ids: readonly string[], region: string, ctx: CallContext): Connection[] | Failure<'InvalidInstanceIds.NotFound'> {
  const found: Connection[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    const c = visible(ctx.store, id, ctx.account.uid);
    if (c && ctx.store.isLive(c) && (c.ownerUid === ctx.account.uid ? c.regionId : c.acceptingRegionId) === region) found.push(c);
    else missing.push(id);
  }
  if (missing.length) return fail('InvalidInstanceIds.NotFound', [], `Not found in ${region}: ${missing.join(', ')}.`);
  return found;
}
