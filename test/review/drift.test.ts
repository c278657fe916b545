/**
 * The drift check against Alibaba's api-docs metadata. The fixtures in drift-fixtures/ are
 * written from shared/reference/vpcpeer-api-facts.md (names, types, placements, limits and
 * codes only): api-docs.json as the facts describe the metadata, adds-parameter.json with one
 * upstream parameter the contract lacks, drops-error-code.json without one code the contract
 * documents. Planted defects must each give exactly their difference; harmless variants of the
 * metadata's shape must give none; bad input exits 2 with the reason.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { contract } from '../../src/contract/index.ts';
import { commonCodeSet } from '../../src/review/error-codes.ts';
import { applyAllowList, driftOf, MetadataError, readAllowList, readApiDocs, type Drift } from '../../src/review/drift.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const fixtures = path.join(here, 'drift-fixtures');
const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
const tmp = mkdtempSync(path.join(tmpdir(), 'vpcpeer-drift-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type ApiDocs = { info: Record<string, string>; apis: Record<string, { parameters: Array<Record<string, any>>; errorCodes: Record<string, Array<{ errorCode: string }>> }> };
const baseline = (): ApiDocs => JSON.parse(readFileSync(path.join(fixtures, 'api-docs.json'), 'utf8')) as ApiDocs;
const allow = readAllowList(JSON.parse(readFileSync(path.join(repoRoot, 'spec', 'drift-allowlist.json'), 'utf8')));
const key = (d: Drift) => `${d.action} ${d.kind} ${d.subject}`;
const baselineKeys = new Set(driftOf(contract, readApiDocs(baseline())).map(key));

/** The differences `docs` has that the baseline does not. */
function newDrifts(docs: unknown): Array<Pick<Drift, 'action' | 'kind' | 'subject' | 'severity'>> {
  return driftOf(contract, readApiDocs(docs))
    .filter((d) => !baselineKeys.has(key(d)))
    .map(({ action, kind, subject, severity }) => ({ action, kind, subject, severity }));
}

function param(docs: ApiDocs, action: string, name: string): Record<string, any> {
  const p = docs.apis[action]?.parameters.find((x) => x.name === name);
  if (p === undefined) throw new Error(`fixture has no ${action}.${name}`);
  return p;
}

