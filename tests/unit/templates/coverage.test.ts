import { describe, expect, it } from 'vitest';
import { coveredBlocks } from '../../../src/templates/coverage.js';
import { createHandlebars } from '../../../src/templates/handlebars.js';
import { testTemplate } from '../../../src/templates/snapshot-test.js';
import { catalogOf, manifestYaml, templateWorkspace } from './helpers.js';

const TEMPLATE = [
  '# {{name}}', // 1
  '{{#if withTests}}tests{{else}}no tests{{/if}}', // 2
  '{{#each tags}}- {{this}}{{else}}no tags{{/each}}', // 3
  '{{#unless private}}public{{/unless}}', // 4
  '{{#with owner}}{{login}}{{/with}}', // 5
  '{{#if a}}a{{else if b}}b{{/if}}', // 6
  '',
].join('\n');

const VARIABLES = [
  '    withTests: { type: boolean, default: false }',
  '    tags: { type: array, items: { type: string }, default: [] }',
  '    private: { type: boolean, default: false }',
  '    owner: { type: object }',
  '    a: { type: boolean, default: false }',
  '    b: { type: boolean, default: false }',
].join('\n');

async function coverage(fixtures: string) {
  const root = templateWorkspace('card', { 'README.md.hbs': TEMPLATE }, { manifest: manifestYaml('card', { variables: VARIABLES, fixtures }) });
  const { catalog, template } = catalogOf(root, 'card');
  return (await testTemplate(template, catalog, { coverage: true })).coverage!;
}

const missed = (c: Awaited<ReturnType<typeof coverage>>) => c.missed.map((m) => `${m.line}:${m.column} ${m.helper} ${m.branch}`);

describe('branch coverage', () => {
  it('finds every branch a single fixture never renders, with file, line and column', async () => {
    const c = await coverage('  one:\n    name: Solo');
    expect(c.template).toBe('card');
    expect(c.branches).toBe(12);
    expect(missed(c)).toEqual([
      '2:1 if then',
      '3:1 each non-empty',
      '4:1 unless else',
      '5:1 with then',
      '6:1 if then',
      '6:11 if then',
    ]);
    expect(c.missed[0].file).toBe('templates/card/files/README.md.hbs');
    expect(c.covered).toBe(6);
  });

  it('fixtures that take the other branches bring it to full coverage', async () => {
    const c = await coverage(
      [
        '  plain:\n    name: Plain',
        '  full:\n    name: Full\n    withTests: true\n    tags: [x]\n    private: true\n    owner: { login: me }\n    a: true',
        '  only-b:\n    name: B\n    b: true',
      ].join('\n'),
    );
    expect(missed(c)).toEqual([]);
    expect(c.covered).toBe(c.branches);
  });

  it('counts the files a generator renders from another template\'s folder, not only the template\'s own', async () => {
    // Like node-service, which renders ts-library's files: card's generator also renders templates/base/files/.
    const generator = `export default function (plop) {
  plop.setGenerator('card', {
    description: 'card',
    prompts: [],
    actions: [
      { type: 'addMany', destination: 'out/{{kebabCase name}}', base: '../templates/card/files', templateFiles: '../templates/card/files/**' },
      { type: 'addMany', destination: 'out/{{kebabCase name}}', base: '../templates/base/files', templateFiles: '../templates/base/files/**' },
    ],
  });
}
`;
    const root = templateWorkspace(
      'card',
      { 'README.md.hbs': '# {{name}}\n{{#if withTests}}Tested.{{/if}}\n' },
      {
        manifest: manifestYaml('card', { variables: '    withTests: { type: boolean, default: false }', fixtures: '  one:\n    name: Solo' }),
        more: {
          'generators/card.mjs': generator,
          'templates/base/files/package.json.hbs': '{\n{{#if withTests}}  "test": "vitest"\n{{/if}}\n}\n',
          'templates/base/other/never.txt.hbs': 'no action renders this: {{#if x}}x{{/if}}\n',
        },
      },
    );
    const { catalog, template } = catalogOf(root, 'card');
    const o = await testTemplate(template, catalog, { coverage: true });
    expect(o.fixtures.map((f) => f.status)).toEqual(['written']);
    const c = o.coverage!;
    // Its own file and the one it renders from templates/base/files/; not templates/base/other/, which no action renders.
    expect(c.missed.map((m) => `${m.file}:${m.line}:${m.column} ${m.helper} ${m.branch}`)).toEqual([
      'templates/base/files/package.json.hbs:2:1 if then',
      'templates/card/files/README.md.hbs:2:1 if then',
    ]);
    expect(c.branches).toBe(4);
    expect(c.covered).toBe(2);
  });

  it('coveredBlocks lists if/unless/each/with blocks, else-if chains included, and nothing else', () => {
    const hb = createHandlebars();
    expect(coveredBlocks(hb.parse('{{#if a}}{{#each b}}{{#custom}}{{/custom}}{{/each}}{{else if c}}{{/if}}{{kebabCase x}}'))).toEqual([
      { helper: 'if', line: 1, column: 0 },
      { helper: 'each', line: 1, column: 9 },
      { helper: 'if', line: 1, column: 51 },
    ]);
  });
});
