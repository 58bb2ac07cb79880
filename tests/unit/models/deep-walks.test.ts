// The depth limit of models (src/models/limits.ts) and every recursive walk over schemas at that limit: the registry
// (meta-schema check, index), bundling and normalising, the diff, the type graph and the codegen normalisers.
import { describe, expect, it } from 'vitest';
import { MetarepoError } from '../../../src/core/errors.js';
import { ModelRegistry } from '../../../src/models/registry.js';
import { diffSchemas } from '../../../src/models/diff/index.js';
import { typesReaching } from '../../../src/models/type-graph.js';
import { MAX_BUNDLED_DEPTH, MAX_MODEL_DEPTH, abbreviatePointer, findTooDeep, findTooDeepInText, isTextTooDeep } from '../../../src/models/limits.js';
import { validateSchemaDocument } from '../../../src/models/validate.js';
import { normalizeForTypescript } from '../../../plugins/codegen-typescript/normalize.js';
import { normalizeForQuicktype } from '../../../plugins/codegen-quicktype/normalize.js';
import { caught, workspace } from './helpers.js';

/** Nesting depth of a JSON value (the root container is 1, a scalar 0), computed without recursion. */
function depthOf(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    max = Math.max(max, depth);
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return max;
}

/** `levels` array schemas nested through `items` around `leaf`: depth `levels + depthOf(leaf)`. */
function nestedItems(levels: number, leaf: unknown = { type: 'string' }): Record<string, unknown> {
  let schema = leaf;
  for (let i = 0; i < levels; i++) schema = { type: 'array', items: schema };
  return schema as Record<string, unknown>;
}

/** `levels` object schemas nested through `properties` (two levels each) around `leaf`. */
function nestedProperties(levels: number, leaf: unknown = { type: 'string' }): Record<string, unknown> {
  let schema = leaf;
  for (let i = levels - 1; i >= 0; i--) schema = { type: 'object', properties: { [`p${i}`]: schema }, required: [`p${i}`] };
  return schema as Record<string, unknown>;
}

