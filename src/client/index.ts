/**
 * The typed VpcPeer client, browser-safe entry. For the `@alicloud/credentials` default chain
 * in Node, import `src/client/node.ts` instead (it re-exports everything here).
 */
export { VpcPeerClient, createClient, DEFAULT_ENDPOINT } from './client.ts';
export type { ActionMethods, CallOptions, ClientOptions } from './client.ts';
export { compose, retry, send, signing, timeout, transport, AttemptFailure } from './send.ts';
export type { Answer, CredentialProvider, Credentials, Exchange, Next, PreparedRequest, RetryEvent, RetryOptions, Step } from './send.ts';
export { VpcPeerError, isVpcPeerError, CLIENT_ERROR_CODES } from './errors.ts';
export { INT64_FIELDS } from '../contract/types.ts';
export type { Action, DocumentedCode, ErrorCode, Int64Field, Int64Input, Params, Result } from '../contract/types.ts';
export { parseAnswer, int64FieldNames } from '../wire/int64-json.ts';
