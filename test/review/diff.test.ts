/**
 * The contract diff: every class of change the review kit promises to detect has a fixture pair
 * under test/review/fixtures/<class>/{before,after}.yaml, and an unchanged contract stays quiet.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleSpec, bundlePath, specEntry } from '../../src/contract/bundle.ts';
import { diffContracts, hasBreaking, NEW_CODE_FLAG, type ChangeKind, type ContractDiff, type Severity } from '../../src/review/diff.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

interface Expected {
  action: string;
  kind: ChangeKind;
  severity: Severity;
  message: string;
}

/** Every non-documentation change each fixture must produce, and nothing else. */
const EXPECTED: Record<string, Expected[]> = {
  // Breaking for clients.
  'parameter-removed': [
    { action: 'CreateVpcPeerConnection', kind: 'parameter-removed', severity: 'breaking', message: 'parameter `Name` (form body) removed' },
  ],
  'parameter-renamed': [
    { action: 'CreateVpcPeerConnection', kind: 'parameter-renamed', severity: 'breaking', message: 'parameter `Name` (form body) renamed to `DisplayName`' },
  ],
  'new-required-parameter': [
    { action: 'CreateVpcPeerConnection', kind: 'parameter-required', severity: 'breaking', message: 'new required parameter `AcceptingVpcId` (form body)' },
  ],
  'parameter-became-required': [
    { action: 'CreateVpcPeerConnection', kind: 'parameter-required', severity: 'breaking', message: 'parameter `LinkType` (query) became required' },
  ],
  'narrowed-type': [
    { action: 'CreateVpcPeerConnection', kind: 'parameter-narrowed', severity: 'breaking', message: 'parameter `Name` (form body): type changed from `string` to `integer`' },
  ],
  'narrowed-enum': [
    { action: 'CreateVpcPeerConnection', kind: 'parameter-narrowed', severity: 'breaking', message: 'parameter `LinkType` (query): value `Platinum` removed' },
  ],
  'narrowed-length': [
    { action: 'CreateVpcPeerConnection', kind: 'parameter-narrowed', severity: 'breaking', message: 'parameter `Name` (form body): maxLength lowered from `128` to `64`' },
  ],
  'narrowed-range': [
    { action: 'CreateVpcPeerConnection', kind: 'parameter-narrowed', severity: 'breaking', message: 'parameter `Bandwidth` (form body): minimum raised from `1` to `10`' },
    { action: 'CreateVpcPeerConnection', kind: 'parameter-narrowed', severity: 'breaking', message: 'parameter `Bandwidth` (form body): maximum lowered from `1024` to `500`' },
  ],
  'response-field-removed': [
    { action: 'GetVpcPeerConnectionAttribute', kind: 'response-field-removed', severity: 'breaking', message: 'response field `Bandwidth` (HTTP 200) removed' },
  ],
  'response-field-retyped': [
    { action: 'GetVpcPeerConnectionAttribute', kind: 'response-field-retyped', severity: 'breaking', message: 'response field `Bandwidth` (HTTP 200): type changed from `integer` to `string`' },
  ],
  // One change, one line: the retype carries the keywords dropped with it as details.
  'response-field-retyped-with-details': [
    { action: 'GetVpcPeerConnectionAttribute', kind: 'response-field-retyped', severity: 'breaking', message: 'response field `Bandwidth` (HTTP 200): type changed from `integer` to `string`' },
  ],
  'error-status-changed': [
    { action: 'CreateVpcPeerConnection', kind: 'error-status-changed', severity: 'breaking', message: 'error code `IncorrectStatus.Vpc` now answered with HTTP 403 instead of 400' },
  ],
  'error-code-removed': [
    { action: 'CreateVpcPeerConnection', kind: 'error-code-removed', severity: 'breaking', message: 'error code `IncorrectStatus.Vpc` (HTTP 400) removed' },
  ],
  'operation-removed': [
    { action: 'GetVpcPeerConnectionAttribute', kind: 'operation-removed', severity: 'breaking', message: 'Action `GetVpcPeerConnectionAttribute` removed' },
  ],
  // Additive.
  'new-optional-parameter': [
    { action: 'CreateVpcPeerConnection', kind: 'parameter-added', severity: 'additive', message: 'new optional parameter `DryRun` (query)' },
    { action: 'CreateVpcPeerConnection', kind: 'parameter-added', severity: 'additive', message: 'new optional parameter `Description` (form body)' },
  ],
  'new-response-field': [
    { action: 'GetVpcPeerConnectionAttribute', kind: 'response-field-added', severity: 'additive', message: 'new response field `ResourceGroupId` (HTTP 200)' },
  ],
  'new-error-code': [
    { action: 'CreateVpcPeerConnection', kind: 'error-code-added', severity: 'additive', message: 'new error code `QuotaExceeded.VpcPeerCountPerVpc` (HTTP 400)' },
  ],
  // Neither.
  'docs-only': [],
  unchanged: [],
};

