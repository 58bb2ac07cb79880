import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Tree } from '../../../src/engine/tree.js';
import { findScaffoldGenerator, listScaffoldGenerators, runScaffold } from '../../../src/templates/scaffold/run.js';
import { findPlopfiles, loadPlopfiles } from '../../../src/templates/scaffold/plopfiles.js';
import { builtins, diskState, metarepoError, tempWorkspace } from './helpers.js';

const PLOPFILE = `
export default function (plop) {
  plop.setHelper('shout', (s) => String(s).toUpperCase() + '!');
  plop.setHelper('properCase', (s) => 'Proper:' + s);
  plop.setPartial('header', '// {{pascalCase name}} ({{kind}})\\n');
  plop.setGenerator('component', {
    description: 'A component',
    prompts: [
      { type: 'input', name: 'name', message: 'Component name' },
      { type: 'list', name: 'kind', message: 'Kind', choices: ['widget', { name: 'Page view', value: 'page' }] },
      { type: 'confirm', name: 'withIndex', message: 'Export it?', default: true },
    ],
    actions: (answers) => [
      'Creating {{name}}',
      { type: 'add', path: 'src/{{kebabCase name}}/{{kebabCase name}}.ts',
        template: '{{> header}}\\nexport const {{camelCase name}} = "{{shout name}}";\\n' },
      { type: 'add', path: 'src/{{kebabCase name}}/README.md', templateFile: 'plop-templates/readme.md.hbs' },
      { type: 'addMany', destination: 'src/{{kebabCase name}}', base: 'plop-templates/many',
        templateFiles: 'plop-templates/many/**' },
      { type: 'modify', path: 'src/index.ts', pattern: /(\\/\\/ components)/,
        template: '$1\\nimport { {{camelCase name}} } from "./{{kebabCase name}}/{{kebabCase name}}.js";' },
      ...(answers.withIndex ? [{ type: 'append', path: 'src/index.ts', template: 'export { {{camelCase name}} };' }] : []),
      { type: 'add', path: 'src/existing.ts', template: 'new', skipIfExists: true },
    ],
  });
}
`;

const WORKSPACE = {
  'plopfile.mjs': PLOPFILE,
  'plop-templates/readme.md.hbs': '# {{properCase name}}\n{{titleCase name}} is a {{kind}}.\n',
  'plop-templates/many/{{kebabCase name}}.test.ts.hbs': 'test("{{name}}");\n',
  'plop-templates/many/styles/{{kebabCase name}}.css.hbs': '.{{kebabCase name}} {}\n',
  'plop-templates/many/notes.hbs': 'notes for {{name}}\n',
  'src/index.ts': '// components\n',
  'src/existing.ts': 'old\n',
};

/** A workspace whose plopfile has one generator `g` with the given prompts and actions source. */
function oneGenerator(prompts: string, actions: string, files: Record<string, string> = {}): string {
  return tempWorkspace({
    'plopfile.mjs': `export default function (plop) { plop.setGenerator('g', { description: 'g', prompts: ${prompts}, actions: ${actions} }); }\n`,
    ...files,
  });
}

async function runG(root: string, answers: Record<string, unknown> = {}, dryRun = false) {
  const { generator } = await findScaffoldGenerator(root, 'g', []);
  return runScaffold({ root, tree: new Tree(root), generator, answers, dryRun });
}

