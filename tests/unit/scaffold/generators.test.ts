import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { Tree } from '../../../src/engine/tree.js';
import { listScaffoldGenerators, runScaffold } from '../../../src/templates/scaffold/run.js';
import type { FileChange } from '../../../src/engine/tree.js';
import { builtin, builtins, diskState, metarepoError, tempWorkspace } from './helpers.js';

function byPath(changes: FileChange[]): Record<string, string> {
  return Object.fromEntries(changes.map((c) => [c.path, c.content ?? '']));
}

async function scaffold(name: string, answers: Record<string, unknown>, root = tempWorkspace()) {
  const result = await runScaffold({ root, tree: new Tree(root), generator: builtin(name), answers });
  return { root, result, files: byPath(result.changes) };
}

describe('built-in scaffold generators', () => {
  it('registers ts-library, node-service, model, generator and plugin through the plugin API', () => {
    expect(builtins().map((g) => g.name)).toEqual(['ts-library', 'node-service', 'model', 'generator', 'plugin']);
  });

  it('ts-library writes a scoped package with case helpers rendered, and nothing to disk', async () => {
    const { root, result, files } = await scaffold('ts-library', { name: 'String Utils', scope: 'acme' });
    const dir = 'projects/string-utils';
    expect(Object.keys(files)).toEqual([
      `${dir}/README.md`,
      `${dir}/package.json`,
      `${dir}/src/index.test.ts`,
      `${dir}/src/index.ts`,
      `${dir}/tsconfig.json`,
    ]);
    expect(result.changes.every((c) => c.type === 'create' && c.origin === 'generator ts-library')).toBe(true);
    const pkg = JSON.parse(files[`${dir}/package.json`]);
    expect(pkg).toMatchObject({
      name: '@acme/string-utils',
      type: 'module',
      description: 'A TypeScript library.',
      scripts: { build: 'tsc -p tsconfig.json', test: 'vitest run' },
    });
    expect(JSON.parse(files[`${dir}/tsconfig.json`]).compilerOptions.strict).toBe(true);
    expect(files[`${dir}/src/index.ts`]).toContain("export const STRING_UTILS_PACKAGE = '@acme/string-utils';");
    expect(files[`${dir}/src/index.ts`]).toContain('export function stringUtils(who: string): string {');
    expect(files[`${dir}/src/index.ts`]).toContain('from StringUtils.');
    expect(files[`${dir}/src/index.ts`]).toContain('return `Hello ${who}, from ${STRING_UTILS_PACKAGE}.`;');
    expect(files[`${dir}/src/index.test.ts`]).toContain("import { stringUtils } from './index.js';");
    expect(files[`${dir}/README.md`].split('\n')[0]).toBe('# @acme/string-utils');
    expect(result.project).toEqual({ path: dir, kind: 'ts-library' });
    expect(result.answers).toEqual({ name: 'String Utils', scope: 'acme', description: 'A TypeScript library.' });
    expect(diskState(root)).toEqual({});
  });

  it('ts-library without a scope names the package by its kebab name; JSON stays valid with quotes', async () => {
    const { files } = await scaffold('ts-library', { name: 'dateHelpers', description: 'Dates "done" right' });
    const pkg = JSON.parse(files['projects/date-helpers/package.json']);
    expect(pkg.name).toBe('date-helpers');
    expect(pkg.description).toBe('Dates "done" right');
  });

  it('node-service adds src/server.ts, a start script and the port (coerced from --set text)', async () => {
    const { result, files } = await scaffold('node-service', { name: 'Orders API', port: '8080' });
    const dir = 'projects/orders-api';
    expect(Object.keys(files)).toContain(`${dir}/src/server.ts`);
    expect(files[`${dir}/src/server.ts`]).toContain('const port = Number(process.env.PORT ?? 8080);');
    expect(files[`${dir}/src/server.ts`]).toContain("import { ordersApi } from './index.js';");
    expect(files[`${dir}/src/server.ts`]).toContain("from 'node:http'");
    const pkg = JSON.parse(files[`${dir}/package.json`]);
    expect(Object.keys(pkg.scripts)).toEqual(['build', 'start', 'test']);
    expect(pkg.scripts.start).toBe('node dist/server.js');
    expect(result.answers.port).toBe(8080);
    expect(result.project).toEqual({ path: dir, kind: 'node-service' });
  });

  it('node-service rejects a port that is not a number', async () => {
    const root = tempWorkspace();
    const err = await metarepoError(
      runScaffold({ root, tree: new Tree(root), generator: builtin('node-service'), answers: { name: 'x', port: 'eighty' } }),
    );
    expect(err.message).toContain('not valid');
    expect(err.details.join('\n')).toContain('port: "eighty" is not a number');
  });

  it('model writes a draft-07 schema that compiles and validates an instance with an id', async () => {
    const { files, result } = await scaffold('model', { name: 'Order Line' });
    expect(Object.keys(files)).toEqual(['models/order-line/1.0.0.schema.json']);
    const schema = JSON.parse(files['models/order-line/1.0.0.schema.json']);
    expect(schema).toMatchObject({
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: 'urn:metarepo:model:order-line:1.0.0',
      title: 'OrderLine',
      description: 'One order line.',
      required: ['id'],
    });
    const validate = new Ajv().compile(schema);
    expect(validate({ id: 'a1' })).toBe(true);
    expect(validate({})).toBe(false);
    expect(result.project).toBeUndefined();
  });

  it('generator writes a plopfile-style module that metarepo new then discovers and runs', async () => {
    const { root, files } = await scaffold('generator', { name: 'React Page', description: 'A page.' });
    expect(Object.keys(files)).toEqual([
      'generators/react-page.mjs',
      'templates/react-page/files/README.md.hbs',
      'templates/react-page/template.yaml',
    ]);
    // The starter template keeps its own Handlebars for the new generator to render.
    expect(files['templates/react-page/files/README.md.hbs']).toContain('# {{titleCase name}}');
    expect(parseYaml(files['templates/react-page/template.yaml'])).toMatchObject({ name: 'react-page', version: '1.0.0', description: 'A page.' });

    // Commit by hand (the engine's job) and run the new generator.
    for (const [rel, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), content);
    }
    const listed = await listScaffoldGenerators(root, builtins());
    const entry = listed.find((g) => g.name === 'react-page');
    expect(entry).toMatchObject({ source: 'workspace', description: 'A page.' });
    const tree = new Tree(root);
    const run = await runScaffold({ root, tree, generator: entry!.generator, answers: { name: 'home page' } });
    expect(byPath(run.changes)).toEqual({
      'home-page/README.md': '# Home Page\n\nWritten by the "react-page" generator from templates/react-page/files/README.md.hbs.\n',
    });
  });

  it('missing answers without a terminal name every one and how to pass it', async () => {
    const root = tempWorkspace();
    const err = await metarepoError(runScaffold({ root, tree: new Tree(root), generator: builtin('ts-library'), answers: {} }));
    expect(err.message).toBe('Generator "ts-library" needs answers that were not given: name.');
    expect(err.hint).toContain('--set name=...');
    expect(err.exitCode).toBe(2);
  });

  it('an answer that breaks the name pattern is refused with the generator\'s message', async () => {
    const root = tempWorkspace();
    const err = await metarepoError(runScaffold({ root, tree: new Tree(root), generator: builtin('model'), answers: { name: '9lives' } }));
    expect(err.details).toEqual(['name: Start with a letter; use letters, digits, spaces, "-" or "_".']);
  });

  it('never overwrites a file that exists on disk', async () => {
    const root = tempWorkspace({ 'projects/string-utils/package.json': '{"name":"mine"}\n' });
    const err = await metarepoError(
      runScaffold({ root, tree: new Tree(root), generator: builtin('ts-library'), answers: { name: 'string utils' } }),
    );
    expect(err.message).toBe('File "projects/string-utils/package.json" already exists.');
    expect(err.hint).toContain('skipIfExists');
    expect(diskState(root)).toEqual({ 'projects/string-utils/package.json': '{"name":"mine"}\n' });
  });
});

