/**
 * Alibaba-shaped error answers: the HTTP status and message template of a code come from the
 * contract's error catalog (src/contract/errors.ts), never from a table in code.
 * Browser-safe: no Node imports.
 */
import type { ErrorCatalog } from '../contract/errors.ts';

export { buildErrorCatalog, type ErrorCatalog } from '../contract/errors.ts';

export const PRODUCT = 'VpcPeer';
export const DEFAULT_HOST = 'vpcpeer.aliyuncs.com';

export interface ErrorBody {
  RequestId: string;
  HostId: string;
  Code: string;
  Message: string;
  Recommend: string;
}

export interface ErrorAnswer {
  status: number;
  body: ErrorBody;
}

/** A fresh request ID in the service's format (upper-case UUID). */
export function newRequestId(): string {
  return globalThis.crypto.randomUUID().toUpperCase();
}

export function recommendUrl(code: string, requestId: string): string {
  return `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=${PRODUCT}&requestId=${requestId}`;
}

export interface ErrorOptions {
  action?: string;
  /** Values for the template's `%s` placeholders, in order. */
  fill?: string[];
  /** A sentence appended to the message, e.g. the rule a parameter broke. */
  detail?: string;
  requestId?: string;
  host?: string;
}

/** Builds the answer for a documented code; throws if the contract does not document it. */
export function errorAnswer(catalog: ErrorCatalog, code: string, options: ErrorOptions = {}): ErrorAnswer {
  const status = catalog.status(code, options.action);
  const template = catalog.template(code, options.action);
  if (status === undefined || template === undefined) {
    throw new Error(`Error code ${code} is not documented${options.action ? ` for ${options.action}` : ''}`);
  }
  let message = template;
  for (const value of options.fill ?? []) message = message.replace('%s', value);
  if (options.detail) message = `${message} ${options.detail}`;
  const requestId = options.requestId ?? newRequestId();
  return {
    status,
    body: {
      RequestId: requestId,
      HostId: options.host ?? DEFAULT_HOST,
      Code: code,
      Message: message,
      Recommend: recommendUrl(code, requestId),
    },
  };
}
