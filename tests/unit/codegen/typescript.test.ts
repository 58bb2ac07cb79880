import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { MetarepoError } from '../../../src/core/errors.js';
import type { CodegenInput } from '../../../src/plugins/api.js';
import { createCodegenPool } from '../../../src/engine/worker/pool.js';
import plugin from '../../../plugins/codegen-typescript/index.js';
import { generate } from '../../../plugins/codegen-typescript/generate.js';
import { indentDeclarations } from '../../../plugins/codegen-typescript/indent.js';
import { distUrl } from './dist.js';
import { recordingPluginApi } from '../../support/plugin-api.js';
import { typeErrors } from './typecheck.js';

const DRAFT_2020 = 'https://json-schema.org/draft/2020-12/schema';

function inputFor(schema: unknown, options: Record<string, unknown> = {}): CodegenInput {
  return { model: { name: 'root', version: '1.0.0', schema: schema as Record<string, unknown> }, options, output: 'src/root.ts' };
}

async function typescriptFor(schema: unknown, options: Record<string, unknown> = {}): Promise<string> {
  const files = await generate(inputFor(schema, options));
  expect(files).toHaveLength(1);
  return files[0]!.content;
}

/**
 * Soundness cases: every `valid` instance is accepted by the schema (ajv checks) and must type-check
 * as `Root`; every `invalid` one is rejected by the schema and must be rejected by the type too
 * (proving the check can fail).
 */
