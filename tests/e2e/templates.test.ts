// metarepo template list/test/lint/dev and the templates-lint check, through the built CLI.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, REPO_ROOT, metarepoAsync, runAsync, snapshotTree, tempDir } from './cli.js';

/** `CI` unset, so new snapshots are written (as on a developer's machine) unless a test asks for CI mode. */
const LOCAL = { CI: '' };

async function initWorkspace(): Promise<string> {
  const dir = tempDir('metarepo-templates-');
  expect((await metarepoAsync(dir, ['init', '--name', 'tpl'])).code).toBe(0);
  return dir;
}

/** A workspace with the `widget` generator that `metarepo new generator widget` writes. */
async function widgetWorkspace(): Promise<string> {
  const dir = await initWorkspace();
  expect((await metarepoAsync(dir, ['new', 'generator', 'widget', '--set', 'description=A widget'])).code).toBe(0);
  return dir;
}

const write = (dir: string, rel: string, content: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), content);
};

describe('metarepo template test', () => {
  it('the built-in templates match their committed snapshots and pass their output checks (CI mode: nothing is written)', async () => {
    const dir = tempDir('metarepo-builtins-');
    const before = snapshotTree(path.join(REPO_ROOT, 'snapshots'));
    // Every built-in template's output checks (tsc and more) run here: minutes on a loaded 2-core machine.
    const r = await metarepoAsync(dir, ['template', 'test', '--builtin', '--ci', '--verify', '--json'], { timeout: 290_000 });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    // The checks each built-in template.yaml declares, every one run on every fixture.
    const declared: Record<string, string[]> = {
      generator: ['node-check'],
      model: ['json'],
      'node-service': ['tsc', 'json'],
      plugin: ['json', 'node-check'],
      'ts-library': ['tsc', 'json'],
    };
    expect(out.templates.map((t: { template: string }) => t.template)).toEqual(Object.keys(declared));
    for (const t of out.templates) {
      expect(t.fixtures.length).toBeGreaterThanOrEqual(2);
      for (const f of t.fixtures) {
        expect(f.status, `${t.template}/${f.fixture}`).toBe('passed');
        expect(f.verify, `${t.template}/${f.fixture}`).toEqual(declared[t.template].map((check) => ({ check, ok: true, output: '' })));
      }
    }
    expect(r.code).toBe(0);
    expect(snapshotTree(path.join(REPO_ROOT, 'snapshots'))).toEqual(before);
  }, 300_000);

  it('new fixtures are written and reported; a template change fails with a diff and exit 1; --update fixes it', async () => {
    const dir = await widgetWorkspace();
    const first = await metarepoAsync(dir, ['template', 'test'], { env: LOCAL });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('WRITTEN widget/one-word: new fixture, 1 files written to snapshots/widget/one-word');
    expect(first.stdout).toContain('1 templates, 2 fixtures: 2 written');
    expect(fs.readFileSync(path.join(dir, 'snapshots/widget/one-word/example/README.md'), 'utf8')).toBe(
      '# Example\n\nWritten by the "widget" generator from templates/widget/files/README.md.hbs.\n',
    );

    const readme = path.join(dir, 'templates/widget/files/README.md.hbs');
    fs.writeFileSync(readme, fs.readFileSync(readme, 'utf8').replace('Written by', 'Made by'));
    write(dir, 'templates/widget/files/{{kebabCase name}}.ts.hbs', 'export const {{camelCase name}} = 1;\n');
    const failed = await metarepoAsync(dir, ['template', 'test', 'widget'], { env: LOCAL });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('FAILED  widget/one-word: 1 changed, 1 added');
    expect(failed.stdout).toContain(
      [
        '--- a/snapshots/widget/one-word/example/README.md',
        '+++ b/snapshots/widget/one-word/example/README.md',
        '@@ -1,3 +1,3 @@',
        ' # Example',
        ' ',
        '-Written by the "widget" generator from templates/widget/files/README.md.hbs.',
        '+Made by the "widget" generator from templates/widget/files/README.md.hbs.',
      ].join('\n'),
    );
    expect(failed.stdout).toContain('--- /dev/null\n+++ b/snapshots/widget/one-word/example/example.ts\n@@ -0,0 +1,1 @@\n+export const example = 1;');
    expect(failed.stdout).toContain('hint: if the new output is right, accept it with metarepo template test --update');

    const updated = await metarepoAsync(dir, ['template', 'test', '--update'], { env: LOCAL });
    expect(updated.code).toBe(0);
    // Which files changed and were added, not only how many.
    expect(updated.stdout).toContain(
      ['UPDATED widget/one-word: 1 changed, 1 added (snapshots/widget/one-word rewritten)', '  changed example/README.md', '  added   example/example.ts', 'UPDATED widget/two-words'].join('\n'),
    );
    expect(fs.readFileSync(path.join(dir, 'snapshots/widget/two-words/second-example/second-example.ts'), 'utf8')).toBe('export const secondExample = 1;\n');
    expect((await metarepoAsync(dir, ['template', 'test'], { env: LOCAL })).code).toBe(0);
  });

  it('a removed file is caught, and --fixture limits the run to one fixture', async () => {
    const dir = await widgetWorkspace();
    write(dir, 'templates/widget/files/extra.txt.hbs', '{{name}}\n');
    await metarepoAsync(dir, ['template', 'test'], { env: LOCAL });
    fs.rmSync(path.join(dir, 'templates/widget/files/extra.txt.hbs'));
    const r = await metarepoAsync(dir, ['template', 'test', '--fixture', 'two-words', '--json'], { env: LOCAL });
    expect(r.code).toBe(1);
    const [fixture] = JSON.parse(r.stdout).templates[0].fixtures;
    expect(fixture).toMatchObject({ fixture: 'two-words', status: 'failed', diffs: [{ path: 'second-example/extra.txt', kind: 'removed' }] });
    expect(fixture.diffs[0].patch).toBe('--- a/snapshots/widget/two-words/second-example/extra.txt\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-second example\n');
    expect((await metarepoAsync(dir, ['template', 'test', '--fixture', 'nope'])).code).toBe(2);

    // --update --json names what it rewrote, added and deleted per fixture; the human output lists the same.
    write(dir, 'templates/widget/files/added.txt.hbs', 'new\n');
    const json = await metarepoAsync(dir, ['template', 'test', '--update', '--json'], { env: LOCAL });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).templates[0].fixtures.map((f: { fixture: string; status: string; changes: unknown }) => [f.fixture, f.status, f.changes])).toEqual([
      ['one-word', 'updated', { changed: [], added: ['example/added.txt'], removed: ['example/extra.txt'] }],
      ['two-words', 'updated', { changed: [], added: ['second-example/added.txt'], removed: ['second-example/extra.txt'] }],
    ]);
    expect(fs.existsSync(path.join(dir, 'snapshots/widget/one-word/example/extra.txt'))).toBe(false);
    fs.rmSync(path.join(dir, 'templates/widget/files/added.txt.hbs'));
    const human = await metarepoAsync(dir, ['template', 'test', '--update'], { env: LOCAL });
    expect(human.stdout).toContain('UPDATED widget/one-word: 1 removed (snapshots/widget/one-word rewritten)\n  removed example/added.txt\n');
  });

  it('CI mode (the CI variable) fails on a missing snapshot instead of writing it', async () => {
    const dir = await widgetWorkspace();
    const r = await metarepoAsync(dir, ['template', 'test'], { env: { CI: 'true' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('MISSING widget/one-word: no snapshot in snapshots/widget/one-word, and CI mode does not write one');
    expect(fs.existsSync(path.join(dir, 'snapshots'))).toBe(false);

    // An explicit --update wins over CI, as vitest's -u does.
    const updated = await metarepoAsync(dir, ['template', 'test', '--update'], { env: { CI: '1' } });
    expect(updated.code).toBe(0);
    expect(updated.stdout).toContain('WRITTEN widget/one-word: new fixture, 1 files written to snapshots/widget/one-word');
    expect(fs.readFileSync(path.join(dir, 'snapshots/widget/two-words/second-example/README.md'), 'utf8')).toContain('# Second Example');
    expect((await metarepoAsync(dir, ['template', 'test'], { env: { CI: '1' } })).code).toBe(0);
  });

  it('the template benchmark runs under CI=1: its first run writes the snapshots whatever the caller\'s CI variable', async () => {
    // Awaited, not spawnSync: a synchronous run would block the test worker (see tests/setup/yield.ts).
    const env = { ...process.env, CI: '1', BENCH_TEMPLATES: '2', BENCH_TEMPLATE_RUNS: '1' };
    const r = await runAsync(process.execPath, [path.join(REPO_ROOT, 'bench/templates.mjs')], { cwd: tempDir('metarepo-bench-ci-'), env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ bench: 'template-test', templates: 2, fixtures: 6, runs: 1, files: 24 });
  }, 150_000);

  it('--coverage names the branches no fixture renders, with file:line:column', async () => {
    const dir = await widgetWorkspace();
    write(dir, 'templates/widget/files/README.md.hbs', '# {{titleCase name}}\n{{#if (eqWord name)}}one word{{else}}more words{{/if}}\n{{#each tags}}- {{this}}\n{{/each}}');
    const plopfile = path.join(dir, 'generators/widget.mjs');
    fs.writeFileSync(plopfile, fs.readFileSync(plopfile, 'utf8').replace('export default function (plop) {', "export default async function (plop) {\n  plop.setHelper('eqWord', (s) => !String(s).includes(' '));"));
    const r = await metarepoAsync(dir, ['template', 'test', '--coverage'], { env: LOCAL });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(['coverage widget: 3/4 branches', '  templates/widget/files/README.md.hbs:3:1 {{#each}} non-empty branch never rendered'].join('\n'));
  });

  it('--verify fails a template that renders invalid TypeScript, with the compiler message', async () => {
    const dir = await widgetWorkspace();
    write(dir, 'templates/widget/files/{{kebabCase name}}.ts.hbs', 'export const {{camelCase name}}: number = {{json name}};\n');
    fs.appendFileSync(path.join(dir, 'templates/widget/template.yaml'), 'checks:\n  - tsc\n');
    const r = await metarepoAsync(dir, ['template', 'test', '--verify', '--fixture', 'one-word'], { env: LOCAL });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('WRITTEN widget/one-word');
    expect(r.stdout).toContain('  FAILED tsc');
    expect(r.stdout).toContain("example/example.ts(1,14): error TS2322: Type 'string' is not assignable to type 'number'.");
  }, 120_000);

  it('an invalid template.yaml is bad input (exit 2) with file, line and column', async () => {
    const dir = await widgetWorkspace();
    fs.appendFileSync(path.join(dir, 'templates/widget/template.yaml'), 'colour: blue\n');
    const r = await metarepoAsync(dir, ['template', 'test']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error templates\/widget\/template\.yaml:19:1: templates\/widget\/template\.yaml is not a valid template manifest: unknown property "colour"/);
  });

  it('template list shows workspace and built-in templates with versions and fixtures', async () => {
    const dir = await widgetWorkspace();
    const r = await metarepoAsync(dir, ['template', 'list', '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout).templates;
    expect(rows.map((t: { name: string; source: string }) => `${t.name}:${t.source}`)).toEqual([
      'generator:builtin',
      'model:builtin',
      'node-service:builtin',
      'plugin:builtin',
      'ts-library:builtin',
      'widget:workspace',
    ]);
    expect(rows[5]).toMatchObject({ version: '1.0.0', generator: 'widget', fixtures: ['one-word', 'two-words'] });
  });
});

describe('prompts from template.yaml', () => {
  it('metarepo new runs a generator without prompts on the variables of its template.yaml', async () => {
    const dir = await widgetWorkspace();
    const yaml = path.join(dir, 'templates/widget/template.yaml');
    fs.writeFileSync(yaml, fs.readFileSync(yaml, 'utf8').replace('fixtures:', '    kind:\n      enum: [button, card]\n      default: card\n      description: What kind of widget\nfixtures:'));
    write(dir, 'templates/widget/files/kind.txt.hbs', '{{kind}}\n');
    expect((await metarepoAsync(dir, ['new', 'widget', '--set', 'name=Fancy'])).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'fancy/kind.txt'), 'utf8')).toBe('card\n');
    const bad = await metarepoAsync(dir, ['new', 'widget', '--set', 'name=Other', '--set', 'kind=slider']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('kind: "slider" is not one of button, card.');
  });
});

describe('metarepo template lint and the templates-lint check', () => {
  it('lint finds each problem with its position; metarepo check reports them too', async () => {
    const dir = await widgetWorkspace();
    write(dir, 'templates/widget/files/Card.tsx.hbs', "<div style={{ color: 'red' }}>{{tilte}} {{fancy name}} {{> footer}}</div>\n");
    write(dir, 'templates/widget/files/broken.md.hbs', '{{#if name}}\n');
    const r = await metarepoAsync(dir, ['template', 'lint']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    // One finding for the JSX object (no unknown-helper "color:" beside it), an error since it would not render.
    expect(lines).toEqual([
      expect.stringMatching(/^error templates\/widget\/files\/Card\.tsx\.hbs:1:12: "\{\{ color: 'red' \}\}" looks like a JSX object, not a Handlebars expression \(as Handlebars it calls a helper that does not exist\); write \\\{\{ color: 'red' \}\} to output it as is, or wrap the JSX in \{\{\{\{raw\}\}\}\}…\{\{\{\{\/raw\}\}\}\} \[jsx-braces\]$/),
      'error templates/widget/files/Card.tsx.hbs:1:33: variable "tilte" is not declared in templates/widget/template.yaml (variables or data) [undefined-variable]',
      expect.stringMatching(/^error templates\/widget\/files\/Card\.tsx\.hbs:1:43: helper "fancy" does not exist.* \[unknown-helper\]$/),
      'error templates/widget/files/Card.tsx.hbs:1:56: partial "footer" is not registered [missing-partial]',
      expect.stringMatching(/^error templates\/widget\/files\/broken\.md\.hbs:2:1: Cannot parse template .*Expecting .*got 'EOF' \[syntax\]$/),
      '1 templates: 5 errors, 0 warnings',
    ]);
    const check = await metarepoAsync(dir, ['check', '--json']);
    expect(check.code).toBe(1);
    const findings = JSON.parse(check.stdout).findings.filter((f: { check: string }) => f.check === 'templates-lint');
    expect(findings).toHaveLength(5);
    expect(findings).toContainEqual(
      expect.objectContaining({ severity: 'error', file: 'templates/widget/files/Card.tsx.hbs', line: 1, column: 33, message: expect.stringContaining('variable "tilte"') }),
    );
  });

  it('the template that metarepo new generator writes is lint-clean, and so are the built-ins', async () => {
    expect((await metarepoAsync(await widgetWorkspace(), ['template', 'lint'])).stdout).toBe('1 templates: 0 errors, 0 warnings\n');
    expect((await metarepoAsync(tempDir(), ['template', 'lint', '--builtin'])).stdout).toBe('5 templates: 0 errors, 0 warnings\n');
  });
});

describe('metarepo template dev', () => {
  it('renders into .metarepo/preview and prints the diff against the snapshot on each save', async () => {
    const dir = await widgetWorkspace();
    await metarepoAsync(dir, ['template', 'test'], { env: LOCAL });
    const child = spawn(process.execPath, [BIN, 'template', 'dev', 'widget', '--fixture', 'two-words'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    const waitFor = async (text: string) => {
      for (let i = 0; i < 300 && !out.includes(text); i++) await new Promise((r) => setTimeout(r, 100));
      expect(out).toContain(text);
    };
    try {
      await waitFor('(Ctrl-C to stop)');
      expect(out).toContain('rendered widget/two-words → .metarepo/preview/widget/two-words (1 files)\nmatches snapshots/widget/two-words');
      const preview = path.join(dir, '.metarepo/preview/widget/two-words/second-example/README.md');
      expect(fs.readFileSync(preview, 'utf8')).toContain('# Second Example');

      const readme = path.join(dir, 'templates/widget/files/README.md.hbs');
      fs.writeFileSync(readme, '# {{titleCase name}}!\n');
      await waitFor('-# Second Example');
      expect(out).toContain('changed templates/widget/files/README.md.hbs');
      expect(out).toContain('+# Second Example!');
      expect(fs.readFileSync(preview, 'utf8')).toBe('# Second Example!\n');

      fs.writeFileSync(readme, '{{#if name}}\n');
      await waitFor('render failed templates/widget/files/README.md.hbs:2');
      expect(child.exitCode).toBeNull(); // still watching
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    expect(child.exitCode).toBe(0);
  });

  it('needs a workspace and an existing fixture', async () => {
    expect((await metarepoAsync(tempDir(), ['template', 'dev', 'model'])).code).toBe(2);
    const r = await metarepoAsync(await widgetWorkspace(), ['template', 'dev', 'widget', '--fixture', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Template "widget" has no fixture "nope".');
  });
});
