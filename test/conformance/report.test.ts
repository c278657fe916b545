/** Redaction of recorded requests, the atomic ledger, and option validation. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { redactRequest } from '../../src/conformance/exchange.ts';
import { Ledger } from '../../src/conformance/ledger.ts';
import { OptionsError, resolveOptions } from '../../src/conformance/options.ts';

describe('redaction', () => {
  it('removes V1 query signing, V3 headers and literal secrets, keeps the Action parameters', () => {
    const out = redactRequest('GetVpcPeerConnectionAttribute', {
      method: 'POST',
      url: 'https://vpcpeer.aliyuncs.com/?Action=GetVpcPeerConnectionAttribute&AccessKeyId=LTAIkey&Signature=abc%3D&SignatureNonce=n1&SecurityToken=sts&Timestamp=t',
      headers: { Authorization: 'ACS3-HMAC-SHA256 Credential=LTAIkey,Signature=ff', 'x-acs-security-token': 'sts', 'x-acs-signature-nonce': 'n', 'content-type': 'application/x-www-form-urlencoded', 'x-custom': 'has my-secret-value inside' },
      body: 'InstanceId=pcc-1&Echo=my-secret-value',
    }, ['LTAIkey', 'my-secret-value']);
    const all = JSON.stringify(out);
    for (const secret of ['LTAIkey', 'abc', 'sts', 'my-secret-value', 'Credential=']) expect(all).not.toContain(secret);
    expect(out.body).toBe('InstanceId=pcc-1&Echo=[redacted]');
    expect(out.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(new URL(out.url).searchParams.get('Signature')).toBe('[redacted]');
  });
});

describe('ledger', () => {
  it('writes the intent before the ID, keeps entries until forgotten, and removes the file when empty', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ledger-'));
    try {
      const file = path.join(dir, 'l.json');
      const ledger = new Ledger(file, 'run-1');
      const entry = ledger.intend({ step: 'create', account: 'owner', clientToken: 'tok', name: 'n' });
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ runId: 'run-1', entries: [{ clientToken: 'tok', state: 'intent' }] });
      ledger.update(entry, { instanceId: 'pcc-1', state: 'created' });
      expect(new Ledger(file, 'run-1').entries).toMatchObject([{ instanceId: 'pcc-1', state: 'created' }]);
      ledger.forget(entry);
      expect(existsSync(file)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('options', () => {
  it.each([
    [{ endpoint: 'not a url' }, 'endpoint must be a URL'],
    [{ endpoint: 'ftp://x' }, 'endpoint must be http: or https:'],
    [{ endpoint: 'http://127.0.0.1', maxPages: 0 }, 'maxPages must be a number >= 1'],
    [{ endpoint: 'http://127.0.0.1', minCoverage: 101 }, 'minCoverage is a percentage'],
    [{ endpoint: 'http://127.0.0.1', negative: 'some' }, 'negative must be off, sample or all'],
  ])('%j is refused', (input, message) => {
    expect(() => resolveOptions({ credentials: 'anonymous', ...(input as { endpoint: string }) }, 3)).toThrow(OptionsError);
    expect(() => resolveOptions({ credentials: 'anonymous', ...(input as { endpoint: string }) }, 3)).toThrow(message);
  });

  it('defaults: sample negatives, lenient fields, one success per read Action, pacing off on loopback only', () => {
    const local = resolveOptions({ endpoint: 'http://127.0.0.1:4010', credentials: 'anonymous' }, 3);
    expect(local).toMatchObject({ negative: 'sample', strictFields: false, minSuccess: 3, paceMs: 0, lifecycle: false, maxPages: 50 });
    expect(resolveOptions({ endpoint: 'https://vpcpeer.aliyuncs.com', credentials: 'anonymous' }, 3).paceMs).toBe(100);
  });
});
