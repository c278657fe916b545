/**
 * The contract itself: the bundle is a valid OpenAPI 3.1 document, every example matches its
 * schema, generated/ is up to date, and the checks catch a broken copy.
 */
import { readFile } from 'node:fs/promises';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { buildArtifacts, bundlePath, typesPath } from '../../src/contract/bundle.ts';
import { bundledDocument, contract } from '../../src/contract/index.ts';
import { indexContract } from '../../src/contract/model.ts';
import { checkExamples } from '../../src/validate/examples.ts';
import { createValidators } from '../../src/validate/index.ts';

const ALL_ACTIONS = [
  'AcceptVpcPeerConnection',
  'CreateVpcPeerConnection',
  'DeleteVpcPeerConnection',
  'GetVpcPeerConnectionAttribute',
  'ListTagResources',
  'ListVpcPeerConnections',
  'ModifyVpcPeerConnection',
  'MoveResourceGroup',
  'RejectVpcPeerConnection',
  'TagResources',
  'UnTagResources',
];

type Doc = Record<string, any>;
const copy = (): Doc => structuredClone(bundledDocument) as Doc;
const op = (doc: Doc, action: string) => doc.paths[`/#Action=${action}`].post;

describe('the bundled contract', () => {
  it('is valid against the official OpenAPI 3.1 schema', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(bundledDocument));
    expect(result.errors ?? [], 'OpenAPI 3.1 schema violations').toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('the official-schema check really rejects a broken document', async () => {
    const doc = copy();
    delete op(doc, 'GetVpcPeerConnectionAttribute').responses;
    doc.paths['/#Action=GetVpcPeerConnectionAttribute'].post.parameters = [{ name: 'X' }];
    const result = await new Validator().validate(doc);
    expect(result.valid).toBe(false);
  });

  it('declares the 2020-12 dialect, so Prism and Ajv enforce 2020-12 keywords', () => {
    expect(bundledDocument.openapi).toBe('3.1.0');
    expect(bundledDocument.jsonSchemaDialect).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('has exactly the 11 operations of VpcPeer 2022-01-01, one POST per Action', () => {
    expect([...contract.actions].sort()).toEqual(ALL_ACTIONS);
    for (const action of ALL_ACTIONS) {
      expect(Object.keys((bundledDocument.paths as Doc)[`/#Action=${action}`])).toEqual(
        expect.arrayContaining(['post']),
      );
    }
  });

  it('every example (success, error, request, parameter, schema) matches its schema', () => {
    expect(checkExamples(contract)).toEqual([]);
  });

  it('generated/ is what `npm run generate` makes from spec/ (run it and commit when this fails)', async () => {
    const built = await buildArtifacts();
    expect(await readFile(bundlePath, 'utf8'), 'generated/openapi.json is stale').toBe(built.bundle);
    expect(await readFile(typesPath, 'utf8'), 'generated/vpcpeer.ts is stale').toBe(built.types);
  });
});

describe('the checks catch a broken copy of the contract', () => {
  it('an example missing a required field', () => {
    const doc = copy();
    const example = op(doc, 'CreateVpcPeerConnection').responses['200'].content['application/json'].examples.Created;
    delete example.value.InstanceId;
    const problems = checkExamples(indexContract(doc));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.where).toContain('CreateVpcPeerConnection');
    expect(problems[0]!.message).toContain('InstanceId');
  });

  it('an error example whose code the operation does not document', () => {
    const doc = copy();
    const examples = op(doc, 'GetVpcPeerConnectionAttribute').responses['400'].content['application/json'].examples;
    examples['IncorrectStatus.VpcPeer'] = { value: { ...doc.components.examples['IncorrectStatus.VpcPeer'].value } };
    const problems = checkExamples(indexContract(doc));
    expect(problems.map((p) => p.where)).toContain(
      '#/paths/~1#Action=GetVpcPeerConnectionAttribute/post/responses/400/content/application~1json/examples/IncorrectStatus.VpcPeer',
    );
  });

  it('a wrong type in a shared schema example', () => {
    const doc = copy();
    doc.components.schemas.Bandwidth.examples = ['100'];
    expect(checkExamples(indexContract(doc)).map((p) => p.where)).toContain('#/components/schemas/Bandwidth/examples/0');
  });

  it('a response validator built from a mutated copy rejects the original answer', () => {
    const doc = copy();
    const schema = op(doc, 'CreateVpcPeerConnection').responses['200'].content['application/json'].schema;
    schema.required.push('Extra');
    schema.properties.Extra = { type: 'string', description: 'A field added by a later version.' };
    const answer = op(copy(), 'CreateVpcPeerConnection').responses['200'].content['application/json'].examples.Created.value;
    const issues = createValidators(indexContract(doc)).checkResponse('CreateVpcPeerConnection', 200, answer);
    expect(issues).toEqual([expect.objectContaining({ path: '$.Extra', rule: 'required' })]);
  });
});

describe('error codes', () => {
  it('each operation documents its own codes plus the gateway ones, each with one status', () => {
    const v = createValidators(contract);
    expect(v.catalog.codesOf('CreateVpcPeerConnection')).toEqual(
      expect.arrayContaining(['ResourceAlreadyExist.VpcPeer', 'OperationFailed.ChargeTypeNotSupported', 'DryRunOperation', 'MissingParameter', 'Forbidden.RAM', 'InvalidAction.NotFound', 'InternalError', 'ServiceUnavailable']),
    );
    expect(v.catalog.codesOf('GetVpcPeerConnectionAttribute')).not.toContain('DryRunOperation');
    expect(v.catalog.status('ResourceNotFound.InstanceId', 'GetVpcPeerConnectionAttribute')).toBe(400);
    expect(v.catalog.status('InvalidAction.NotFound')).toBe(404);
    expect(v.catalog.status('Forbidden.RAM')).toBe(403);
    expect(v.catalog.status('ServiceUnavailable')).toBe(503);
  });

  it('maps schema violations only to codes the operation documents under HTTP 400', () => {
    const v = createValidators(contract);
    let mapped = 0;
    for (const op of contract.operations.values()) {
      for (const rule of op.violationCodes) {
        expect(v.catalog.status(rule.code, op.action), `${op.action} ${rule.code}`).toBe(400);
        expect(op.byName.has(rule.parameter.split('.')[0]!), `${op.action} ${rule.parameter}`).toBe(true);
        mapped += 1;
      }
    }
    expect(mapped).toBeGreaterThanOrEqual(10);
  });

  it('keeps per-operation wording where Alibaba words a code differently', () => {
    const v = createValidators(contract);
    expect(v.catalog.template('OperationFailed.CrossBorderCdtNotOpened', 'CreateVpcPeerConnection')).toBe(
      'The operation failed because the CrossBorderCdt service is not opened.',
    );
    expect(v.catalog.template('OperationFailed.CrossBorderCdtNotOpened', 'AcceptVpcPeerConnection')).toBe(
      'The cross-border data transmission function of Alibaba Cloud is not enabled.',
    );
    expect(v.catalog.template('OperationFailed.NotExist.ResourceGroup', 'MoveResourceGroup')).toBe(
      'The operation failed because the resource group not exist.',
    );
  });
});
