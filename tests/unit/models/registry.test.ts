import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelRegistry } from '../../../src/models/registry.js';
import { caught, workspace } from './helpers.js';

const obj = (title: string) => ({ title, type: 'object', properties: { id: { type: 'string' } } });

describe('ModelRegistry.load / list / versions / get', () => {
  it('loads every model version sorted by name then semver', async () => {
    const root = workspace({
      'models/user/1.10.0.schema.json': obj('u110'),
      'models/user/1.2.0.schema.json': obj('u12'),
      'models/user/2.0.0-beta.1.schema.json': obj('u2b'),
      'models/address/1.0.0.schema.json': { $schema: 'https://json-schema.org/draft/2020-12/schema', $id: 'https://example.com/address', type: 'object' },
      'models/README.md': 'not a model',
    });
    const registry = await ModelRegistry.load(root);
    expect(registry.list().map((r) => `${r.name}@${r.version}`)).toEqual([
      'address@1.0.0',
      'user@1.2.0',
      'user@1.10.0',
      'user@2.0.0-beta.1',
    ]);
    expect(registry.versions('user')).toEqual(['1.2.0', '1.10.0', '2.0.0-beta.1']);
    expect(registry.versions('nobody')).toEqual([]);
    const address = registry.get('address', '1.0.0')!;
    expect(address).toMatchObject({
      file: path.join(root, 'models/address/1.0.0.schema.json'),
      relFile: 'models/address/1.0.0.schema.json',
      id: 'https://example.com/address',
      draft: '2020-12',
    });
    expect(address.text).toContain('"$id": "https://example.com/address"');
    expect(registry.get('user', '1.2.0')!.draft).toBe('draft-07');
    expect(registry.get('user', '9.9.9')).toBeUndefined();
  });

  it('honours a custom models folder and an empty workspace', async () => {
    const root = workspace({ 'schemas/thing/0.1.0.schema.json': obj('t') });
    expect((await ModelRegistry.load(root, { modelsDir: 'schemas' })).list().map((r) => r.relFile)).toEqual([
      'schemas/thing/0.1.0.schema.json',
    ]);
    expect((await ModelRegistry.load(root)).list()).toEqual([]);
  });

  it('accepts draft-04 and draft-06 documents', async () => {
    const root = workspace({
      'models/old/1.0.0.schema.json': { $schema: 'http://json-schema.org/draft-04/schema#', id: 'urn:old', type: 'number', minimum: 0, exclusiveMinimum: true },
      'models/mid/1.0.0.schema.json': { $schema: 'http://json-schema.org/draft-06/schema#', type: 'number', exclusiveMinimum: 0 },
    });
    const registry = await ModelRegistry.load(root);
    expect(registry.get('old', '1.0.0')).toMatchObject({ draft: 'draft-04', id: 'urn:old' });
    expect(registry.get('mid', '1.0.0')!.draft).toBe('draft-06');
  });
});

describe('ModelRegistry.resolve', () => {
  const load = () =>
    ModelRegistry.load(
      workspace(Object.fromEntries(['1.0.0', '1.2.0', '1.2.5', '2.0.0', '3.0.0-rc.1'].map((v) => [`models/user/${v}.schema.json`, obj(v)]))),
    );

  it.each([
    ['user', '2.0.0'],
    ['user@latest', '2.0.0'],
    ['user@^1.2', '1.2.5'],
    ['user@~1.2.0', '1.2.5'],
    ['user@1.0.0', '1.0.0'],
    ['user@<2', '1.2.5'],
    ['user@^3.0.0-rc.0', '3.0.0-rc.1'],
  ])('%s → %s', async (spec, version) => {
    expect((await load()).resolve(spec).version).toBe(version);
  });

  it('names the available versions when nothing matches', async () => {
    const err = await caught(async () => (await load()).resolve('user@^4'));
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain('^4');
    expect(err.hint).toContain('1.0.0, 1.2.0, 1.2.5, 2.0.0, 3.0.0-rc.1');
  });

  it('names the models there are for an unknown name, and rejects a malformed range', async () => {
    const registry = await load();
    expect((await caught(() => registry.resolve('usr@^1'))).hint).toContain('user');
    expect((await caught(() => registry.resolve('user@not a range'))).message).toContain('not a semver range');
    expect((await caught(() => registry.resolve('user@'))).message).toContain('not a semver range');
  });

  it('takes the newest pre-release for latest when there is no release', async () => {
    const registry = await ModelRegistry.load(workspace({ 'models/b/1.0.0-alpha.1.schema.json': obj('a'), 'models/b/1.0.0-alpha.2.schema.json': obj('b') }));
    expect(registry.resolve('b').version).toBe('1.0.0-alpha.2');
  });
});