describe('finding nesting beyond a limit', () => {
  it('isTextTooDeep counts objects and arrays, not brackets inside strings', () => {
    expect(isTextTooDeep('{"a":[{"b":1}]}', 3)).toBe(false);
    expect(isTextTooDeep('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(isTextTooDeep('{"a":"[[[[{{{{","b":"\\"[[[["}', 1)).toBe(false);
    expect(isTextTooDeep('{"a\\\\":{"b":{}}}', 2)).toBe(true); // the key ends with an escaped backslash
    expect(isTextTooDeep(`${'['.repeat(1_000_000)}`, MAX_MODEL_DEPTH)).toBe(true); // no recursion, no parse
  });

  it('findTooDeepInText gives the JSON pointer and position of the first container beyond the limit', () => {
    const text = '{\n  "a": [1, "x]", {"k/~": {"deep": [true]}}],\n  "b": {}\n}';
    // Levels: root 1, a 2, a/2 3, a/2/k~1~0 4, .../deep 5.
    expect(findTooDeepInText(text, 4)).toEqual({ pointer: '/a/2/k~1~0/deep', position: { line: 2, column: 35 } });
    expect(findTooDeepInText(text, 3)).toEqual({ pointer: '/a/2/k~1~0', position: { line: 2, column: 26 } });
    expect(findTooDeepInText(text, 5)).toBeUndefined();
    expect(findTooDeepInText('\uFEFF[[[]]]', 2)).toEqual({ pointer: '/0/0', position: { line: 1, column: 3 } });
    expect(findTooDeepInText('{"a": {"b": 1}, "c": [{"d": {}}]}', 2)).toEqual({ pointer: '/c/0', position: { line: 1, column: 23 } });
  });

  it('findTooDeep walks a parsed value with bounded recursion', () => {
    expect(findTooDeep({ a: [{ b: 1 }] }, 3)).toBeUndefined();
    expect(findTooDeep({ a: [{ b: [1] }] }, 3)).toBe('/a/0/b');
    expect(findTooDeep(nestedItems(100_000), MAX_MODEL_DEPTH)).toMatch(/^(\/items){512}$/);
  });

  it('abbreviatePointer keeps the first and last segments of a long pointer', () => {
    expect(abbreviatePointer('/a/b')).toBe('/a/b');
    expect(abbreviatePointer(`/x${'/y'.repeat(20)}/z`, 2)).toBe('/x/y/…(18 more)…/y/z');
  });
});

describe('model documents beyond the depth limit', () => {
  it('validateSchemaDocument reports one located problem before parsing or meta-schema checks', () => {
    const text = JSON.stringify(nestedItems(3000), null, 1);
    const checked = validateSchemaDocument(text, 'deep.json');
    expect('problems' in checked && checked.problems).toEqual([
      {
        message: expect.stringMatching(/^deep\.json nests objects and arrays deeper than 512 levels \(at \/items\/items\/items\/items\/…\(504 more\)…\/items\/items\/items\/items\)\.$/),
        hint: expect.stringContaining('"definitions"'),
        // JSON.stringify(…, null, 1): the object at depth k opens on line 2k - 1, after k - 1 spaces and "items": .
        position: { line: 2 * 513 - 1, column: 512 + '"items": '.length + 1 },
      },
    ]);
  });

  it('the registry refuses the file with its line and column (exit 2)', async () => {
    const root = workspace({ 'models/deep/1.0.0.schema.json': nestedProperties(1000), 'models/fine/1.0.0.schema.json': { type: 'object' } });
    const err = await caught(() => ModelRegistry.load(root));
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain('models/deep/1.0.0.schema.json nests objects and arrays deeper than 512 levels');
    expect(err.location).toMatchObject({ file: expect.stringMatching(/deep\/1\.0\.0\.schema\.json$/), line: expect.any(Number), column: expect.any(Number) });
  });
});

describe('every walk at the depth limit', () => {
  // `items` nesting recurses once per level in every walk: the most stack per level of JSON.
  const items = nestedItems(MAX_MODEL_DEPTH - 2, { type: 'string', enum: ['x'] });
  const props = nestedProperties((MAX_MODEL_DEPTH - 2) / 2, { type: 'string', enum: ['x'] });

  it('the fixtures sit exactly at the limit', () => {
    expect(depthOf(items)).toBe(MAX_MODEL_DEPTH);
    expect(depthOf(props)).toBe(MAX_MODEL_DEPTH);
  });

  it('registry load, index, bundle, draft bundle, diff and type graph', async () => {
    const root = workspace({
      'models/items/1.0.0.schema.json': items,
      'models/items/draft.schema.json': nestedItems(MAX_MODEL_DEPTH - 1, { type: 'integer' }),
      'models/props/1.0.0.schema.json': { ...props, $id: 'https://example.com/props' },
      'models/outer/1.0.0.schema.json': { type: 'object', properties: { a: { $ref: 'https://example.com/props' }, b: { $ref: '../items/1.0.0.schema.json' } } },
    });
    const registry = await ModelRegistry.load(root);
    const outer = registry.bundle(registry.get('outer', '1.0.0')!).schema;
    // The referenced models moved under definitions/: two levels deeper than in their files.
    expect(depthOf(outer)).toBe(MAX_BUNDLED_DEPTH);
    expect(Object.keys(outer.definitions as object)).toEqual(['items', 'props']);
    const annotated = registry.bundle(registry.get('outer', '1.0.0')!, { annotations: true }).schema;
    expect(diffSchemas(annotated, annotated)).toEqual([]);
    const before = registry.bundle(registry.get('items', '1.0.0')!, { annotations: true }).schema;
    const after = registry.bundleDraft('items', { annotations: true }).schema;
    expect(diffSchemas(before, after).map((c) => c.rule)).toContain('TYPE_CHANGED');
    expect(typesReaching([outer], 'Outer')('props').sort()).toEqual(['Outer', 'props']);
  });

  it('the codegen normalisers', () => {
    const bundled = { type: 'object', properties: { a: { $ref: '#/definitions/d' } }, definitions: { d: items } };
    expect(depthOf(normalizeForTypescript(bundled))).toBeGreaterThanOrEqual(MAX_MODEL_DEPTH);
    expect(depthOf(normalizeForQuicktype(bundled))).toBeGreaterThanOrEqual(MAX_MODEL_DEPTH);
  });

  it('diff and type graph refuse schemas handed to them nested beyond the bundle limit', async () => {
    const deep = nestedItems(MAX_BUNDLED_DEPTH + 10);
    const err = await caught(() => diffSchemas({ type: 'string' }, deep));
    expect(err).toBeInstanceOf(MetarepoError);
    expect(err.message).toMatch(/^The new schema nests objects and arrays deeper than 514 levels \(at \/items/);
    expect((await caught(() => typesReaching([deep], 'Root'))).message).toContain('deeper than 514 levels');
  });
});
