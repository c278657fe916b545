/**
 * The lint layer: lint/ruleset.mjs run programmatically with Spectral, the way the CLI runs it.
 *
 * - the real contract (spec/openapi.yaml) yields no finding at all;
 * - every fixture in test/lint-fixtures/<rule>/ is flagged by <rule>, with the expected messages,
 *   and by no other rule except the built-in ones listed for it;
 * - every vpcpeer-* rule has a fixture folder and a function file named after it;
 * - the Spectral CLI loads the ruleset (it bundles it with rollup, unlike this test).
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Document, Spectral, type ISpectralDiagnostic } from '@stoplight/spectral-core';
import Parsers from '@stoplight/spectral-parsers';
import { createHttpAndFileResolver } from '@stoplight/spectral-ref-resolver';
import { describe, expect, it } from 'vitest';
import ruleset from '../lint/ruleset.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixturesDir = path.join(root, 'test', 'lint-fixtures');
const SEVERITY = ['error', 'warn', 'info', 'hint'];

async function lint(file: string, text = readFileSync(file, 'utf8')): Promise<ISpectralDiagnostic[]> {
  const spectral = new Spectral({ resolver: createHttpAndFileResolver() });
  spectral.setRuleset(ruleset);
  return spectral.run(new Document(text, Parsers.Yaml, file));
}

function show(findings: ISpectralDiagnostic[]): string {
  return findings
    .map((f) => {
      const where = `${path.relative(root, f.source ?? '?')}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
      return `  ${where} ${SEVERITY[f.severity] ?? f.severity} ${f.code}: ${f.message}`;
    })
    .join('\n');
}

const fixture = (name: string) => path.join(fixturesDir, name, 'openapi.yaml');

interface FixtureCase {
  /** Every one of these must be part of some finding of the rule. */
  messages: string[];
  /** Exact number of findings of the rule: no false positives on the parts that are fine. */
  count: number;
  /** Built-in rules the fixture cannot help breaking too. */
  alsoFires?: string[];
}