function run(...args: string[]) {
  const r = spawnSync(tsx, [path.join(repoRoot, 'src', 'cli', 'drift.ts'), ...args], { cwd: repoRoot, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function writeJson(name: string, value: unknown): string {
  const file = path.join(tmp, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

// Each case spawns the CLI (tsx) one or more times: slow on a loaded machine, not a timing check.
describe('the metadata as the facts file describes it', { timeout: 120_000 }, () => {
  it('differs from the contract only where the allow-list explains why, and every entry is used', () => {
    const report = applyAllowList(driftOf(contract, readApiDocs(baseline())), allow);
    expect(report.drifts.filter((d) => d.allowed === undefined).map(key)).toEqual([]);
    expect(report.unused).toEqual([]);
    expect(report.drifts.length).toBeGreaterThan(10);
  });

  it('does not compare the codes every Action documents (gateway, signature) when upstream omits them', () => {
    const common = commonCodeSet(contract.document);
    expect(common.size).toBeGreaterThan(5);
    expect([...baselineKeys].some((k) => [...common].some((c) => k.endsWith(` ${c}`)))).toBe(false);
  });

  it('npm run drift exits 0 on it, and --verbose shows each reason', () => {
    const r = run(path.join(fixtures, 'api-docs.json'), '--verbose');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('0 unexplained');
    expect(r.stdout).toContain('allowed     parameter `Tag`: maxItems upstream `21`, in the contract `20`  [The metadata says maxItems 21');
  });
});

describe('the two upstream changes of the fixtures', { timeout: 120_000 }, () => {
  it('adds-parameter.json: a new upstream parameter, additive, exit 1', () => {
    expect(newDrifts(JSON.parse(readFileSync(path.join(fixtures, 'adds-parameter.json'), 'utf8')))).toEqual([
      { action: 'CreateVpcPeerConnection', kind: 'parameter-added-upstream', subject: 'EnableIpv6', severity: 'additive' },
    ]);
    const r = run(path.join(fixtures, 'adds-parameter.json'));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('CreateVpcPeerConnection\n  additive    new upstream parameter `EnableIpv6` (formData, boolean) is not in the contract\n');
    expect(r.stdout).toContain('1 unexplained');
  });

  it('drops-error-code.json: a code only the contract documents, breaking, annotated at its line', () => {
    expect(newDrifts(JSON.parse(readFileSync(path.join(fixtures, 'drops-error-code.json'), 'utf8')))).toEqual([
      { action: 'DeleteVpcPeerConnection', kind: 'error-code-missing-upstream', subject: 'OperationDenied.RouteEntryExist', severity: 'breaking' },
    ]);
    const out = path.join(tmp, 'drift.txt');
    const r = run(path.join(fixtures, 'drops-error-code.json'), '--format', 'github', '-o', out);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const [first] = readFileSync(out, 'utf8').split('\n');
    const match = /^::error file=spec\/paths\/DeleteVpcPeerConnection\.yaml,line=(\d+),title=Drift from upstream metadata%3A DeleteVpcPeerConnection::error code `OperationDenied\.RouteEntryExist` \(HTTP 400\) is documented in the contract but not upstream$/.exec(first ?? '');
    expect(match, first).not.toBeNull();
    const lines = readFileSync(path.join(repoRoot, 'spec', 'paths', 'DeleteVpcPeerConnection.yaml'), 'utf8').split('\n');
    expect(lines[Number(match?.[1]) - 1]).toContain('OperationDenied.RouteEntryExist');
  });
});

describe('planted upstream changes, one difference each', () => {
  const cases: Array<{ name: string; plant: (d: ApiDocs) => void; expected: ReturnType<typeof newDrifts> }> = [
    { name: 'a parameter moved to the query', plant: (d) => { param(d, 'CreateVpcPeerConnection', 'Name').in = 'query'; }, expected: [{ action: 'CreateVpcPeerConnection', kind: 'parameter-moved', subject: 'Name', severity: 'breaking' }] },
    { name: 'a list sent in another wire style', plant: (d) => { param(d, 'ListVpcPeerConnections', 'VpcId').style = 'repeatList'; }, expected: [{ action: 'ListVpcPeerConnections', kind: 'parameter-wire-style', subject: 'VpcId', severity: 'breaking' }] },
    { name: 'a retyped parameter', plant: (d) => { param(d, 'CreateVpcPeerConnection', 'AcceptingAliUid').schema = { type: 'string', required: true }; }, expected: [{ action: 'CreateVpcPeerConnection', kind: 'parameter-retyped', subject: 'AcceptingAliUid', severity: 'breaking' }] },
    { name: 'another integer format', plant: (d) => { param(d, 'ModifyVpcPeerConnection', 'Bandwidth').schema.format = 'int64'; }, expected: [{ action: 'ModifyVpcPeerConnection', kind: 'parameter-retyped', subject: 'Bandwidth', severity: 'breaking' }] },
    { name: 'a parameter that became required', plant: (d) => { param(d, 'ListVpcPeerConnections', 'RegionId').schema.required = true; }, expected: [{ action: 'ListVpcPeerConnections', kind: 'parameter-required', subject: 'RegionId', severity: 'breaking' }] },
    { name: 'a lower limit', plant: (d) => { param(d, 'ListVpcPeerConnections', 'VpcId').schema.maxItems = 1; }, expected: [{ action: 'ListVpcPeerConnections', kind: 'parameter-limit', subject: 'VpcId', severity: 'breaking' }] },
    { name: 'an upstream enum without a value the contract allows', plant: (d) => { param(d, 'CreateVpcPeerConnection', 'LinkType').schema.enum = ['Gold']; }, expected: [{ action: 'CreateVpcPeerConnection', kind: 'parameter-enum', subject: 'LinkType', severity: 'breaking' }] },
    { name: 'a parameter gone upstream', plant: (d) => { const api = d.apis.DeleteVpcPeerConnection; if (api) api.parameters = api.parameters.filter((p) => p.name !== 'Force'); }, expected: [{ action: 'DeleteVpcPeerConnection', kind: 'parameter-missing-upstream', subject: 'Force', severity: 'breaking' }] },
    { name: 'a new upstream error code', plant: (d) => { d.apis.GetVpcPeerConnectionAttribute?.errorCodes['400']?.push({ errorCode: 'Throttling.Api' }); }, expected: [{ action: 'GetVpcPeerConnectionAttribute', kind: 'error-code-added-upstream', subject: 'Throttling.Api', severity: 'additive' }] },
    { name: 'a code under another HTTP status', plant: (d) => { const api = d.apis.GetVpcPeerConnectionAttribute; if (api) api.errorCodes = { '404': [{ errorCode: 'ResourceNotFound.InstanceId' }] }; }, expected: [{ action: 'GetVpcPeerConnectionAttribute', kind: 'error-status-changed', subject: 'ResourceNotFound.InstanceId', severity: 'breaking' }] },
    { name: 'an Action gone upstream', plant: (d) => { delete d.apis.MoveResourceGroup; }, expected: [{ action: 'MoveResourceGroup', kind: 'operation-missing-upstream', subject: '', severity: 'breaking' }] },
    { name: 'a new upstream Action', plant: (d) => { d.apis.DescribeVpcPeerRoutes = { parameters: [], errorCodes: {} }; }, expected: [{ action: 'DescribeVpcPeerRoutes', kind: 'operation-added-upstream', subject: '', severity: 'additive' }] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const docs = baseline();
      c.plant(docs);
      expect(newDrifts(docs)).toEqual(c.expected);
    });
  }
});

describe('harmless variants of the metadata give no difference', () => {
  it('parameters in another order, required beside the schema, limits as strings, extra keys', () => {
    const docs = baseline();
    for (const api of Object.values(docs.apis)) {
      api.parameters.reverse();
      for (const p of api.parameters) {
        p.description = 'a description in any language';
        if (p.schema.required === true) {
          delete p.schema.required;
          p.required = true;
        }
        for (const k of ['maxItems', 'minItems']) if (typeof p.schema[k] === 'number') p.schema[k] = String(p.schema[k]);
      }
    }
    docs.info.title = 'VPC Peering';
    expect(driftOf(contract, readApiDocs(docs)).map(key).sort()).toEqual([...baselineKeys].sort());
  });
});

describe('bad input exits 2 with the reason, never a stack trace', { timeout: 120_000 }, () => {
  it('a file that is not JSON, or not api-docs, or for another version', () => {
    const notJson = run(writeJson('bad.json', '{"apis": '));
    expect(notJson.status).toBe(2);
    expect(notJson.stderr).toMatch(/^drift: metadata .*bad\.json is not JSON: /);
    const noApis = run(writeJson('no-apis.json', { info: {} }));
    expect(noApis.status).toBe(2);
    expect(noApis.stderr).toContain('drift: the metadata has no "apis" object');
    const version = baseline();
    version.info.version = '2016-04-28';
    const other = run(writeJson('other.json', version));
    expect(other.status).toBe(2);
    expect(other.stderr).toContain('describes version 2016-04-28; the contract is version 2022-01-01');
    const missing = run(path.join(tmp, 'nope.json'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('cannot read metadata');
    for (const r of [notJson, noApis, other, missing]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a malformed parameter or error-code entry names its place', () => {
    expect(() => readApiDocs({ apis: { Ping: { parameters: [{ in: 'query' }] } } })).toThrow(new MetadataError('apis.Ping.parameters[0] needs a string "name" and "in"'));
    expect(() => readApiDocs({ apis: { Ping: { errorCodes: { 400: [{ code: 'X' }] } } } })).toThrow('apis.Ping.errorCodes.400[0] has no string "errorCode"');
  });

  it('an allow-list entry without a reason, or with an unknown kind', () => {
    const entry = { action: '*', kind: 'error-code-missing-upstream', subject: 'DryRunOperation', reason: '' };
    const r = run(path.join(fixtures, 'api-docs.json'), '--allow', writeJson('allow.json', { entries: [entry] }));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('entries[0] needs a "reason" that says why the difference is intended');
    expect(() => readAllowList({ entries: [{ ...entry, kind: 'renamed', reason: 'a long enough reason' }] })).toThrow(/has kind "renamed"; expected one of operation-added-upstream/);
  });
});
