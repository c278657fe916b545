// Types for lint/ruleset.mjs, so TypeScript tests can import it (tsc does not read .mjs files).
import type { RuleDefinition, RulesetDefinition } from '@stoplight/spectral-core';

declare const ruleset: RulesetDefinition & {
  rules: Record<string, RuleDefinition | 'error' | 'warn' | 'info' | 'hint' | 'off'>;
};
export default ruleset;
