/**
 * The fixed JSON Schemas every emulator start checks input against (config file and world, admin
 * request bodies), by group and name: what `npm run build` precompiles for the bin. The state-file
 * shapes (src/emulator/model/state-file.ts, 170 KB of generated code) are compiled when --state is used.
 */
import type { Contract } from '../contract/model.ts';
import type { Action, Status } from '../contract/types.ts';
import { adminShapes } from './admin.ts';
import { configShapes } from './config.ts';
import { Lifecycle } from './model/transitions.ts';

/** The groups as the emulator's modules name them in `shapeValidators(group, ...)`. */
export function startupShapes(contract: Contract<Action, Status>): Record<string, Record<string, object>> {
  const { states } = new Lifecycle(contract);
  return { config: configShapes(), admin: adminShapes(states) };
}
