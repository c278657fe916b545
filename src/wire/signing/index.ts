/**
 * Alibaba Cloud request signing, byte-compatible with the official Node runtime
 * (`@alicloud/openapi-client` 0.4.15 + `@alicloud/openapi-util` 0.3.3), shared by the typed
 * client (which signs) and the servers (which detect and verify). The pieces: v3.ts and v1.ts
 * (sign, canonical forms, structure), time.ts, nonce.ts, presence.ts (the one signing-style
 * detector), verify.ts, names.ts (signing names from the contract), primitives.ts.
 *
 * Portability: only WebCrypto (`globalThis.crypto.subtle`, `crypto.randomUUID`), `TextEncoder`,
 * `TextDecoder`, `URLSearchParams` and `btoa`, so it runs unchanged in Node ≥ 20 and in browsers
 * (which expose WebCrypto only in secure contexts: https, or http on localhost/127.0.0.1).
 * Secrets: the AccessKey secret is only ever an HMAC key, never in a result, detail or message.
 */
export * from './names.ts';
export * from './primitives.ts';
export * from './time.ts';
export * from './nonce.ts';
export * from './v3.ts';
export * from './v1.ts';
export * from './presence.ts';
export * from './verify.ts';
