/**
 * Alibaba-shaped error answers built from the contract: the HTTP status and the message template
 * of every code come from the documented named examples, never from a table in code.
 * Browser-safe: no Node imports.
 */
import { isErrorStatus } from '../contract/conventions.mjs';
import type { Contract, JsonSchema } from '../contract/model.ts';
import type { Action, DocumentedCode } from '../contract/types.ts';

/** Every error code some Action documents: the codes the servers may answer with. */
export type WireCode = DocumentedCode<Action>;

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

export interface ErrorCatalog {
  /** HTTP status of a code, for an Action if given (codes are per operation), else anywhere. */
  status(code: string, action?: string): number | undefined;
  /** The documented message template (with `%s` placeholders). */
  template(code: string, action?: string): string | undefined;
  /** The error codes an Action documents, across all its statuses. */
  codesOf(action: string): string[];
}

/** A fresh request ID in the service's format (upper-case UUID). */
export function newRequestId(): string {
  return globalThis.crypto.randomUUID().toUpperCase();
}

export function recommendUrl(code: string, requestId: string): string {
  return `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=${PRODUCT}&requestId=${requestId}`;
}

export function buildErrorCatalog(contract: Contract): ErrorCatalog {
  const globalTemplates = new Map<string, string>();
  const globalStatus = new Map<string, number>();
  const perAction = new Map<string, Map<string, { status: number; template?: string }>>();

  const examplesOf = (response: unknown): Record<string, unknown> => {
    const r = contract.deref(response);
    const content = r.content as Record<string, { examples?: Record<string, unknown> }> | undefined;
    return content?.['application/json']?.examples ?? {};
  };
  const messageOf = (example: unknown): string | undefined => {
    const e = contract.deref(example);
    const value = e.value as { Message?: unknown } | undefined;
    return typeof value?.Message === 'string' ? value.Message : undefined;
  };

  const paths = contract.document.paths as Record<string, JsonSchema>;
  for (const op of contract.operations.values()) {
    const codes = new Map<string, { status: number; template?: string }>();
    const responses = ((paths[op.pathKey]!.post as JsonSchema).responses ?? {}) as Record<string, unknown>;
    for (const [status, response] of Object.entries(responses)) {
      if (!isErrorStatus(status)) continue;
      for (const [code, example] of Object.entries(examplesOf(response))) {
        const template = messageOf(example);
        codes.set(code, { status: Number(status), ...(template !== undefined && { template }) });
        if (!globalTemplates.has(code) && template !== undefined) globalTemplates.set(code, template);
        if (!globalStatus.has(code)) globalStatus.set(code, Number(status));
      }
    }
    for (const [code, status] of op.statusOfCode) if (!codes.has(code)) codes.set(code, { status });
    perAction.set(op.action, codes);
  }

  return {
    status: (code, action) => (action && perAction.get(action)?.get(code)?.status) || globalStatus.get(code),
    template: (code, action) => (action && perAction.get(action)?.get(code)?.template) || globalTemplates.get(code),
    codesOf: (action) => [...(perAction.get(action)?.keys() ?? [])],
  };
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
  // A function replacer: client text is inserted literally (`$&`, `$'` are not patterns here).
  for (const value of options.fill ?? []) message = message.replace('%s', () => value);
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
