/**
 * src/wire/signing/primitives.ts: RFC 3986 percent-encoding against the official runtime
 * (@alicloud/openapi-util 0.3.3), hashing, HMAC, Base64 and constant-time comparison; and the
 * portability of every signing piece (no Node-only import, no Buffer, no logging).
 */
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EMPTY_BODY_SHA256, base64, decodeFormBody, percentEncode, sha256Hex, signatureV1, signatureV3, timingSafeEqual } from '../../../src/wire/signing/index.ts';
import { OpenApiUtil } from '../../helpers/official-sdk.ts';
import { FORM_BODY, FLAT_BODY } from './fixtures.ts';

describe('percentEncode', () => {
  it('matches the official encoder (RFC 3986: space %20, * %2A, ~ kept, / %2F, UTF-8)', () => {
    const samples = ['', 'abcXYZ019', '-_.~', 'a b', '*', '~', '/', '中文', "!'()", '+', '=&?#%', 'é ü ß', '😀', '\t\n'];
    for (const s of samples) expect(percentEncode(s), s).toBe(OpenApiUtil.getEncodeParam(s));
    expect(percentEncode('a b*~/中')).toBe('a%20b%2A~%2F%E4%B8%AD');
  });

  it('encodes a lone surrogate as U+FFFD instead of throwing', () => {
    expect(percentEncode('\uD800')).toBe('%EF%BF%BD');
  });
});


describe('primitives', () => {
  it('sha256Hex, base64 and HMACs agree with node:crypto, including an empty secret', async () => {
    expect(await sha256Hex('')).toBe(EMPTY_BODY_SHA256);
    expect(await sha256Hex(new TextEncoder().encode('中'))).toBe(await sha256Hex('中'));
    expect(base64(new Uint8Array([0, 1, 2, 250, 251, 252, 253, 254, 255]))).toBe(Buffer.from([0, 1, 2, 250, 251, 252, 253, 254, 255]).toString('base64'));
    for (const secret of ['', 'k', 'a-much-longer-secret-than-the-sha-block-size-of-sixty-four-bytes-0123456789', '中文']) {
      expect(await signatureV3('msg 中', secret)).toBe(createHmac('sha256', secret).update('msg 中').digest('hex'));
      expect(await signatureV1('msg 中', secret)).toBe(createHmac('sha1', `${secret}&`).update('msg 中').digest('base64'));
    }
    expect(await signatureV3('x', '')).toBe(createHmac('sha256', '').update('x').digest('hex'));
  });

  it('timingSafeEqual compares whole strings', () => {
    expect(timingSafeEqual('abc', 'abc')).toBe(true);
    expect(timingSafeEqual('abc', 'abd')).toBe(false);
    expect(timingSafeEqual('abc', 'ab')).toBe(false);
    expect(timingSafeEqual('', '')).toBe(true);
  });

  it('decodeFormBody reads what the official form encoder writes', () => {
    expect(Object.fromEntries(decodeFormBody(FORM_BODY))).toEqual(FLAT_BODY);
    expect(decodeFormBody(new TextEncoder().encode('a=1+2&b=%E4%B8%AD'))).toEqual([['a', '1 2'], ['b', '中']]);
    expect(decodeFormBody(undefined)).toEqual([]);
  });
});


describe('portability', () => {
  it('no signing piece has a Node-only import, a Buffer or logging', () => {
    const dir = new URL('../../../src/wire/signing/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const file of files) {
      const source = readFileSync(new URL(file, dir), 'utf8');
      // Only the sibling pieces, the codec and the contract: no package, no node: module.
      for (const [, from] of source.matchAll(/^\s*(?:import|export)\b[^'"]*from\s+'([^']+)'/gm)) {
        expect(from, `${file} imports ${from}`).toMatch(/^(\.\/[\w-]+\.ts|\.\.\/codec\.ts|\.\.\/\.\.\/contract\/[\w-]+\.ts)$/);
      }
      expect(source, file).not.toMatch(/\brequire\s*\(/);
      expect(source, file).not.toMatch(/\bBuffer\s*[.(]/);
      expect(source, file).not.toMatch(/\bconsole\s*\./);
    }
  });
});
