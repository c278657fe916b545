/**
 * Spectral ruleset of the VpcPeer contract: `npm run lint`
 * (= spectral lint spec/openapi.yaml --ruleset lint/ruleset.mjs --fail-severity=warn).
 *
 * spectral:oas (recommended) plus our own `vpcpeer-*` rules. Each custom rule lives in
 * lint/functions/<rule-name>.mjs and has a fixture it must flag in
 * test/lint-fixtures/<rule-name>/ (test/lint-rules.test.ts fails when one is missing).
 *
 * The CLI bundles this file with rollup into CommonJS: keep to relative imports, `node:*`
 * built-ins and npm packages, and do not use `import.meta`.
 */
import { oas3 } from '@stoplight/spectral-formats';
import { oas } from '@stoplight/spectral-rulesets';

import oas3ValidMediaExample from './functions/oas3-valid-media-example.mjs';
import vpcpeerCommonParameters from './functions/vpcpeer-common-parameters.mjs';
import vpcpeerDescription from './functions/vpcpeer-description.mjs';
import vpcpeerDryRunCode from './functions/vpcpeer-dry-run-code.mjs';
import vpcpeerErrorExamples from './functions/vpcpeer-error-examples.mjs';
import vpcpeerErrorResponses from './functions/vpcpeer-error-responses.mjs';
import vpcpeerExtensionDocumented from './functions/vpcpeer-extension-documented.mjs';
import vpcpeerLifecycleGraph from './functions/vpcpeer-lifecycle-graph.mjs';
import vpcpeerLifecycleRules from './functions/vpcpeer-lifecycle-rules.mjs';
import vpcpeerLifecycleStatuses from './functions/vpcpeer-lifecycle-statuses.mjs';
import vpcpeerListStyle from './functions/vpcpeer-list-style.mjs';
import vpcpeerNoOrphanFiles from './functions/vpcpeer-no-orphan-files.mjs';
import vpcpeerPathFile from './functions/vpcpeer-path-file.mjs';
import vpcpeerPathKey from './functions/vpcpeer-path-key.mjs';
import vpcpeerSchemaExamples from './functions/vpcpeer-schema-examples.mjs';
import vpcpeerSuccessExample from './functions/vpcpeer-success-example.mjs';

/** A custom rule: the function's own message is the finding's message (`{{error}}`). */
function rule(description, fn, { given = '$.paths', resolved = true } = {}) {
  return {
    description,
    message: '{{error}}',
    severity: 'error',
    formats: [oas3],
    given,
    resolved,
    then: { function: fn },
  };
}

export default {
  extends: [[oas, 'recommended']],
  rules: {
    // An example that does not match its schema is a broken contract, not a style issue. The
    // built-in media-example rule reports only the first mismatch of each example; the same rule
    // (same `given`) with a function that reports every mismatch, so one run shows them all.
    'oas3-valid-media-example': {
      ...oas.rules['oas3-valid-media-example'],
      severity: 'error',
      then: { function: oas3ValidMediaExample },
    },
    'oas3-valid-schema-example': 'error',
    'oas3-unused-component': 'error',

    // Built-in oas3-schema validates the *unresolved root file only* (`resolved: false`). For a
    // split spec that has two effects: (1) nothing in paths/*.yaml or components/**/*.yaml is
    // structurally validated at all, and (2) every `paths` entry of the root is reported, because
    // the OAS 3.1 JSON Schema bundled in spectral-rulesets 1.23 (the 2021-09-28 one) has no
    // `$ref` field on the Path Item Object, although the OAS 3.1.0 text allows it (later
    // official schemas added it). Same rule and function, run on the resolved document instead:
    // the whole split contract is validated, and the root's path-item `$ref`s (which our
    // vpcpeer-path-file rule checks) are resolved away.
    'oas3-schema': { ...oas.rules['oas3-schema'], resolved: true },

    'vpcpeer-path-key': rule(
      'Path keys are "/#Action=<Action>"; the path item holds only post, operationId is the Action, and the path-level Action / x-acs-action parameters are const <Action>.',
      vpcpeerPathKey,
    ),
    'vpcpeer-path-file': rule(
      'In the root document every path item is "$ref: paths/<Action>.yaml".',
      vpcpeerPathFile,
      { resolved: false },
    ),
    'vpcpeer-common-parameters': rule(
      'Every path item carries the full set of common V1 and V3 request parameters at path level.',
      vpcpeerCommonParameters,
    ),
    'vpcpeer-success-example': rule(
      'Every operation has at least one named example in its 200 application/json response.',
      vpcpeerSuccessExample,
    ),
    'vpcpeer-error-examples': rule(
      'Every error response has one example per allowed Code, named after that Code, and no other.',
      vpcpeerErrorExamples,
    ),
    'vpcpeer-error-responses': rule(
      'Every operation declares the 400, 403, 404, 500 and 503 responses.',
      vpcpeerErrorResponses,
    ),
    'vpcpeer-dry-run-code': rule(
      'DryRun <=> DryRunOperation and ClientToken <=> IdempotentParameterMismatch in the 400 Code.',
      vpcpeerDryRunCode,
    ),
    'vpcpeer-description': rule(
      'Every operation, parameter, response header and schema property has a description.',
      vpcpeerDescription,
    ),
    'vpcpeer-schema-examples': rule(
      'Every value in a schema\'s "examples" array matches the schema (oas3-valid-schema-example only checks "example" and "default").',
      vpcpeerSchemaExamples,
    ),
    'vpcpeer-list-style': rule(
      'Every array parameter and array form-body property has x-acs-style repeatList or simple.',
      vpcpeerListStyle,
    ),
    'vpcpeer-extension-documented': rule(
      'Every x- extension used in the document is listed in extensions.md next to the root document.',
      vpcpeerExtensionDocumented,
      { given: '$' },
    ),
    'vpcpeer-lifecycle-statuses': rule(
      'Every status x-acs-lifecycle and x-acs-allowed-statuses name is a value of the status enum; every transition names a defined Action or a timer.',
      vpcpeerLifecycleStatuses,
      { given: '$' },
    ),
    'vpcpeer-lifecycle-rules': rule(
      'Every state-changing operation declares x-acs-caller and x-acs-allowed-statuses; the creating one only its caller; read-only ones neither.',
      vpcpeerLifecycleRules,
      { given: '$' },
    ),
    'vpcpeer-lifecycle-graph': rule(
      'The lifecycle is connected: every status reachable from creation, and every live status can reach a terminal one.',
      vpcpeerLifecycleGraph,
      { given: '$' },
    ),
    'vpcpeer-no-orphan-files': rule(
      'Every YAML file in the spec folder is reachable by $ref from the root document.',
      vpcpeerNoOrphanFiles,
      { given: '$', resolved: false },
    ),
  },
};