describe('ModelRegistry.load errors', () => {
  it('locates an invalid keyword value at its line and column with what was expected', async () => {
    const root = workspace({
      'models/user/1.0.0.schema.json': `{
  "type": "object",
  "properties": {
    "name": { "type": "strin" }
  }
}
`,
    });
    const err = await caught(() => ModelRegistry.load(root));
    expect(err.exitCode).toBe(2);
    expect(err.location).toEqual({ file: path.join(root, 'models/user/1.0.0.schema.json'), line: 4, column: 15 });
    expect(err.message).toContain('models/user/1.0.0.schema.json');
    expect(err.message).toContain('/properties/name/type');
    expect(err.message).toMatch(/allowed values: .*string/);
    expect(err.hint).toContain('draft-07');
  });

  it('rejects a non-array "required" and an invalid regex in 2020-12', async () => {
    const root = workspace({
      'models/a/1.0.0.schema.json': `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "required": "x",
  "properties": { "p": { "pattern": "([a-z" } }
}`,
    });
    const err = await caught(() => ModelRegistry.load(root));
    expect(err.details).toHaveLength(2);
    expect(err.details[0]).toMatch(/^models\/a\/1\.0\.0\.schema\.json:3:3: .*\/required must be array/);
    expect(err.details[1]).toMatch(/^models\/a\/1\.0\.0\.schema\.json:4:26: .*\/properties\/p\/pattern must match format "regex"/);
  });

  it('allows unknown keywords', async () => {
    const root = workspace({ 'models/a/1.0.0.schema.json': { type: 'string', tsType: 'Brand<string>', 'x-internal': true } });
    expect((await ModelRegistry.load(root)).list()).toHaveLength(1);
  });

  it('collects every invalid model into one error', async () => {
    const root = workspace({
      'models/good/1.0.0.schema.json': obj('g'),
      'models/Bad_Name/1.0.0.schema.json': obj('b'),
      'models/user/v1.schema.json': obj('v'),
      'models/syntax/1.0.0.schema.json': '{ "type": "object", }',
      'models/array/1.0.0.schema.json': '[]',
      'models/future/1.0.0.schema.json': { $schema: 'https://json-schema.org/draft/2031-01/schema' },
      'models/deep/x/1.0.0.schema.json': obj('d'),
    });
    const err = await caught(() => ModelRegistry.load(root));
    expect(err.message).toMatch(/^6 problems in 6 files/);
    const details = err.details.join('\n');
    expect(details).toContain('models/Bad_Name/1.0.0.schema.json: Model name "Bad_Name"');
    expect(details).toContain('"v1" (models/user/v1.schema.json) is not a semver version');
    expect(details).toMatch(/models\/syntax\/1\.0\.0\.schema\.json:1:21: .*not valid JSON/);
    expect(details).toContain('models/array/1.0.0.schema.json:1:1: models/array/1.0.0.schema.json must hold a JSON object');
    expect(details).toMatch(/models\/future\/1\.0\.0\.schema\.json:2:3: .*unsupported \$schema/);
    expect(details).toContain('models/deep/x/1.0.0.schema.json is not at models/<name>/<version>.schema.json');
  });

  it('refuses to bundle two models with the same $id (loading them works: see drafts-and-ids.test.ts)', async () => {
    const root = workspace({
      'models/a/1.0.0.schema.json': { $id: 'https://example.com/same' },
      'models/b/1.0.0.schema.json': { $id: 'https://example.com/same#' },
    });
    const registry = await ModelRegistry.load(root);
    const err = await caught(() => registry.bundle(registry.get('b', '1.0.0')!));
    expect(err.message).toContain('same $id "https://example.com/same"');
    expect(err.message).toContain('models/a/1.0.0.schema.json');
    expect(err.message).toContain('models/b/1.0.0.schema.json');
  });
});

describe('ModelRegistry drafts', () => {
  const withId = (id: string, props: Record<string, unknown>) => ({
    $id: id,
    type: 'object',
    properties: props,
    definitions: { name: { type: 'string', maxLength: 10 } },
  });

  it('keeps draft.schema.json out of the versions and bundles it shadowing the release with its $id', async () => {
    const root = workspace({
      'models/user/1.0.0.schema.json': withId('https://example.com/user', { name: { $ref: '#/definitions/name' } }),
      'models/user/draft.schema.json': withId('https://example.com/user', { name: { $ref: '#/definitions/name' }, email: { type: 'string' } }),
    });
    const registry = await ModelRegistry.load(root);
    expect(registry.versions('user')).toEqual(['1.0.0']);
    expect(registry.resolve('user').version).toBe('1.0.0');
    expect(registry.draft('user')).toMatchObject({ name: 'user', version: 'draft', relFile: 'models/user/draft.schema.json' });
    expect(registry.draft('nobody')).toBeUndefined();
    const bundled = registry.bundleDraft('user').schema as { properties: Record<string, unknown> };
    expect(Object.keys(bundled.properties)).toEqual(['name', 'email']);
    expect(Object.keys(registry.bundle(registry.get('user', '1.0.0')!).schema.properties as object)).toEqual(['name']);
  });

  it('validates a draft like any version', async () => {
    const root = workspace({ 'models/user/draft.schema.json': { type: 'object', required: 'id' } });
    const e = await caught(() => ModelRegistry.load(root));
    expect(e.message).toContain('required');
    expect(e.location?.file).toContain('draft.schema.json');
  });
});
