import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelRegistry } from '../../../src/models/registry.js';
import { allRefs, caught, workspace } from './helpers.js';

const D2020 = 'https://json-schema.org/draft/2020-12/schema';

async function bundled(files: Record<string, unknown>, spec: string) {
  const registry = await ModelRegistry.load(workspace(files));
  return registry.bundle(registry.resolve(spec));
}

/** Every `$ref` of a bundle is `#` or names one of its definitions. */
function expectSelfContained(schema: Record<string, unknown>): void {
  const defs = Object.keys((schema.definitions as object | undefined) ?? {});
  for (const ref of allRefs(schema)) expect(['#', ...defs.map((d) => `#/definitions/${d}`)]).toContain(ref);
}

describe('bundle: local references', () => {
  it('rewrites #/definitions, #/$defs, escaped pointers and non-definition pointers', async () => {
    const { schema, dependencies } = await bundled(
      {
        'models/user/1.0.0.schema.json': {
          $schema: D2020,
          type: 'object',
          properties: {
            name: { $ref: '#/$defs/name' },
            slash: { $ref: '#/$defs/a~1b' },
            tilde: { $ref: '#/$defs/c~0d' },
            spaced: { $ref: '#/$defs/with%20space' },
            again: { $ref: '#/properties/name' },
            tags: { type: 'array', items: { $ref: '#/$defs/tag' } },
          },
          $defs: {
            name: { type: 'string', $comment: 'dropped' },
            'a/b': { type: 'integer' },
            'c~d': { type: 'boolean' },
            'with space': { type: 'null' },
            tag: { enum: ['a', 'b'] },
            unused: { type: 'number' },
          },
        },
      },
      'user',
    );
    expect(dependencies).toEqual([]);
    expect(schema.$schema).toBe(D2020);
    expect(schema.$defs).toBeUndefined();
    expect(Object.keys(schema.definitions as object)).toEqual(['a_b', 'c_d', 'name', 'name_2', 'tag', 'unused', 'with_space']);
    expect(schema.properties).toEqual({
      name: { $ref: '#/definitions/name' },
      slash: { $ref: '#/definitions/a_b' },
      tilde: { $ref: '#/definitions/c_d' },
      spaced: { $ref: '#/definitions/with_space' },
      again: { $ref: '#/definitions/name_2' },
      tags: { type: 'array', items: { $ref: '#/definitions/tag' } },
    });
    expect((schema.definitions as Record<string, unknown>).name).toEqual({ type: 'string' });
    // `#/properties/name` is itself a reference, hoisted as a definition of its own.
    expect((schema.definitions as Record<string, unknown>).name_2).toEqual({ $ref: '#/definitions/name' });
    expectSelfContained(schema);
  });

  it('accepts refs that generators write without percent-encoding', async () => {
    const { schema } = await bundled(
      {
        'models/ts/1.0.0.schema.json': {
          properties: { m: { $ref: '#/definitions/Record<string,any>' } },
          definitions: { 'Record<string,any>': { type: 'object' } },
        },
      },
      'ts',
    );
    expect(schema).toEqual({
      properties: { m: { $ref: '#/definitions/Record_string_any_' } },
      definitions: { 'Record_string_any_': { type: 'object' } },
    });
  });
});

