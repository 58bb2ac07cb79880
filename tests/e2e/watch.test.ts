import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, metarepo, setTargets, tempDir, writeModel } from './cli.js';

const OUT = 'projects/api/src/user.ts';

function user(props: Record<string, unknown>): Record<string, unknown> {
  return { $schema: 'http://json-schema.org/draft-07/schema#', title: 'User', description: 'A user.', type: 'object', properties: props };
}

/** A running `metarepo watch` whose stdout and stderr are collected. */
class WatchProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  constructor(dir: string, debounceMs = 50) {
    this.child = spawn(process.execPath, [BIN, 'watch', '--debounce', String(debounceMs)], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    this.child.stdout!.on('data', (d) => (this.stdout += d));
    this.child.stderr!.on('data', (d) => (this.stderr += d));
  }
  /** Waits until `stream` (stdout by default) holds `count` lines matching `re`. */
  async lines(re: RegExp, count: number, stream: 'stdout' | 'stderr' = 'stdout', timeoutMs = 20_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hits = this[stream].split('\n').filter((l) => re.test(l));
      if (hits.length >= count) return hits;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${count}× ${re}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  stop(): Promise<number | null> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve(this.child.exitCode);
      this.child.once('exit', (code) => resolve(code));
      this.child.kill('SIGTERM');
    });
  }
}

/**
 * Polls until `file` satisfies `test`. The limit only ends the wait for a change that never comes: how fast a save
 * reaches the disk is a figure of `npm run bench` (bench/watch.mjs), not something a test can assert on a busy machine.
 */
