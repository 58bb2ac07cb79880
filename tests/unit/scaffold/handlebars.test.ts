import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MetarepoError } from '../../../src/core/errors.js';
import { CASE_HELPERS, checkTemplate, createHandlebars, renderTemplate } from '../../../src/templates/handlebars.js';
import { lintTemplates } from '../../../src/templates/health.js';
import { tempWorkspace } from './helpers.js';

const hb = createHandlebars();
const render = (src: string, data: unknown = {}) => renderTemplate(hb, src, data);

function thrown(fn: () => unknown): MetarepoError {
  try {
    fn();
  } catch (err) {
    if (err instanceof MetarepoError) return err;
    throw err;
  }
  throw new Error('expected a MetarepoError');
}

describe('createHandlebars', () => {
  it('offers every helper name node-plop bakes in, with the same results', () => {
    const input = 'hello big_world';
    const expected: Record<string, string> = {
      camelCase: 'helloBigWorld',
      pascalCase: 'HelloBigWorld',
      properCase: 'HelloBigWorld',
      kebabCase: 'hello-big-world',
      dashCase: 'hello-big-world',
      kabobCase: 'hello-big-world',
      snakeCase: 'hello_big_world',
      constantCase: 'HELLO_BIG_WORLD',
      dotCase: 'hello.big.world',
      pathCase: 'hello/big/world',
      sentenceCase: 'Hello big world',
      capitalCase: 'Hello Big World',
      lowerCase: 'hello big_world',
      upperCase: 'HELLO BIG_WORLD',
      titleCase: 'Hello Big_world',
    };
    expect(Object.keys(CASE_HELPERS).sort()).toEqual(Object.keys(expected).sort());
    for (const [helper, out] of Object.entries(expected)) expect(render(`{{${helper} x}}`, { x: input }), helper).toBe(out);
  });

  it('does not escape HTML and renders json safely', () => {
    expect(render('<{{x}}> {{json x}}', { x: 'a "b" & c' })).toBe('<a "b" & c> "a \\"b\\" & c"');
  });

  it('is isolated: helpers registered on one environment are not on another', () => {
    const a = createHandlebars();
    a.registerHelper('only', () => 'A');
    expect(renderTemplate(a, '{{only}}', {})).toBe('A');
    expect(() => renderTemplate(createHandlebars(), '{{only}}', {})).toThrow(MetarepoError);
  });

  it('strict: a missing variable is an error with its position; #if on a missing one is false', () => {
    const err = thrown(() => renderTemplate(hb, 'a\n  {{nope}}', {}, { file: 'x.hbs' }));
    expect(err.location).toEqual({ file: 'x.hbs', line: 2, column: 5 });
    expect(err.message).toBe('Cannot render template "x.hbs": "nope" not defined in [object Object]');
    expect(render('{{#if nope}}yes{{else}}no{{/if}}')).toBe('no');
    expect(renderTemplate(hb, '[{{nope}}]', {}, {}, false)).toBe('[]');
  });

  it('a case helper without a value names itself', () => {
    const err = thrown(() => render('{{kebabCase name}}'));
    expect(err.message).toContain('Helper "kebabCase" needs a value');
  });

  it('parse errors carry file, line and column; mismatched blocks too', () => {
    expect(thrown(() => checkTemplate(hb, 'ok\n{{#if a}}\n{{/each}}', { file: 't.hbs' })).location).toEqual({ file: 't.hbs', line: 2, column: 4 }); // at "if"
    const err = thrown(() => checkTemplate(hb, 'x\ny {{ / }}', { file: 'u.hbs' }));
    expect(err.location).toEqual({ file: 'u.hbs', line: 2, column: 6 });
    expect(err.message).toMatch(/^Cannot parse template "u.hbs": Parse error on line 2/);
  });
});

describe('lintTemplates', () => {
  it('compiles the built-in templates plus the workspace ones, and lists every file that does not compile', async () => {
    const builtinCount = await lintTemplates(tempWorkspace());
    expect(builtinCount).toBeGreaterThanOrEqual(10);
    const root = tempWorkspace({
      'templates/a/template.yaml': 'name: {{ not handlebars',
      'templates/a/files/ok.hbs': '{{name}}',
      'templates/a/files/bad.hbs': '{{#if x}}',
      'templates/a/files/worse.hbs': '\n{{/if}}',
    });
    const err = await lintTemplates(root).then(
      () => new Error('expected failure'),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(MetarepoError);
    expect((err as MetarepoError).message).toBe('2 template file(s) do not compile.');
    expect((err as MetarepoError).details.map((d) => d.split(':')[0])).toEqual(['templates/a/files/bad.hbs', 'templates/a/files/worse.hbs']);
  });
});

describe('startup cost', () => {
  it('importing the compiled scaffold runner loads neither node-plop, handlebars nor inquirer', () => {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const run = path.resolve(here, '../../../dist/src/templates/scaffold/run.js');
    expect(fs.existsSync(run), 'dist is built by the vitest global setup').toBe(true);
    // A module resolve hook (in Node's loader thread) prints every module URL that gets resolved.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-hook-'));
    fs.writeFileSync(
      path.join(dir, 'hook.mjs'),
      'export async function resolve(s, c, next) { const r = await next(s, c); process.stdout.write("LOADED " + r.url + "\\n"); return r; }\n',
    );
    fs.writeFileSync(
      path.join(dir, 'main.mjs'),
      `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(path.join(dir, 'hook.mjs')).href)});\nawait import(${JSON.stringify(pathToFileURL(run).href)});\n`,
    );
    const out = execFileSync(process.execPath, [path.join(dir, 'main.mjs')], { encoding: 'utf8' });
    const loaded = out.split('\n').filter((l) => l.startsWith('LOADED '));
    expect(loaded.some((l) => l.includes('/templates/scaffold/run.js'))).toBe(true);
    expect(loaded.filter((l) => /node-plop|handlebars|inquirer|tinyglobby/.test(l))).toEqual([]);
  });
});
