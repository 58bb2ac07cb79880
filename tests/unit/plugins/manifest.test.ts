import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPluginManifest, tryReadPluginManifest } from '../../../src/plugins/manifest.js';
import { errorOf, tempDir, writePackage, writePlugin } from './helpers.js';

describe('readPluginManifest', () => {
  it('normalises a minimal manifest: empty contributions, default permissions and isolation, index.js', async () => {
    const dir = writePlugin(path.join(tempDir(), 'p'), 'minimal');
    const m = await readPluginManifest(dir, 'path');
    expect(m).toEqual({
      name: 'minimal',
      version: '1.0.0',
      dir,
      source: 'path',
      main: path.join(dir, 'index.js'),
      engines: { metarepo: '^0.1.0' },
      dependencies: {},
      optionalDependencies: {},
      contributes: { generators: [], scaffolds: [], checks: [], commands: [], events: [], patterns: [], pages: [] },
      activationEvents: [],
      permissions: { write: [], childProcess: false, network: false },
      isolation: 'in-process',
    });
  });

  it('keeps every declared field and resolves metarepo.main against the package', async () => {
    const dir = writePlugin(path.join(tempDir(), 'full'), 'full', {
      main: './dist/plugin.js',
      dependencies: { base: '^1.0.0' },
      optionalDependencies: { extra: '>=2' },
      configSchema: { type: 'object' },
      contributes: { generators: ['gen'], checks: ['chk'], commands: [{ name: 'hello', description: 'says hello' }], events: ['full:thing:done'] },
      activationEvents: ['onEvent:core:file:*'],
      permissions: { write: ['out'], childProcess: true },
      isolation: 'process',
    });
    const m = await readPluginManifest(dir, 'workspace');
    expect(m.main).toBe(path.join(dir, 'dist/plugin.js'));
    expect(m.dependencies).toEqual({ base: '^1.0.0' });
    expect(m.optionalDependencies).toEqual({ extra: '>=2' });
    expect(m.configSchema).toEqual({ type: 'object' });
    expect(m.contributes).toEqual({ generators: ['gen'], scaffolds: [], checks: ['chk'], commands: [{ name: 'hello', description: 'says hello' }], events: ['full:thing:done'], patterns: [], pages: [] });
    expect(m.activationEvents).toEqual(['onEvent:core:file:*']);
    expect(m.permissions).toEqual({ write: ['out'], childProcess: true, network: false });
    expect(m.isolation).toBe('process');
  });

  it("falls back to the package's main", async () => {
    const dir = writePackage(path.join(tempDir(), 'm'), { name: 'm', version: '1.0.0', main: 'lib/main.js', metarepo: { engines: { metarepo: '*' } } });
    expect((await readPluginManifest(dir, 'npm')).main).toBe(path.join(dir, 'lib/main.js'));
  });

  it('a package.json without a metarepo field is not a plugin', async () => {
    const dir = writePackage(path.join(tempDir(), 'lib'), { name: 'lib', version: '1.0.0' });
    expect(await tryReadPluginManifest(dir, 'workspace')).toBeNull();
    const e = await errorOf(() => readPluginManifest(dir, 'path'));
    expect(e.message).toMatch(/has no "metarepo" field/);
    expect(e.location?.file).toBe(path.join(dir, 'package.json'));
  });

  it('reports every schema violation of the metarepo field with the package.json line and column', async () => {
    const dir = writePackage(
      path.join(tempDir(), 'bad'),
      [
        '{',
        '  "name": "bad",',
        '  "version": "1.0.0",',
        '  "metarepo": {',
        '    "engines": { "metarepo": "^0.1.0" },',
        '    "isolation": "thread",',
        '    "contributes": { "extra": [] }',
        '  }',
        '}',
      ].join('\n'),
    );
    const e = await errorOf(() => readPluginManifest(dir, 'workspace'));
    const file = path.join(dir, 'package.json');
    expect(e.exitCode).toBe(2);
    // ajv reports in the schema's property order: contributes before isolation.
    expect(e.location).toEqual({ file, line: 7, column: 22 });
    expect(e.message).toContain('unknown property "extra" at /metarepo/contributes');
    expect(e.details).toEqual([
      `${file}:7:22: unknown property "extra" at /metarepo/contributes`,
      `${file}:6:18: /metarepo/isolation must be equal to one of the allowed values ("in-process", "process")`,
    ]);
  });

  it('points at the metarepo object when engines is missing', async () => {
    const dir = writePackage(path.join(tempDir(), 'noeng'), '{\n  "name": "noeng",\n  "version": "1.0.0",\n  "metarepo": {}\n}');
    const e = await errorOf(() => readPluginManifest(dir, 'workspace'));
    expect(e.message).toContain("must have required property 'engines'");
    expect(e.location).toMatchObject({ line: 4, column: 15 });
  });

  it('requires a semver version in package.json', async () => {
    const dir = writePackage(path.join(tempDir(), 'v'), '{\n  "name": "v",\n  "version": "1.0",\n  "metarepo": { "engines": { "metarepo": "*" } }\n}');
    const e = await errorOf(() => readPluginManifest(dir, 'workspace'));
    expect(e.message).toContain('/version must be a semver version');
    expect(e.location).toMatchObject({ line: 3, column: 14 });
  });

  it('reports a JSON syntax error with its position', async () => {
    const dir = writePackage(path.join(tempDir(), 'syntax'), '{\n  "name": "s",\n  "version": "1.0.0"\n  "metarepo": {}\n}');
    const e = await errorOf(() => readPluginManifest(dir, 'workspace'));
    expect(e.message).toMatch(/not valid JSON/);
    expect(e.location?.file).toBe(path.join(dir, 'package.json'));
    expect(e.location?.line).toBeGreaterThanOrEqual(3);
  });

  it('names the package.json it cannot read', async () => {
    const dir = path.join(tempDir(), 'missing');
    const e = await errorOf(() => readPluginManifest(dir, 'path'));
    expect(e.message).toBe(`Cannot read ${path.join(dir, 'package.json')}.`);
  });
});