const CASES: Record<string, FixtureCase> = {
  'vpcpeer-path-key': {
    messages: [
      'Ping: operationId is "PingPost"; it must be the Action name "Ping".',
      'Ping: the path item has a "get" operation; an Action\'s path item holds only "post".',
      'Ping: the path-level query parameter "Action" has const "Pong"; it must be const "Ping".',
    ],
    count: 3,
  },
  'vpcpeer-path-file': {
    messages: ['Ping: the path item is "$ref: paths/ping-operation.yaml"; it must be "$ref: paths/Ping.yaml".'],
    count: 1,
  },
  'vpcpeer-common-parameters': {
    messages: [
      'Ping: the path-level parameters lack the common query parameter "Timestamp".',
      'Ping: the path-level parameters lack the common header parameter "x-acs-date".',
    ],
    count: 2,
  },
  'vpcpeer-success-example': {
    messages: ['Ping: the 200 application/json response has no named example'],
    count: 1,
  },
  'vpcpeer-error-examples': {
    messages: [
      'Ping: the 400 application/json response allows Code "Throttling" but has no example named "Throttling".',
      'Ping: the 400 application/json response allows Code "InvalidParameter" but has no example named "InvalidParameter".',
      'Ping: the 400 application/json response has example "Throttled" whose value.Code is "Throttling"',
      'Ping: the 400 application/json response has example "Bogus" for Code "Bogus", which its Code schema does not allow.',
      'Ping: the 500 application/json response does not narrow "Code" to a const or enum',
    ],
    count: 5,
    // An example whose Code the schema does not allow also fails schema validation.
    alsoFires: ['oas3-valid-media-example'],
  },
  'vpcpeer-error-responses': {
    messages: ['Ping: there is no 503 response'],
    count: 1,
  },
  'vpcpeer-dry-run-code': {
    messages: [
      'Ping: the request takes DryRun, but the 400 Code does not allow "DryRunOperation".',
      'Ping: the 400 Code allows "IdempotentParameterMismatch", but the request has no ClientToken field.',
    ],
    count: 2,
  },
  'vpcpeer-description': {
    messages: [
      'Ping: the query parameter "Verbose" has no description.',
      'Ping: property "Items[].Name" of the 200 response (application/json) has no description.',
      'Ping: property "Items[].Zone" of the 200 response (application/json) has no description.',
    ],
    // Items[].Region points at the same bare schema as Zone but has a description beside its $ref.
    count: 3,
  },
  'vpcpeer-schema-examples': {
    messages: [
      'Ping: example "a-much-too-long-name" of the query parameter "Name" does not match its schema: must not have more than 8 characters',
      'Ping: example 500 of "Items[].Size" in the 200 response (application/json) does not match its schema: must be <= 100',
    ],
    // ShortName is used twice (query parameter and Items[].Name) and reported once; 20 is fine.
    count: 2,
  },
  'vpcpeer-list-style': {
    messages: [
      'Ping: the query parameter "ResourceId" is a list but has no x-acs-style',
      'Ping: form-body property "VpcId" (application/x-www-form-urlencoded) has x-acs-style "comma"',
    ],
    count: 2,
  },
  'vpcpeer-extension-documented': {
    messages: ['Ping post: extension "x-acs-async" is not listed in test/lint-fixtures/vpcpeer-extension-documented/extensions.md'],
    // x-acs-ram-action is listed; the header x-acs-request-id, the property x-trace and the
    // x-trace key inside the example value are names, not extensions.
    count: 1,
  },
  'vpcpeer-no-orphan-files': {
    messages: [
      `${path.join('components', 'examples', 'Orphan.yaml')} is not reachable by $ref from openapi.yaml`,
      `${path.join('paths', 'Pong.yaml')} is not reachable by $ref from openapi.yaml`,
    ],
    count: 2,
  },
  'vpcpeer-lifecycle-statuses': {
    messages: [
      'x-acs-lifecycle transition 4 (via) names status "Purging", which is not a value of the status enum (Creating, Pending, Active, Expired, Deleting, Deleted).',
      'x-acs-lifecycle transition 5 names Action "RenameThing", which the document does not define.',
      'x-acs-lifecycle transition 6 needs exactly one of "action" and "timer".',
      'AcceptThing: x-acs-allowed-statuses names status "Waiting", which is not a value of the status enum',
    ],
    count: 4,
  },
  'vpcpeer-lifecycle-rules': {
    messages: [
      'AcceptThing changes state but declares no x-acs-caller (requester, accepter or either).',
      'CreateThing creates the connection, so it has no status to be allowed in; remove x-acs-allowed-statuses.',
      'DeleteThing changes state but declares no x-acs-allowed-statuses (the statuses in which it is carried out).',
      'DeleteThing: x-acs-caller is "owner"; it must be requester, accepter or either.',
      'GetThing only reads (x-acs-operation-type get); it must not declare x-acs-caller.',
    ],
    count: 5,
  },
  'vpcpeer-lifecycle-graph': {
    messages: [
      'Status "Suspended" cannot be reached from creation: no chain of transitions leads to it.',
      'Status "Stuck" is live but no chain of transitions leads from it to a terminal status (Deleted).',
    ],
    count: 2,
  },
  // Built-in rules this ruleset relies on or changes.
  'oas3-valid-media-example': {
    // Two mismatches in one example: both reported in one run (the built-in function stops at one).
    messages: ['"RequestId" property type must be string', 'Property "Pong" is not expected to be here'],
    count: 2,
  },
  'oas3-valid-schema-example': {
    messages: ['"default" property must be <= 100'],
    count: 1,
  },
  'oas3-schema': {
    // In paths/Ping.yaml: only found because the ruleset runs oas3-schema on the resolved document.
    messages: ['"deprecated" property must be boolean'],
    count: 1,
  },
};