const cases: Array<{ name: string; schema: Record<string, unknown> | boolean; valid: unknown[]; invalid: unknown[] }> = [
  { name: 'schema without type', schema: { description: 'anything goes' }, valid: [1, 'text', null, true, [1, 'a'], { a: { b: 1 } }], invalid: [] },
  { name: 'true schema', schema: true, valid: [0, 'x', null, { a: 1 }], invalid: [] },
  { name: 'format without type', schema: { format: 'email', minLength: 3 }, valid: ['a@b.c', 42, null], invalid: [] },
  {
    name: 'property without type',
    schema: { type: 'object', properties: { meta: { description: 'free-form' }, flag: true } },
    valid: [{ meta: 5 }, { meta: 'x', flag: [1] }, { meta: null }, {}],
    invalid: ['not an object'],
  },
  {
    name: 'tuple items with extra elements',
    schema: { type: 'array', items: [{ type: 'string' }, { type: 'number' }] },
    valid: [[], ['a'], ['a', 1], ['a', 1, true, { x: 1 }, null]],
    invalid: [[1], ['a', 'b']],
  },
  {
    name: 'closed tuple',
    schema: { type: 'array', items: [{ type: 'string' }, { type: 'number' }], additionalItems: false },
    valid: [[], ['a'], ['a', 1]],
    invalid: [['a', 1, 2]],
  },
  {
    name: '2020-12 prefixItems with items',
    schema: { $schema: DRAFT_2020, type: 'array', prefixItems: [{ type: 'string' }], items: { type: 'number' } },
    valid: [[], ['a'], ['a', 1, 2]],
    invalid: [['a', 'b'], [1]],
  },
  {
    name: '2020-12 prefixItems alone, with $defs',
    schema: { $schema: DRAFT_2020, $defs: { id: { type: 'string' } }, type: 'array', prefixItems: [{ $ref: '#/$defs/id' }] },
    valid: [['a'], ['a', {}, null, 3]],
    invalid: [[1]],
  },
  {
    name: 'nested open objects',
    schema: { type: 'object', properties: { a: { type: 'object', properties: { b: { type: 'string' } } } } },
    valid: [{}, { a: { b: 'x', extra: 1 }, other: [1, 2] }, { a: {} }],
    invalid: [{ a: { b: 1 } }, { a: 'text' }],
  },
  {
    name: 'closed object with required property',
    schema: { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'integer' }, note: { type: 'string' } } },
    valid: [{ id: 1 }, { id: 2, note: 'n' }],
    invalid: [{ id: 1, extra: true }, { note: 'n' }],
  },
  {
    name: 'typed additional properties',
    schema: { type: 'object', properties: { name: { type: 'string' } }, additionalProperties: { type: 'number' } },
    valid: [{ name: 'a', x: 1, y: 2 }],
    // Extra keys are typed `number | string` (a union with `name`'s type): wider than the schema, still sound.
    invalid: [{ name: 'a', x: true }],
  },
  {
    name: 'pattern properties leave other keys open',
    schema: { type: 'object', patternProperties: { '^x-': { type: 'string' } } },
    valid: [{ 'x-a': 's', other: 5, more: { deep: true } }],
    invalid: [],
  },
  { name: 'enum', schema: { enum: ['a', 1, null, true] }, valid: ['a', 1, null, true], invalid: ['b', 2] },
  { name: 'const', schema: { type: 'object', properties: { kind: { const: 'user' } } }, valid: [{ kind: 'user' }], invalid: [{ kind: 'group' }] },
  { name: 'nullable', schema: { type: ['string', 'null'] }, valid: ['x', null], invalid: [1] },
  {
    name: 'oneOf',
    schema: { oneOf: [{ type: 'string' }, { type: 'object', required: ['a'], properties: { a: { type: 'number' } } }] },
    valid: ['x', { a: 1 }, { a: 1, b: 2 }],
    invalid: [{ a: 's' }, 3],
  },
  {
    name: 'if/then/else as a union, with a property named deprecated in a branch',
    schema: {
      definitions: { reference: { type: 'object', required: ['$ref'], properties: { $ref: { type: 'string' } } } },
      if: { type: 'object', required: ['$ref'] },
      then: { $ref: '#/definitions/reference' },
      else: { type: 'object', required: ['in'], properties: { in: { enum: ['query', 'path'] }, deprecated: { type: 'boolean', default: false } } },
    },
    valid: [{ $ref: '#/x' }, { in: 'query', deprecated: true }, { in: 'path', extra: 1 }],
    invalid: [{ in: 'body' }, { $ref: 1 }, 'text'],
  },
  {
    name: 'if/then/else beside its own anyOf',
    schema: { anyOf: [{ type: 'string' }, { type: 'number' }], if: { type: 'string' }, then: { maxLength: 3 }, else: { minimum: 0 } },
    valid: ['abc', 5],
    invalid: [true, null],
  },
  {
    name: 'assertion-only keywords are ignored, never narrowing',
    schema: {
      type: 'object',
      properties: { a: { type: 'string', not: { enum: ['x'] } }, b: { type: 'array', contains: { type: 'number' } } },
      propertyNames: { maxLength: 3 },
      dependentSchemas: { a: { required: ['b'], properties: { deprecated: { type: 'string' } } } },
      unevaluatedProperties: false,
      if: { required: ['a'] },
      then: { properties: { deprecated: { type: 'integer' } } },
    },
    valid: [{ a: 'y', b: [1, 'x'] }, { b: [2], c: 1 }],
    invalid: [{ a: 1 }, { b: 'not an array' }],
  },
  {
    name: 'annotations that only look like keywords',
    schema: {
      type: 'object',
      deprecated: 'use v2',
      discriminator: { propertyName: 'kind', mapping: { deprecated: { deprecated: 'x' } } },
      properties: { kind: { const: { deprecated: 'no' } }, list: { type: 'array', const: [1, 2] } },
    },
    valid: [{ kind: { deprecated: 'no' } }, { list: [1, 2] }, {}],
    invalid: [{ kind: 'no' }],
  },
  {
    name: 'recursive schema',
    schema: {
      definitions: {
        node: { type: 'object', required: ['value'], properties: { value: { type: 'number' }, children: { type: 'array', items: { $ref: '#/definitions/node' } } } },
      },
      $ref: '#/definitions/node',
    },
    valid: [{ value: 1 }, { value: 1, children: [{ value: 2, children: [{ value: 3, label: 'leaf' }] }] }],
    invalid: [{ value: 1, children: [{ value: 'x' }] }],
  },
];

function validator(schema: Record<string, unknown> | boolean) {
  const is2020 = typeof schema === 'object' && schema.$schema === DRAFT_2020;
  const options = { strict: false, validateFormats: false };
  const ajv = is2020 ? new Ajv2020(options) : new Ajv(options);
  return ajv.compile(schema);
}