describe('bundle: cross-model references', () => {
  const files = {
    'models/user/1.0.0.schema.json': {
      type: 'object',
      properties: {
        home: { $ref: '../address/1.0.0.schema.json' },
        street: { $ref: '../address/1.0.0.schema.json#/definitions/street' },
        nick: { $ref: '#/definitions/street' },
      },
      definitions: { street: { type: 'string', maxLength: 3 } },
    },
    'models/address/1.0.0.schema.json': {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { street: { $ref: '#/definitions/street' }, country: { $ref: '../country/2.0.0.schema.json' } },
      definitions: { street: { type: 'string' } },
    },
    'models/address/2.0.0.schema.json': { type: 'object' },
    'models/country/2.0.0.schema.json': { type: 'string', enum: ['NL', 'DE'] },
  };

  it('copies referenced models and their definitions under collision-free names', async () => {
    const { schema, dependencies } = await bundled(files, 'user');
    expect(dependencies.map((d) => `${d.name}@${d.version}`)).toEqual(['address@1.0.0', 'country@2.0.0']);
    const defs = schema.definitions as Record<string, Record<string, unknown>>;
    expect(Object.keys(defs)).toEqual(['address', 'address_street', 'country', 'street']);
    expect(schema.properties).toEqual({
      home: { $ref: '#/definitions/address' },
      street: { $ref: '#/definitions/address_street' },
      nick: { $ref: '#/definitions/street' },
    });
    expect(defs.street).toEqual({ type: 'string', maxLength: 3 });
    expect(defs.address_street).toEqual({ type: 'string' });
    expect(defs.address).toEqual({
      type: 'object',
      properties: { street: { $ref: '#/definitions/address_street' }, country: { $ref: '#/definitions/country' } },
    });
    expectSelfContained(schema);
  });

  it('hashes the root and every dependency', async () => {
    const a = await bundled(files, 'user');
    const b = await bundled({ ...files, 'models/country/2.0.0.schema.json': { type: 'string', enum: ['NL'] } }, 'user');
    const c = await bundled({ ...files, 'models/address/2.0.0.schema.json': { type: 'string' } }, 'user');
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.hash).not.toBe(a.hash);
    expect(c.hash).toBe(a.hash); // address@2.0.0 is not a dependency
  });

  it('is deterministic', async () => {
    const root = workspace(files);
    const other = await ModelRegistry.load(root);
    const first = JSON.stringify(other.bundle(other.resolve('user')));
    const registry = await ModelRegistry.load(root);
    const record = registry.resolve('user');
    expect(JSON.stringify(registry.bundle(record))).toBe(first);
    expect(JSON.stringify(registry.bundle(record))).toBe(first);
  });

  it('does not share objects with the registry', async () => {
    const registry = await ModelRegistry.load(workspace(files));
    const record = registry.resolve('country');
    (registry.bundle(record).schema.enum as string[]).push('XX');
    expect(record.schema.enum).toEqual(['NL', 'DE']);
  });
});

