/**
 * Fixed inputs shared by the signing tests (test/wire/signing/*.test.ts): credentials, a query
 * and a form body that pin the sort and encoding rules, the official V3 Authorization, and the
 * failure collector each file checks for secret leaks.
 */
import { OpenApiUtil } from '../../helpers/official-sdk.ts';
import type { VerifyResult } from '../../../src/wire/signing/index.ts';

export const AK = 'LTAI5tKnownAnswerTestId';
export const SECRET = 'kat-SECRET-must-never-leak-7Qz9';
export const TOKEN = 'CAIS+sts/Token==';
export const DATE = '2024-05-06T07:08:09Z';
export const NONCE = '3a5c9e8f-0000-4000-8000-000000000001';
export const HOST = 'vpcpeer.aliyuncs.com';

/** Query parameters (flat strings, as generated SDKs pass `query`): includes `ResourceId.10` to pin the sort order. */
export const QUERY: Record<string, string> = {
  RegionId: 'cn-hangzhou',
  LinkType: 'Gold',
  'ResourceId.1': 'pcc-a',
  'ResourceId.2': 'pcc-b',
  'ResourceId.10': 'pcc-j',
  ResourceGroupId: 'rg a*b~c/d 中文',
  Empty: '',
};

/** The logical form body: a `Tag.N.Key` list (11 entries, so `Tag.10`/`Tag.11` sort before `Tag.2`), spaces, `*`, `~`, `/`, Chinese. */
export const BODY = {
  Name: 'peer name with spaces',
  Description: "a*b~c/d 中文描述 (x)! ' +plus",
  Tag: Array.from({ length: 11 }, (_, i) => ({ Key: `key ${i + 1}*`, Value: i === 0 ? '中/~ *' : `v${i + 1}~` })),
  DryRun: false,
  Bandwidth: 1024,
};

/** The form body exactly as the official runtime encodes it (`OpenApiUtil.toForm`). */
export const FORM_BODY: string = OpenApiUtil.toForm(BODY);
/** The flattened body params, as the SDK merges them into the V1 signed set (`OpenApiUtil.query`). */
export const FLAT_BODY: Record<string, string> = OpenApiUtil.query(BODY);

export const V3_CALLER_HEADERS = {
  'x-acs-action': 'CreateVpcPeerConnection',
  'x-acs-version': '2022-01-01',
  'content-type': 'application/x-www-form-urlencoded',
  accept: 'application/json',
  'user-agent': 'kat-test',
};

export type OfficialRequest = Parameters<typeof OpenApiUtil.getAuthorization>[0];

/** The official V3 Authorization for exactly these headers (minus our Authorization). */
export function officialAuthorization(method: string, query: Record<string, string>, headers: Record<string, string>, secret = SECRET): string {
  const { Authorization: _ignored, ...rest } = headers;
  const request = { method, pathname: '/', query, headers: rest } as unknown as OfficialRequest;
  return OpenApiUtil.getAuthorization(request, 'ACS3-HMAC-SHA256', rest['x-acs-content-sha256'] ?? '', AK, secret);
}

export function pairs(record: Record<string, string>): Array<[string, string]> {
  return Object.entries(record);
}

/** Every failure result produced in this file, checked at the end for secret leaks. */
export const failures: unknown[] = [];
export function fail<T extends VerifyResult | { readonly ok: boolean }>(result: T): T {
  failures.push(result);
  return result;
}