describe('plopfile generators through node-plop into the Tree', () => {
  it('add, addMany, modify, append, a custom helper and a partial change the tree and nothing on disk', async () => {
    const root = tempWorkspace(WORKSPACE);
    const before = diskState(root);
    const { generator } = await findScaffoldGenerator(root, 'component', builtins());
    const result = await runScaffold({
      root,
      tree: new Tree(root),
      generator,
      answers: { name: 'foo bar', kind: 'page view', withIndex: 'yes' },
    });
    expect(result.answers).toEqual({ name: 'foo bar', kind: 'page', withIndex: true });
    expect(result.changes.map((c) => [c.type, c.path, c.content])).toEqual([
      ['create', 'src/foo-bar/README.md', '# Proper:foo bar\nFoo Bar is a page.\n'],
      ['create', 'src/foo-bar/foo-bar.test.ts', 'test("foo bar");\n'],
      ['create', 'src/foo-bar/foo-bar.ts', '// FooBar (page)\nexport const fooBar = "FOO BAR!";\n'],
      // plop keeps the extension of a file whose remaining name has none
      ['create', 'src/foo-bar/notes.hbs', 'notes for foo bar\n'],
      ['create', 'src/foo-bar/styles/foo-bar.css', '.foo-bar {}\n'],
      ['modify', 'src/index.ts', '// components\nimport { fooBar } from "./foo-bar/foo-bar.js";\n\nexport { fooBar };'],
    ]);
    expect(result.messages).toContain('Creating {{name}}');
    expect(result.messages).toContain('add [SKIPPED] src/existing.ts (exists)');
    expect(diskState(root)).toEqual(before);
  });

  it('append with unique (the default) does not duplicate what follows the pattern', async () => {
    const files = { 'list.md': '## items\n- a\n' };
    const actions = "[{ type: 'append', path: 'list.md', pattern: '## items', template: '- {{name}}' }]";
    const prompts = "[{ type: 'input', name: 'name', message: 'n' }]";
    expect((await runG(oneGenerator(prompts, actions, files), { name: 'a' })).changes).toEqual([]);
    const added = await runG(oneGenerator(prompts, actions, files), { name: 'b$&' });
    expect(added.changes.map((c) => c.content)).toEqual(['## items\n- b$&\n- a\n']);
  });

  it('refuses a destination outside the workspace ("../x") and leaves the disk alone', async () => {
    const root = oneGenerator("[]", "[{ type: 'add', path: '../escape.txt', template: 'x' }]");
    const before = diskState(root);
    const err = await metarepoError(runG(root));
    expect(err.message).toContain('leaves the workspace');
    expect(err.exitCode).toBe(2);
    expect(fs.existsSync(path.join(path.dirname(root), 'escape.txt'))).toBe(false);
    expect(diskState(root)).toEqual(before);
  });

  it('refuses an absolute destination, also when it comes from an answer', async () => {
    const target = path.join(os.tmpdir(), `metarepo-abs-${process.pid}.txt`);
    const root = oneGenerator("[{ type: 'input', name: 'where', message: 'w' }]", "[{ type: 'add', path: '{{where}}', template: 'x' }]");
    const err = await metarepoError(runG(root, { where: target }));
    expect(err.message).toContain('is absolute');
    expect(fs.existsSync(target)).toBe(false);
  });

  it('overwrites an existing file only with force: true', async () => {
    const files = { 'a.txt': 'old\n' };
    const refused = oneGenerator('[]', "[{ type: 'add', path: 'a.txt', template: 'new' }]", files);
    expect((await metarepoError(runG(refused))).message).toBe('File "a.txt" already exists.');
    const forced = oneGenerator('[]', "[{ type: 'add', path: 'a.txt', template: 'new', force: true }]", files);
    const result = await runG(forced);
    expect(result.changes).toMatchObject([{ type: 'modify', path: 'a.txt', content: 'new', origin: 'generator g in plopfile.mjs' }]);
    expect(fs.readFileSync(path.join(forced, 'a.txt'), 'utf8')).toBe('old\n');
  });

  it('transform runs on the rendered text and data adds template variables', async () => {
    const root = oneGenerator(
      '[]',
      "[{ type: 'add', path: 'out.txt', template: '{{greeting}} {{who}}', data: { greeting: 'hi', who: 'you' }, transform: (t) => t.toUpperCase() }]",
    );
    expect((await runG(root)).changes[0].content).toBe('HI YOU');
  });

  it('with abortOnFail: false the later actions still run, but the run fails and lists the failure', async () => {
    const root = oneGenerator(
      '[]',
      "[{ type: 'modify', path: 'missing.txt', pattern: 'x', template: 'y', abortOnFail: false }, { type: 'add', path: 'b.txt', template: 'b' }]",
    );
    const tree = new Tree(root);
    const { generator } = await findScaffoldGenerator(root, 'g', []);
    const err = await metarepoError(runScaffold({ root, tree, generator }));
    expect(err.message).toBe('Cannot modify "missing.txt": the file does not exist.');
    expect(tree.changes().map((c) => c.path)).toEqual(['b.txt']);
  });

  it('a Handlebars syntax error names the template file, line and column', async () => {
    const root = oneGenerator('[]', "[{ type: 'add', path: 'out.txt', templateFile: 't/bad.hbs' }]", {
      't/bad.hbs': 'line one\nline two {{foo bar}\n',
    });
    const err = await metarepoError(runG(root));
    expect(err.location).toEqual({ file: 't/bad.hbs', line: 2, column: 19 }); // the stray "}"
    expect(err.message).toContain('Cannot parse template "t/bad.hbs"');
  });

  it('names every missing answer of a plopfile generator', async () => {
    const root = oneGenerator(
      "[{ type: 'input', name: 'name', message: 'Name?' }, { type: 'list', name: 'kind', message: 'Kind?', choices: ['a', 'b'] }, { type: 'input', name: 'opt', message: 'o', default: 'd' }]",
      '[]',
    );
    const err = await metarepoError(runG(root));
    expect(err.message).toBe('Generator "g" needs answers that were not given: name, kind.');
    expect(err.hint).toContain('--set name=... --set kind=...');
    expect(err.details).toEqual(['name: Name?', 'kind: Kind?']);
  });

  it('refuses a list answer that is not a choice, and a confirm answer that is not yes/no', async () => {
    const root = oneGenerator(
      "[{ type: 'list', name: 'kind', message: 'k', choices: ['a', 'b'] }, { type: 'confirm', name: 'ok', message: 'ok' }]",
      '[]',
    );
    const err = await metarepoError(runG(root, { kind: 'c', ok: 'maybe' }));
    expect(err.details).toEqual(['kind: "c" is not one of a, b.', 'ok: "maybe" is not yes or no (use true/false, yes/no, y/n).']);
  });

  it('runs a function action only outside a dry run, and says it acts outside the tree', async () => {
    const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-marker-')), 'MARKER');
    const action = `async () => { (await import('node:fs')).writeFileSync(${JSON.stringify(marker)}, 'x'); return 'wrote'; }`;
    const root = oneGenerator('[]', `[${action}]`);
    const dry = await runG(root, {}, true);
    expect(dry.messages).toEqual(['function [SKIPPED] "function" action (dry run: it acts outside the tree)']);
    expect(fs.existsSync(marker)).toBe(false);
    const real = await runG(root);
    expect(fs.existsSync(marker)).toBe(true);
    expect(real.messages[0]).toContain('runs as plop runs it, outside metarepo\'s tree');
    expect(real.messages[1]).toBe('function wrote');
  });

  it('asks for a terminal when prompts are a function', async () => {
    const root = oneGenerator('async (inquirer) => ({})', '[]');
    const err = await metarepoError(runG(root));
    expect(err.message).toContain('asks its questions in code');
  });
});

