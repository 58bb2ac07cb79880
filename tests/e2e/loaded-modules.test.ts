// What a command loads is part of what it costs (issue 12): a no-op `generate` and `metarepo new` of a plopfile
// generator must not load modules they do not use. The CLI runs with tests/support/module-trace.mjs preloaded, which
// lists every module the process loaded.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, metarepoAsync, setTargets, tempDir, writeModel } from './cli.js';

const TRACER = pathToFileURL(path.join(REPO_ROOT, 'tests/support/module-trace.mjs')).href;

/** Runs the CLI with the module tracer; returns its result and the modules it loaded (URLs and paths). */
async function traced(dir: string, args: string[]): Promise<{ code: number; stdout: string; modules: string[] }> {
  const file = path.join(tempDir('metarepo-trace-'), 'modules.txt');
  const r = await metarepoAsync(dir, args, { env: { NODE_OPTIONS: `--import=${TRACER}`, MODULE_TRACE: file } });
  return { ...r, modules: fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) };
}

const loaded = (modules: string[], part: string) => modules.filter((m) => m.replaceAll('\\', '/').includes(part));

describe('modules loaded', () => {
  it('a no-op generate loads the generator plugins its targets use, and neither semver nor unused plugins', async () => {
    const dir = tempDir();
    expect((await metarepoAsync(dir, ['init', '--name', 'trace'])).code).toBe(0);
    for (const name of ['a', 'b']) writeModel(dir, name, '1.0.0', { $schema: 'http://json-schema.org/draft-07/schema#', title: name, description: `${name}.`, type: 'object' });
    setTargets(dir, ['a', 'b'].flatMap((n) => [`  - model: ${n}@^1`, '    generator: typescript', `    output: gen/${n}.ts`]));
    expect((await metarepoAsync(dir, ['generate'])).code).toBe(0);
    // Past the caches' timestamp granularity (src/core/stamps.ts), then one run that fills them.
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await metarepoAsync(dir, ['generate'])).code).toBe(0);
    for (const args of [['generate'], ['generate', '--check']]) {
      const r = await traced(dir, args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/2 targets: 0 rendered, 2 up to date, nothing to write|all 2 targets are up to date/);
      expect(loaded(r.modules, 'plugins/codegen-typescript/index.js'), 'the tracer sees plugin modules').toHaveLength(1);
      expect(loaded(r.modules, 'node_modules/semver/')).toEqual([]);
      expect(loaded(r.modules, 'plugins/codegen-quicktype/')).toEqual([]);
      expect(loaded(r.modules, 'node_modules/json-schema-to-typescript/')).toEqual([]);
    }
  });

  it('new with a plopfile generator, answered on the command line, loads no codegen plugin and no inquirer', async () => {
    const dir = tempDir();
    expect((await metarepoAsync(dir, ['init', '--name', 'trace'])).code).toBe(0);
    fs.writeFileSync(
      path.join(dir, 'plopfile.js'),
      `export default function (plop) {
  plop.setGenerator('note', {
    description: 'a note',
    prompts: [{ type: 'input', name: 'name', message: 'Name?' }],
    actions: [{ type: 'add', path: 'notes/{{kebabCase name}}.md', template: '# {{titleCase name}}\\n' }],
  });
}
`,
    );
    // The first run in a workspace discovers the plugins (reading their manifests needs semver) and caches that.
    expect((await metarepoAsync(dir, ['new', 'note', 'Warm Up'])).code).toBe(0);
    const r = await traced(dir, ['new', 'note', 'First Note']);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'notes/first-note.md'), 'utf8')).toBe('# First Note\n');
    expect(loaded(r.modules, 'node_modules/node-plop/'), 'the tracer sees node-plop').not.toEqual([]);
    expect(loaded(r.modules, 'plugins/codegen-')).toEqual([]);
    expect(loaded(r.modules, 'node_modules/inquirer/')).toEqual([]);
    expect(loaded(r.modules, 'node_modules/semver/')).toEqual([]);
  });
});
