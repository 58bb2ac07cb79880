// Issue 14, items 4, 4b (the registry's part) and 8: the official meta-schemas resolve offline, draft 2019-09 is
// supported like 2020-12, draft-04 is recognised by its `id`, duplicate `$id`s are all reported at once while the
// rest of the workspace stays usable, and versions of a model may embed subschemas with the same `$id`.
import { describe, expect, it } from 'vitest';
import { ModelRegistry } from '../../../src/models/registry.js';
import { caught, workspace } from './helpers.js';

const META_URIS = [
  'http://json-schema.org/draft-04/schema#',
  'http://json-schema.org/draft-06/schema#',
  'http://json-schema.org/draft-07/schema#',
  'https://json-schema.org/draft/2019-09/schema',
  'https://json-schema.org/draft/2020-12/schema',
];

describe('built-in meta-schemas', () => {
  it.each(META_URIS)('a $ref to %s resolves offline, without adding it as a model', async (uri) => {
    const root = workspace({
      'models/plugin-config/1.0.0.schema.json': { $id: 'https://example.com/plugin-config', type: 'object', properties: { schema: { $ref: uri } } },
    });
    const registry = await ModelRegistry.load(root);
    expect(registry.list().map((r) => r.name)).toEqual(['plugin-config']);
    const bundled = registry.bundle(registry.get('plugin-config', '1.0.0')!);
    const ref = (bundled.schema.properties as Record<string, { $ref: string }>).schema.$ref;
    expect(ref).toMatch(/^#\/definitions\//);
    const definition = (bundled.schema.definitions as Record<string, Record<string, unknown>>)[ref.slice('#/definitions/'.length)];
    expect(definition).toBeDefined();
    // The meta-schema describes a schema: an object whose `properties` holds schemas (directly or through a vocabulary).
    expect(JSON.stringify(definition)).toContain('properties');
  });

  it('a workspace model with a meta-schema $id takes precedence over the built-in copy', async () => {
    const root = workspace({
      'models/my-meta/1.0.0.schema.json': { $id: 'http://json-schema.org/draft-07/schema#', title: 'Mine', type: 'object' },
      'models/user/1.0.0.schema.json': { type: 'object', properties: { s: { $ref: 'http://json-schema.org/draft-07/schema#' } } },
    });
    const registry = await ModelRegistry.load(root);
    const bundled = registry.bundle(registry.get('user', '1.0.0')!);
    expect(bundled.dependencies.map((d) => d.name)).toEqual(['my-meta']);
  });
});

describe('drafts', () => {
  it('loads draft 2019-09 models and checks them against the 2019-09 meta-schema', async () => {
    const root = workspace({
      'models/event/1.0.0.schema.json': {
        $schema: 'https://json-schema.org/draft/2019-09/schema',
        $id: 'https://example.com/event',
        type: 'object',
        $defs: { when: { type: 'string', format: 'date-time' } },
        properties: { at: { $ref: '#/$defs/when' }, tags: { type: 'array', items: { type: 'string' } } },
        dependentRequired: { at: ['tags'] },
      },
    });
    const registry = await ModelRegistry.load(root);
    expect(registry.get('event', '1.0.0')!.draft).toBe('2019-09');
    expect(registry.bundle(registry.get('event', '1.0.0')!).schema.definitions).toHaveProperty('when');
    const bad = workspace({ 'models/event/1.0.0.schema.json': { $schema: 'https://json-schema.org/draft/2019-09/schema', type: 'strin' } });
    const err = await caught(() => ModelRegistry.load(bad));
    expect(err.message).toContain('not a valid JSON Schema (2019-09)');
  });

  it('recognises draft-04 by its `id` when $schema is absent: a boolean exclusiveMaximum is valid there', async () => {
    const root = workspace({
      'models/legacy/1.0.0.schema.json': { id: 'http://example.com/legacy#', type: 'object', properties: { n: { type: 'number', maximum: 10, exclusiveMaximum: true } } },
    });
    const registry = await ModelRegistry.load(root);
    expect(registry.get('legacy', '1.0.0')!).toMatchObject({ draft: 'draft-04', id: 'http://example.com/legacy#' });
  });
});

describe('duplicate $ids', () => {
  it('are reported all at once; models not involved stay usable and only the models involved fail', async () => {
    const root = workspace({
      'models/a/1.0.0.schema.json': { $id: 'https://example.com/one', type: 'object' },
      'models/b/1.0.0.schema.json': { $id: 'https://example.com/one#', type: 'object' },
      'models/c/1.0.0.schema.json': { $id: 'https://example.com/two', type: 'object' },
      'models/d/1.0.0.schema.json': { $id: 'https://example.com/two', type: 'object' },
      'models/e/1.0.0.schema.json': { type: 'object', definitions: { x: { $id: 'https://example.com/three', type: 'string' } } },
      'models/f/1.0.0.schema.json': { type: 'object', definitions: { y: { $id: 'https://example.com/three', type: 'integer' } } },
      'models/fine/1.0.0.schema.json': { $id: 'https://example.com/fine', type: 'object', properties: { n: { type: 'integer' } } },
    });
    const registry = await ModelRegistry.load(root);
    expect(registry.list().map((r) => r.name)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'fine']);
    expect(registry.duplicateIds().map((d) => d.uri)).toEqual(['https://example.com/one', 'https://example.com/three', 'https://example.com/two']);
    expect(registry.duplicateIds()[0]!.files).toEqual(['models/a/1.0.0.schema.json', 'models/b/1.0.0.schema.json']);
    expect(registry.bundle(registry.get('fine', '1.0.0')!).schema).toMatchObject({ properties: { n: { type: 'integer' } } });
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f']) {
      const err = await caught(() => registry.bundle(registry.get(name, '1.0.0')!));
      expect(err.message).toContain('same $id');
      expect(err.exitCode).toBe(2);
    }
  });

  it('between versions of one model, for embedded subschemas, are allowed: each version resolves its own', async () => {
    const embedded = (type: string) => ({ $id: 'http://example.com/embedded/meta', type });
    const root = workspace({
      'models/spec/1.0.0.schema.json': { $id: 'https://example.com/spec/1.0.0', type: 'object', properties: { m: { $ref: 'http://example.com/embedded/meta' } }, definitions: { meta: embedded('string') } },
      'models/spec/1.1.0.schema.json': { $id: 'https://example.com/spec/1.1.0', type: 'object', properties: { m: { $ref: 'http://example.com/embedded/meta' } }, definitions: { meta: embedded('integer') } },
    });
    const registry = await ModelRegistry.load(root);
    expect(registry.duplicateIds()).toEqual([]);
    const typeOf = (version: string) => {
      const b = registry.bundle(registry.get('spec', version)!).schema as { definitions: Record<string, { type: string }> };
      return b.definitions.meta!.type;
    };
    expect([typeOf('1.0.0'), typeOf('1.1.0')]).toEqual(['string', 'integer']);
  });
});
