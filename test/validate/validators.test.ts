/**
 * src/validate/validators.ts, table-driven: request rejections as the service words them
 * (MissingParameter / InvalidParameter naming the wire parameter, `x-acs-violation-codes`,
 * `x-acs-at-least-one-of`), and answer checks that catch planted defects and pass the
 * documented examples.
 */
import { describe, expect, it } from 'vitest';
import { contract } from '../../src/contract/index.ts';
import { exampleParams } from '../../src/contract/model.ts';
import { createValidators } from '../../src/validate/index.ts';
import { errorAnswer } from '../../src/wire/errors.ts';

const validators = createValidators(contract);
const tag = (n: number) => Array.from({ length: n }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));

describe('checkRequest', () => {
  it('accepts every Action’s example parameters', () => {
    for (const action of contract.actions) expect(validators.checkRequest(action, exampleParams(contract, action)), action).toBeUndefined();
  });

  it('table: rejections', () => {
    const base = exampleParams(contract, 'TagResources');
    const table: Array<[string, string, Record<string, unknown>, string, string[]]> = [
      ['missing', 'GetVpcPeerConnectionAttribute', {}, 'MissingParameter', ['InstanceId']],
      ['missing list item field', 'TagResources', { ...base, Tag: [{ Value: 'v' }] }, 'MissingParameter', ['Tag.1.Key']],
      ['wrong enum', 'CreateVpcPeerConnection', { ...exampleParams(contract, 'CreateVpcPeerConnection'), LinkType: 'Bronze' }, 'InvalidParameter', ['LinkType']],
      ['too many tags', 'TagResources', { ...base, Tag: tag(21) }, 'NumberExceed.Tags', []],
      ['bad tag key', 'TagResources', { ...base, Tag: [{ Key: 'acs:x', Value: 'v' }] }, 'Forbidden.TagKeys', []],
      ['neither of two', 'ListTagResources', { RegionId: 'cn-hangzhou', ResourceType: 'PeerConnection' }, 'BothEmpty.TagsAndResources', []],
      ['unknown Action', 'DescribeVpcs', {}, 'InvalidAction.NotFound', []],
    ];
    for (const [name, action, params, code, fill] of table) {
      const rejection = validators.checkRequest(action, params);
      expect(rejection?.code, name).toBe(code);
      expect(rejection?.fill, name).toEqual(fill);
      if (rejection && action !== 'DescribeVpcs') expect(contract.errors.codesOf(action), name).toContain(rejection.code);
    }
  });
});

describe('checkResponse', () => {
  const paths = contract.document.paths as Record<string, { post: { responses: Record<string, unknown> } }>;
  const success = contract.deref(paths['/#Action=ListVpcPeerConnections']!.post.responses['200']) as { content: Record<string, { examples: Record<string, unknown> }> };
  const ok = contract.deref(Object.values(success.content['application/json']!.examples)[0]).value;
  it('table: planted defects are reported, documented answers pass', () => {
    const error = errorAnswer(contract.errors, 'InvalidParameter', { fill: ['X'] }).body;
    const table: Array<[string, string, number, unknown, string | undefined, string[]]> = [
      ['documented error', 'GetVpcPeerConnectionAttribute', 400, error, 'application/json', []],
      ['undocumented status (the status, and the code under it)', 'GetVpcPeerConnectionAttribute', 418, error, 'application/json', ['status', 'status']],
      ['code the Action does not document', 'GetVpcPeerConnectionAttribute', 400, { ...error, Code: 'IncorrectStatus.VpcPeer' }, 'application/json', ['code']],
      ['code under another status', 'GetVpcPeerConnectionAttribute', 400, { ...error, Code: 'InternalError' }, 'application/json', ['status']],
      ['documented success', 'ListVpcPeerConnections', 200, ok, 'application/json;charset=utf-8', []],
      ['not JSON', 'ListVpcPeerConnections', 200, ok, 'text/html', ['content-type']],
      ['a stray field', 'ListVpcPeerConnections', 200, { ...(ok as object), Stray: 1 }, undefined, ['additionalProperties']],
      ['missing required field', 'GetVpcPeerConnectionAttribute', 400, (({ Message: _m, ...rest }) => rest)(error), undefined, ['required']],
    ];
    for (const [name, action, status, body, type, rules] of table) {
      const issues = validators.checkResponse(action, status, body, type);
      expect(issues.map((i) => i.rule), name).toEqual(rules);
    }
  });
});
