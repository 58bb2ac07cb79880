import { describe, expect, it } from 'vitest';
import { lintTemplate, lintWorkspaceTemplates, unsafePathReason, type LintFinding } from '../../../src/templates/lint.js';
import { TemplateCatalog, listTemplateLocations } from '../../../src/templates/catalog.js';
import { builtins, catalogOf, manifestYaml, templateWorkspace } from './helpers.js';

const SETUP = "plop.setHelper('shout', (s) => String(s).toUpperCase()); plop.setPartial('header', '// {{name}}\\n');";

async function lint(files: Record<string, string>, opts: Parameters<typeof templateWorkspace>[2] = {}): Promise<LintFinding[]> {
  const root = templateWorkspace('card', files, { setup: SETUP, ...opts });
  const { catalog, template } = catalogOf(root, 'card');
  return lintTemplate(template, catalog);
}

/** `rule file:line:column` of each finding (message left out), for exact position checks. */
const where = (fs: LintFinding[]) => fs.map((f) => `${f.rule} ${f.file}${f.line ? `:${f.line}:${f.column}` : ''}`);

const F = 'templates/card/files/';

describe('template lint', () => {
  it('a clean template has no findings: declared variables, plopfile helper and partial, escapes and raw blocks', async () => {
    const findings = await lint({
      'a.ts.hbs': '{{> header}}export const {{camelCase name}} = {{json (shout name)}};\n// \\{{kept}} {{{{raw}}}}{{also kept}}{{{{/raw}}}}\n',
    });
    expect(findings).toEqual([]);
  });

  it('finds an undefined variable with its position, and not names inside each/with, block params, ../ and @root', async () => {
    const findings = await lint(
      {
        'a.md.hbs': [
          '{{name}} {{nmae}}', // line 1: typo
          '{{#each items as |item i|}}{{item}} {{i}} {{title}} {{../name}} {{@root.nope}} {{@index}}{{/each}}',
          '{{#with owner}}{{login}} {{../name}}{{/with}}',
          '{{#if name}}{{kebabCase ghost}}{{/if}}',
        ].join('\n'),
      },
      { manifest: manifestYaml('card', { variables: '    items: { type: array, default: [] }\n    owner: { type: object, default: {} }' }) },
    );
    expect(where(findings)).toEqual([`undefined-variable ${F}a.md.hbs:1:12`, `undefined-variable ${F}a.md.hbs:2:67`, `undefined-variable ${F}a.md.hbs:4:25`]);
    expect(findings.map((f) => f.message)).toEqual([
      'variable "nmae" is not declared in templates/card/template.yaml (variables or data)',
      'variable "nope" is not declared in templates/card/template.yaml (variables or data)',
      'variable "ghost" is not declared in templates/card/template.yaml (variables or data)',
    ]);
  });

  it('warns about a variable declared but never used, at its key in template.yaml; data.from and file names count as use', async () => {
    const findings = await lint(
      { '{{folder}}/a.md.hbs': '{{name}} {{slug}}\n' },
      {
        manifest: manifestYaml('card', {
          variables: '    folder: { type: string, default: src, minLength: 1 }\n    spare: { type: string, default: x }\n    scope: { type: string, default: "" }',
          extra: 'data:\n  slug:\n    from: [scope]',
        }),
      },
    );
    expect(where(findings)).toEqual(['unused-variable templates/card/template.yaml:10:5']);
    expect(findings[0].message).toContain('variable "spare" is declared but no template');
    expect(findings[0].severity).toBe('warning');
  });

  it('finds unknown helpers and missing partials with positions; inline partials count as defined', async () => {
    const findings = await lint({
      'a.md.hbs': '{{fancy name}}\n{{> footer}}\n{{#*inline "local"}}x{{/inline}}{{> local}} {{> header}}\n{{#repeat name}}x{{/repeat}} {{lowerCase (tidy name)}}\n',
    });
    expect(where(findings)).toEqual([
      `unknown-helper ${F}a.md.hbs:1:3`,
      `missing-partial ${F}a.md.hbs:2:1`,
      `unknown-helper ${F}a.md.hbs:4:4`,
      `unknown-helper ${F}a.md.hbs:4:43`,
    ]);
    expect(findings[0].message).toMatch(/^helper "fancy" does not exist/);
    expect(findings[1].message).toBe('partial "footer" is not registered (partials: header)');
  });

  it('reports a Handlebars syntax error with file, line and column and what was expected', async () => {
    const findings = await lint({ 'ok.md.hbs': '{{name}}\n', 'broken.md.hbs': 'line one\n{{name}} and {{#if name}}\n{{/each}}\n' });
    // Handlebars points at the block the closing tag fails to match.
    expect(where(findings)).toEqual([`syntax ${F}broken.md.hbs:2:17`]);
    expect(findings[0].message).toContain('if doesn\'t match each');
  });

  it('finds file names that render to unsafe or empty paths, per fixture, and variables that may be empty; line 1, column in the name', async () => {
    const findings = await lint(
      { '{{dir}}/a.md.hbs': 'x {{name}}\n', '{{sub}}/b.md.hbs': 'y\n', 'ok/{{kebabCase name}}.md.hbs': 'z\n' },
      {
        manifest: manifestYaml('card', {
          variables: '    dir: { type: string, default: "" }\n    sub: { type: string, default: src }',
          fixtures: '  one:\n    name: First\n  up:\n    name: Up\n    sub: "../../etc"',
        }),
      },
    );
    // "files/{{dir}}/…": the mustache opens at column 7, the variable's name at 9.
    expect(where(findings)).toEqual([
      `unsafe-path ${F}{{dir}}/a.md.hbs:1:7`,
      `unsafe-path ${F}{{dir}}/a.md.hbs:1:7`,
      `empty-path ${F}{{dir}}/a.md.hbs:1:9`,
      `unsafe-path ${F}{{sub}}/b.md.hbs:1:7`,
      `empty-path ${F}{{sub}}/b.md.hbs:1:9`,
    ]);
    expect(findings.map((f) => `${f.rule} ${f.file}: ${f.message}`)).toEqual([
      `unsafe-path ${F}{{dir}}/a.md.hbs: file name "files/{{dir}}/a.md.hbs" renders to "files//a.md.hbs" with fixture "one", which has an empty folder or file name`,
      `unsafe-path ${F}{{dir}}/a.md.hbs: file name "files/{{dir}}/a.md.hbs" renders to "files//a.md.hbs" with fixture "up", which has an empty folder or file name`,
      `empty-path ${F}{{dir}}/a.md.hbs: file name "files/{{dir}}/a.md.hbs" uses "dir", which may be empty (it is optional without a default, or its schema admits ""): the path would lose a segment; require it or give it a pattern or minLength`,
      `unsafe-path ${F}{{sub}}/b.md.hbs: file name "files/{{sub}}/b.md.hbs" renders to "files/../../etc/b.md.hbs" with fixture "up", which leaves its folder ("..")`,
      `empty-path ${F}{{sub}}/b.md.hbs: file name "files/{{sub}}/b.md.hbs" uses "sub", which may be empty (it is optional without a default, or its schema admits ""): the path would lose a segment; require it or give it a pattern or minLength`,
    ]);
  });

  it('a syntax error in a file name points at the file, line 1, at its column in the name', async () => {
    const findings = await lint({ 'ok.md.hbs': '{{name}}\n', 'src/{{kebabCase name}.md.hbs': 'x\n' });
    // The lone "}" is the 27th character of "files/src/{{kebabCase name}.md.hbs".
    expect(where(findings)).toEqual([`syntax ${F}src/{{kebabCase name}.md.hbs:1:27`]);
    expect(findings[0].message).toMatch(/^Cannot parse file name "files\/src\/\{\{kebabCase name\}\.md\.hbs" \(line 1, column 27\): Parse error on line 1: Expecting /);
  });

  it('findings about action paths point at the string in the generator source, or name the file when the path is computed', async () => {
    const generator = [
      'export default function (plop) {', // 1
      "  const computed = 'out/' + '{{ghost}}/x.txt';", // 2
      "  plop.setGenerator('card', {", // 3
      "    description: 'card',", // 4
      '    prompts: [],', // 5
      '    actions: [', // 6
      "      { type: 'addMany', destination: 'out/{{dir}}/{{kebabCase name}}', base: '../templates/card/files', templateFiles: '../templates/card/files/**' },", // 7
      '      { type: \'add\', path: "out/{{kebabCase name}.txt", template: \'x\' },', // 8
      "      { type: 'add', path: `out/{{nope}}/x.txt`, template: 'x' },", // 9
      "      { type: 'add', path: computed, template: 'x' },", // 10
      '    ],',
      '  });',
      '}',
      '',
    ].join('\n');
    const findings = await lint(
      { 'a.md.hbs': '{{name}}\n' },
      {
        more: { 'generators/card.mjs': generator },
        manifest: manifestYaml('card', {
          variables: '    dir: { type: string, default: "" }',
          fixtures: '  one:\n    name: First\n  up:\n    name: Up\n    dir: "../.."',
        }),
      },
    );
    const G = 'generators/card.mjs';
    expect(where(findings)).toEqual([
      // computed on line 2, not written as one string anywhere: the file, without a line
      `undefined-variable ${G}`,
      `unsafe-path ${G}`,
      `unsafe-path ${G}`,
      // 'out/{{dir}}/{{kebabCase name}}' on line 7: the string starts at column 40, its first mustache at 44, "dir" at 46
      `unsafe-path ${G}:7:44`,
      `unsafe-path ${G}:7:44`,
      `empty-path ${G}:7:46`,
      // "out/{{kebabCase name}.txt" on line 8 starts at column 29: the lone "}" is at 49
      `syntax ${G}:8:49`,
      // `out/{{nope}}/x.txt` on line 9 starts at column 29: its mustache at 33, "nope" at 35
      `unsafe-path ${G}:9:33`,
      `unsafe-path ${G}:9:33`,
      `undefined-variable ${G}:9:35`,
    ]);
    const messages = findings.map((f) => f.message);
    expect(messages[0]).toBe('variable "ghost" in action path "out/{{ghost}}/x.txt" of generator "card" is not declared in templates/card/template.yaml (variables or data)');
    expect(messages.slice(3, 7)).toEqual([
      'action path "out/{{dir}}/{{kebabCase name}}" of generator "card" renders to "out//first" with fixture "one", which has an empty folder or file name',
      'action path "out/{{dir}}/{{kebabCase name}}" of generator "card" renders to "out/../../up" with fixture "up", which leaves its folder ("..")',
      expect.stringMatching(/^action path "out\/\{\{dir\}\}\/\{\{kebabCase name\}\}" of generator "card" uses "dir", which may be empty/),
      expect.stringMatching(/^Cannot parse action path "out\/\{\{kebabCase name\}\.txt" of generator "card" \(line 1, column 21\): Parse error on line 1: Expecting /),
    ]);
    // None of them points at template.yaml any more.
    expect(findings.filter((f) => f.file.endsWith('template.yaml'))).toEqual([]);
  });

  it('for a built-in template, an action path the generator computes points at its source in generators/', async () => {
    const model = builtins().find((g) => g.name === 'model')!;
    const custom = { ...model, actions: () => [{ type: 'add', path: `models/{{kebabCase name}}/{{description}}.json`, templateFile: 'schema.json.hbs' }] };
    const catalog = new TemplateCatalog(null, [custom]);
    const findings = await lintTemplate(catalog.select(['model'], { builtin: true })[0], catalog);
    // The string is not written in generators/*.ts: the generator's own file, without a line.
    expect(where(findings)).toEqual(['empty-path generators/model.ts']);
  });

  it('reports a JSX object in a .tsx/.jsx template once, as jsx-braces (an error when Handlebars would fail on it), not escaped or raw ones', async () => {
    const findings = await lint({
      'c.tsx.hbs': [
        'export const {{pascalCase name}} = () => (',
        "  <div style={{ color: 'red' }} data-x=\\{{ a: 1 }}>",
        '    <span style={{color}} title={{json name}}>{{name}}</span>',
        "    {{{{raw}}}}<p style={{ margin: 0 }} />{{{{/raw}}}}",
        '  </div>',
        ');',
      ].join('\n'),
      'plain.md.hbs': "style={{ color: 'red' }}\n",
    });
    // No unknown-helper "color:" and no undefined-variable "color" beside them; plain.md.hbs is not JSX.
    expect(findings.map((f) => `${f.severity} ${where([f])[0]}`)).toEqual([
      `error jsx-braces ${F}c.tsx.hbs:2:14`,
      `error jsx-braces ${F}c.tsx.hbs:3:17`,
      `error unknown-helper ${F}plain.md.hbs:1:10`,
    ]);
    expect(findings[0].message).toBe(
      `"{{ color: 'red' }}" looks like a JSX object, not a Handlebars expression (as Handlebars it calls a helper that does not exist); write \\{{ color: 'red' }} to output it as is, or wrap the JSX in {{{{raw}}}}…{{{{/raw}}}}`,
    );
    expect(findings[1].message).toContain('(as Handlebars it names a variable template.yaml does not declare)');
  });

  it('a JSX object that breaks the Handlebars syntax is one jsx-braces error, not a syntax error besides', async () => {
    const findings = await lint({ 'd.jsx.hbs': '<div>{{name}}</div>\n<p style={{ margin: 0, padding: 1 }} />\n' });
    expect(where(findings)).toEqual([`jsx-braces ${F}d.jsx.hbs:2:10`]);
    expect(findings[0].severity).toBe('error');
    expect(findings[0].message).toContain('(as Handlebars it does not parse)');
  });

  it('reports an invalid template.yaml and invalid fixtures as findings with positions', async () => {
    const bad = await lint({ 'a.md.hbs': '{{name}}' }, { manifest: manifestYaml('card', { extra: 'colour: blue' }) });
    expect(where(bad)).toEqual(['manifest templates/card/template.yaml:14:1']);
    const fixtures = await lint({ 'a.md.hbs': '{{name}}' }, { manifest: manifestYaml('card', { fixtures: '  one:\n    name: 7' }) });
    expect(where(fixtures)).toEqual(['fixture templates/card/template.yaml:11:11']);
  });

  it('warns about generator prompts that variables does not declare', async () => {
    const root = templateWorkspace('card', { 'a.md.hbs': '{{name}}' });
    const fs = await import('node:fs');
    const path = await import('node:path');
    const file = path.join(root, 'generators/card.mjs');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('prompts: []', "prompts: [{ name: 'name', message: 'n' }, { name: 'color', message: 'c' }]"));
    const { catalog, template } = catalogOf(root, 'card');
    const findings = await lintTemplate(template, catalog);
    expect(findings.map((f) => [f.rule, f.message])).toEqual([
      ['undeclared-prompt', 'generator "card" asks "color", which variables does not declare (fixtures cannot be checked against it)'],
    ]);
  });

  it('a template naming a generator the workspace lacks is a finding, not a crash', async () => {
    const findings = await lint({ 'a.md.hbs': '{{name}}' }, { manifest: manifestYaml('card', { extra: 'generator: nowhere' }) });
    expect(findings.map((f) => [f.rule, f.file])).toEqual([['generator', 'templates/card/template.yaml']]);
  });

  it('lintWorkspaceTemplates (the templates-lint check) lints workspace templates only and tags messages with the rule', async () => {
    const root = templateWorkspace('card', { 'a.md.hbs': '{{name}} {{oops}}' });
    const findings = await lintWorkspaceTemplates(root);
    expect(findings).toEqual([
      { severity: 'error', file: `${F}a.md.hbs`, line: 1, column: 12, message: 'variable "oops" is not declared in templates/card/template.yaml (variables or data) [undefined-variable]' },
    ]);
  });

  it('the built-in templates are lint-clean', async () => {
    const catalog = new TemplateCatalog(null, builtins());
    for (const t of listTemplateLocations(null)) expect(await lintTemplate(t, catalog), t.name).toEqual([]);
  });
});

describe('unsafePathReason', () => {
  it.each([
    ['', 'is empty'],
    ['/etc/passwd', 'is absolute'],
    ['C:/x', 'is absolute'],
    ['a/../../b', 'leaves its folder ("..")'],
    ['a//b', 'has an empty folder or file name'],
    ['a/b?.ts', 'has a character file systems refuse in "b?.ts"'],
  ])('%s %s', (p, reason) => expect(unsafePathReason(p)).toBe(reason));

  it('accepts ordinary relative paths', () => expect(unsafePathReason('src/my-file.ts')).toBeUndefined());
});
