import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listTemplateLocations } from '../../../src/templates/catalog.js';
import { loadTemplateManifest, validateFixtures } from '../../../src/templates/manifest.js';
import { PACKAGE_ROOT } from '../../../src/core/package-root.js';
import { manifestYaml, metarepoError, tempWorkspace } from './helpers.js';

/** A template folder `templates/<name>/` holding `yaml` as its template.yaml; returns [root, dir]. */
function folder(name: string, yaml: string): [string, string] {
  const root = tempWorkspace({ [`templates/${name}/template.yaml`]: yaml });
  return [root, path.join(root, 'templates', name)];
}

describe('loadTemplateManifest', () => {
  it('returns the typed manifest with its version, generator defaulted to the name, data and checks normalised', async () => {
    const [root, dir] = folder(
      'card',
      manifestYaml('card', {
        variables: '    size: { type: string, enum: [s, m], default: m }',
        extra: 'data:\n  slug:\n    from: [name]\nchecks:\n  - tsc\n  - { check: json, files: ["**/*.json"] }\n  - { command: node --test, cwd: "out/{{kebabCase name}}" }',
      }),
    );
    const m = await loadTemplateManifest(dir, { root });
    expect(m).toMatchObject({ name: 'card', version: '1.2.3', generator: 'card', description: 'The card template.', dir, file: 'templates/card/template.yaml' });
    expect(Object.keys(m.variables.properties)).toEqual(['name', 'size']);
    expect(m.data).toEqual({ slug: { from: ['name'] } });
    expect(Object.keys(m.fixtures)).toEqual(['one', 'two']);
    expect(m.checks).toEqual([{ kind: 'tsc' }, { kind: 'json', files: ['**/*.json'] }, { kind: 'command', command: 'node --test', cwd: 'out/{{kebabCase name}}' }]);
    expect(m.document.locate('/fixtures/two')).toMatchObject({ file: 'templates/card/template.yaml', line: 14 });
  });

  it('reports a meta-model violation with file, line and column, every one in details', async () => {
    const yaml = manifestYaml('card', { extra: 'colour: blue\nchecks:\n  - eslint' }).replace('version: 1.2.3\n', '');
    const [root, dir] = folder('card', yaml);
    const err = await metarepoError(loadTemplateManifest(dir, { root }));
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain('templates/card/template.yaml is not a valid template manifest');
    const lines = yaml.split('\n');
    expect(err.details).toEqual(
      expect.arrayContaining([
        `templates/card/template.yaml:1:1: (root) must have required property 'version'`,
        `templates/card/template.yaml:${lines.indexOf('colour: blue') + 1}:1: unknown property "colour" at (root)`,
      ]),
    );
    expect(err.details.some((d) => d.startsWith(`templates/card/template.yaml:${lines.indexOf('  - eslint') + 1}:5:`))).toBe(true);
  });

  it('refuses a name other than the folder, a version that is not semver, and required variables that do not exist', async () => {
    const yaml = manifestYaml('other', { extra: '' }).replace('version: 1.2.3', 'version: "1.2"').replace('required: [name]', 'required: [name, ghost]');
    const [root, dir] = folder('card', yaml);
    const err = await metarepoError(loadTemplateManifest(dir, { root }));
    expect(err.details).toEqual([
      // "1.2" already fails the meta-model's semver pattern, so only structural errors are reported for it.
      'templates/card/template.yaml:2:10: /version must match pattern "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$"',
    ]);
    const [root2, dir2] = folder('card', manifestYaml('other').replace('required: [name]', 'required: [name, ghost]'));
    const err2 = await metarepoError(loadTemplateManifest(dir2, { root: root2 }));
    expect(err2.details).toEqual([
      'templates/card/template.yaml:1:7: name "other" differs from the folder name "card"',
      'templates/card/template.yaml:6:20: required variable "ghost" is not among variables.properties',
    ]);
  });

  it('a YAML syntax error names its line', async () => {
    const [root, dir] = folder('card', 'name: card\nversion: [1.0.0\n');
    const err = await metarepoError(loadTemplateManifest(dir, { root }));
    expect(err.message).toContain('is not valid YAML');
    expect(err.location).toMatchObject({ file: 'templates/card/template.yaml' });
    expect(err.location?.line).toBeGreaterThan(1);
  });

  it('a variables schema that does not compile is located at /variables', async () => {
    const [root, dir] = folder('card', manifestYaml('card', { variables: '    size: { type: strnig }' }));
    const err = await metarepoError(loadTemplateManifest(dir, { root }));
    expect(err.message).toContain('does not compile');
    expect(err.location).toEqual({ file: 'templates/card/template.yaml', line: 5, column: 3 });
  });

  it('a missing template.yaml is bad input naming the file', async () => {
    const root = tempWorkspace({ 'templates/card/x.hbs': '' });
    const err = await metarepoError(loadTemplateManifest(path.join(root, 'templates/card'), { root }));
    expect(err.message).toBe('Cannot read templates/card/template.yaml.');
  });
});

describe('validateFixtures', () => {
  it('locates each violation at the fixture value in template.yaml', async () => {
    const fixtures = '  ok:\n    name: Fine\n  bad:\n    name: 9 lives\n    size: xl\n  empty: {}';
    const [root, dir] = folder('card', manifestYaml('card', { variables: '    size: { type: string, enum: [s, m] }', fixtures }));
    const problems = await validateFixtures(await loadTemplateManifest(dir, { root }));
    expect(problems.map((p) => `${p.location.line}:${p.location.column} ${p.message}`)).toEqual([
      '14:11 fixture "bad": /name must match pattern "^[A-Za-z][A-Za-z0-9 ]*$"',
      '15:11 fixture "bad": /size must be equal to one of the allowed values ("s", "m")',
      "16:10 fixture \"empty\": must have required property 'name'",
    ]);
  });
});

describe('built-in templates', () => {
  const builtins = listTemplateLocations(null);

  it('are the five templates of the built-in generators, found in metarepo\'s package', () => {
    expect(builtins.map((t) => [t.name, t.source, t.home])).toEqual(
      ['generator', 'model', 'node-service', 'plugin', 'ts-library'].map((n) => [n, 'builtin', PACKAGE_ROOT]),
    );
  });

  for (const t of builtins) {
    it(`${t.name}: template.yaml is valid, names its generator, has ≥ 2 valid fixtures and committed snapshots of each`, async () => {
      const m = await loadTemplateManifest(t.dir, { root: t.home });
      expect(m.generator).toBe(t.name);
      expect(Object.keys(m.fixtures).length).toBeGreaterThanOrEqual(2);
      expect(await validateFixtures(m)).toEqual([]);
      expect(m.checks.length).toBeGreaterThan(0);
      for (const f of Object.keys(m.fixtures)) expect(fs.readdirSync(path.join(PACKAGE_ROOT, 'snapshots', t.name, f)).length).toBeGreaterThan(0);
    });
  }
});
