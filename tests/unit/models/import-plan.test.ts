import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareModelAdd, type ImportSource, type ModelAddPlan } from '../../../src/models/add.js';
import { ModelRegistry } from '../../../src/models/registry.js';
import { allRefs, caught, workspace } from './helpers.js';

/** Sources for files under `<root>/in/` (path → text, or a value written as pretty JSON). */
function sources(root: string, files: Record<string, unknown>): ImportSource[] {
  return Object.entries(files).map(([rel, content]) => {
    const text = typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`;
    const file = path.join(root, 'in', rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return { file, display: `in/${rel}`, rel, text };
  });
}

/** Writes the planned files and loads the registry they make, with every model bundled (all references resolved). */
async function applied(root: string, plan: ModelAddPlan): Promise<ModelRegistry> {
  for (const f of plan.files) {
    fs.mkdirSync(path.dirname(path.join(root, f.path)), { recursive: true });
    fs.writeFileSync(path.join(root, f.path), f.content);
  }
  const registry = await ModelRegistry.load(root);
  for (const record of registry.list()) registry.bundle(record);
  return registry;
}

const schemaOf = (plan: ModelAddPlan, name: string) => JSON.parse(plan.files.find((f) => f.path === `models/${name}/1.0.0.schema.json`)!.content);

describe('prepareModelAdd: references among imported files', () => {
  it('leaves a file alone whose only references point into itself: no $id is assigned, the text is kept byte for byte', async () => {
    const root = workspace({});
    const text = '{"title":"Tree","properties":{"child":{"$ref":"#/definitions/node"}},"definitions":{"node":{"properties":{"next":{"$ref":"#/definitions/node"}}}}}\n';
    const plan = prepareModelAdd(await ModelRegistry.load(root), sources(root, { 'tree.json': text }));
    expect(plan.added.map((a) => [a.name, a.id, a.assignedId])).toEqual([['tree', undefined, false]]);
    expect(plan.files[0]!.content).toBe(text);
  });

  it('keeps references through $id, rewrites references by path to the $id of their target, assigning one where there is none', async () => {
    const root = workspace({});
    const plan = prepareModelAdd(
      await ModelRegistry.load(root),
      sources(root, {
        'order.json': { $id: 'https://x.test/s/order.json', properties: { a: { $ref: 'parts/line.json' }, b: { $ref: './customer.json#/definitions/id' } } },
        'parts/line.json': { $id: 'https://x.test/s/parts/line.json', properties: { sku: { $ref: '../sku.json' } } },
        'sku.json': { $id: 'https://x.test/s/sku.json', type: 'string' },
        'customer.json': { $schema: 'http://json-schema.org/draft-07/schema#', definitions: { id: { type: 'string' } }, properties: { home: { $ref: 'parts/place.json#city' } } },
        'parts/place.json': { $schema: 'https://json-schema.org/draft/2020-12/schema', $defs: { c: { $anchor: 'city', type: 'string' } } },
        'legacy.json': { $schema: 'http://json-schema.org/draft-04/schema#', properties: { p: { $ref: 'parts/place.json' } } },
      }),
    );
    expect(plan.missing).toEqual([]);
    expect(plan.added.map((a) => [a.name, a.id, a.assignedId])).toEqual([
      ['order', 'https://x.test/s/order.json', false],
      ['line', 'https://x.test/s/parts/line.json', false],
      ['sku', 'https://x.test/s/sku.json', false],
      ['customer', 'https://metarepo.local/models/customer/1.0.0', true],
      ['place', 'https://metarepo.local/models/place/1.0.0', true],
      ['legacy', undefined, false],
    ]);
    expect(allRefs(schemaOf(plan, 'order'))).toEqual(['parts/line.json', 'https://metarepo.local/models/customer/1.0.0#/definitions/id']);
    expect(allRefs(schemaOf(plan, 'line'))).toEqual(['../sku.json']);
    expect(allRefs(schemaOf(plan, 'customer'))).toEqual(['https://metarepo.local/models/place/1.0.0#city']);
    expect(allRefs(schemaOf(plan, 'legacy'))).toEqual(['https://metarepo.local/models/place/1.0.0']);
    expect(Object.keys(schemaOf(plan, 'customer')).slice(0, 2)).toEqual(['$schema', '$id']);
    expect(plan.added.find((a) => a.name === 'order')!.rewrittenRefs).toEqual([
      { pointer: '/properties/b/$ref', from: './customer.json#/definitions/id', to: 'https://metarepo.local/models/customer/1.0.0#/definitions/id' },
    ]);
    const registry = await applied(root, plan);
    expect(registry.bundle(registry.resolve('order')).dependencies.map((d) => d.name)).toEqual(['customer', 'line', 'sku']); // customer only for its definitions/id
  });

  it('gives a draft-04 file its `id`, and reaches an embedded $id scope a path led to', async () => {
    const root = workspace({});
    const plan = prepareModelAdd(
      await ModelRegistry.load(root),
      sources(root, {
        'old.json': { $schema: 'http://json-schema.org/draft-04/schema#', definitions: { item: { id: 'item.json', type: 'integer' } } },
        'use.json': { properties: { whole: { $ref: 'old.json' }, item: { $ref: 'item.json' } } },
      }),
    );
    const old = schemaOf(plan, 'old');
    expect(old.id).toBe('https://metarepo.local/models/old/1.0.0');
    expect(old.$id).toBeUndefined();
    expect(allRefs(schemaOf(plan, 'use'))).toEqual(['https://metarepo.local/models/old/1.0.0', 'https://metarepo.local/models/old/item.json']);
    await applied(root, plan);
  });

  it('turns a reference by path to its own document into a plain fragment', async () => {
    const root = workspace({});
    const plan = prepareModelAdd(
      await ModelRegistry.load(root),
      sources(root, { 'tree.json': { definitions: { node: { properties: { kids: { items: { $ref: 'tree.json#/definitions/node' } } } } }, properties: { root: { $ref: './tree.json' } } } }),
    );
    expect(allRefs(schemaOf(plan, 'tree'))).toEqual(['#/definitions/node', '#']);
    await applied(root, plan);
  });

  it('rewrites a path to an existing model: to its $id, or its path from the new file when it has none', async () => {
    const root = workspace({
      'models/user/1.0.0.schema.json': { type: 'object' },
      'models/role/1.0.0.schema.json': { $id: 'https://x.test/role', type: 'string' },
    });
    const plan = prepareModelAdd(
      await ModelRegistry.load(root),
      sources(root, { 'member.json': { properties: { u: { $ref: '../models/user/1.0.0.schema.json' }, r: { $ref: '../models/role/1.0.0.schema.json' } } } }),
      { name: 'member' },
    );
    expect(allRefs(schemaOf(plan, 'member'))).toEqual(['../user/1.0.0.schema.json', 'https://x.test/role']);
    await applied(root, plan);
  });
});

describe('prepareModelAdd: missing references and text', () => {
  it('lists every reference that leads nowhere with file, line, column and pointer, keeping it as written', async () => {
    const root = workspace({});
    const text = '{\n  "properties": {\n    "a": { "$ref": "./gone.json" },\n    "b": { "$ref": "#/definitions/nope" },\n    "c": { "$ref": "https://x.test/none" }\n  }\n}\n';
    const plan = prepareModelAdd(await ModelRegistry.load(root), sources(root, { 'a.json': text }));
    expect(plan.missing.map((m) => [m.file, m.line, m.column, m.pointer, m.ref])).toEqual([
      ['in/a.json', 3, 12, '/properties/a/$ref', './gone.json'],
      ['in/a.json', 4, 12, '/properties/b/$ref', '#/definitions/nope'],
      ['in/a.json', 5, 12, '/properties/c/$ref', 'https://x.test/none'],
    ]);
    expect(plan.missing[1]!.message).toBe('Cannot resolve $ref "#/definitions/nope" in in/a.json: in/a.json has no schema at "/definitions/nope".');
    expect(plan.files[0]!.content).toBe(text);
  });

  it('copies a file that needs no change byte for byte (byte-order mark dropped); rewrites one that does in its own indentation, keeping every member', async () => {
    const root = workspace({});
    const plain = '\uFEFF{ "type": "string",   "title": "B" }';
    const plan = prepareModelAdd(
      await ModelRegistry.load(root),
      sources(root, {
        'a.json': '{\n    "properties": { "b": { "$ref": "b.json" } },\n    "__proto__": { "x": 1 },\n    "const": "\\u00e9\\n"\n}',
        'b.json': { type: 'string' },
        'c.json': plain,
      }),
    );
    expect(plan.files.find((f) => f.path === 'models/c/1.0.0.schema.json')!.content).toBe(plain.slice(1) + '\n');
    const a = plan.files.find((f) => f.path === 'models/a/1.0.0.schema.json')!.content;
    expect(a).toBe(
      '{\n    "properties": {\n        "b": {\n            "$ref": "https://metarepo.local/models/b/1.0.0"\n        }\n    },\n    "__proto__": {\n        "x": 1\n    },\n    "const": "é\\n"\n}\n',
    );
  });
});

describe('prepareModelAdd: refusals, all or nothing', () => {
  it('reports every invalid file in one error, located', async () => {
    const root = workspace({});
    const err = await caught(async () =>
      prepareModelAdd(await ModelRegistry.load(root), sources(root, { 'a.json': '{\n  "type": "objekt"\n}', 'b.json': '{ "type": "string" ', 'c.json': { type: 'string' } })),
    );
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(/^2 problems in 2 files/);
    expect(err.details).toEqual([expect.stringMatching(/^in\/a\.json:2:3: .*\/type must be equal to one of the allowed values/), expect.stringMatching(/^in\/b\.json:1:\d+: in\/b\.json is not valid JSON/)]);
  });

  it('refuses two imported files with one $id, located at the second (beside the name they share)', async () => {
    const root = workspace({});
    const err = await caught(async () =>
      prepareModelAdd(await ModelRegistry.load(root), sources(root, { 'a.json': { $id: 'https://x.test/same#' }, 'b.json': { $id: 'https://x.test/same' } })),
    );
    expect(err.details).toContain('in/b.json:2:3: in/b.json has the $id "https://x.test/same" of in/a.json, which is imported too.');
  });

  it('refuses files no name tells apart, naming them', async () => {
    const root = workspace({});
    const err = await caught(async () =>
      prepareModelAdd(await ModelRegistry.load(root), sources(root, { 'a.json': { $id: 'https://x.test/thing' }, 'b.json': { $id: 'https://y.test/thing' } })),
    );
    expect(err.message).toBe('in/a.json, in/b.json would all be model "thing".');
    expect(err.hint).toContain('import them separately');
  });
});
