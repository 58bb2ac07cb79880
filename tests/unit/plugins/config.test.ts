import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validatePluginConfig } from '../../../src/plugins/config.js';
import { loadDocument } from '../../../src/core/document.js';
import { errorOf, manifest, tempDir, writePackage } from './helpers.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['port'],
  properties: { port: { type: 'integer' }, host: { type: 'string', default: 'localhost' }, url: { type: 'string', format: 'uri' } },
};
const withSchema = manifest('my-plugin', { configSchema: schema });
const yaml = (text: string) => loadDocument(text, 'metarepo.yaml', 'yaml');
const config = (doc: ReturnType<typeof yaml>) => (doc.value as { plugins: Record<string, { config?: Record<string, unknown> }> }).plugins['my-plugin'].config;

describe('validatePluginConfig', () => {
  it('returns the config as is when the plugin has no schema', async () => {
    expect(await validatePluginConfig({ manifest: manifest('plain'), config: { anything: true } })).toEqual({ anything: true });
    expect(await validatePluginConfig({ manifest: manifest('plain'), config: undefined })).toEqual({});
  });

  it("applies the schema's defaults to a copy", async () => {
    const given = { port: 80 };
    expect(await validatePluginConfig({ manifest: withSchema, config: given })).toEqual({ port: 80, host: 'localhost' });
    expect(given).toEqual({ port: 80 });
  });

  it('reports every violation with metarepo.yaml line and column and the plugin name', async () => {
    const doc = yaml('version: 1\nname: acme\nplugins:\n  my-plugin:\n    path: ./p\n    config:\n      port: "eighty"\n      url: "not a uri"\n      extra: 1\n');
    const e = await errorOf(() => validatePluginConfig({ manifest: withSchema, config: config(doc), document: doc }));
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe('Plugin my-plugin: invalid configuration in metarepo.yaml: unknown property "extra" at /plugins/my-plugin/config.');
    expect(e.location).toEqual({ file: 'metarepo.yaml', line: 9, column: 7 });
    expect(e.details).toEqual([
      'metarepo.yaml:9:7: unknown property "extra" at /plugins/my-plugin/config',
      'metarepo.yaml:7:13: /plugins/my-plugin/config/port must be integer',
      'metarepo.yaml:8:12: /plugins/my-plugin/config/url must match format "uri"',
    ]);
    expect(e.hint).toContain(path.join(withSchema.dir, 'package.json'));
  });

  it('a missing config with required properties points at the plugin entry', async () => {
    const doc = yaml('version: 1\nname: acme\nplugins:\n  my-plugin:\n    path: ./p\n');
    const e = await errorOf(() => validatePluginConfig({ manifest: withSchema, config: undefined, document: doc }));
    expect(e.message).toContain("/plugins/my-plugin/config must have required property 'port'");
    expect(e.location).toEqual({ file: 'metarepo.yaml', line: 5, column: 5 });
  });

  it('names the package.json when the configSchema itself is invalid', async () => {
    const dir = writePackage(path.join(tempDir(), 'bad-schema'), '{\n  "name": "bad-schema",\n  "version": "1.0.0",\n  "metarepo": {\n    "engines": { "metarepo": "*" },\n    "configSchema": { "type": "nonsense" }\n  }\n}');
    const e = await errorOf(() => validatePluginConfig({ manifest: manifest('bad-schema', { dir, configSchema: { type: 'nonsense' } }), config: {} }));
    expect(e.message).toMatch(/^Plugin bad-schema has an invalid configSchema: /);
    expect(e.location).toEqual({ file: path.join(dir, 'package.json'), line: 6, column: 21 });
  });
});
