/**
 * The contract's types, derived from `generated/vpcpeer.ts` (openapi-typescript output): Actions,
 * statuses, parameters, results and documented error codes, for the client, the emulator and
 * the checker alike. Change the spec, run `npm run generate`, and these types follow.
 *
 * The one deliberate departure from the generated types is int64 (see {@link INT64_FIELDS}).
 */
import type { components, operations, paths } from '../../generated/vpcpeer.ts';

/** Every Action of the contract (`'CreateVpcPeerConnection' | …`). */
export type Action = keyof operations & string;

/** Every status a connection can be in (`'Creating' | 'Accepting' | …`). */
export type Status = components['schemas']['PeerConnectionStatus'];

/** Every error code some Action documents. */
export type AnyDocumentedCode = { [A in Action]: DocumentedCode<A> }[Action];

type PathOf<A extends Action> = `/#Action=${A}`;

/**
 * The common signing/dispatch query parameters (Action, Version, Format, AccessKeyId,
 * Signature*, Timestamp, SecurityToken), read from the path-level parameters of the contract:
 * the client sets them, the caller never does.
 */
type CommonQueryName<A extends Action> = PathOf<A> extends keyof paths
  ? keyof NonNullable<paths[PathOf<A>]['parameters']['query']>
  : never;

type IsNever<T> = [T] extends [never] ? true : false;

/** The operation's own query parameters (`parameters.query` minus the common ones). */
type QueryParams<A extends Action> = operations[A]['parameters'] extends { query?: infer Q }
  ? IsNever<NonNullable<Q>> extends true
    ? {}
    : Omit<NonNullable<Q>, CommonQueryName<A> | 'Signature'>
  : {};

/** The operation's form-body parameters (`requestBody.content['application/x-www-form-urlencoded']`). */
type BodyParams<A extends Action> = IsNever<NonNullable<operations[A]['requestBody']>> extends true
  ? {}
  : NonNullable<operations[A]['requestBody']> extends { content: { 'application/x-www-form-urlencoded': infer B } }
    ? B
    : {};

/**
 * Fields typed `format: int64` in the contract (account IDs, up to 18 digits, can exceed 2^53).
 * The generated types say `number`, which cannot hold them exactly, so the client types them as:
 * - in **results**: `string`, the exact decimal text the service sent (never rounded);
 * - in **parameters**: `number | bigint | string` (a `number` above 2^53 is refused by the codec).
 *
 * TypeScript cannot see `format`, so the names are listed here; `test/client/types.test.ts`
 * proves this list equals the set of int64 fields found in `generated/openapi.json`.
 */
export const INT64_FIELDS = ['OwnerId', 'AcceptingOwnerUid', 'AcceptingAliUid'] as const;
export type Int64Field = (typeof INT64_FIELDS)[number];

/** An int64 value as the client accepts it in parameters. */
export type Int64Input = number | bigint | string;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** Replaces int64 fields, deeply, with `R`; `In` makes lists readonly (parameters accept `as const` data). */
type ReplaceInt64<T, R, In extends boolean = false> = T extends readonly (infer E)[]
  ? In extends true
    ? readonly ReplaceInt64<E, R, In>[]
    : ReplaceInt64<E, R, In>[]
  : T extends object
    ? { [K in keyof T]: K extends Int64Field ? (undefined extends T[K] ? R | undefined : R) : ReplaceInt64<T[K], R, In> }
    : T;

/** Parameters of an Action: required ones required, enums as unions, int64 as {@link Int64Input}. */
export type Params<A extends Action> = Simplify<ReplaceInt64<QueryParams<A> & BodyParams<A>, Int64Input, true>>;

type SuccessBody<A extends Action> = operations[A]['responses'] extends { 200: { content: { 'application/json': infer B } } } ? B : never;

/** The documented 200 body of an Action, with int64 fields as exact decimal strings. */
export type Result<A extends Action> = Simplify<ReplaceInt64<SuccessBody<A>, string>>;

type ErrorStatus = 400 | 403 | 404 | 500 | 503;
type CodeOf<R> = R extends { content: { 'application/json': infer B } } ? (B extends { Code?: infer C } ? NonNullable<C> : never) : never;

/** The error codes an Action documents, over all its error statuses (a union to `switch` on). */
export type DocumentedCode<A extends Action> = {
  [S in ErrorStatus & keyof operations[A]['responses']]: CodeOf<operations[A]['responses'][S]>;
}[ErrorStatus & keyof operations[A]['responses']] &
  string;

/**
 * The `code` of a {@link VpcPeerError} for an Action: a documented code, or any other string
 * (an undocumented code from the service, or a client-side code such as `RequestTimeout`).
 * `(string & {})` keeps editor completion for the documented union.
 */
export type ErrorCode<A extends Action> = DocumentedCode<A> | (string & {});

/** Whether every parameter of an Action is optional (then `params` may be omitted). */
export type AllOptional<A extends Action> = {} extends Params<A> ? true : false;

/** The argument list of a typed call: `params` is optional only when nothing is required. */
export type ParamsArg<A extends Action> = AllOptional<A> extends true ? [params?: Params<A>] : [params: Params<A>];
