// The caches that make a generate with nothing to do cheap (.metarepo/cache/: models.json, files.json, plugins.json,
// config.json) must never hide a change: once they are warm, `generate --check` still sees every edit of a model, a
// referenced model, a new version, metarepo.yaml, a workspace generator's code, an output, a plugin and its checks.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { metarepoAsync, setTargets, tempDir, writeModel, type CliResult } from './cli.js';

const common = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Common',
  description: 'Shared definitions.',
  definitions: { id: { type: 'string' } },
};
const model = (title: string, extra: Record<string, unknown> = {}) => ({
  $schema: 'http://json-schema.org/draft-07/schema#',
  title,
  description: `${title}, a model.`,
  type: 'object',
  properties: { id: { $ref: '../common/1.0.0.schema.json#/definitions/id' }, ...extra },
});

/** Past the timestamp granularity the caches allow for (src/core/stamps.ts), so what the next run learns is kept. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 250));

async function warmWorkspace(): Promise<string> {
  const dir = tempDir();
  expect((await metarepoAsync(dir, ['init', '--name', 'caches'])).code).toBe(0);
  writeModel(dir, 'common', '1.0.0', common);
  for (const name of ['a', 'b', 'c']) writeModel(dir, name, '1.0.0', model(name.toUpperCase()));
  setTargets(dir, ['a', 'b', 'c'].flatMap((n) => [`  - model: ${n}@^1`, '    generator: typescript', `    output: gen/${n}.ts`]));
  expect((await metarepoAsync(dir, ['generate'])).code).toBe(0);
  await warm(dir);
  for (const cache of ['models.json', 'files.json', 'plugins.json', 'config.json']) expect(fs.existsSync(path.join(dir, '.metarepo/cache', cache)), cache).toBe(true);
  return dir;
}

/** Two settled runs: the first learns what changed, the second runs on warm caches. */
async function warm(dir: string): Promise<void> {
  await settle();
  await metarepoAsync(dir, ['generate', '--check']);
  await settle();
}

async function check(dir: string): Promise<CliResult & { out: string }> {
  const r = await metarepoAsync(dir, ['generate', '--check']);
  return { ...r, out: `${r.stdout}${r.stderr}` };
}

async function regenerate(dir: string): Promise<void> {
  const r = await metarepoAsync(dir, ['generate']);
  expect(r.code, r.stderr).toBe(0);
  await warm(dir);
  expect((await check(dir)).code).toBe(0);
}

