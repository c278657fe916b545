/**
 * The Markdown changelog (`npm run changelog`) and the terminal report (`npm run diff`).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleSpec } from '../../src/contract/bundle.ts';
import { diffContracts, type ContractDiff } from '../../src/review/diff.ts';
import { formatMarkdown, formatText } from '../../src/review/report.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const labels = { from: 'main (1a2b3c4)', to: 'working tree' };

async function diffOf(...names: string[]): Promise<ContractDiff> {
  // Several fixtures' "after" documents differ from the same "before": combine them by Action.
  const before = await bundleSpec(path.join(fixtures, names[0] ?? 'unchanged', 'before.yaml'));
  const diffs = await Promise.all(names.map(async (n) => diffContracts(before, await bundleSpec(path.join(fixtures, n, 'after.yaml')))));
  const changes = diffs.flatMap((d) => d.changes);
  const counts = { breaking: 0, additive: 0, compatible: 0, docs: 0 };
  for (const c of changes) counts[c.severity] += 1;
  return { changes, actions: [...new Set(changes.map((c) => c.action))], counts };
}

describe('formatMarkdown', () => {
  it('says so when nothing changed', async () => {
    const md = formatMarkdown(await diffOf('unchanged'), labels);
    expect(md).toBe('## Contract changes: main (1a2b3c4) → working tree\n\nNo changes to the contract.\n');
  });

  it('groups changes by Action, then by kind, with breaking changes called out first', async () => {
    const md = formatMarkdown(await diffOf('parameter-removed', 'new-error-code', 'new-response-field', 'docs-only'), labels);
    expect(md).toContain('## Contract changes: main (1a2b3c4) → working tree');
    expect(md).toContain('**1 breaking**, 2 additive, 0 compatible, 2 documentation only.');
    expect(md).toContain('> **Breaking for clients:** `CreateVpcPeerConnection`.');
    expect(md).toContain('> **Worth a look:** 1 additive change that code with an exhaustive `switch` notices');
    const create = md.indexOf('### `CreateVpcPeerConnection`');
    const get = md.indexOf('### `GetVpcPeerConnectionAttribute`');
    expect(create).toBeGreaterThan(0);
    expect(get).toBeGreaterThan(create);
    const createPart = md.slice(create, get);
    expect(createPart.indexOf('**Breaking**')).toBeLessThan(createPart.indexOf('**Additive**'));
    expect(createPart).toContain('- parameter `Name` (form body) removed');
    expect(createPart).toContain('- new error code `QuotaExceeded.VpcPeerCountPerVpc` (HTTP 400) *(exhaustive `switch`es on `Code` notice it)*');
    expect(createPart).toContain('<details><summary>Documentation only (2)</summary>');
    expect(md.slice(get)).toContain('**Additive**\n\n- new response field `ResourceGroupId` (HTTP 200)');
  });

  it('has no breaking call-out when there is nothing breaking', async () => {
    const md = formatMarkdown(await diffOf('new-optional-parameter'), labels);
    expect(md).not.toContain('Breaking');
    expect(md).toContain('- new optional parameter `DryRun` (query)');
  });
});

describe('formatText', () => {
  it('prints one line per change under its Action and hides documentation-only lines unless verbose', async () => {
    const diff = await diffOf('narrowed-length', 'docs-only');
    const text = formatText(diff, labels);
    expect(text).toContain('Contract changes: main (1a2b3c4) → working tree\n\nCreateVpcPeerConnection\n');
    expect(text).toContain('  BREAKING    parameter `Name` (form body): maxLength lowered from `128` to `64`\n');
    expect(text).toContain('  docs        2 documentation-only changes (--verbose lists them)\n');
    expect(text).toContain('3 changes in 1 Action: 1 breaking, 0 additive, 0 compatible, 2 documentation only.');
    const verbose = formatText(diff, labels, { verbose: true });
    expect(verbose).toContain('  docs        summary changed\n');
  });

  it('is one line of news on an unchanged contract', async () => {
    expect(formatText(await diffOf('unchanged'), labels)).toBe('Contract changes: main (1a2b3c4) → working tree\n\nNo changes.\n');
  });
});
