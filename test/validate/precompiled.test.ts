/**
 * The build's precompiled validators (src/validate/standalone.ts → precompiled.ts): generated and
 * bundled here as `npm run build` does, they give exactly the verdicts and errors of validators
 * compiled at start-up, on documented inputs (accepted) and planted defects (refused); they are
 * used only for the document and the schemas they were compiled from.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { documentHash } from '../../src/server/hash.ts';
import { useShippedValidators } from '../../src/cli/shipped.ts';
import { bundledDocument, contract } from '../../src/contract/index.ts';
import { exampleParams, indexContract, type Contract } from '../../src/contract/model.ts';
import { CONFIG_SCHEMA } from '../../src/emulator/config.ts';
import { startupShapes } from '../../src/emulator/shapes.ts';
import { createAjv, createValidators, requestSchema } from '../../src/validate/index.ts';
import { SHAPE_OPTIONS, shapeValidators, usePrecompiledShapes, usePrecompiledValidators, type PrecompiledModule } from '../../src/validate/precompiled.ts';
import { standaloneSources } from '../../src/validate/standalone.ts';

const root = path.resolve(import.meta.dirname, '../..');
let work: string;
let precompiled: PrecompiledModule;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'vpcpeer-precompiled-'));
  const sources = standaloneSources(contract, documentHash(bundledDocument), startupShapes(contract));
  for (const [name, text] of Object.entries(sources)) await writeFile(path.join(work, name), text);
  // Bundled the way scripts/build.mjs bundles it: Ajv's runtime helpers come from node_modules.
  await build({
    entryPoints: [path.join(work, 'index.mjs')],
    outfile: path.join(work, 'precompiled.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    nodePaths: [path.join(root, 'node_modules')],
    logLevel: 'warning',
  });
  ({ precompiled } = (await import(pathToFileURL(path.join(work, 'precompiled.mjs')).href)) as { precompiled: PrecompiledModule });
}, 60_000);

afterAll(async () => {
  usePrecompiledShapes({});
  await rm(work, { recursive: true, force: true });
});

/** Planted defects for one Action: each required parameter missing, each parameter given bad values. */
function plantedRequests(c: Contract, action: string): Array<[string, Record<string, unknown>]> {
  const good = exampleParams(c, action);
  const out: Array<[string, Record<string, unknown>]> = [];
  const op = c.operations.get(action)!;
  for (const p of op.parameters) {
    if (p.placement === 'header') continue;
    if (p.required) {
      const { [p.name]: _dropped, ...rest } = good;
      out.push([`${p.name} missing`, rest]);
    }
    const bad: unknown[] = ['', 'x'.repeat(2000), -1, 2 ** 62, true, {}, [], ['x'], [{ Key: '' }], [{ Key: 'acs:k', Value: 'v' }], Array.from({ length: 25 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }))];
    for (const [i, value] of bad.entries()) out.push([`${p.name} = bad value ${i}`, { ...good, [p.name]: value }]);
  }
  return out;
}

describe('precompiled contract validators', () => {
  it('refuse and accept exactly as validators compiled at start-up, without compiling anything', () => {
    // A copy of the document: the precompiled validators are offered for that object only.
    const copy = indexContract(structuredClone(bundledDocument));
    usePrecompiledValidators(copy.document, precompiled.validators);
    const runtime = createValidators(contract);
    // Compiled now, before the spy: every Action's validator of the start-up kind.
    for (const action of contract.actions) runtime.checkRequest(action, {});
    const compile = vi.spyOn(Ajv2020.prototype, 'compile');
    try {
      const shipped = createValidators(copy);
      let refused = 0;
      for (const action of contract.actions) {
        expect(shipped.checkRequest(action, exampleParams(contract, action)), action).toBeUndefined();
        expect(runtime.checkRequest(action, exampleParams(contract, action)), action).toBeUndefined();
        for (const [name, params] of plantedRequests(contract, action)) {
          const expected = runtime.checkRequest(action, params);
          if (expected) refused += 1;
          expect(shipped.checkRequest(action, params), `${action}: ${name}`).toEqual(expected);
        }
      }
      // Not a table of accepted inputs: most plants are refused.
      expect(refused).toBeGreaterThan(200);
      expect(compile).not.toHaveBeenCalled();
    } finally {
      compile.mockRestore();
    }
  });

  it('report every error of Ajv compiled at start-up, in the same order', () => {
    const ajv = createAjv(contract);
    let errors = 0;
    for (const op of contract.operations.values()) {
      const compiled = ajv.compile(requestSchema(op));
      const shipped = precompiled.validators.request[op.action]!;
      for (const [name, params] of plantedRequests(contract, op.action)) {
        expect(shipped(params), `${op.action}: ${name}`).toBe(compiled(params));
        expect(shipped.errors ?? null, `${op.action}: ${name}`).toEqual(compiled.errors ?? null);
        errors += compiled.errors?.length ?? 0;
      }
    }
    expect(errors).toBeGreaterThan(300);
  });

  it('are not used for another document, even one with the same Actions', () => {
    const changed = structuredClone(bundledDocument) as { components: { schemas: Record<string, { enum?: string[] }> } };
    expect(changed.components.schemas.LinkType!.enum).toEqual(['Platinum', 'Gold']);
    changed.components.schemas.LinkType!.enum = ['Platinum', 'Gold', 'Bronze'];
    const other = indexContract(changed as unknown as Record<string, unknown>);
    const params = { ...exampleParams(other, 'CreateVpcPeerConnection'), LinkType: 'Bronze' };
    // The bundled contract refuses Bronze; the changed document allows it, and is validated as written.
    expect(createValidators(contract).checkRequest('CreateVpcPeerConnection', params)?.code).toBe('InvalidParameter');
    expect(createValidators(other).checkRequest('CreateVpcPeerConnection', params)).toBeUndefined();
  });

  it('the bin loader offers them only for a document with the hash they were compiled from', async () => {
    expect(await useShippedValidators(work, structuredClone(bundledDocument))).toBe(true);
    const changed = structuredClone(bundledDocument) as { info: { title: string } };
    changed.info.title += ' (edited)';
    expect(await useShippedValidators(work, changed)).toBe(false);
    expect(await useShippedValidators(path.join(work, 'nowhere'), structuredClone(bundledDocument))).toBe(false);
  });
});

