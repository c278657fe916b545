/**
 * What the checker needs to know about each Action, read from the contract model: whether it
 * only reads, takes DryRun or a ClientToken, who may call it and in which statuses. Prefers the
 * model's own fields (`op.readOnly`, `op.takesDryRun`, `op.caller`, `op.allowedStatuses`) and
 * derives the first three from the parameters and `x-acs-operation-type` where they are absent.
 */
import { contract } from '../contract/index.ts';
import type { OperationSpec } from '../contract/model.ts';
import type { Action } from '../contract/types.ts';

type Extended = OperationSpec & {
  readOnly?: boolean;
  takesDryRun?: boolean;
  takesClientToken?: boolean;
  caller?: 'requester' | 'accepter' | 'either';
  allowedStatuses?: string[];
};

export function operation(action: string): Extended {
  const op = contract.operations.get(action);
  if (!op) throw new Error(`${action} is not an Action of the contract`);
  return op as Extended;
}

export const isReadOnly = (action: string): boolean => {
  const op = operation(action);
  return op.readOnly ?? (op.operationType === 'get' || op.operationType === 'list');
};
export const takesDryRun = (action: string): boolean => operation(action).takesDryRun ?? operation(action).byName.has('DryRun');
export const takesClientToken = (action: string): boolean => operation(action).takesClientToken ?? operation(action).byName.has('ClientToken');
export const callerOf = (action: string): 'requester' | 'accepter' | 'either' => operation(action).caller ?? 'either';
export const allowedStatusesOf = (action: string): string[] | undefined => operation(action).allowedStatuses;

/** The contract's terminal statuses (`contract.lifecycle.terminal`), when the model carries the lifecycle. */
export function terminalStatuses(): string[] {
  const lifecycle = (contract as { lifecycle?: { terminal?: string[] } }).lifecycle;
  return lifecycle?.terminal ?? [];
}

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

/** The contract's documented HTTP status of an error code for an Action. */
export function statusOfCode(action: string, code: string): number | undefined {
  return operation(action).statusOfCode.get(code);
}
export function documents(action: string, code: string): boolean {
  return operation(action).statusOfCode.has(code);
}
