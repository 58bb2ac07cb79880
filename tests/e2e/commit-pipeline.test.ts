// The promises of the one commit pipeline (issue 12, "Found"): accepted merges, conflict markers, checks in CI,
// checks for new and update, the writer lock, path guards, dry runs that exit as real runs, stray temp files.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, metarepoAsync as metarepo, setTargets, snapshotTree, tempDir, writeModel } from './cli.js';
import { userSchema as user } from './models.js';

const OUT = 'gen/user.ts';

/** A workspace with user@1.0.0 generated into gen/user.ts. */
async function generated(): Promise<string> {
  const dir = tempDir();
  expect((await metarepo(dir, ['init', '--name', 'demo'])).code).toBe(0);
  writeModel(dir, 'user', '1.0.0', user('Display name.'));
  setTargets(dir, ['  - model: user', '    generator: typescript', `    output: ${OUT}`]);
  const r = await metarepo(dir, ['generate']);
  expect(r.code, r.stderr).toBe(0);
  return dir;
}

const edit = (dir: string, from: string, to: string) => {
  const file = path.join(dir, OUT);
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(from, to));
};

/** A workspace plugin under plugins/<name> with a manifest and an index.mjs. */
function writePlugin(dir: string, name: string, metarepoField: Record<string, unknown>, index: string): void {
  const folder = path.join(dir, 'plugins', name);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'module', main: 'index.mjs', metarepo: { engines: { metarepo: '^0.1.0' }, ...metarepoField } }));
  fs.writeFileSync(path.join(folder, 'index.mjs'), index);
}

/** Starts `metarepo watch --json`, returns its first run's JSON line, and stops it. */
function firstWatchRun(dir: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'watch', '--json'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      child.kill('SIGINT');
      resolve(JSON.parse(line) as Record<string, unknown>);
    });
    child.once('exit', () => reject(new Error(`watch exited before its first run: ${err}`)));
  });
}

const FAILING_CHECK = `export default { name: 'gate', setup(api) { api.registerCheck({ name: 'always', description: 'x', run: () => [{ severity: 'error', file: 'metarepo.yaml', message: 'the gate is closed' }] }); } };\n`;

describe('merged edits are the accepted state', () => {
  it('after a clean --merge, generate, --check, check, status and watch pass, and a later model change merges without --merge', async () => {
    const dir = await generated();
    edit(dir, 'export interface User {\n', 'export interface User {\n  // Reviewed.\n');
    writeModel(dir, 'user', '1.1.0', user('Display name.', { email: { type: 'string' } }));
    expect((await metarepo(dir, ['generate', '--merge'])).code).toBe(0);
    for (const args of [['generate'], ['generate', '--check'], ['check'], ['status']]) {
      const r = await metarepo(dir, args);
      expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0);
    }
    expect(await firstWatchRun(dir)).toMatchObject({ run: 1, ok: true, changes: [] });
    writeModel(dir, 'user', '1.2.0', user('Display name.', { email: { type: 'string' }, age: { type: 'integer' } }));
    const later = await metarepo(dir, ['generate']);
    expect(later.code, later.stderr).toBe(0);
    expect(later.stdout).toContain(`update ${OUT} (merged with your edits)`);
    const text = fs.readFileSync(path.join(dir, OUT), 'utf8');
    expect(text).toContain('// Reviewed.');
    expect(text).toMatch(/age\?: number/);
    expect((await metarepo(dir, ['generate', '--check'])).code).toBe(0);
  });
});