/** The classes issue 6 asks for, each of which must be detected by some fixture. */
const REQUIRED_KINDS: ChangeKind[] = [
  'parameter-removed',
  'parameter-renamed',
  'parameter-required',
  'parameter-narrowed',
  'response-field-removed',
  'response-field-retyped',
  'error-status-changed',
  'error-code-removed',
  'parameter-added',
  'response-field-added',
  'error-code-added',
];

const results = new Map<string, ContractDiff>();

beforeAll(async () => {
  for (const name of Object.keys(EXPECTED)) {
    const before = await bundleSpec(path.join(fixtures, name, 'before.yaml'));
    const after = await bundleSpec(path.join(fixtures, name, 'after.yaml'));
    results.set(name, diffContracts(before, after));
  }
});

function result(name: string): ContractDiff {
  const r = results.get(name);
  if (r === undefined) throw new Error(`fixture ${name} was not compared`);
  return r;
}

describe('fixture pairs', () => {
  it('every fixture folder has an expectation, and every expectation a folder', () => {
    const folders = readdirSync(fixtures, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    expect(folders).toEqual(Object.keys(EXPECTED).sort());
  });

  it('every class of change from the issue is detected by at least one fixture', () => {
    const detected = new Set([...results.values()].flatMap((r) => r.changes.map((c) => c.kind)));
    for (const kind of REQUIRED_KINDS) expect(detected, `no fixture detects ${kind}`).toContain(kind);
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name}: ${expected.length === 0 ? 'no change that matters to clients' : expected.map((e) => e.kind).join(', ')}`, () => {
      const diff = result(name);
      const relevant = diff.changes
        .filter((c) => c.severity !== 'docs')
        .map(({ action, kind, severity, message }) => ({ action, kind, severity, message }));
      expect(relevant).toEqual(expected);
      expect(hasBreaking(diff)).toBe(expected.some((e) => e.severity === 'breaking'));
    });
  }

  it('flags a new error code for exhaustive switches', () => {
    const [change] = result('new-error-code').changes;
    expect(change?.flag).toBe(NEW_CODE_FLAG);
  });

  it('folds the keywords dropped with a retype into its details', () => {
    const [change] = result('response-field-retyped-with-details').changes;
    expect(change?.details).toEqual(['format `int32` removed', 'minimum `0` removed']);
    expect(result('response-field-retyped').changes[0]?.details).toBeUndefined();
  });

  it('words and classifies a change by direction: the same keyword in a response reads as what clients receive', async () => {
    const before = (await bundleSpec(path.join(fixtures, 'unchanged', 'before.yaml'))) as Record<string, any>;
    const after = structuredClone(before);
    const schema = after.paths['/#Action=GetVpcPeerConnectionAttribute'].post.responses['200'].content['application/json'].schema;
    expect(schema.required).toContain('Bandwidth');
    schema.required = schema.required.filter((f: string) => f !== 'Bandwidth');
    schema.properties.Bandwidth.type = ['integer', 'null'];
    const changes = diffContracts(before, after).changes.map(({ kind, severity, message }) => ({ kind, severity, message }));
    expect(changes).toEqual([
      { kind: 'response-field-changed', severity: 'breaking', message: 'response field `Bandwidth` (HTTP 200) no longer always present' },
      { kind: 'response-field-retyped', severity: 'breaking', message: 'response field `Bandwidth` (HTTP 200): type changed from `integer` to `["integer","null"]`' },
    ]);
    const back = diffContracts(after, before).changes.map(({ kind, severity, message }) => ({ kind, severity, message }));
    expect(back).toEqual(expect.arrayContaining([
      { kind: 'response-field-changed', severity: 'compatible', message: 'response field `Bandwidth` (HTTP 200) now always present' },
      { kind: 'response-field-retyped', severity: 'breaking', message: 'response field `Bandwidth` (HTTP 200): type changed from `["integer","null"]` to `integer`' },
    ]));
    expect(back).toHaveLength(2);
  });

  it('reports wording changes as documentation only', () => {
    const diff = result('docs-only');
    expect(diff.counts).toEqual({ breaking: 0, additive: 0, compatible: 0, docs: 2 });
    expect(diff.changes.map((c) => c.message)).toEqual(['summary changed', 'parameter `Name` (form body): description changed']);
  });

  it('stays quiet on an unchanged fixture', () => {
    expect(result('unchanged').changes).toEqual([]);
  });
});

describe('the real contract', () => {
  it('is unchanged when compared with itself (spec/ bundled twice)', async () => {
    const a = await bundleSpec(specEntry);
    const b = await bundleSpec(specEntry);
    const diff = diffContracts(a, b);
    expect(diff.changes).toEqual([]);
    expect(diff.actions).toEqual([]);
  });

  it('reports a change to a shared component at every Action that uses it', () => {
    const before = JSON.parse(readFileSync(bundlePath, 'utf8')) as Record<string, any>;
    const after = structuredClone(before);
    const linkType = after.components.schemas.LinkType;
    expect(linkType.enum).toContain('Platinum');
    linkType.enum = linkType.enum.filter((v: string) => v !== 'Platinum');
    const diff = diffContracts(before, after);
    const narrowed = diff.changes.filter((c) => c.kind === 'parameter-narrowed');
    expect(narrowed.map((c) => c.action).sort()).toEqual(['CreateVpcPeerConnection', 'ModifyVpcPeerConnection']);
    expect(narrowed.every((c) => c.message === 'parameter `LinkType` (query): value `Platinum` removed')).toBe(true);
    // Components themselves are not reported: only what an Action exposes reaches clients.
    expect(diff.changes.every((c) => c.action !== '')).toBe(true);
  });

  it('reports every code of an error response that goes away, and of one that arrives', () => {
    const before = JSON.parse(readFileSync(bundlePath, 'utf8')) as Record<string, any>;
    const after = structuredClone(before);
    const create = after.paths['/#Action=CreateVpcPeerConnection'].post;
    const forbidden = before.components.responses.Forbidden;
    const codes = Object.keys(forbidden.content['application/json'].examples);
    expect(codes.length).toBeGreaterThan(1);
    delete create.responses['403'];
    const get = after.paths['/#Action=GetVpcPeerConnectionAttribute'].post;
    delete get.responses['400'].content['application/json'].examples;
    const getCodes = Object.keys(before.paths['/#Action=GetVpcPeerConnectionAttribute'].post.responses['400'].content['application/json'].examples);
    const diff = diffContracts(before, after);
    const removed = (action: string): string[] => diff.changes.filter((c) => c.action === action && c.kind === 'error-code-removed').map((c) => c.message);
    expect(removed('CreateVpcPeerConnection')).toEqual(codes.map((c) => `error code \`${c}\` (HTTP 403) removed`));
    expect(removed('GetVpcPeerConnectionAttribute')).toEqual(getCodes.map((c) => `error code \`${c}\` (HTTP 400) removed`));
    const back = diffContracts(after, before);
    expect(back.changes.filter((c) => c.kind === 'error-code-added')).toHaveLength(codes.length + getCodes.length);
    expect(back.counts.breaking).toBe(0);
  });

  it('reports a narrower caller rule as a breaking behaviour change, a wider one as compatible', () => {
    const before = JSON.parse(readFileSync(bundlePath, 'utf8')) as Record<string, any>;
    const deleteOp = (doc: Record<string, any>) => doc.paths['/#Action=DeleteVpcPeerConnection'].post;
    expect(deleteOp(before)['x-acs-caller']).toBe('either');
    const after = structuredClone(before);
    deleteOp(after)['x-acs-caller'] = 'requester';
    const narrowed = diffContracts(before, after).changes;
    expect(narrowed.map(({ action, kind, severity, message }) => ({ action, kind, severity, message }))).toEqual([
      { action: 'DeleteVpcPeerConnection', kind: 'caller-changed', severity: 'breaking', message: 'behaviour: who may call it changed from `either` to `requester`: other callers are now refused' },
    ]);
    const widened = diffContracts(after, before).changes;
    expect(widened.map((c) => [c.kind, c.severity])).toEqual([['caller-changed', 'compatible']]);
  });

  it('reports allowed statuses that shrink as breaking and that grow as compatible, once per Action', () => {
    const before = JSON.parse(readFileSync(bundlePath, 'utf8')) as Record<string, any>;
    const modify = (doc: Record<string, any>) => doc.paths['/#Action=ModifyVpcPeerConnection'].post;
    const statuses = modify(before)['x-acs-allowed-statuses'] as string[];
    expect(statuses).toContain('Activated');
    const after = structuredClone(before);
    modify(after)['x-acs-allowed-statuses'] = [...statuses.filter((s) => s !== 'Activated'), 'Expired', 'Rejected'];
    const narrowed = diffContracts(before, after).changes;
    expect(narrowed).toHaveLength(1);
    expect(narrowed[0]).toMatchObject({ action: 'ModifyVpcPeerConnection', kind: 'allowed-statuses-changed', severity: 'breaking' });
    expect(narrowed[0]?.message).toContain('(no longer carried out in `Activated`; now also in `Expired`, `Rejected`)');
    const grown = structuredClone(before);
    modify(grown)['x-acs-allowed-statuses'] = [...statuses, 'Expired'];
    const wider = diffContracts(before, grown).changes;
    expect(wider.map((c) => [c.kind, c.severity, c.message])).toEqual([
      ['allowed-statuses-changed', 'compatible', `behaviour: allowed statuses changed from \`${JSON.stringify(statuses)}\` to \`${JSON.stringify([...statuses, 'Expired'])}\` (now also in \`Expired\`)`],
    ]);
    const del = (doc: Record<string, any>) => doc.paths['/#Action=DeleteVpcPeerConnection'].post;
    const deleteStatuses = del(before)['x-acs-allowed-statuses'] as string[];
    expect(deleteStatuses.length).toBeGreaterThan(1);
    const reordered = structuredClone(before);
    del(reordered)['x-acs-allowed-statuses'] = [...deleteStatuses].reverse();
    expect(diffContracts(before, reordered).changes.filter((c) => c.kind === 'allowed-statuses-changed')).toEqual([]);
  });

  it('does not change its inputs', () => {
    const before = JSON.parse(readFileSync(bundlePath, 'utf8')) as Record<string, unknown>;
    const copy = structuredClone(before);
    diffContracts(before, copy);
    expect(copy).toEqual(before);
  });
});
