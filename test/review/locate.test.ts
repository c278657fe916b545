/**
 * Where a diff change is annotated: the Action's own file in spec/paths/, at the line that
 * names the changed parameter or code as a key; line 1 when the name is gone; the root document
 * for document-level changes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/review/diff.ts';
import { lineOf, locateChange, subjectOf } from '../../src/review/locate.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const createFile = 'spec/paths/CreateVpcPeerConnection.yaml';
const createLines = readFileSync(path.join(repoRoot, createFile), 'utf8').split('\n');
const change = (c: Partial<Change>): Change => ({ action: 'CreateVpcPeerConnection', kind: 'other', severity: 'breaking', message: '', pointer: '', ...c });

describe('locateChange on the real split spec', () => {
  it('a form-body parameter: the line where it is a key, not the prose that mentions it first', () => {
    const where = locateChange(change({ kind: 'parameter-removed', message: 'parameter `Bandwidth` (form body) removed' }), repoRoot);
    expect(where.file).toBe(createFile);
    expect(createLines[where.line - 1]).toMatch(/^\s+Bandwidth:$/);
    const prose = createLines.findIndex((l) => l.includes('`Bandwidth`')) + 1;
    expect(prose).toBeGreaterThan(0);
    expect(where.line).toBeGreaterThan(prose);
  });

  it('an error code: the line of its example', () => {
    const where = locateChange(change({ kind: 'error-code-removed', message: 'error code `InvalidVpcId.NotFound` (HTTP 404) removed' }), repoRoot);
    expect(where.file).toBe(createFile);
    expect(createLines[where.line - 1]).toContain('InvalidVpcId.NotFound');
  });

  it('a name no longer in the file: line 1; a document-level change: the root', () => {
    expect(locateChange(change({ kind: 'parameter-removed', message: 'parameter `Nonexistent` (query) removed' }), repoRoot)).toEqual({ file: createFile, line: 1 });
    expect(locateChange(change({ action: '', message: 'servers.0.url changed' }), repoRoot)).toEqual({ file: 'spec/openapi.yaml', line: 1 });
  });
});

describe('subjectOf and lineOf', () => {
  it('names a code whole and a field path by its last step', () => {
    expect(subjectOf(change({ kind: 'error-code-added', message: 'new error code `IncorrectStatus.Vpc` (HTTP 400)' }))).toBe('IncorrectStatus.Vpc');
    expect(subjectOf(change({ message: 'field `Tags[].Key` of parameter `Tag` (query) removed' }))).toBe('Key');
    expect(subjectOf(change({ message: 'Action `CreateVpcPeerConnection` removed' }))).toBeUndefined();
  });

  it('stays inside the given line range', () => {
    const text = 'a:\n  Name: 1\nb:\n  Name: 2\n';
    expect(lineOf(text, 'Name')).toBe(2);
    expect(lineOf(text, 'Name', 3)).toBe(4);
    expect(lineOf(text, 'Name', 3, 4)).toBe(3);
  });
});
