/**
 * The docs-only copy of the bundle that the reference renders: Actions as titles, the request
 * table, the error-code table and the life cycle, all read from the bundle.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundlePath } from '../../src/contract/bundle.ts';
import { buildDocsDocument, LIFECYCLE_ACTIONS, renderDocsHtml } from '../../src/review/docs.ts';
import { mainPath, readLifecycle } from '../../src/review/lifecycle.ts';
import { errorCodes, listActions } from '../../src/review/openapi.ts';

const bundle = JSON.parse(readFileSync(bundlePath, 'utf8')) as Record<string, any>;
const docs = buildDocsDocument(bundle);
const docsOps = listActions(docs);

describe('buildDocsDocument', () => {
  it('keeps every Action and titles each operation by its Action name', () => {
    expect(docsOps.map((o) => o.action)).toEqual(listActions(bundle).map((o) => o.action));
    expect(docsOps).toHaveLength(11);
    for (const op of docsOps) expect(op.operation.summary).toBe(op.action);
  });

  it('does not change the bundle it is given', () => {
    const copy = structuredClone(bundle);
    buildDocsDocument(copy);
    expect(copy).toEqual(bundle);
  });

  it('writes one error-code row per documented error example, with status and message template', () => {
    for (const original of listActions(bundle)) {
      const codes = errorCodes(bundle, original.operation);
      const description = String(docsOps.find((o) => o.action === original.action)?.operation.description);
      expect(description).toContain(`#### Error codes of ${original.action}`);
      const rows = description.split('\n').filter((l) => /^\| [45]\d\d \| `/.test(l));
      expect(rows).toHaveLength(codes.length);
      for (const c of codes) {
        const row = rows.find((r) => r.startsWith(`| ${c.status} | \`${c.code}\` |`));
        expect(row, `${original.action} ${c.status} ${c.code}`).toBeDefined();
        expect(row).toContain(c.message.replace(/\|/g, '\\|'));
      }
    }
  });

  it('explains how the request is formed, and gives a V3 and a V1 example request', () => {
    for (const op of docsOps) {
      const description = String(op.operation.description);
      expect(description).toContain('#### How the request is formed');
      expect(description).toContain(`\`POST https://vpcpeer.aliyuncs.com/\``);
      expect(description).toContain(`query \`Action=${op.action}\` (V1 signing) or header \`x-acs-action: ${op.action}\` (V3 signing)`);
      expect(description).toContain('`Version=2022-01-01`');
      const samples = op.operation['x-codeSamples'] as Array<{ lang: string; label: string; source: string }>;
      expect(samples.map((s) => s.label)).toEqual(['V3 signing (SDK default)', 'V1 signing']);
      const [v3 = '', v1 = ''] = samples.map((s) => s.source);
      expect(v3).toContain(`x-acs-action: ${op.action}\n`);
      const signed = /^Authorization: ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=([a-z0-9;-]+),Signature=<hex HMAC-SHA256>$/m.exec(v3)?.[1]?.split(';');
      expect(signed).toEqual([...(signed ?? [])].sort());
      expect(signed).toEqual(expect.arrayContaining(['host', 'x-acs-action', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-version']));
      expect(v1).toMatch(new RegExp(`^POST /\\?Action=${op.action}&Version=2022-01-01&`));
      expect(v1).toContain('&Signature=<Base64 HMAC-SHA1>');
      // The digest header is the real SHA-256 of the example body.
      const body = v3.split('\n\n')[1] ?? '';
      expect(v3).toContain(`x-acs-content-sha256: ${createHash('sha256').update(body).digest('hex')}\n`);
    }
    const create = docsOps.find((o) => o.action === 'CreateVpcPeerConnection');
    const [v3] = (create?.operation['x-codeSamples'] as Array<{ source: string }>).map((s) => s.source);
    expect(v3).toContain('Tag.1.Key=env&Tag.1.Value=staging');
    expect(v3).toContain('\n\nRegionId=cn-hangzhou&VpcId=');
  });

  it('describes the shared dispatch and signing parameters once, not in every parameter list', () => {
    for (const op of docsOps) expect(op.pathItem.parameters).toBeUndefined();
    const anyOriginal = listActions(bundle)[0];
    expect(Array.isArray(anyOriginal?.pathItem.parameters)).toBe(true);
  });

  it('shows the status life cycle where Create, Accept and Get are described', () => {
    const states = readLifecycle(bundle).states;
    for (const op of docsOps) {
      const description = String(op.operation.description);
      expect(description.includes('#### Status life cycle')).toBe(LIFECYCLE_ACTIONS.includes(op.action));
    }
    const get = String(docsOps.find((o) => o.action === 'GetVpcPeerConnectionAttribute')?.operation.description);
    expect(get).toContain(`**${mainPath().join(' → ')}**`);
    for (const s of states) expect(get).toContain(s);
    expect(mainPath()[0]).toBe('Creating');
    expect(mainPath().at(-1)).toBe('Deleted');
  });
});

describe('readLifecycle', () => {
  it('fails the build when the status enum and the transition table disagree', () => {
    const changed = structuredClone(bundle);
    changed.components.schemas.PeerConnectionStatus.enum.push('Frozen');
    expect(() => readLifecycle(changed)).toThrow('state Frozen of PeerConnectionStatus.enum has no transition');
    const renamed = structuredClone(bundle);
    renamed.components.schemas.PeerConnectionStatus.enum = renamed.components.schemas.PeerConnectionStatus.enum.filter((s: string) => s !== 'Expired');
    expect(() => readLifecycle(renamed)).toThrow('state Expired is not in PeerConnectionStatus.enum');
  });
});

describe('example requests', () => {
  it('are encoded by the wire codec: lists flattened as x-acs-style says', () => {
    const sample = (action: string, label: string): string =>
      String(
        (docsOps.find((o) => o.action === action)?.operation['x-codeSamples'] as Array<{ label: string; source: string }>).find((x) => x.label === label)?.source,
      );
    expect(sample('TagResources', 'V1 signing')).toMatch(/&ResourceId\.1=pcc-[a-z0-9]+&/);
    expect(sample('TagResources', 'V1 signing')).toContain('&Tag.1.Key=env&Tag.1.Value=staging');
    expect(sample('ListVpcPeerConnections', 'V3 signing (SDK default)')).toMatch(/\n\nRegionId=cn-hangzhou&VpcId=vpc-[a-z0-9]+&MaxResults=20$/);
  });
});

describe('renderDocsHtml', () => {
  it('inlines the renderer and the document, and names no remote script, style or font', () => {
    const html = renderDocsHtml(docs, 'window.Scalar = { createApiReference() {} }; // </script> inside');
    expect(html).toContain('<script>window.Scalar');
    expect(html).toContain('<\\/script> inside');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).toContain('"withDefaultFonts":false');
    expect(html).toContain('"telemetry":false');
    expect(html).toContain('<title>Alibaba Cloud VPC Peering API (VpcPeer) 2022-01-01</title>');
  });
});