async function until(file: string, test: (text: string) => boolean, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (test(text)) return;
    if (Date.now() - started > timeoutMs) throw new Error(`${file} did not change within ${timeoutMs} ms:\n${text}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let running: WatchProcess | undefined;

/** The types of the events logged in `dir`, of those whose data passes `keep` (default: all). */
function eventTypes(dir: string, keep: (data: { origin?: string }) => boolean = () => true): string[] {
  const events = fs.readFileSync(path.join(dir, '.metarepo/events/events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  return events.filter((e) => keep(e.data ?? {})).map((e) => e.type);
}

/** A workspace with one model and one target, and `metarepo watch` running in it past its first run. */
async function watching(opts: { debounceMs?: number; setup?: (dir: string) => void } = {}): Promise<{ dir: string; w: WatchProcess }> {
  const dir = tempDir();
  expect(metarepo(dir, ['init', '--name', 'demo']).code).toBe(0);
  writeModel(dir, 'user', '1.0.0', user({ id: { type: 'string' } }));
  setTargets(dir, ['  - model: user', '    generator: typescript', `    output: ${OUT}`]);
  opts.setup?.(dir);
  const w = (running = new WatchProcess(dir, opts.debounceMs));
  await w.lines(/^watching /, 1);
  return { dir, w };
}
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe('metarepo watch', () => {
  it('regenerates on a model edit, publishes events, survives a broken model and recovers', async () => {
    const { dir, w } = await watching();
    const out = path.join(dir, OUT);
    expect(fs.readFileSync(out, 'utf8')).toMatch(/id\?: string/);
    expect(w.stdout).toMatch(/run 1: 1 rendered, 0 up to date, 1 file\(s\) written/);

    writeModel(dir, 'user', '1.0.0', user({ id: { type: 'string' }, email: { type: 'string' } }));
    await until(out, (t) => /email\?: string/.test(t));
    await w.lines(/run 2 \(models\/user\/1\.0\.0\.schema\.json\): 1 rendered/, 1);
    const events = fs.readFileSync(path.join(dir, '.metarepo/events/events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(events.filter((e) => e.type === 'core:file:modified' && e.data.path === OUT)).toHaveLength(1);
    expect(events.filter((e) => e.type === 'core:generate:finished').length).toBeGreaterThanOrEqual(2);

    fs.writeFileSync(path.join(dir, 'models/user/1.0.0.schema.json'), '{ "type": "object", "properties": { "id": ');
    await w.lines(/run \d+ \(models\/user\/1\.0\.0\.schema\.json\): failed .*models\/user\/1\.0\.0\.schema\.json:1:\d+/, 1);
    // stderr is a separate pipe: its report may arrive after the stdout line.
    const [report] = await w.lines(/^error /, 1, 'stderr');
    expect(report).toContain('models/user/1.0.0.schema.json');
    expect(w.child.exitCode).toBeNull();
    expect(fs.readFileSync(out, 'utf8')).toMatch(/email\?: string/);
    expect(eventTypes(dir)).toContain('core:generate:failed');

    writeModel(dir, 'user', '1.0.0', user({ id: { type: 'string' }, age: { type: 'integer' } }));
    await until(out, (t) => /age\?: number/.test(t) && !/email/.test(t));
    expect(await w.stop()).toBe(0);
  });

  it('runs once per burst of saves and never overlaps runs', async () => {
    // A debounce far longer than the five writes take, so they fall in one window even on a loaded machine.
    const { dir, w } = await watching({ debounceMs: 300 });
    for (let i = 0; i < 5; i++) writeModel(dir, 'user', '1.0.0', user({ id: { type: 'string' }, [`p${i}`]: { type: 'string' } }));
    await until(path.join(dir, OUT), (t) => /p4\?: string/.test(t));
    await w.lines(/^\d\d:\d\d:\d\d run 2 /, 1);
    await new Promise((r) => setTimeout(r, 800));
    // The start-up run, then one run for the whole burst.
    const runs = w.stdout.split('\n').filter((l) => / run \d+/.test(l));
    expect(runs).toHaveLength(2);
    // Runs never overlap: in the event log every generate run finishes before the next one starts.
    const phases = fs
      .readFileSync(path.join(dir, '.metarepo/events/events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).type)
      .filter((t: string) => t === 'core:generate:started' || t === 'core:generate:finished');
    expect(phases.length).toBe(runs.length * 2);
    phases.forEach((t: string, i: number) => expect(t).toBe(i % 2 === 0 ? 'core:generate:started' : 'core:generate:finished'));
  });

  it("regenerates when a workspace generator's template or module changes", async () => {
    const greet = 'docs/greet.txt';
    const { dir, w } = await watching({
      setup: (d) => {
        const plugin = path.join(d, 'plugins/greet');
        fs.mkdirSync(plugin, { recursive: true });
        fs.mkdirSync(path.join(d, 'templates/greet'), { recursive: true });
        fs.writeFileSync(path.join(d, 'templates/greet/greeting.txt'), 'Hello');
        const manifest = { engines: { metarepo: '^0.1.0' }, contributes: { generators: ['greet'] } };
        fs.writeFileSync(path.join(plugin, 'package.json'), JSON.stringify({ name: 'greet', version: '1.0.0', type: 'module', main: 'index.mjs', metarepo: manifest }));
        fs.writeFileSync(
          path.join(plugin, 'index.mjs'),
          [
            "const template = new URL('../../templates/greet/greeting.txt', import.meta.url).href;",
            "export default { name: 'greet', setup(api) { api.registerCodegen({ name: 'greet', version: '1.0.0', module: new URL('./generate.mjs', import.meta.url).href, inputs: [template] }); } };",
          ].join('\n'),
        );
        const generateModule = (suffix: string) =>
          `import fs from 'node:fs';\nexport async function generate(input) {\n  const text = fs.readFileSync(new URL('../../templates/greet/greeting.txt', import.meta.url), 'utf8');\n  return [{ path: input.output, content: text + ' ' + input.model.name + '${suffix}' }];\n}\n`;
        fs.writeFileSync(path.join(plugin, 'generate.mjs'), generateModule('!'));
        fs.appendFileSync(path.join(d, 'metarepo.yaml'), `  - model: user\n    generator: greet\n    output: ${greet}\n`);
      },
    });
    const out = path.join(dir, greet);
    expect(fs.readFileSync(out, 'utf8')).toBe('Hello user!');

    fs.writeFileSync(path.join(dir, 'templates/greet/greeting.txt'), 'Hi');
    await until(out, (t) => t === 'Hi user!');
    await w.lines(/run 2 \(templates\/greet\/greeting\.txt\): 1 rendered, 1 up to date/, 1);

    const module = path.join(dir, 'plugins/greet/generate.mjs');
    fs.writeFileSync(module, fs.readFileSync(module, 'utf8').replace("'!'", "'?'"));
    await until(out, (t) => t === 'Hi user?');
    await w.lines(/run 3 \(plugins\/greet\/generate\.mjs\): 1 rendered, 1 up to date/, 1);
    // The typescript target's inputs did not change: it was not rendered again. (The edits by hand are
    // core:file:modified too, from fs-watch, with origin "outside".)
    expect(eventTypes(dir, (data) => data.origin !== 'outside').filter((t) => t === 'core:file:modified')).toHaveLength(2);
  });

  it.each(['in-process', 'process'])('reloads a %s plugin whose setup code breaks and is then fixed, without restarting', async (isolation) => {
    const out = 'docs/greet.txt';
    const plugin = (d: string) => path.join(d, 'plugins/greet');
    // Which generator module setup registers comes from a module setup imports: only a fresh import sees a change.
    // The plugin folder is an input, so any edit re-renders (a process plugin's generator module is not hashed).
    const index = (body: string) =>
      "import { which } from './which.mjs';\n" +
      `export default { name: 'greet', setup(api) { ${body} api.registerCodegen({ name: 'greet', version: '1.0.0', module: new URL('./' + which, import.meta.url).href, inputs: [new URL('.', import.meta.url).href] }); } };\n`;
    const generator = (word: string) => `export async function generate(input) { return [{ path: input.output, content: '${word} ' + input.model.name }]; }\n`;
    const { dir, w } = await watching({
      setup: (d) => {
        fs.mkdirSync(plugin(d), { recursive: true });
        const manifest = { engines: { metarepo: '^0.1.0' }, isolation, contributes: { generators: ['greet'] } };
        fs.writeFileSync(path.join(plugin(d), 'package.json'), JSON.stringify({ name: 'greet', version: '1.0.0', type: 'module', main: 'index.mjs', metarepo: manifest }));
        fs.writeFileSync(path.join(plugin(d), 'index.mjs'), index(''));
        fs.writeFileSync(path.join(plugin(d), 'which.mjs'), "export const which = 'hello.mjs';\n");
        fs.writeFileSync(path.join(plugin(d), 'hello.mjs'), generator('Hello'));
        fs.writeFileSync(path.join(plugin(d), 'hi.mjs'), generator('Hi'));
        fs.appendFileSync(path.join(d, 'metarepo.yaml'), `  - model: user\n    generator: greet\n    output: ${out}\n`);
      },
    });
    const file = path.join(dir, out);
    expect(fs.readFileSync(file, 'utf8')).toBe('Hello user');
    fs.writeFileSync(path.join(plugin(dir), 'index.mjs'), index("throw new Error('setup is broken');"));
    await w.lines(/run 2 \(plugins\/greet\/index\.mjs\): .*failed.*setup is broken/, 1);
    fs.writeFileSync(path.join(plugin(dir), 'index.mjs'), index(''));
    await w.lines(/run 3 \(plugins\/greet\/index\.mjs\): /, 1);
    expect(w.stdout).not.toMatch(/run 3 .*failed/);
    fs.writeFileSync(path.join(plugin(dir), 'which.mjs'), "export const which = 'hi.mjs';\n");
    await until(file, (t) => t === "Hi user").catch((e: Error) => { throw new Error(`${e.message}\nstdout:\n${w.stdout}\nstderr:\n${w.stderr}`); });
    expect(w.child.exitCode).toBeNull();
  });
});
