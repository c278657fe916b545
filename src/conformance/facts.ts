/**
 * What the checker needs to know about each Action, read from the contract model: whether it
 * only reads, takes DryRun or a ClientToken, who may call it and in which statuses, and the
 * lifecycle's terminal and transient statuses.
 */
import { contract } from '../contract/index.ts';
import type { OperationSpec } from '../contract/model.ts';
import type { Action } from '../contract/types.ts';

export function operation(action: string): OperationSpec {
  const op = contract.operations.get(action);
  if (!op) throw new Error(`${action} is not an Action of the contract`);
  return op;
}

export const isReadOnly = (action: string): boolean => operation(action).readOnly;
export const takesDryRun = (action: string): boolean => operation(action).takesDryRun;
export const takesClientToken = (action: string): boolean => operation(action).takesClientToken;
export const callerOf = (action: string): 'requester' | 'accepter' | 'either' => operation(action).caller ?? 'either';
export const allowedStatusesOf = (action: string): string[] | undefined => operation(action).allowedStatuses;

/** Statuses a connection never leaves (`contract.lifecycle.terminal`). */
export const terminalStatuses = (): string[] => contract.lifecycle.terminal;
/** Statuses a connection only passes through (the `via` of the lifecycle's transitions). */
const TRANSIENT = new Set<string>(contract.lifecycle.transitions.flatMap((t) => t.via));
export const isTransient = (status: unknown): boolean => TRANSIENT.has(String(status));

/** Every Action, typed. */
export const ACTIONS = contract.actions as Action[];
export const READ_ACTIONS = ACTIONS.filter(isReadOnly);

/** How the safe (default) mode exercises an Action. */
export type Mode = 'read' | 'dry-run' | 'unsafe';
export function modeOf(action: string): Mode {
  if (isReadOnly(action)) return 'read';
  if (takesDryRun(action)) return 'dry-run';
  return 'unsafe';
}

export function documents(action: string, code: string): boolean {
  return operation(action).statusOfCode.has(code);
}