describe('bundle: $id URIs and anchors', () => {
  it('resolves absolute and relative $id URIs across models, and file refs from a model with an $id', async () => {
    const { schema, dependencies } = await bundled(
      {
        'models/user/1.0.0.schema.json': {
          $id: 'https://example.com/schemas/user.json',
          properties: {
            point: { $ref: 'https://example.com/schemas/geo.json#/definitions/point' },
            area: { $ref: 'geo.json#/definitions/area' },
            tag: { $ref: '../tag/1.0.0.schema.json' },
            urn: { $ref: 'urn:example:colour' },
          },
        },
        'models/geo/1.0.0.schema.json': {
          $id: 'https://example.com/schemas/geo.json',
          definitions: { point: { type: 'array' }, area: { type: 'array', items: { $ref: '#/definitions/point' } } },
        },
        'models/tag/1.0.0.schema.json': { type: 'string' },
        'models/colour/1.0.0.schema.json': { $id: 'urn:example:colour', enum: ['red'] },
      },
      'user',
    );
    expect(dependencies.map((d) => d.name)).toEqual(['colour', 'geo', 'tag']);
    expect(schema.$id).toBeUndefined();
    expect(schema.properties).toEqual({
      point: { $ref: '#/definitions/point' },
      area: { $ref: '#/definitions/area' },
      tag: { $ref: '#/definitions/tag' },
      urn: { $ref: '#/definitions/colour' },
    });
    expect((schema.definitions as Record<string, unknown>).area).toEqual({ type: 'array', items: { $ref: '#/definitions/point' } });
    expect((schema.definitions as Record<string, unknown>).colour).toEqual({ enum: ['red'] });
    expectSelfContained(schema);
  });

  it('changes the base URI beneath an embedded $id', async () => {
    const { schema } = await bundled(
      {
        'models/doc/1.0.0.schema.json': {
          $id: 'https://example.com/doc.json',
          properties: {
            inner: { $ref: 'inner.json' },
            leafOfInner: { $ref: 'https://example.com/inner.json#/definitions/leaf' },
            leafOfDoc: { $ref: '#/definitions/leaf' },
          },
          definitions: {
            leaf: { type: 'number' },
            box: {
              $id: 'inner.json',
              properties: { l: { $ref: '#/definitions/leaf' } },
              definitions: { leaf: { type: 'string' } },
            },
          },
        },
      },
      'doc',
    );
    const defs = schema.definitions as Record<string, Record<string, unknown>>;
    expect(Object.keys(defs)).toEqual(['box', 'leaf', 'leaf_2']);
    expect(defs.box).toEqual({ properties: { l: { $ref: '#/definitions/leaf_2' } } });
    expect(defs.leaf_2).toEqual({ type: 'string' });
    expect(schema.properties).toEqual({
      inner: { $ref: '#/definitions/box' },
      leafOfInner: { $ref: '#/definitions/leaf_2' },
      leafOfDoc: { $ref: '#/definitions/leaf' },
    });
  });

  it('resolves $anchor (2020-12) and plain-name $id fragments (draft-07)', async () => {
    const files = {
      'models/new/1.0.0.schema.json': { $schema: D2020, $ref: '#addr', $defs: { address: { $anchor: 'addr', type: 'object' } } },
      'models/old/1.0.0.schema.json': { items: { $ref: '#thing' }, definitions: { t: { $id: '#thing', type: 'string' } } },
    };
    const registry = await ModelRegistry.load(workspace(files));
    const fresh = registry.bundle(registry.resolve('new')).schema;
    expect(fresh.$ref).toBe('#/definitions/address');
    expect(fresh.definitions).toEqual({ address: { type: 'object' } });
    const old = registry.bundle(registry.resolve('old')).schema;
    expect(old).toEqual({ items: { $ref: '#/definitions/t' }, definitions: { t: { type: 'string' } } });
  });

  it('treats $dynamicRef as a $ref to the $dynamicAnchor of its resource', async () => {
    const { schema } = await bundled(
      {
        'models/oas/1.0.0.schema.json': {
          $schema: D2020,
          $id: 'https://example.com/oas',
          properties: { schema: { $dynamicRef: '#meta' } },
          $defs: { schema: { $dynamicAnchor: 'meta', type: ['object', 'boolean'] } },
        },
      },
      'oas',
    );
    expect(schema.properties).toEqual({ schema: { $ref: '#/definitions/schema' } });
    expect(schema.definitions).toEqual({ schema: { type: ['object', 'boolean'] } });
  });
});

describe('bundle: cycles', () => {
  it('keeps a self-recursive model as local references', async () => {
    const { schema } = await bundled(
      {
        'models/tree/1.0.0.schema.json': {
          type: 'object',
          properties: { children: { type: 'array', items: { $ref: '#' } }, next: { $ref: '#/definitions/node' } },
          definitions: { node: { type: 'object', properties: { next: { $ref: '#/definitions/node' }, root: { $ref: '#' } } } },
        },
      },
      'tree',
    );
    expect(schema.properties).toEqual({ children: { type: 'array', items: { $ref: '#' } }, next: { $ref: '#/definitions/node' } });
    expect(schema.definitions).toEqual({
      node: { type: 'object', properties: { next: { $ref: '#/definitions/node' }, root: { $ref: '#' } } },
    });
  });

  it('terminates for two models referencing each other', async () => {
    const files = {
      'models/person/1.0.0.schema.json': { properties: { employer: { $ref: '../company/1.0.0.schema.json' } } },
      'models/company/1.0.0.schema.json': {
        properties: { staff: { type: 'array', items: { $ref: '../person/1.0.0.schema.json' } }, ceo: { $ref: '../person/1.0.0.schema.json#/properties/employer' } },
      },
    };
    const registry = await ModelRegistry.load(workspace(files));
    const person = registry.bundle(registry.resolve('person'));
    expect(person.dependencies.map((d) => d.name)).toEqual(['company']);
    expect(person.schema).toEqual({
      properties: { employer: { $ref: '#/definitions/company' } },
      definitions: {
        company: { properties: { staff: { type: 'array', items: { $ref: '#' } }, ceo: { $ref: '#/definitions/employer' } } },
        employer: { $ref: '#/definitions/company' },
      },
    });
    const company = registry.bundle(registry.resolve('company'));
    expect(company.dependencies.map((d) => d.name)).toEqual(['person']);
    expectSelfContained(company.schema);
  });
});