describe('generate --check on warm caches', () => {
  it('sees edits of a model (same size, even with its modification time put back), a referenced model, a new version and metarepo.yaml', async () => {
    const dir = await warmWorkspace();
    // Warm: the run plans from the cache and loads no model (no core:model:loaded event).
    const loaded = () => fs.readFileSync(path.join(dir, '.metarepo/events/events.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"core:model:loaded"')).length;
    const before = loaded();
    expect((await check(dir)).code).toBe(0);
    expect(loaded()).toBe(before);

    const a = path.join(dir, 'models/a/1.0.0.schema.json');
    fs.writeFileSync(a, fs.readFileSync(a, 'utf8').replace('"title": "A"', '"title": "Z"'));
    let r = await check(dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('gen/a.ts');
    await regenerate(dir);

    const times = fs.statSync(a);
    fs.writeFileSync(a, fs.readFileSync(a, 'utf8').replace('"title": "Z"', '"title": "Y"'));
    fs.utimesSync(a, times.atime, times.mtime);
    expect((await check(dir)).code).toBe(1);
    await regenerate(dir);

    const shared = path.join(dir, 'models/common/1.0.0.schema.json');
    fs.writeFileSync(shared, fs.readFileSync(shared, 'utf8').replace('"type": "string"', '"type": "number"'));
    r = await check(dir);
    expect(r.code).toBe(1);
    for (const n of ['a', 'b', 'c']) expect(r.out).toContain(`gen/${n}.ts`);
    await regenerate(dir);

    writeModel(dir, 'b', '1.1.0', model('B', { more: { type: 'string' } }));
    r = await check(dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('gen/b.ts');
    await regenerate(dir);

    const cfg = path.join(dir, 'metarepo.yaml');
    fs.writeFileSync(cfg, fs.readFileSync(cfg, 'utf8').replace('output: gen/c.ts', 'output: gen/c.ts\n    options: { bannerComment: "// c" }'));
    r = await check(dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('gen/c.ts');
    await regenerate(dir);

    fs.rmSync(path.join(dir, 'models/c'), { recursive: true });
    r = await check(dir);
    expect(r.code).toBe(2);
    expect(r.out).toContain('Unknown model "c"');
  }, 240_000);

  it('sees a deleted output and conflict markers written into one; a hand edit is still refused by generate', async () => {
    const dir = await warmWorkspace();
    fs.rmSync(path.join(dir, 'gen/b.ts'));
    expect((await check(dir)).code).toBe(1);
    await regenerate(dir);

    const out = path.join(dir, 'gen/a.ts');
    const text = fs.readFileSync(out, 'utf8');
    fs.writeFileSync(out, `${text}<<<<<<< ours\nx\n=======\ny\n>>>>>>> theirs\n`);
    const r = await check(dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('conflict markers in gen/a.ts');

    fs.writeFileSync(out, text.replace('export', 'export '));
    const refused = await metarepoAsync(dir, ['generate']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('edited by hand');
    expect(fs.readFileSync(out, 'utf8')).toBe(text.replace('export', 'export '));
  }, 240_000);

  it("sees a workspace generator's code change, and a plugin whose check fails", async () => {
    const dir = await warmWorkspace();
    const plugin = path.join(dir, 'plugins/my-gen');
    fs.mkdirSync(plugin, { recursive: true });
    fs.writeFileSync(path.join(plugin, 'package.json'), JSON.stringify({ name: 'my-gen', version: '1.0.0', type: 'module', main: 'index.mjs', metarepo: { engines: { metarepo: '^0.1.0' }, contributes: { generators: ['mine'] } } }));
    fs.writeFileSync(path.join(plugin, 'index.mjs'), "export default { name: 'my-gen', setup(api) { api.registerCodegen({ name: 'mine', version: '1.0.0', module: new URL('./gen.mjs', import.meta.url).href }); } };\n");
    const generator = (v: string) => `export async function generate(input) { return [{ path: input.output, content: '${v} ' + input.model.name + '\\n' }]; }\n`;
    fs.writeFileSync(path.join(plugin, 'gen.mjs'), generator('v1'));
    const cfg = path.join(dir, 'metarepo.yaml');
    fs.writeFileSync(cfg, `${fs.readFileSync(cfg, 'utf8')}  - model: a@^1\n    generator: mine\n    output: gen/mine.txt\n`);
    await regenerate(dir);

    fs.writeFileSync(path.join(plugin, 'gen.mjs'), generator('v2'));
    const r = await check(dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('gen/mine.txt');
    await regenerate(dir);
    expect(fs.readFileSync(path.join(dir, 'gen/mine.txt'), 'utf8')).toBe('v2 a\n');

    const gate = path.join(dir, 'plugins/gate');
    fs.mkdirSync(gate);
    fs.writeFileSync(path.join(gate, 'package.json'), JSON.stringify({ name: 'gate', version: '1.0.0', type: 'module', main: 'index.mjs', metarepo: { engines: { metarepo: '^0.1.0' }, contributes: { checks: ['closed'] } } }));
    fs.writeFileSync(path.join(gate, 'index.mjs'), "export default { name: 'gate', setup(api) { api.registerCheck({ name: 'closed', description: 'x', run: () => [{ severity: 'error', message: 'the gate is closed' }] }); } };\n");
    for (const args of [['generate', '--check'], ['generate']]) {
      const gated = await metarepoAsync(dir, args);
      expect(gated.code, args.join(' ')).toBe(1);
      expect(`${gated.stdout}${gated.stderr}`).toContain('the gate is closed');
    }
  }, 240_000);
});
