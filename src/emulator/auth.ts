/**
 * Who is calling: maps the request's AccessKey ID to an account, in one of three modes.
 *
 * - `off`: no signature needed. The account is the one of the request's AccessKey ID when it
 *   carries one (V3 `Credential=`, V1 `AccessKeyId`), else the `x-emulator-account` header (an
 *   account name or UID; an unknown UID creates an empty account on the fly), else the first
 *   account.
 * - `presence`: V1 or V3 signing material must be complete (`IncompleteSignature`) and name a
 *   known AccessKey (`InvalidAccessKeyId.NotFound`); the signature is not computed.
 * - `verify`: the signature is checked for real, in the order the signing module suggests:
 *   structure (`IncompleteSignature`) → time within 15 minutes of the wall clock
 *   (`InvalidTimeStamp.Expired`) → key (`InvalidAccessKeyId.NotFound`) → signature
 *   (`SignatureDoesNotMatch`) → nonce not seen before (`SignatureNonceUsed`).
 *
 * Secrets are only used as HMAC keys; no answer or log line contains one.
 */
import type { WireCode } from '../wire/errors.ts';
import type { WireRequest } from '../wire/router.ts';
import { checkAcsDate, NonceTracker, readSignatureContext, signingPresence, V1, V3, verifyRequest, type RawWireRequest } from '../wire/signing/index.ts';
import type { Account, AuthMode } from './config.ts';

export const ACCOUNT_HEADER = 'x-emulator-account';

/** An account UID: digits, no leading zero. */
export const UID = /^[1-9]\d{0,19}$/;

export type AuthResult =
  | { ok: true; account: Account }
  | { ok: false; code: WireCode; fill?: string[]; detail?: string };

export class Authenticator {
  readonly mode: AuthMode;
  readonly #byKey = new Map<string, { account: Account; secret: string }>();
  readonly #byName = new Map<string, Account>();
  readonly #default: Account;
  readonly #nonces = new NonceTracker();

  /** With `off`: called for an unknown account UID in the account header; may create the account. */
  onUnknownUid: ((uid: string) => Account | undefined) | undefined;

  constructor(mode: AuthMode, accounts: Account[]) {
    this.mode = mode;
    for (const account of accounts) this.add(account);
    this.#default = accounts[0]!;
  }

  /** Adds an account; false when its name, UID or an AccessKey ID is taken. */
  add(account: Account): boolean {
    if (this.#byName.has(account.name) || this.#byName.has(account.uid) || account.accessKeys.some((k) => this.#byKey.has(k.id))) return false;
    this.#byName.set(account.name, account);
    this.#byName.set(account.uid, account);
    for (const key of account.accessKeys) this.#byKey.set(key.id, { account, secret: key.secret });
    return true;
  }

  accountByName(nameOrUid: string): Account | undefined {
    return this.#byName.get(nameOrUid);
  }

  hasKey(accessKeyId: string): boolean {
    return this.#byKey.has(accessKeyId);
  }

  /** Every account, each once. */
  accounts(): Account[] {
    return [...new Set(this.#byName.values())];
  }

  /** Who is calling; synchronous except in `verify` mode (the HMAC is computed with WebCrypto). */
  authenticate(request: WireRequest, rawBody: Buffer): AuthResult | Promise<AuthResult> {
    if (this.mode === 'off') {
      const presence = signingPresence(request);
      const keyId = presence.ok ? presence.accessKeyId : undefined;
      if (keyId !== undefined) {
        const known = this.#byKey.get(keyId);
        if (!known) return { ok: false, code: 'InvalidAccessKeyId.NotFound' };
        return { ok: true, account: known.account };
      }
      const named = request.headers[ACCOUNT_HEADER];
      if (named !== undefined) {
        const account = this.#byName.get(named.trim()) ?? (UID.test(named.trim()) ? this.onUnknownUid?.(named.trim()) : undefined);
        if (!account) return { ok: false, code: 'InvalidAccessKeyId.NotFound', detail: `No emulator account is named "${named.slice(0, 64)}" (${ACCOUNT_HEADER}).` };
        return { ok: true, account };
      }
      return { ok: true, account: this.#default };
    }
    if (this.mode === 'presence') {
      const presence = signingPresence(request);
      if (!presence.ok) return { ok: false, code: 'IncompleteSignature', detail: `${capitalise(presence.detail)}.` };
      const known = this.#byKey.get(presence.accessKeyId);
      if (!known) return { ok: false, code: 'InvalidAccessKeyId.NotFound' };
      return { ok: true, account: known.account };
    }
    return this.#verify(request, rawBody);
  }

  async #verify(request: WireRequest, rawBody: Buffer): Promise<AuthResult> {
    const raw: RawWireRequest = { method: request.method, path: request.path, query: request.query, headers: request.headers, body: rawBody };
    const context = readSignatureContext(raw);
    if (!context.ok) return { ok: false, code: 'IncompleteSignature', detail: `${capitalise(context.detail)}.` };
    const time = checkAcsDate(context.timestamp);
    if (!time.ok) {
      if (time.reason === 'InvalidTimeStamp.Expired') return { ok: false, code: 'InvalidTimeStamp.Expired', detail: `${capitalise(time.detail)}.` };
      return { ok: false, code: 'InvalidParameter', fill: [context.version === 'V3' ? V3.date : V1.timestamp], detail: `The ${time.detail}.` };
    }
    const known = this.#byKey.get(context.accessKeyId);
    if (!known) return { ok: false, code: 'InvalidAccessKeyId.NotFound' };
    const verdict = await verifyRequest(raw, known.secret);
    if (!verdict.ok) {
      const detail = verdict.reason === 'SignatureDoesNotMatch' && verdict.stringToSign !== undefined
        ? `server string to sign is:${verdict.stringToSign}`
        : `${capitalise(verdict.detail)}.`;
      return { ok: false, code: verdict.reason, detail };
    }
    if (!this.#nonces.use(context.accessKeyId, context.nonce)) return { ok: false, code: 'SignatureNonceUsed' };
    return { ok: true, account: known.account };
  }
}

function capitalise(text: string): string {
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}
