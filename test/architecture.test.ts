/**
 * Keeps the layers honest (DESIGN.md): imports only downward, no Node built-in reachable from a
 * browser-safe layer, src/ never importing scripts/ or tests, and no hand-written list of the
 * contract's names outside src/contract. Each check is first shown to catch a planted tree.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contract } from '../src/contract/index.ts';
import { handLists, layerProblems, type NameKinds } from './helpers/source-graph.ts';

const SRC = path.resolve(import.meta.dirname, '../src');
const scratch = mkdtempSync(path.join(tmpdir(), 'vpcpeer-layers-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Writes a planted tree (`{ 'wire/a.ts': 'source' }`) under a fresh src/ and returns that src/. */
function tree(name: string, files: Record<string, string>): string {
  const root = path.join(scratch, name, 'src');
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe('layer rules', () => {
  it('src/ follows them', () => {
    expect(layerProblems(SRC)).toEqual([]);
  });

  it.each([
    ['an upward import', { 'wire/a.ts': "import { x } from '../server/x.ts';", 'server/x.ts': '' }, 'wire/a.ts imports ../server/x.ts: server is a higher layer than wire'],
    ['a type-only upward import', { 'contract/a.ts': "import type { X } from '../client/x.ts';", 'client/x.ts': '' }, 'client is a higher layer than contract'],
    ['a sideways import', { 'mock/a.ts': "export { y } from '../emulator/y.ts';", 'emulator/y.ts': '' }, 'emulator and mock are sibling layers'],
    ['an import of scripts/', { 'review/a.ts': "import { root } from '../../scripts/artifacts.ts';" }, 'src/ never imports scripts/'],
    ['an import of a test folder', { 'conformance/a.ts': "const m = await import('../../test/helpers/mock.ts');" }, 'src/ never imports test/'],
    ['a Node built-in in a browser-safe layer', { 'contract/a.ts': "import { readFileSync } from 'node:fs';" }, 'contract/a.ts (browser-safe) reaches node:fs'],
    ['a Node-only package reached through another file', { 'client/a.ts': "import './b.ts';", 'client/b.ts': "import c from '@alicloud/credentials';" }, 'client/a.ts (browser-safe) reaches @alicloud/credentials via client/b.ts'],
    ['a browser-safe module importing the Node-only bundler', { 'wire/a.ts': "import { bundleSpec } from '../contract/bundle.ts';", 'contract/bundle.ts': "import path from 'node:path';" }, 'wire/a.ts (browser-safe) reaches node:path via contract/bundle.ts'],
  ])('catches %s', (name, files, message) => {
    const problems = layerProblems(tree(name.replace(/\W+/g, '-'), files));
    expect(problems.join('\n')).toContain(message);
  });

  it('accepts downward imports, Node in Node-only files and layers, and imports named in comments', () => {
    const root = tree('benign', {
      'cli/a.ts': "import { contract } from '../contract/index.ts';\nimport { x } from '../emulator/x.ts';",
      'contract/index.ts': "import document from '../../generated/openapi.json' with { type: 'json' };\nimport './model.ts';",
      'contract/model.ts': "import Ajv from 'ajv/dist/2020.js';",
      'contract/bundle.ts': "import path from 'node:path';",
      'client/node.ts': "import credentials from '@alicloud/credentials';\nimport { readFileSync } from 'node:fs';",
      'client/a.ts': "// import { x } from '../server/x.ts';\n/* import 'node:fs' */\nimport { parse } from 'lossless-json';",
      'emulator/x.ts': "import { writeFileSync } from 'node:fs';\nimport { route } from '../wire/router.ts';",
      'wire/router.ts': "import type { Contract } from '../contract/model.ts';",
    });
    expect(layerProblems(root)).toEqual([]);
  });
});

const kinds: NameKinds = {
  Action: new Set(contract.actions),
  Status: new Set(contract.lifecycle.states),
  'int64 field': contract.int64Fields,
  'signing name': contract.commonParameters,
  'error code': new Set(contract.actions.flatMap((a) => contract.errors.codesOf(a))),
};
const outsideContract = (file: string) => file.startsWith('contract/');

describe('no hand-written list of contract names outside src/contract', () => {
  it('src/ has none', () => {
    expect(handLists(SRC, kinds, outsideContract)).toEqual([]);
  });

  it.each([
    ['an array of statuses', "const settled = ['Activated', 'Rejected', 'Expired'];", 'Status Activated, Rejected, Expired'],
    ['a multi-line array of Actions', "const T = [\n  'AcceptVpcPeerConnection',\n  'CreateVpcPeerConnection',\n];", 'Action'],
    ['a regular expression of int64 fields', 'const re = /"(OwnerId|AcceptingOwnerUid)":"(\\d+)"/g;', 'int64 field'],
    ['a line of status comparisons', "const live = c.status !== 'Deleting' && c.status !== 'Deleted';", 'Status Deleting, Deleted'],
    ['a set of signing names', "const V1 = new Set(['AccessKeyId', 'Signature', 'SignatureNonce']);", 'signing name'],
    ['a regular expression of error codes', "const common = /^(Throttling|InvalidParameter)$/;", 'error code'],
  ])('catches %s', (name, source, message) => {
    const root = tree(`hand-${name.replace(/\W+/g, '-')}`, { 'emulator/a.ts': source });
    expect(handLists(root, kinds, outsideContract).join('\n')).toContain(message);
  });

  it('accepts single names, names in comments and in src/contract, and lists read from the contract', () => {
    const root = tree('hand-benign', {
      'emulator/a.ts': [
        "if (c.status === 'Activated') go();",
        "// 'Accepting', 'Activated' and 'Rejected' are the settled states",
        '/* [\'OwnerId\', \'AcceptingOwnerUid\'] */',
        "const code = 'IncorrectStatus.VpcPeer';",
        'const states = contract.lifecycle.states.filter((s) => s !== start);',
        "const words = ['Accept', 'Create'];",
      ].join('\n'),
      'contract/types.ts': "export const INT64_FIELDS = ['OwnerId', 'AcceptingOwnerUid'] as const;",
    });
    expect(handLists(root, kinds, outsideContract)).toEqual([]);
  });
});
