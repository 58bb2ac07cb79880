// Unguarded reference cycles (a schema reaching itself through $ref/anyOf/oneOf/allOf only) sent quicktype into
// unbounded recursion: a stack overflow in the worker at any stack size. normalizeForQuicktype breaks them.
import { afterAll, describe, expect, it } from 'vitest';
import type { CodegenInput } from '../../../src/plugins/api.js';
import { createCodegenPool } from '../../../src/engine/worker/pool.js';
import { breakUnguardedCycles } from '../../../plugins/codegen-quicktype/cycles.js';
import { distUrl } from './dist.js';

/** An expression language as real specs write it: an expression is a reference, a call, or (by mistake) itself. */
const selfUnion = {
  type: 'object',
  required: ['root'],
  properties: { root: { $ref: '#/definitions/expr' }, name: { type: 'string' } },
  definitions: {
    expr: {
      anyOf: [
        { $ref: '#/definitions/expr' },
        { type: 'object', required: ['call'], properties: { call: { type: 'string' }, args: { type: 'array', items: { $ref: '#/definitions/expr' } } } },
      ],
    },
  },
};

/** Two unions that name each other: a = one of (b, string), b = one of (a, integer). */
const mutualUnion = {
  type: 'object',
  properties: { a: { $ref: '#/definitions/a' }, b: { $ref: '#/definitions/b' } },
  definitions: {
    a: { oneOf: [{ $ref: '#/definitions/b' }, { type: 'string' }] },
    b: { oneOf: [{ $ref: '#/definitions/a' }, { type: 'integer' }] },
  },
};

/** The root itself as one member of its own union. */
const rootSelfUnion = { oneOf: [{ $ref: '#' }, { type: 'object', properties: { tag: { type: 'string' } } }] };

function inputFor(schema: Record<string, unknown>, lang: string): CodegenInput {
  return { model: { name: 'expr-doc', version: '1.0.0', schema }, options: { lang }, output: 'gen/expr.out' };
}

describe('quicktype on unguarded reference cycles, in a worker with the default 4 MB stack', () => {
  const pool = createCodegenPool({ workerUrl: distUrl('src/engine/worker/worker.js'), size: 1, timeoutMs: 120_000 });
  const quicktype = { name: 'quicktype', module: distUrl('plugins/codegen-quicktype/generate.js').href };
  afterAll(() => pool.close());

  it('types a union that contains itself as its other members, keeping the recursion through items', async () => {
    const result = await pool.run(quicktype, inputFor(selfUnion, 'typescript'));
    expect(result.ok ? '' : result.reason).toBe('');
    const ts = result.ok ? result.files[0]!.content : '';
    expect(ts).toMatch(/root:\s+\w+;/);
    expect(ts).toMatch(/name\?:\s+string;/);
    expect(ts).toMatch(/call:\s+string;/);
    expect(ts).toMatch(/args\?:\s+\w+\[\];/);
  });

  it('types two unions that name each other as the union of both members', async () => {
    const result = await pool.run(quicktype, inputFor(mutualUnion, 'python'));
    expect(result.ok ? '' : result.reason).toBe('');
    const py = result.ok ? result.files[0]!.content : '';
    expect(py).toMatch(/a: int \| str \| None/);
    expect(py).toMatch(/b: int \| str \| None/);
  });

  it('types a root that is a member of its own union', async () => {
    const result = await pool.run(quicktype, inputFor(rootSelfUnion, 'go'));
    expect(result.ok ? '' : result.reason).toBe('');
    expect(result.ok ? result.files[0]!.content : '').toMatch(/Tag\s+\*string\s+`json:"tag,omitempty"`/);
  });
});

describe('breakUnguardedCycles', () => {
  it('leaves a schema without unguarded cycles as it is (recursion through properties and items included)', () => {
    const tree = { type: 'object', properties: { children: { type: 'array', items: { $ref: '#' } }, next: { $ref: '#/definitions/n' } }, definitions: { n: { anyOf: [{ $ref: '#' }, { type: 'null' }] } } };
    expect(breakUnguardedCycles(tree)).toBe(tree);
  });

  it('inlines the members of a mutual cycle and drops the references back', () => {
    const out = breakUnguardedCycles(mutualUnion) as { definitions: Record<string, unknown> };
    expect(out.definitions.a).toEqual({ oneOf: [{ allOf: [{ oneOf: [{ type: 'integer' }] }] }, { type: 'string' }] });
    expect(out.definitions.b).toEqual({ oneOf: [{ allOf: [{ oneOf: [{ type: 'string' }] }] }, { type: 'integer' }] });
    expect(mutualUnion.definitions.a).toEqual({ oneOf: [{ $ref: '#/definitions/b' }, { type: 'string' }] }); // input untouched
  });

  it('keeps references through items and properties inside an inlined member', () => {
    const out = breakUnguardedCycles(selfUnion) as { definitions: { expr: { anyOf: Array<Record<string, unknown>> } } };
    expect(out.definitions.expr.anyOf).toEqual([selfUnion.definitions.expr.anyOf[1]]);
  });
});
