/**
 * The docs-only copy of the bundle that the reference renders (Actions as titles, the request
 * table, the life cycle, each error response's own codes), the Error codes page and the
 * life-cycle diagram, all read from the bundle and its contract.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundlePath } from '../../src/contract/bundle.ts';
import { indexContract } from '../../src/contract/model.ts';
import { buildDocsDocument, LIFECYCLE_SVG, renderDocsHtml, SCALAR_CONFIGURATION, tryItUrl } from '../../src/review/docs.ts';
import { codeAnchor, collectCodes, commonCodeSet, ERROR_PAGE, errorCodesPageHtml } from '../../src/review/error-codes.ts';
import { lifecycleActions, lifecycleSvg, mainPath } from '../../src/review/lifecycle.ts';
import { errorCodes, isErrorStatus, listActions } from '../../src/review/openapi.ts';

const bundle = JSON.parse(readFileSync(bundlePath, 'utf8')) as Record<string, any>;
const docs = buildDocsDocument(bundle);
const docsOps = listActions(docs);
const contract = indexContract(structuredClone(bundle));

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

  it('lists each Action\'s own codes under their error response, one row each with status and message template, and names the common ones', () => {
    const common = commonCodeSet(bundle);
    expect(common.size).toBeGreaterThan(5);
    for (const original of listActions(bundle)) {
      const codes = errorCodes(bundle, original.operation);
      const op = docsOps.find((o) => o.action === original.action);
      const responses = op?.operation.responses as Record<string, { description: string }>;
      for (const c of codes) {
        const text = responses[c.status]?.description ?? '';
        if (common.has(c.code)) {
          expect(text, `${original.action} ${c.status} ${c.code}`).toMatch(new RegExp(`common gateway and signature codes?\\]\\(${ERROR_PAGE}#common-codes\\) every Action can return with HTTP ${c.status}: .*\`${c.code.replace(/\./g, '\\.')}\``));
        } else {
          const rows = text.split('\n').filter((l) => l.startsWith(`| [\`${c.code}\`](${ERROR_PAGE}#${codeAnchor(c.code)}) |`));
          expect(rows, `${original.action} ${c.status} ${c.code}`).toHaveLength(1);
          expect(rows[0]).toContain(c.message.replace(/\|/g, '\\|'));
        }
      }
      // Every row of every error response is a code the Action documents under that status.
      for (const [status, response] of Object.entries(responses)) {
        if (!isErrorStatus(status)) continue;
        const rows = response.description.split('\n').filter((l) => l.startsWith('| [`'));
        expect(rows).toHaveLength(codes.filter((c) => c.status === status && !common.has(c.code)).length);
      }
      // No error table above the parameters: the description ends with the pointer to the errors.
      expect(String(op?.operation.description)).not.toContain('| HTTP | Code |');
    }
  });

  it('keeps the sections of an Action in order: summary, request, life cycle, then the errors pointer', () => {
    const create = String(docsOps.find((o) => o.action === 'CreateVpcPeerConnection')?.operation.description);
    const at = (text: string) => create.indexOf(text);
    expect(at('**Create')).toBe(0);
    expect(at('#### How the request is formed')).toBeGreaterThan(0);
    expect(at('#### Status life cycle')).toBeGreaterThan(at('#### How the request is formed'));
    expect(at(`[Error codes](${ERROR_PAGE})`)).toBeGreaterThan(at('#### Status life cycle'));
  });

  it('adds an "Error codes" sidebar section (a level-1 heading) to the API description', () => {
    const description = String((docs.info as Record<string, unknown>).description);
    expect(description.startsWith('# Introduction\n')).toBe(true);
    expect(description).toContain(`\n# Error codes\n\nEvery error code of every Action`);
    expect(description).toContain(`**[Error codes](${ERROR_PAGE})**`);
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
    const shown = lifecycleActions(contract);
    expect(shown).toEqual(expect.arrayContaining(['CreateVpcPeerConnection', 'AcceptVpcPeerConnection', 'GetVpcPeerConnectionAttribute']));
    for (const op of docsOps) {
      const description = String(op.operation.description);
      expect(description.includes('#### Status life cycle')).toBe(shown.includes(op.action));
    }
    const get = String(docsOps.find((o) => o.action === 'GetVpcPeerConnectionAttribute')?.operation.description);
    const path = mainPath(contract.lifecycle);
    expect(get).toContain(`**${path.join(' → ')}**`);
    expect(get).toContain(`](${LIFECYCLE_SVG})`);
    for (const s of contract.lifecycle.states) expect(get).toContain(s);
    // One table row per transition of the contract's lifecycle.
    expect(get.split('\n').filter((l) => /^\| (\(new\)|any status it allows|[A-Z]\w+) \| (?!Call or event)/.test(l))).toHaveLength(contract.lifecycle.transitions.length);
    expect(path).toEqual(['Creating', 'Accepting', 'Updating', 'Activated', 'Deleting', 'Deleted']);
  });
});

describe('the life cycle comes from the contract', () => {
  it('fails the build when the lifecycle names a status the enum does not hold', () => {
    const renamed = structuredClone(bundle);
    renamed.components.schemas.PeerConnectionStatus.enum = renamed.components.schemas.PeerConnectionStatus.enum.filter((s: string) => s !== 'Expired');
    expect(() => buildDocsDocument(renamed)).toThrow('"Expired" is not a PeerConnectionStatus value');
  });

  it('follows a change of the lifecycle data: a new transition shows up in the table and the diagram', () => {
    const changed = structuredClone(bundle);
    changed.components.schemas.PeerConnectionStatus['x-acs-lifecycle'].transitions.push({ from: 'Rejected', timer: { after: 'P1D' }, when: 'a day after the rejection', via: [], to: 'Expired' });
    const get = String(listActions(buildDocsDocument(changed)).find((o) => o.action === 'GetVpcPeerConnectionAttribute')?.operation.description);
    expect(get).toContain('| Rejected | *after P1D (a day after the rejection)* | — | **Expired** |');
    expect(lifecycleSvg(indexContract(changed).lifecycle)).toContain('>after P1D</text>');
  });

  it('draws an offline SVG: every state, the main path as its title, no script and no outside reference', () => {
    const svg = lifecycleSvg(contract.lifecycle);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain(`<title>Status life cycle: ${mainPath(contract.lifecycle).join(' → ')}</title>`);
    for (const s of contract.lifecycle.states) expect(svg).toContain(`>${s}</text>`);
    for (const a of contract.lifecycle.transitions.flatMap((t) => (t.action ? [t.action.replace(/VpcPeerConnection$/, '')] : []))) expect(svg).toContain(a);
    expect(svg).not.toMatch(/<script|href=|@import|url\((?!#)/i);
  });
});

describe('the Error codes page', () => {
  const page = errorCodesPageHtml(bundle, 'VpcPeer 2022-01-01');
  const codes = collectCodes(bundle);

  it('has one anchor per code, for every code any Action documents', () => {
    const all = new Set(listActions(bundle).flatMap((o) => errorCodes(bundle, o.operation).map((c) => c.code)));
    expect(codes.map((c) => c.code).sort()).toEqual([...all].sort());
    for (const c of all) expect(page.split(`id="${codeAnchor(c)}"`).length - 1, c).toBe(1);
    expect(new Set(codes.map((c) => codeAnchor(c.code))).size).toBe(codes.length);
  });

  it('gives status, message template and the Actions that return it and when', () => {
    const quota = codes.find((c) => c.code === 'QuotaExceeded.VpcPeerCountPerVpc');
    const use = quota?.uses[0];
    if (quota === undefined || use === undefined) throw new Error('QuotaExceeded.VpcPeerCountPerVpc is not documented');
    const row = page.split('\n').find((l) => l.startsWith(`<tr id="${codeAnchor(quota.code)}">`)) ?? '';
    expect(row).toContain(`<td>${use.entry.status}</td>`);
    expect(row).toContain(`<code>${use.entry.message}</code>`);
    for (const u of quota.uses) expect(row).toContain(`>${u.action}</a>`);
    expect(row).toContain('href="index.html#tag/lifecycle/POST/#Action=CreateVpcPeerConnection"');
  });

  it('lists the common gateway and signature codes in their own section, first', () => {
    const common = commonCodeSet(bundle);
    const section = page.slice(page.indexOf('id="common-codes"'), page.indexOf('id="operation-codes"'));
    for (const c of common) expect(section).toContain(`id="${codeAnchor(c)}"`);
    expect(section.split('<tr id=').length - 1).toBe(common.size);
  });

  it('is plain HTML: no script, nothing from the network', () => {
    expect(page).not.toMatch(/<script|<link|<img|src=|https?:\/\/(?!json-schema)/i);
  });
});

describe('the try-it panel', () => {
  it('is off by default', () => {
    const html = renderDocsHtml(docs, '');
    expect(SCALAR_CONFIGURATION.hideClientButton).toBe(true);
    expect(html).toContain('"hideClientButton":true');
    expect(html).toContain('"hideTestRequestButton":true');
  });

  it('aims at a local mock or emulator when asked, and only there', () => {
    const html = renderDocsHtml(docs, '', { tryIt: 'http://127.0.0.1:4010/' });
    expect(html).toContain('"hideClientButton":false');
    expect(html).toContain('"servers":[{"url":"http://127.0.0.1:4010","description":"Local mock or emulator"}]');
    expect(() => tryItUrl('https://vpcpeer.aliyuncs.com')).toThrow('--try-it aims the page at a local mock or emulator');
    expect(() => tryItUrl('not a url')).toThrow('--try-it must be a URL');
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