describe('unresolved conflict markers', () => {
  it('fail generate --merge, generate --check, status and check, naming file and line, until resolved', async () => {
    const dir = await generated();
    edit(dir, 'Display name.', 'Display name, as typed.');
    writeModel(dir, 'user', '1.1.0', user('The full display name.'));
    expect((await metarepo(dir, ['generate', '--merge', '--conflicts=markers'])).code).toBe(1);
    const text = fs.readFileSync(path.join(dir, OUT), 'utf8');
    const line = text.split('\n').findIndex((l) => l.startsWith('<<<<<<<')) + 1;
    expect(line).toBeGreaterThan(0);
    for (const args of [['generate', '--merge'], ['generate', '--check', '--merge'], ['generate', '--check'], ['status'], ['check']]) {
      const r = await metarepo(dir, args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(`${r.stdout}${r.stderr}`, args.join(' ')).toContain(`${OUT}:${line}`);
    }
    expect(fs.readFileSync(path.join(dir, OUT), 'utf8')).toBe(text);
    fs.writeFileSync(path.join(dir, OUT), text.replace(/<<<<<<<[^]*?>>>>>>> [^\n]*\n/, '   * The full display name, as typed.\n'));
    expect((await metarepo(dir, ['generate', '--merge'])).code).toBe(0);
    for (const args of [['generate', '--check'], ['status'], ['check']]) expect((await metarepo(dir, args)).code, args.join(' ')).toBe(0);
  });

  it('fail update after update --conflicts=markers', async () => {
    const dir = tempDir();
    expect((await metarepo(dir, ['init', '--name', 'demo'])).code).toBe(0);
    expect((await metarepo(dir, ['new', 'ts-library', 'billing', '--yes'])).code).toBe(0);
    const readme = path.join(dir, 'projects/billing/README.md');
    const original = fs.readFileSync(readme, 'utf8');
    fs.writeFileSync(readme, original.replace(/^# .*$/m, '# Billing, by hand'));
    // The template changes the same line: a conflict on the next update.
    const record = path.join(dir, '.metarepo/answers/billing.json');
    const answers = JSON.parse(fs.readFileSync(record, 'utf8'));
    const base = path.join(dir, '.metarepo/base', answers.files['projects/billing/README.md']);
    fs.writeFileSync(base, original.replace(/^# .*$/m, '# Billing, as the old template had it'));
    const first = await metarepo(dir, ['update', 'billing', '--yes', '--conflicts=markers']);
    expect(first.code, first.stdout + first.stderr).toBe(1);
    expect(fs.readFileSync(readme, 'utf8')).toMatch(/^<<<<<<< /m);
    const again = await metarepo(dir, ['update', 'billing', '--yes']);
    expect(again.code).toBe(1);
    expect(`${again.stdout}${again.stderr}`).toContain('projects/billing/README.md:');
    expect(`${again.stdout}${again.stderr}`).toContain('conflict markers');
  });
});

describe('checks guard CI', () => {
  it('a plugin check that reports an error fails generate and generate --check although every target is up to date', async () => {
    const dir = await generated();
    writePlugin(dir, 'gate', { contributes: { checks: ['always'] } }, FAILING_CHECK);
    for (const args of [['generate'], ['generate', '--check'], ['check']]) {
      const r = await metarepo(dir, args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(`${r.stdout}${r.stderr}`, args.join(' ')).toContain('the gate is closed');
    }
  });

  it('a plugin that fails to resolve, or throws in setup, fails generate and generate --check, naming it', async () => {
    const dir = await generated();
    writePlugin(dir, 'future', { engines: { metarepo: '^9.0.0' } }, `export default { name: 'future', setup() {} };\n`);
    writePlugin(dir, 'thrower', { contributes: { checks: ['x'] } }, `export default { name: 'thrower', setup() { throw new Error('setup exploded'); } };\n`);
    for (const args of [['generate'], ['generate', '--check']]) {
      const r = await metarepo(dir, args);
      expect(r.code, args.join(' ')).toBe(1);
      const out = `${r.stdout}${r.stderr}`;
      expect(out).toContain('plugin future failed');
      expect(out).toContain('setup exploded');
    }
  });

  it('new and update run the checks: an error finding vetoes the commit and nothing is written', async () => {
    const dir = tempDir();
    expect((await metarepo(dir, ['init', '--name', 'demo'])).code).toBe(0);
    expect((await metarepo(dir, ['new', 'ts-library', 'billing', '--yes'])).code).toBe(0);
    writePlugin(dir, 'gate', { contributes: { checks: ['always'] } }, FAILING_CHECK);
    const before = snapshotTree(dir);
    const made = await metarepo(dir, ['new', 'ts-library', 'shipping', '--yes']);
    expect(made.code).toBe(1);
    expect(made.stderr).toContain('the gate is closed');
    const updated = await metarepo(dir, ['update', 'billing', '--yes', '--set', 'description=Changed']);
    expect(updated.code).toBe(1);
    expect(snapshotTree(dir)).toEqual(before);
  });
});

describe('the writer lock', () => {
  it('a second writer waits with a message naming the holder, then gives up with exit 1; readers never wait', async () => {
    const dir = await generated();
    // A live process holds the lock, as a running `generate` would.
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      fs.writeFileSync(path.join(dir, '.metarepo/lock'), JSON.stringify({ pid: holder.pid, role: 'generate', token: 't' }));
      writeModel(dir, 'user', '1.1.0', user('Changed.'));
      const r = await metarepo(dir, ['generate'], { env: { METAREPO_LOCK_TIMEOUT: '1' } });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`waiting for generate, pid ${holder.pid}`);
      expect(r.stderr).toContain(`locked by \`generate\` (pid ${holder.pid})`);
      expect(fs.readFileSync(path.join(dir, OUT), 'utf8')).not.toContain('Changed.');
      const reader = await metarepo(dir, ['generate', '--check'], { env: { METAREPO_LOCK_TIMEOUT: '0' } });
      expect(reader.stderr).not.toContain('waiting');
      expect(reader.code).toBe(1); // stale, and said so without waiting
    } finally {
      holder.kill('SIGKILL');
    }
    await new Promise((resolve) => holder.once('exit', resolve));
    // The holder is gone: its lock is stale and taken over at once.
    const r = await metarepo(dir, ['generate'], { env: { METAREPO_LOCK_TIMEOUT: '0' } });
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dir, OUT), 'utf8')).toContain('Changed.');
    expect(fs.existsSync(path.join(dir, '.metarepo/lock'))).toBe(false);
  });

  it('two generate runs started together both succeed: the second waits for the first, no file counts as edited', async () => {
    const dir = await generated();
    const extra = Array.from({ length: 12 }, (_, i) => [`  - model: user`, `    generator: typescript`, `    output: gen/copy-${i}.ts`]).flat();
    setTargets(dir, ['  - model: user', '    generator: typescript', `    output: ${OUT}`, ...extra]);
    writeModel(dir, 'user', '1.1.0', user('Changed.'));
    const [a, b] = await Promise.all([metarepo(dir, ['generate']), metarepo(dir, ['generate'])]);
    expect([a.code, b.code], `${a.stderr}\n${b.stderr}`).toEqual([0, 0]);
    expect(`${a.stderr}${b.stderr}`).not.toContain('edited by hand');
    expect((await metarepo(dir, ['generate', '--check'])).code).toBe(0);
  });
});

describe('path guards', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['the workspace root', '.', /workspace root/],
    ['a path that normalises to the root', 'generated/..', /workspace root/],
    ['the manifest', '.metarepo/manifest.json', /inside \.metarepo/],
    ['a NUL byte', '"gen/a\\u0000b.ts"', /control character/],
    ['a folder', 'gen', /is a folder/],
  ];
  for (const [what, output, message] of cases) {
    it(`refuses ${what} as an output with exit 2 and a position, writing nothing anywhere`, async () => {
      const parent = tempDir();
      const dir = path.join(parent, 'ws');
      fs.mkdirSync(dir);
      expect((await metarepo(dir, ['init', '--name', 'demo'])).code).toBe(0);
      writeModel(dir, 'user', '1.0.0', user('Display name.'));
      fs.mkdirSync(path.join(dir, 'gen'));
      setTargets(dir, ['  - model: user', '    generator: typescript', `    output: ${output}`]);
      const before = snapshotTree(dir);
      const r = await metarepo(dir, ['generate']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/metarepo\.yaml:\d+:\d+/);
      expect(r.stderr).not.toMatch(/internal error|EISDIR|\n\s+at /);
      expect(snapshotTree(dir)).toEqual(before);
      expect(fs.readdirSync(parent)).toEqual(['ws']); // no temp file beside the workspace either
    });
  }

  it('refuses two targets writing one file with exit 2 and the position of the second', async () => {
    const dir = await generated();
    setTargets(dir, ['  - model: user', '    generator: typescript', `    output: ${OUT}`, '  - model: user', '    generator: typescript', `    output: ./${OUT}`]);
    const r = await metarepo(dir, ['generate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/both write gen\/user\.ts/);
    expect(r.stderr).toMatch(/metarepo\.yaml:\d+:\d+/);
  });
});

describe('dry runs and leftovers', () => {
  it('generate --dry-run exits 1 when the real run would refuse an edited file', async () => {
    const dir = await generated();
    edit(dir, 'Display name.', 'Display name, edited.');
    writeModel(dir, 'user', '1.1.0', user('Changed.'));
    const dry = await metarepo(dir, ['generate', '--dry-run']);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('edited by hand');
    expect((await metarepo(dir, ['generate'])).code).toBe(1);
  });

  it('generate --check exits 1 naming a file edited by hand even when no model changed, as status and generate do', async () => {
    const dir = await generated();
    edit(dir, 'Display name.', 'Display name, edited.');
    const check = await metarepo(dir, ['generate', '--check']);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`${OUT} was edited by hand`);
    expect(check.stdout).not.toContain('up to date');
    // status reports (exit 0 for stale or edited targets, like `git status`); it names the same file.
    const status = await metarepo(dir, ['status', '--json']);
    expect(JSON.parse(status.stdout).edited).toEqual([OUT]);
    expect((await metarepo(dir, ['generate'])).code).toBe(1);
  });

  it('temp files a killed 0.1 run left (beside outputs and under .metarepo/base) are removed by the next generate', async () => {
    const dir = await generated();
    const strays = [path.join(dir, 'gen/.user.ts.metarepo-999999.tmp'), path.join(dir, '.metarepo/base/.abc.metarepo-999999.tmp')];
    for (const s of strays) fs.writeFileSync(s, 'half');
    writeModel(dir, 'user', '1.1.0', user('Changed.'));
    expect((await metarepo(dir, ['generate', '--force'])).code).toBe(0);
    for (const s of strays) expect(fs.existsSync(s), s).toBe(false);
  });
});