const ruleNames = Object.keys(ruleset.rules);
const customRules = ruleNames.filter((name) => name.startsWith('vpcpeer-'));
const fixtureFolders = readdirSync(fixturesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_'))
  .map((entry) => entry.name)
  .sort();

describe('the real contract', () => {
  it('spec/openapi.yaml has no lint finding of any severity', async () => {
    const findings = await lint(path.join(root, 'spec', 'openapi.yaml'));
    expect(findings, `spec/openapi.yaml has lint findings:\n${show(findings)}`).toHaveLength(0);
  });
});

describe('lint fixtures', () => {
  it('the _valid baseline the fixtures are copied from has no finding', async () => {
    const findings = await lint(fixture('_valid'));
    expect(findings, `test/lint-fixtures/_valid has lint findings:\n${show(findings)}`).toHaveLength(0);
  });

  it('the _lifecycle baseline the vpcpeer-lifecycle-* fixtures are copied from has no finding', async () => {
    const findings = await lint(fixture('_lifecycle'));
    expect(findings, `test/lint-fixtures/_lifecycle has lint findings:\n${show(findings)}`).toHaveLength(0);
  });

  it('every vpcpeer-* rule has a fixture folder and lint/functions/<rule>.mjs', () => {
    expect(customRules.length).toBeGreaterThanOrEqual(11);
    for (const rule of customRules) {
      expect(existsSync(fixture(rule)), `test/lint-fixtures/${rule}/openapi.yaml is missing`).toBe(true);
      expect(existsSync(path.join(root, 'lint', 'functions', `${rule}.mjs`)), `lint/functions/${rule}.mjs is missing`).toBe(true);
      expect(CASES[rule], `test/lint-rules.test.ts has no CASES entry for ${rule}`).toBeDefined();
    }
  });

  it('every fixture folder is named after a rule of the ruleset and has a case here', () => {
    for (const folder of fixtureFolders) {
      expect(ruleNames, `test/lint-fixtures/${folder} names no rule of lint/ruleset.mjs`).toContain(folder);
      expect(CASES[folder], `test/lint-rules.test.ts has no CASES entry for ${folder}`).toBeDefined();
    }
  });

  for (const [rule, expected] of Object.entries(CASES)) {
    it(`${rule}: flags its fixture, and no other rule does`, async () => {
      const findings = await lint(fixture(rule));
      const own = findings.filter((f) => f.code === rule);
      const listing = `findings for test/lint-fixtures/${rule}:\n${show(findings)}`;
      expect(own.length, listing).toBeGreaterThan(0);
      for (const message of expected.messages) {
        expect(own.some((f) => f.message.includes(message)), `no ${rule} finding contains ${JSON.stringify(message)}; ${listing}`).toBe(true);
      }
      expect(own.length, listing).toBe(expected.count);
      expect(own.every((f) => f.severity === 0), listing).toBe(true);
      const others = findings.filter((f) => f.code !== rule && !(expected.alsoFires ?? []).includes(f.code as string));
      expect(others, listing).toHaveLength(0);
    });
  }
});

describe('branches the fixtures do not reach', () => {
  // A root document alone in a fresh folder: no paths/ file, no extensions.md.
  const lintAlone = async (yaml: string) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vpcpeer-lint-'));
    try {
      const file = path.join(dir, 'openapi.yaml');
      writeFileSync(file, yaml);
      return await lint(file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const head = 'openapi: 3.1.0\ninfo: {title: t, version: v}\n';
  const messagesOf = (findings: ISpectralDiagnostic[], rule: string) =>
    findings.filter((f) => f.code === rule).map((f) => f.message);

  it('vpcpeer-path-key flags a key that is not /#Action=<Action>', async () => {
    const findings = await lintAlone(`${head}paths:\n  /ping:\n    post: {operationId: Ping, responses: {'200': {description: ok}}}\n`);
    expect(messagesOf(findings, 'vpcpeer-path-key')).toContain(
      'Path key "/ping" is not of the form "/#Action=<Action>" (one path item per Action).',
    );
  });

  it('vpcpeer-path-file flags a path item written inline in the root', async () => {
    const findings = await lintAlone(`${head}paths:\n  /#Action=Ping:\n    post: {operationId: Ping, responses: {'200': {description: ok}}}\n`);
    expect(messagesOf(findings, 'vpcpeer-path-file')).toContain(
      'Ping: the path item is written inline in the root document; move it to paths/Ping.yaml and write "$ref: paths/Ping.yaml".',
    );
  });

  it('vpcpeer-extension-documented flags a document with extensions but no extensions.md', async () => {
    const findings = await lintAlone(`${head}x-acs-owner: team\npaths: {}\n`);
    const messages = messagesOf(findings, 'vpcpeer-extension-documented');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^The document uses x- extensions but .*extensions\.md cannot be read; it must list every extension\.$/);
  });
});

describe('harmless variants the lifecycle rules accept', () => {
  // The _lifecycle baseline, its status schema rewritten in memory (the files stay as they are).
  const statusFile = path.join(fixturesDir, '_lifecycle', 'components', 'schemas', 'Status.yaml');
  let variants = 0;
  const lintVariant = async (edit: (status: string) => string) => {
    // A copy beside the fixtures, so that its `../../_shared` references still resolve.
    variants += 1;
    const copy = path.join(fixturesDir, `_variant-${process.pid}-${variants}`);
    cpSync(path.join(fixturesDir, '_lifecycle'), copy, { recursive: true });
    try {
      const original = readFileSync(statusFile, 'utf8');
      const edited = edit(original);
      expect(edited, 'the variant changes nothing').not.toBe(original);
      writeFileSync(path.join(copy, 'components', 'schemas', 'Status.yaml'), edited);
      return (await lint(path.join(copy, 'openapi.yaml'))).filter((f) => String(f.code).startsWith('vpcpeer-lifecycle'));
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  };

  it('several terminal statuses, a status reached only through `via`, and a self-loop', async () => {
    const findings = await lintVariant((s) =>
      s
        .replace('terminal: [Deleted]', 'terminal: [Deleted, Expired]')
        .replace("    - from: Pending\n      action: AcceptThing\n      when: it happens\n      via: []", "    - from: Pending\n      action: AcceptThing\n      when: it happens\n      via: [Creating]")
        .concat('    - from: Active\n      action: AcceptThing\n      when: accepted again\n      via: []\n      to: Active\n'),
    );
    expect(findings, show(findings)).toEqual([]);
  });

  it('a document without x-acs-lifecycle is not held to the lifecycle rules', async () => {
    const findings = await lintVariant((s) => s.replace(/x-acs-lifecycle:[\s\S]*$/, ''));
    expect(findings, show(findings)).toEqual([]);
  });
});

describe('the Spectral CLI', () => {
  it('loads lint/ruleset.mjs (rollup-bundled) and runs the file-reading rules', async () => {
    const cli = path.join(root, 'node_modules', '@stoplight', 'spectral-cli', 'dist', 'index.js');
    const args = [
      cli,
      'lint',
      fixture('vpcpeer-no-orphan-files'),
      fixture('vpcpeer-extension-documented'),
      '--ruleset',
      path.join(root, 'lint', 'ruleset.mjs'),
      '--format',
      'json',
      '--quiet',
    ];
    // Exit code 1 means "findings at error severity", which is what these fixtures produce.
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: root }).catch(
      (error: { code?: number; stdout?: string; stderr?: string }) => {
        if (error.code !== 1) throw new Error(`spectral lint failed: ${error.stderr ?? String(error)}`);
        return { stdout: error.stdout ?? '' };
      },
    );
    const results = JSON.parse(stdout) as Array<{ code: string; message: string }>;
    const codes = results.map((r) => r.code).sort();
    expect(codes).toEqual(['vpcpeer-extension-documented', 'vpcpeer-no-orphan-files', 'vpcpeer-no-orphan-files']);
  });
});
