/**
 * The error catalog (`contract.errors`, src/contract/errors.ts) against the spec files
 * themselves: every named error example's Message is the template of its code, per Action where
 * an operation words a code its own way; statuses follow the response each example sits under;
 * and what no operation documents is unknown. Also a catalog built from a planted document.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { contract } from '../../src/contract/index.ts';
import { buildErrorCatalog } from '../../src/contract/errors.ts';
import { indexContract } from '../../src/contract/model.ts';

const EXAMPLES = new URL('../../spec/components/examples/', import.meta.url);
const catalog = contract.errors;

interface ExampleFile {
  file: string;
  code: string;
  message: string;
}

const examples: ExampleFile[] = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.yaml'))
  .map((file) => ({ file, value: (parse(readFileSync(new URL(file, EXAMPLES), 'utf8')) as { value?: { Code?: string; Message?: string } }).value }))
  .filter((e): e is { file: string; value: { Code: string; Message: string } } => typeof e.value?.Code === 'string' && typeof e.value.Message === 'string')
  .map(({ file, value }) => ({ file, code: value.Code, message: value.Message }));

describe('contract.errors', () => {
  it('knows a template for every error example in spec/components/examples', () => {
    expect(examples.length).toBeGreaterThan(40);
    for (const { file, code, message } of examples) {
      const documented = contract.actions.filter((a) => catalog.codesOf(a).includes(code));
      expect(documented.length, `${file}: some Action documents ${code}`).toBeGreaterThan(0);
      // The file's wording is the template of at least one Action documenting the code.
      expect(documented.map((a) => catalog.template(code, a)), file).toContain(message);
    }
  });

  it('an Action-specific wording wins for that Action only', () => {
    const own = examples.find((e) => e.file === 'OperationFailed.NotExist.ResourceGroup_MoveResourceGroup.yaml')!;
    const shared = examples.find((e) => e.file === 'OperationFailed.NotExist.ResourceGroup.yaml')!;
    expect(catalog.template(own.code, 'MoveResourceGroup')).toBe(own.message);
    expect(catalog.template(shared.code, 'CreateVpcPeerConnection')).toBe(shared.message);
  });

  it('table: statuses of the gateway and operation codes', () => {
    const table: Array<[string, string | undefined, number]> = [
      ['InvalidParameter', undefined, 400],
      ['MissingParameter', 'GetVpcPeerConnectionAttribute', 400],
      ['UnsupportedHTTPMethod', undefined, 403],
      ['InvalidAccessKeyId.NotFound', undefined, 404],
      ['InternalError', undefined, 500],
      ['ServiceUnavailable', undefined, 503],
      ['IncorrectStatus.VpcPeer', 'DeleteVpcPeerConnection', 400],
    ];
    for (const [code, action, status] of table) expect(catalog.status(code, action), `${code} ${action ?? ''}`).toBe(status);
  });

  it('codesOf lists what an Action documents and nothing else', () => {
    const codes = catalog.codesOf('GetVpcPeerConnectionAttribute');
    expect(codes).toContain('ResourceNotFound.InstanceId');
    expect(codes).toContain('InvalidAction.NotFound');
    expect(codes).not.toContain('IncorrectStatus.VpcPeer');
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('planted: an unknown code or Action is unknown, never a guess', () => {
    expect(catalog.status('NoSuch.Code')).toBeUndefined();
    expect(catalog.template('NoSuch.Code')).toBeUndefined();
    expect(catalog.codesOf('NoSuchAction')).toEqual([]);
    expect(catalog.status('IncorrectStatus.VpcPeer', 'GetVpcPeerConnectionAttribute')).toBe(400); // falls back to anywhere
  });

  it('planted: a document whose example changes the status and wording is read as written', () => {
    const document = structuredClone(contract.document) as Record<string, any>;
    const op = document.paths['/#Action=GetVpcPeerConnectionAttribute'].post;
    const [status, response] = Object.entries(op.responses as Record<string, any>).find(([s]) => s === '400')!;
    expect(status).toBe('400');
    const resolved = response.$ref ? contract.resolve(response.$ref) : response;
    const copy = structuredClone(resolved) as Record<string, any>;
    copy.content['application/json'].examples = { 'Planted.Code': { value: { Code: 'Planted.Code', Message: 'Planted %s.' } } };
    op.responses['404'] = copy;
    const planted = buildErrorCatalog(indexContract(document));
    expect(planted.status('Planted.Code', 'GetVpcPeerConnectionAttribute')).toBe(404);
    expect(planted.template('Planted.Code', 'GetVpcPeerConnectionAttribute')).toBe('Planted %s.');
    expect(planted.codesOf('GetVpcPeerConnectionAttribute')).toContain('Planted.Code');
    expect(planted.codesOf('CreateVpcPeerConnection')).not.toContain('Planted.Code');
  });
});
