// Issue 13, item 6b: outside edits are events too. While `metarepo watch` runs, the built-in fs-watch plugin
// publishes core:file:created|modified|deleted with origin "outside" for files changed by hand, ignores
// .metarepo/, node_modules/ and .git/, folds a burst of saves into one event, and does not report metarepo's own
// writes (the watch run's generated file) a second time. Counts and polls, no timing assertions.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, metarepoAsync, setTargets, tempDir } from './cli.js';

interface Logged {
  type: string;
  source: string;
  data: { path?: string; origin?: string; target?: string };
}

/** Every event logged so far in the workspace's live log. */
function logged(dir: string): Logged[] {
  const file = path.join(dir, '.metarepo/events/events.jsonl');
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Logged);
}

/** The outside edits logged so far, as `<type> <path>`. */
function outside(dir: string): string[] {
  return logged(dir)
    .filter((e) => e.type.startsWith('core:file:') && e.data.origin === 'outside')
    .map((e) => `${e.type} ${e.data.path}`);
}

const running: ChildProcess[] = [];
afterEach(async () => {
  for (const child of running.splice(0)) {
    const closed = new Promise((resolve) => child.once('close', resolve));
    child.kill('SIGTERM');
    await closed;
  }
});

const USER = { title: 'User', description: 'A user.', type: 'object', properties: { id: { type: 'string', description: 'Key.' } } };

describe('fs-watch: outside edits while metarepo watch runs', () => {
  it('publishes created, modified and deleted with origin "outside", once per burst, and never for its own writes or ignored folders', async () => {
    const dir = tempDir();
    expect((await metarepoAsync(dir, ['init', '--name', 'fsw'])).code).toBe(0);
    const schema = path.join(dir, 'models/user/1.0.0.schema.json');
    fs.mkdirSync(path.dirname(schema), { recursive: true });
    fs.writeFileSync(schema, JSON.stringify(USER, null, 2));
    setTargets(dir, ['  - model: user@^1', '    generator: typescript', '    output: gen/user.ts']);
    // A long quiet period, so that a burst written in one loop stays one burst on a loaded machine.
    fs.appendFileSync(path.join(dir, 'metarepo.yaml'), 'plugins:\n  fs-watch:\n    config:\n      debounceMs: 500\n');

    const child = spawn(process.execPath, [BIN, 'watch'], { cwd: dir, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
    running.push(child);
    await expect.poll(() => logged(dir).some((e) => e.type === 'fs-watch:watcher:ready'), { timeout: 60_000 }).toBe(true);

    // Ignored folders first, then a file by hand.
    fs.writeFileSync(path.join(dir, '.metarepo/scratch.txt'), 'state');
    fs.mkdirSync(path.join(dir, 'node_modules/dep'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'node_modules/dep/index.js'), 'dep');
    fs.mkdirSync(path.join(dir, '.git/objects'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.git/objects/ab'), 'git');
    fs.writeFileSync(path.join(dir, 'notes.md'), '# notes\n');
    await expect.poll(() => outside(dir), { timeout: 30_000 }).toContain('core:file:created notes.md');

    // A burst of twenty saves of a new file: one event.
    for (let i = 0; i < 20; i++) fs.appendFileSync(path.join(dir, 'burst.txt'), `${i}\n`);
    await expect.poll(() => outside(dir).filter((e) => e.endsWith(' burst.txt')), { timeout: 30_000 }).toEqual(['core:file:created burst.txt']);

    // Editing the model by hand is an outside edit; the run it starts regenerates gen/user.ts, which metarepo
    // reports itself (with its target) and fs-watch must not report again.
    fs.writeFileSync(schema, JSON.stringify({ ...USER, properties: { ...USER.properties, nick: { type: 'string', description: 'Nickname.' } } }, null, 2));
    await expect
      .poll(() => logged(dir).some((e) => e.type === 'core:file:modified' && e.data.path === 'gen/user.ts' && e.data.target !== undefined), { timeout: 60_000 })
      .toBe(true);
    fs.appendFileSync(path.join(dir, 'notes.md'), 'more\n');
    fs.rmSync(path.join(dir, 'burst.txt'));
    await expect.poll(() => outside(dir), { timeout: 30_000 }).toContain('core:file:deleted burst.txt');
    await expect.poll(() => outside(dir), { timeout: 30_000 }).toContain('core:file:modified notes.md');

    expect(outside(dir).sort()).toEqual([
      'core:file:created burst.txt',
      'core:file:created notes.md',
      'core:file:deleted burst.txt',
      'core:file:modified models/user/1.0.0.schema.json',
      'core:file:modified notes.md',
    ]);
    expect(logged(dir).filter((e) => e.type.startsWith('core:file:') && e.data.origin === 'outside').every((e) => e.source === 'fs-watch')).toBe(true);
  });

  it('stays inactive in a short command: check publishes no fs-watch event', async () => {
    const dir = tempDir();
    expect((await metarepoAsync(dir, ['init', '--name', 'fsw'])).code).toBe(0);
    expect((await metarepoAsync(dir, ['check'])).code).toBe(0);
    expect(logged(dir).filter((e) => e.source === 'fs-watch' || (e.type.startsWith('core:plugin:') && JSON.stringify(e.data).includes('"fs-watch"') && JSON.stringify(e.data).includes('"loaded"')))).toEqual([]);
  });
});
