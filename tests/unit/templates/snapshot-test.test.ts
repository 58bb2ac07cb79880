import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareWithSnapshot, readSnapshot, writeSnapshot } from '../../../src/templates/snapshot.js';
import { templatePassed, testTemplate } from '../../../src/templates/snapshot-test.js';
import { catalogOf, diskState, manifestYaml, metarepoError, tempWorkspace, templateWorkspace } from './helpers.js';
import { BIN, metarepoAsync } from '../../e2e/cli.js';

const FILES = {
  '{{kebabCase name}}.ts.hbs': 'export const {{camelCase name}} = {{json name}};\n',
  'README.md.hbs': '# {{titleCase name}}\n',
};

const run = (root: string, opts: Parameters<typeof testTemplate>[2] = {}) => {
  const { catalog, template } = catalogOf(root, 'card');
  return testTemplate(template, catalog, opts);
};

const edit = (root: string, rel: string, content: string | null) => {
  const abs = path.join(root, 'templates/card/files', rel);
  if (content === null) fs.rmSync(abs);
  else fs.writeFileSync(abs, content);
};

describe('testTemplate', () => {
  it('writes the snapshots of new fixtures on the first run and reports them', async () => {
    const root = templateWorkspace('card', FILES);
    const o = await run(root);
    expect(o.fixtures.map((f) => [f.fixture, f.status, f.files, f.snapshot])).toEqual([
      ['one', 'written', 2, 'snapshots/card/one'],
      ['two', 'written', 2, 'snapshots/card/two'],
    ]);
    expect(templatePassed(o)).toBe(true);
    const snap = diskState(path.join(root, 'snapshots/card'));
    expect(snap).toEqual({
      'one/out/first-one/README.md': '# First One\n',
      'one/out/first-one/first-one.ts': 'export const firstOne = "First One";\n',
      'two/out/second/README.md': '# Second\n',
      'two/out/second/second.ts': 'export const second = "Second";\n',
    });
    // Rendering never touches the workspace beyond the snapshots it writes.
    expect(Object.keys(diskState(root)).filter((f) => !f.startsWith('snapshots/') && !f.startsWith('templates/') && !f.startsWith('generators/'))).toEqual([]);
    expect((await run(root)).fixtures.map((f) => f.status)).toEqual(['passed', 'passed']);
  });

  it('a template change fails with a readable unified diff; update fixes it', async () => {
    const root = templateWorkspace('card', FILES);
    await run(root);
    edit(root, 'README.md.hbs', '# {{titleCase name}}\n\nBy the card template.\n');
    const failed = await run(root);
    expect(templatePassed(failed)).toBe(false);
    const one = failed.fixtures[0];
    expect(one.status).toBe('failed');
    expect(one.diffs.map((d) => [d.path, d.kind])).toEqual([['out/first-one/README.md', 'changed']]);
    expect(one.changes).toEqual({ changed: ['out/first-one/README.md'], added: [], removed: [] });
    expect(one.diffs[0].patch).toBe(
      [
        '--- a/snapshots/card/one/out/first-one/README.md',
        '+++ b/snapshots/card/one/out/first-one/README.md',
        '@@ -1,1 +1,3 @@',
        ' # First One',
        '+',
        '+By the card template.',
        '',
      ].join('\n'),
    );
    // Nothing was written by the failing run.
    expect(fs.readFileSync(path.join(root, 'snapshots/card/one/out/first-one/README.md'), 'utf8')).toBe('# First One\n');

    const updated = await run(root, { update: true });
    expect(updated.fixtures.map((f) => f.status)).toEqual(['updated', 'updated']);
    expect(updated.fixtures[0].diffs).toHaveLength(1);
    expect(templatePassed(updated)).toBe(true);
    expect(fs.readFileSync(path.join(root, 'snapshots/card/one/out/first-one/README.md'), 'utf8')).toBe('# First One\n\nBy the card template.\n');
    expect((await run(root)).fixtures.map((f) => f.status)).toEqual(['passed', 'passed']);
  });

  it('catches a removed file and an added file, and update deletes the one no longer rendered', async () => {
    const root = templateWorkspace('card', FILES);
    await run(root);
    edit(root, 'README.md.hbs', null);
    edit(root, 'LICENSE.txt.hbs', 'MIT for {{name}}\n');
    const o = await run(root, { fixture: 'two' });
    expect(o.fixtures).toHaveLength(1);
    expect(o.fixtures[0].diffs.map((d) => [d.path, d.kind])).toEqual([
      ['out/second/LICENSE.txt', 'added'],
      ['out/second/README.md', 'removed'],
    ]);
    expect(o.fixtures[0].diffs[0].patch).toContain('--- /dev/null\n+++ b/snapshots/card/two/out/second/LICENSE.txt\n');
    expect(o.fixtures[0].diffs[1].patch).toContain('--- a/snapshots/card/two/out/second/README.md\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-# Second\n');
    const u = await run(root, { update: true });
    // What the update did, by file.
    expect(u.fixtures.map((f) => [f.status, f.changes])).toEqual([
      ['updated', { changed: [], added: ['out/first-one/LICENSE.txt'], removed: ['out/first-one/README.md'] }],
      ['updated', { changed: [], added: ['out/second/LICENSE.txt'], removed: ['out/second/README.md'] }],
    ]);
    expect(Object.keys(diskState(path.join(root, 'snapshots/card/two')))).toEqual(['out/second/LICENSE.txt', 'out/second/second.ts']);
  });

  it('snapshots of a fixture template.yaml dropped are obsolete until update removes them', async () => {
    const root = templateWorkspace('card', FILES);
    await run(root);
    fs.writeFileSync(path.join(root, 'templates/card/template.yaml'), manifestYaml('card', { fixtures: '  one:\n    name: First One' }));
    const o = await run(root);
    expect(o.obsolete).toEqual(['snapshots/card/two']);
    expect(templatePassed(o)).toBe(false);
    const u = await run(root, { update: true });
    expect(u.obsoleteRemoved).toBe(true);
    expect(fs.existsSync(path.join(root, 'snapshots/card/two'))).toBe(false);
    expect(templatePassed(await run(root))).toBe(true);
  });

  it('in CI mode a missing snapshot fails instead of being written', async () => {
    const root = templateWorkspace('card', FILES);
    const o = await run(root, { ci: true });
    expect(o.fixtures.map((f) => f.status)).toEqual(['missing', 'missing']);
    expect(fs.existsSync(path.join(root, 'snapshots'))).toBe(false);
  });

  it('an explicit update wins over CI mode, as vitest -u does: the missing snapshots are written', async () => {
    const root = templateWorkspace('card', FILES);
    const o = await run(root, { ci: true, update: true });
    expect(o.fixtures.map((f) => f.status)).toEqual(['written', 'written']);
    expect(templatePassed(o)).toBe(true);
    expect(fs.readFileSync(path.join(root, 'snapshots/card/two/out/second/README.md'), 'utf8')).toBe('# Second\n');
  });

  it('a render error is the fixture\'s outcome, with the template file, line and column', async () => {
    const root = templateWorkspace('card', { ...FILES, 'bad.txt.hbs': 'ok\n{{#each name}}\n' });
    const o = await run(root);
    expect(o.fixtures[0]).toMatchObject({ status: 'error', ok: false });
    expect(o.fixtures[0].error?.location).toEqual({ file: 'templates/card/files/bad.txt.hbs', line: 3, column: 1 });
  });

  it('refuses fixtures that break the variables schema (bad input, located in template.yaml)', async () => {
    const root = templateWorkspace('card', FILES, { manifest: manifestYaml('card', { fixtures: '  one:\n    name: 42' }) });
    const err = await metarepoError(run(root));
    expect(err.exitCode).toBe(2);
    expect(err.location).toEqual({ file: 'templates/card/template.yaml', line: 11, column: 11 });
    expect(err.message).toContain('fixture "one": /name must be string');
  });

  it('output is deterministic: two CLI processes with other time zones, locales and working folders write the same bytes', async () => {
    expect(fs.existsSync(BIN), 'needs the built CLI: npm run build').toBe(true);
    // Names that sort differently by locale and code unit, values from objects and lists, and a date-ish answer.
    const root = templateWorkspace(
      'card',
      {
        ...FILES,
        'Zeta.md.hbs': '{{#each tags}}{{@index}}={{this}} {{/each}}\n{{#each meta}}{{@key}}:{{this}};{{/each}}\n',
        'ähnlich.txt.hbs': '{{upperCase label}} {{lowerCase label}} {{titleCase label}} {{json meta}}\n',
        'alpha.txt.hbs': '{{json tags}} {{kebabCase when}}\n',
      },
      {
        manifest: manifestYaml('card', {
          variables: '    tags: { type: array, default: [] }\n    meta: { type: object, default: {} }\n    when: { type: string, default: "2024-03-10T01:30:00Z" }\n    label: { type: string, default: "" }',
          fixtures: '  one:\n    name: Istanbul\n    label: İstanbul straße ılık\n    tags: [b, A, ä, a]\n    meta: { zeta: 1, Alpha: 2, äther: 3 }\n  two:\n    name: Second',
        }),
        more: { 'metarepo.yaml': 'version: 1\nname: det\nmodelsDir: models\nprojects: []\ntargets: []\n' },
      },
    );
    // Awaited, not spawnSync: a synchronous run would block the test worker (see tests/setup/yield.ts).
    const render = async (cwd: string, env: Record<string, string>) => {
      fs.rmSync(path.join(root, 'snapshots'), { recursive: true, force: true });
      const r = await metarepoAsync(cwd, ['template', 'test', '--json'], { env: { CI: '', ...env } });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const files = (fs.readdirSync(path.join(root, 'snapshots'), { recursive: true }) as string[]).sort();
      const bytes = files.filter((f) => fs.statSync(path.join(root, 'snapshots', f)).isFile()).map((f) => [f, fs.readFileSync(path.join(root, 'snapshots', f)).toString('base64')]);
      return { stdout: r.stdout, bytes };
    };
    const first = await render(root, { TZ: 'Pacific/Kiritimati', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' });
    const second = await render(path.join(root, 'templates/card/files'), { TZ: 'America/Adak', LANG: 'C', LC_ALL: 'C' });
    expect(first.bytes.length).toBe(10);
    expect(second.bytes).toEqual(first.bytes);
    expect(second.stdout).toBe(first.stdout);
    // The case helpers ignore the locale (tr_TR would kebab "Istanbul" to "ıstanbul"); objects keep the answers' order.
    expect(fs.readFileSync(path.join(root, 'snapshots/card/one/out/istanbul/ähnlich.txt'), 'utf8')).toBe(
      'İSTANBUL STRASSE ILIK i\u0307stanbul straße ılık İstanbul Straße Ilık {"zeta":1,"Alpha":2,"äther":3}\n',
    );
  }, 60_000);
});

describe('snapshot files', () => {
  it('writeSnapshot makes the folder hold exactly the render, and reports what it wrote and removed', () => {
    const dir = path.join(tempWorkspace({ 'snap/keep.txt': 'same\n', 'snap/old/gone.txt': 'x\n', 'snap/edit.txt': 'before\n' }), 'snap');
    const result = writeSnapshot(dir, new Map([['edit.txt', 'after\n'], ['keep.txt', 'same\n'], ['new/file.txt', 'n\n']]));
    expect(result).toEqual({ written: ['edit.txt', 'new/file.txt'], removed: ['old/gone.txt'] });
    expect(diskState(dir)).toEqual({ 'edit.txt': 'after\n', 'keep.txt': 'same\n', 'new/file.txt': 'n\n' });
    expect(fs.existsSync(path.join(dir, 'old'))).toBe(false);
  });

  it('readSnapshot is null for a folder that does not exist; compare lists nothing for equal trees', () => {
    expect(readSnapshot('/nonexistent/metarepo-snap')).toBeNull();
    const same = new Map([['a', '1\n']]);
    expect(compareWithSnapshot(same, new Map(same), 'snapshots/x/y')).toEqual([]);
  });
});
