import { describe, expect, it } from 'vitest';
import { testTemplate } from '../../../src/templates/snapshot-test.js';
import { verifyOutput } from '../../../src/templates/verify.js';
import { PACKAGE_ROOT } from '../../../src/core/package-root.js';
import { catalogOf, manifestYaml, templateWorkspace } from './helpers.js';

const files = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe('verifyOutput', () => {
  it('tsc: valid TypeScript passes; invalid TypeScript fails with the compiler message and position', async () => {
    const ok = await verifyOutput(files({ 'src/a.ts': 'export const a: number = 1;\n' }), [{ kind: 'tsc' }], PACKAGE_ROOT, {});
    expect(ok).toEqual([{ check: 'tsc', ok: true, output: '' }]);
    const bad = await verifyOutput(files({ 'src/a.ts': 'export const a: number = "one";\n' }), [{ kind: 'tsc' }], PACKAGE_ROOT, {});
    expect(bad[0].ok).toBe(false);
    expect(bad[0].output).toContain("src/a.ts(1,14): error TS2322: Type 'string' is not assignable to type 'number'.");
  }, 120_000);

  it('tsc uses a rendered tsconfig.json when there is one', async () => {
    const tsconfig = JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext' }, include: ['src'] });
    const r = await verifyOutput(files({ 'p/tsconfig.json': tsconfig, 'p/src/a.ts': 'export function f(x) { return x; }\n', 'p/other.ts': 'const n: number = "x";\n' }), [{ kind: 'tsc' }], PACKAGE_ROOT, {});
    // Only src/ is in the project: the implicit any there fails, other.ts is not compiled.
    expect(r[0].ok).toBe(false);
    expect(r[0].output).toContain('src/a.ts(1,19): error TS7006');
    expect(r[0].output).not.toContain('other.ts');
  }, 120_000);

  it('node-check, json (with line and column) and a custom command in a rendered cwd', async () => {
    const r = await verifyOutput(
      files({ 'ok.mjs': 'export const x = 1;\n', 'bad.cjs': 'module.exports = {\n', 'good.json': '{"a": 1}\n', 'bad.json': '{\n  "a": 1,\n}\n', 'out/my-app/marker': 'x' }),
      [{ kind: 'node-check' }, { kind: 'json' }, { kind: 'command', command: 'test -f marker', cwd: 'out/{{kebabCase name}}' }, { kind: 'command', command: 'echo broken >&2; exit 3' }],
      PACKAGE_ROOT,
      { name: 'My App' },
    );
    expect(r.map((x) => [x.check, x.ok])).toEqual([
      ['node-check', false],
      ['json', false],
      ['command: test -f marker', true],
      ['command: echo broken >&2; exit 3', false],
    ]);
    expect(r[0].output).toContain('bad.cjs');
    expect(r[1].output).toMatch(/^bad\.json:3:1: /);
    expect(r[3].output).toBe('broken');
  });
});

describe('template test --verify', () => {
  it('a template that renders invalid TypeScript fails with the compiler message, though its snapshot matches', async () => {
    const root = templateWorkspace(
      'card',
      { '{{kebabCase name}}.ts.hbs': 'export const {{camelCase name}}: number = {{json name}};\n' },
      { manifest: manifestYaml('card', { extra: 'checks:\n  - tsc', fixtures: '  one:\n    name: Typed' }) },
    );
    const { catalog, template } = catalogOf(root, 'card');
    await testTemplate(template, catalog);
    const o = await testTemplate(template, catalog, { verify: true });
    expect(o.fixtures[0].status).toBe('passed');
    expect(o.fixtures[0].ok).toBe(false);
    expect(o.fixtures[0].verify).toEqual([
      { check: 'tsc', ok: false, output: expect.stringContaining("out/typed/typed.ts(1,14): error TS2322: Type 'string' is not assignable to type 'number'.") },
    ]);
  }, 120_000);
});