describe('workspace plopfile discovery', () => {
  it('finds the root plopfile and generators/*.mjs; workspace generators replace built-ins of the same name', async () => {
    const gen = (name: string) => `export default (plop) => plop.setGenerator('${name}', { description: '${name} here', prompts: [], actions: [] });\n`;
    const root = tempWorkspace({ 'plopfile.mjs': gen('model'), 'generators/b.mjs': gen('b'), 'generators/helper.js': 'nope', 'generators/a.mjs': gen('a') });
    expect(findPlopfiles(root).map((f) => path.relative(root, f))).toEqual(['plopfile.mjs', 'generators/a.mjs', 'generators/b.mjs']);
    const listed = await listScaffoldGenerators(root, builtins());
    expect(listed.map((g) => `${g.name}:${g.source}`)).toEqual([
      'a:workspace',
      'b:workspace',
      'generator:builtin',
      'model:workspace',
      'node-service:builtin',
      'plugin:builtin',
      'ts-library:builtin',
    ]);
  });

  it('explains that Node 20 cannot load plopfile.ts and suggests .mjs', async () => {
    const root = tempWorkspace({ 'plopfile.ts': 'export default function (plop: unknown): void {}\n' });
    const err = await metarepoError(loadPlopfiles(root));
    if (process.features && (process.features as { typescript?: unknown }).typescript) return; // Node strips types itself
    expect(err.message).toContain('cannot import TypeScript files');
    expect(err.hint).toContain('plopfile.mjs');
  });

  it('refuses two root plopfiles and two generators with the same name', async () => {
    const two = tempWorkspace({ 'plopfile.js': '', 'plopfile.mjs': '' });
    expect(() => findPlopfiles(two)).toThrow(/2 plopfiles/);
    const gen = "export default (plop) => plop.setGenerator('same', { prompts: [], actions: [] });\n";
    const dup = tempWorkspace({ 'generators/a.mjs': gen, 'generators/b.mjs': gen });
    expect((await metarepoError(loadPlopfiles(dup))).message).toBe(
      'Scaffold generator "same" is defined twice: in generators/a.mjs and generators/b.mjs.',
    );
  });

  it('names the generators there are when the requested one does not exist', async () => {
    const err = await metarepoError(findScaffoldGenerator(tempWorkspace(), 'nope', builtins()));
    expect(err.hint).toContain('generator, model, node-service, plugin, ts-library');
  });
});
