/**
 * The error catalog: for every documented error code, its HTTP status and message template, per
 * Action and overall, read from the named examples of each operation's error responses.
 * Browser-safe: no Node imports.
 */
import { isErrorStatus } from './conventions.mjs';
import type { Contract, JsonSchema } from './model.ts';

export interface ErrorCatalog {
  /** HTTP status of a code, for an Action if given (codes are per operation), else anywhere. */
  status(code: string, action?: string): number | undefined;
  /** The documented message template (with `%s` placeholders). */
  template(code: string, action?: string): string | undefined;
  /** The error codes an Action documents, across all its statuses. */
  codesOf(action: string): string[];
}

export function buildErrorCatalog(contract: Omit<Contract, 'errors'>): ErrorCatalog {
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