describe('template.yaml of each built-in template', () => {
  for (const g of builtins()) {
    it(`${g.name}: describes the prompts, and every fixture validates and renders`, async () => {
      const meta = parseYaml(fs.readFileSync(path.join(g.templatesDir, 'template.yaml'), 'utf8'));
      expect(meta).toMatchObject({ name: g.name, version: '1.0.0' });
      expect(typeof meta.description).toBe('string');
      const props = Object.keys(meta.variables.properties);
      expect(props.sort()).toEqual(g.prompts.map((p) => p.name).sort());
      expect(meta.variables.required).toEqual(g.prompts.filter((p) => p.default === undefined).map((p) => p.name));
      const fixtures = Object.entries(meta.fixtures as Record<string, Record<string, unknown>>);
      expect(fixtures.length).toBeGreaterThanOrEqual(2);
      const validate = new Ajv().compile(meta.variables);
      for (const [fixture, answers] of fixtures) {
        expect(validate(answers), `${fixture}: ${JSON.stringify(validate.errors)}`).toBe(true);
        const root = tempWorkspace();
        const result = await runScaffold({ root, tree: new Tree(root), generator: g, answers });
        expect(result.changes.length, fixture).toBeGreaterThan(0);
      }
    });
  }
});

describe('generated TypeScript', () => {
  it('node-service sources type-check with its own strict tsconfig and Node types', async () => {
    const ts = (await import('typescript')).default;
    const { files } = await scaffold('node-service', { name: 'Orders API', scope: 'acme' });
    // Write the project out (as the engine's commit would) to compile it where it stands.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-service-'));
    for (const [rel, content] of Object.entries(files)) {
      const abs = path.join(dir, rel.replace('projects/orders-api/', ''));
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, content);
    }
    const here = path.dirname(new URL(import.meta.url).pathname);
    const config = ts.getParsedCommandLineOfConfigFile(path.join(dir, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
    expect(config.options.strict).toBe(true);
    const options = { ...config.options, noEmit: true, types: ['node'], typeRoots: [path.resolve(here, '../../../node_modules/@types')] };
    expect(config.fileNames.map((f) => path.relative(dir, f)).sort()).toEqual(['src/index.ts', 'src/server.ts']);
    const program = ts.createProgram(config.fileNames, options);
    expect(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  });
});