/** Values to try at every top-level property of a shape, and a few whole documents. */
function plantedShapes(schema: { properties?: Record<string, unknown>; required?: string[] }): unknown[] {
  const probes: unknown[] = [null, 0, -1, 1.5, 2 ** 60, 1e308, '', 'x', '0', '123456789', 'x'.repeat(3000), true, [], [{}], ['a'], {}, { x: 1 }];
  const out: unknown[] = [null, [], 'x', {}, { unknown: 1 }];
  for (const name of Object.keys(schema.properties ?? {})) for (const value of probes) out.push({ [name]: value });
  const required = Object.fromEntries((schema.required ?? []).map((name) => [name, 'x']));
  out.push(required);
  for (const name of Object.keys(schema.properties ?? {})) for (const value of probes) out.push({ ...required, [name]: value });
  return out;
}

describe('precompiled fixed schemas (the emulator start-up shapes)', () => {
  const groups = startupShapes(contract);

  it('give the verdicts and first errors of the schemas compiled now', async () => {
    const world = JSON.parse(await readFile(path.join(root, 'fixtures', 'world.json'), 'utf8')) as unknown;
    const config = JSON.parse(await readFile(path.join(root, 'fixtures', 'emulator.config.json'), 'utf8')) as unknown;
    let valid = 0;
    let invalid = 0;
    for (const [group, schemas] of Object.entries(groups)) {
      for (const [name, schema] of Object.entries(schemas)) {
        const shipped = precompiled.shapes[`${group}/${name}`];
        expect(shipped, `${group}/${name}`).toBeDefined();
        const compiled = new Ajv2020(SHAPE_OPTIONS).compile(schema);
        const inputs = [...plantedShapes(schema as never), world, config];
        for (const input of inputs) {
          const expected = compiled(input);
          if (expected) valid += 1;
          else invalid += 1;
          expect(shipped!.validate(input), `${group}/${name} ${JSON.stringify(input).slice(0, 80)}`).toBe(expected);
          expect(shipped!.validate.errors ?? null).toEqual(compiled.errors ?? null);
        }
      }
    }
    expect(valid).toBeGreaterThan(20);
    expect(invalid).toBeGreaterThan(200);
  });

  it('are used only for the exact schema they were compiled from', () => {
    usePrecompiledShapes(precompiled.shapes);
    const same = shapeValidators('config', groups.config!);
    expect(same.config).toBe(precompiled.shapes['config/config']!.validate);
    // One changed keyword: compiled now, and it says what the changed schema says.
    const stricter = shapeValidators('config', { config: { ...CONFIG_SCHEMA, required: ['auth'] } });
    expect(stricter.config).not.toBe(precompiled.shapes['config/config']!.validate);
    expect(stricter.config({})).toBe(false);
    expect(same.config!({})).toBe(true);
    // A group the build did not precompile is compiled now.
    expect(shapeValidators('elsewhere', { config: CONFIG_SCHEMA }).config).not.toBe(precompiled.shapes['config/config']!.validate);
  });
});