describe('typescript generator soundness', () => {
  it('generates types that accept every valid instance and reject the invalid ones', async () => {
    const files: Record<string, string> = {};
    for (const [i, c] of cases.entries()) {
      const validate = validator(c.schema);
      for (const v of c.valid) expect(validate(v), `${c.name}: ajv accepts ${JSON.stringify(v)}`).toBe(true);
      for (const v of c.invalid) expect(validate(v), `${c.name}: ajv rejects ${JSON.stringify(v)}`).toBe(false);
      // The checks go in the generated module itself: no module resolution in the virtual file system.
      files[`/virtual/case${i}.ts`] = [
        await typescriptFor(c.schema),
        ...c.valid.map((v, j) => `export const valid${j}: Root = ${JSON.stringify(v)};`),
        ...c.invalid.flatMap((v, j) => ['// @ts-expect-error the schema rejects this instance', `export const invalid${j}: Root = ${JSON.stringify(v)};`]),
      ].join('\n');
    }
    const errors = typeErrors(files);
    const report = Object.fromEntries(cases.map((c, i) => [c.name, errors.get(`/virtual/case${i}.ts`)]));
    expect(report).toEqual(Object.fromEntries(cases.map((c) => [c.name, []])));
  });
});

describe('typescript generator output', () => {
  it('writes one indented file at the output path under the metarepo notice', async () => {
    const files = await generate(inputFor({ type: 'object', required: ['id'], properties: { id: { type: 'string' }, tags: { type: 'array', items: { type: 'object', properties: { k: { type: 'string' } } } } } }));
    expect(files).toEqual([
      {
        path: 'src/root.ts',
        content: [
          '/* Generated by metarepo from root@1.0.0. Do not edit by hand; run metarepo generate. */',
          '',
          'export interface Root {',
          '  id: string',
          '  tags?: {',
          '    k?: string',
          '    [k: string]: unknown',
          '  }[]',
          '  [k: string]: unknown',
          '}',
          '',
        ].join('\n'),
      },
    ]);
  });

  it('is deterministic', async () => {
    const schema = cases.find((c) => c.name === 'recursive schema')!.schema;
    expect(await typescriptFor(schema)).toBe(await typescriptFor(schema));
  });

  it('uses a custom banner and, with unknownAny, any for open values', async () => {
    const code = await typescriptFor({ type: 'object', properties: { a: {} } }, { bannerComment: '// custom', unknownAny: true });
    expect(code.startsWith('// custom\n')).toBe(true);
    expect(code).toContain('a?: any');
    expect(code).not.toContain('unknown');
  });

  it('rejects options of the wrong type', async () => {
    await expect(generate(inputFor({}, { unknownAny: 'yes' }))).rejects.toThrow('Option "unknownAny" of generator typescript must be true or false.');
    await expect(generate(inputFor({}, { bannerComment: 3 }))).rejects.toBeInstanceOf(MetarepoError);
  });

  it('turns a schema the library refuses into a MetarepoError naming the model', async () => {
    const error = await generate(inputFor({ id: 'a', $id: 'b', type: 'string' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MetarepoError);
    expect((error as MetarepoError).message).toMatch(/^json-schema-to-typescript could not compile model root@1\.0\.0: .*either id or \$id/);
    expect((error as MetarepoError).hint).toContain('models/root/1.0.0.schema.json');
  });

  it('never resolves a $ref outside the bundled document', async () => {
    await expect(generate(inputFor({ $ref: 'https://example.invalid/other.json' }))).rejects.toBeInstanceOf(MetarepoError);
  });
});

describe('indentDeclarations', () => {
  it('indents by bracket depth, one level per line, ignoring brackets in strings and comments', () => {
    const code = ['export type A = ({', '/**', ' * a { b', ' */', '"x{"?: "}"', 'y?: [string, number]', '} | boolean)', ''].join('\n');
    expect(indentDeclarations(code)).toBe(
      ['export type A = ({', '  /**', '   * a { b', '   */', '  "x{"?: "}"', '  y?: [string, number]', '} | boolean)', ''].join('\n'),
    );
  });
});

describe('codegen-typescript plugin', () => {
  it('registers generator typescript 1.0.0 whose module is generate.js beside it', () => {
    const { api, registered: { codegen: registered } } = recordingPluginApi();
    void plugin.setup(api);
    expect(registered.map((g) => [g.name, g.version])).toEqual([['typescript', '1.0.0']]);
    expect(registered[0]!.module).toMatch(/^file:.*\/plugins\/codegen-typescript\/generate\.js$/);
  });

  it('runs in the codegen worker from the compiled module', async () => {
    const pool = createCodegenPool({ workerUrl: distUrl('src/engine/worker/worker.js') });
    try {
      const result = await pool.run({ name: 'typescript', module: distUrl('plugins/codegen-typescript/generate.js').href }, inputFor({ type: 'string' }));
      expect(result).toEqual({ ok: true, files: [{ path: 'src/root.ts', content: expect.stringContaining('export type Root = string\n') }] });
    } finally {
      await pool.close();
    }
  });
});