describe('bundle: keyword-aware normalisation', () => {
  it('keeps properties named like keywords and drops sample-data keywords', async () => {
    const { schema } = await bundled(
      {
        'models/odd/1.0.0.schema.json': {
          title: 'Odd',
          description: 'kept',
          examples: [{ examples: 1 }],
          $comment: 'dropped',
          'x-internal': true,
          type: 'object',
          properties: {
            examples: { type: 'array', example: ['x'], items: { type: 'string' } },
            $ref: { type: 'string', default: 'kept' },
            properties: { type: 'object', patternProperties: { '^x-': { type: 'string', examples: ['x-a'] } } },
            $comment: { const: { $ref: 'not/a/reference' } },
            definitions: { enum: [{ $ref: '#/nowhere' }] },
          },
          dependencies: { examples: ['properties'], $ref: { required: ['examples'], $comment: 'dropped' } },
        },
      },
      'odd',
    );
    expect(schema).toEqual({
      title: 'Odd',
      description: 'kept',
      type: 'object',
      properties: {
        examples: { type: 'array', items: { type: 'string' } },
        $ref: { type: 'string', default: 'kept' },
        properties: { type: 'object', patternProperties: { '^x-': { type: 'string' } } },
        $comment: { const: { $ref: 'not/a/reference' } },
        definitions: { enum: [{ $ref: '#/nowhere' }] },
      },
      dependencies: { examples: ['properties'], $ref: { required: ['examples'] } },
    });
  });
});

describe('bundle: errors', () => {
  const load = (ref: string, extra: Record<string, unknown> = {}) =>
    ModelRegistry.load(
      workspace({
        'models/user/1.0.0.schema.json': `{
  "type": "object",
  "properties": {
    "p": { "$ref": ${JSON.stringify(ref)} }
  }
}`,
        'models/other/1.0.0.schema.json': { definitions: { ok: { type: 'string' } } },
        ...extra,
      }),
    );

  it('names an unknown URI, the model file and the position, and never fetches', async () => {
    const registry = await load('https://example.com/nowhere.json#/definitions/x');
    const err = await caught(() => registry.bundle(registry.resolve('user')));
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain('"https://example.com/nowhere.json#/definitions/x"');
    expect(err.message).toContain('models/user/1.0.0.schema.json');
    expect(err.message).toContain('no model in the workspace has $id "https://example.com/nowhere.json"');
    expect(err.location).toEqual({ file: path.join(registry.root, 'models/user/1.0.0.schema.json'), line: 4, column: 12 });
    expect(err.hint).toMatch(/never fetches/);
  });

  it.each([
    ['../missing/1.0.0.schema.json', 'is not a model in the workspace'],
    ['../other/1.0.0.schema.json#/definitions/nope', 'has no schema at "/definitions/nope"'],
    ['#/definitions/missing', 'has no schema at "/definitions/missing"'],
    ['#nope', 'declares no anchor "nope"'],
  ])('reports %s', async (ref, reason) => {
    const registry = await load(ref);
    const err = await caught(() => registry.bundle(registry.resolve('user')));
    expect(err.message).toContain(reason);
    expect(err.location?.line).toBe(4);
  });

  it('reports a reference that is not a URI (draft-04 does not check $ref values)', async () => {
    const registry = await ModelRegistry.load(
      workspace({
        'models/old/1.0.0.schema.json': { $schema: 'http://json-schema.org/draft-04/schema#', id: 'urn:x:old', items: { $ref: '#/definitions/%E0%A4%A' } },
      }),
    );
    const err = await caught(() => registry.bundle(registry.resolve('old')));
    expect(err.message).toContain('"#/definitions/%E0%A4%A"');
    expect(err.message).toContain('not a valid URI reference');
    expect(err.location).toMatchObject({ line: 5, column: 5 });
  });

  it('reports a file that exists outside the registry as not a model', async () => {
    const registry = await load('../../elsewhere.json', { 'elsewhere.json': { type: 'string' } });
    expect((await caught(() => registry.bundle(registry.resolve('user')))).message).toContain('not a model in the workspace');
  });
});
