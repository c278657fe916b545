/**
 * Reads a Node `IncomingMessage` into a `WireRequest` for the mock and the emulator (Node only).
 * Malformed input never throws: it comes back as the parameter problem the service would report.
 *
 * - query and form body are split on `&` and `=`, `+` is a space, and percent-escapes are
 *   decoded strictly: a broken escape is `InvalidParameter` naming the parameter;
 * - a body must be `application/x-www-form-urlencoded`, or it is `InvalidParameter` naming
 *   `Content-Type` (the service reads parameters only from form bodies);
 * - a body above the limit is `InvalidParameter` naming `Content-Length`;
 * - a body that is not UTF-8 (raw bytes, before percent-decoding) is refused like a broken
 *   `%FF` escape: `InvalidParameter` naming the parameter;
 * - an absolute-form target (`GET http://host:port/?Action=…`, RFC 9112 §3.2.2) is read like
 *   its origin form (`/?Action=…`).
 */
import type { IncomingMessage } from 'node:http';
import type { WirePairs } from '../wire/codec.ts';
import type { WireRequest } from '../wire/router.ts';
import type { WireCode } from '../wire/errors.ts';

/** Largest body accepted, in bytes. VpcPeer requests are a few hundred bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface RequestProblem {
  code: Extract<WireCode, 'InvalidParameter'>;
  parameter: string;
  reason: string;
}

export type ReadResult = { ok: true; request: WireRequest; rawBody: Buffer } | { ok: false; problem: RequestProblem };

function decodeComponent(text: string): string | undefined {
  const spaced = text.includes('+') ? text.replace(/\+/g, ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return undefined;
  }
}

/** Splits `a=1&b=2` strictly; returns the first pair that cannot be decoded as a problem. */
export function parseForm(text: string): { ok: true; pairs: WirePairs } | { ok: false; problem: RequestProblem } {
  const pairs: WirePairs = [];
  if (text === '') return { ok: true, pairs };
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = eq === -1 ? part : part.slice(0, eq);
    const rawValue = eq === -1 ? '' : part.slice(eq + 1);
    const key = decodeComponent(rawKey);
    if (key === undefined) {
      return { ok: false, problem: { code: 'InvalidParameter', parameter: rawKey.slice(0, 64), reason: 'Its name is not valid percent-encoding.' } };
    }
    const value = decodeComponent(rawValue);
    if (value === undefined) {
      return { ok: false, problem: { code: 'InvalidParameter', parameter: key, reason: 'Its value is not valid percent-encoding.' } };
    }
    pairs.push([key, value]);
  }
  return { ok: true, pairs };
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes a form body's bytes; invalid UTF-8 is a problem naming the pair it is in. */
function bodyText(raw: Buffer): { ok: true; text: string } | { ok: false; problem: RequestProblem } {
  try {
    return { ok: true, text: STRICT_UTF8.decode(raw) };
  } catch {
    let start = 0;
    while (start <= raw.length) {
      let end = raw.indexOf(0x26, start);
      if (end === -1) end = raw.length;
      const part = raw.subarray(start, end);
      try {
        STRICT_UTF8.decode(part);
      } catch {
        const eq = part.indexOf(0x3d);
        let name = 'body';
        if (eq > 0) {
          try {
            name = decodeComponent(STRICT_UTF8.decode(part.subarray(0, eq))) ?? 'body';
          } catch {
            // The name itself is not UTF-8: name the body.
          }
        }
        return {
          ok: false,
          problem: { code: 'InvalidParameter', parameter: name.slice(0, 64), reason: name === 'body' ? 'The body is not UTF-8 text.' : 'Its value is not UTF-8 text.' },
        };
      }
      start = end + 1;
    }
    return { ok: false, problem: { code: 'InvalidParameter', parameter: 'body', reason: 'The body is not UTF-8 text.' } };
  }
}

/** The origin-form part of a request target: `http://h:1/p?q` → `/p?q`. */
export function originForm(target: string): string {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/.exec(target);
  if (!scheme) return target;
  const rest = target.slice(scheme[0].length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

function headerRecord(message: IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function readBody(message: IncomingMessage, limit: number): Promise<Buffer | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    const declared = Number(message.headers['content-length'] ?? 0);
    if (declared > limit) {
      message.resume();
      resolve('too-large');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    message.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        settled = true;
        message.resume();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    message.on('end', () => {
      if (!settled) resolve(Buffer.concat(chunks));
    });
    // An error or a close before the end (a timeout, the client went away): nobody to answer.
    message.on('error', () => {
      if (!settled) resolve('aborted');
    });
    message.on('close', () => {
      if (!settled && !message.complete) resolve('aborted');
    });
  });
}

export async function readWireRequest(message: IncomingMessage, maxBodyBytes = MAX_BODY_BYTES): Promise<ReadResult> {
  const url = originForm(message.url ?? '/');
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const headers = headerRecord(message);
  const query = parseForm(q === -1 ? '' : url.slice(q + 1));
  const raw = await readBody(message, maxBodyBytes);
  if (raw === 'aborted') {
    return { ok: false, problem: { code: 'InvalidParameter', parameter: 'Content-Length', reason: 'The body ended before Content-Length bytes arrived.' } };
  }
  if (raw === 'too-large') {
    return {
      ok: false,
      problem: { code: 'InvalidParameter', parameter: 'Content-Length', reason: `The body must not exceed ${maxBodyBytes} bytes.` },
    };
  }
  if (!query.ok) return query;
  let body: WirePairs = [];
  if (raw.length > 0) {
    const type = (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') {
      return {
        ok: false,
        problem: {
          code: 'InvalidParameter',
          parameter: 'Content-Type',
          reason: `A request body must be application/x-www-form-urlencoded, got "${type || 'none'}".`,
        },
      };
    }
    const text = bodyText(raw);
    if (!text.ok) return text;
    const form = parseForm(text.text);
    if (!form.ok) return form;
    body = form.pairs;
  }
  return { ok: true, request: { method: message.method ?? 'GET', path, query: query.pairs, headers, body }, rawBody: raw };
}
