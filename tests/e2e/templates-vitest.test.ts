// The `metarepo/testing` export: a one-line template snapshot test run by a real vitest process in a workspace.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, metarepoAsync as metarepo, tempDir } from './cli.js';

/** The environment of a vitest run in the workspace: not nested in this vitest, not on CI (new snapshots are written). */
function childEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'TEST' && k !== 'NODE_ENV'));
  return { ...env, CI: '', NO_COLOR: '1', FORCE_COLOR: '0' };
}

/**
 * Runs vitest in `dir` without blocking this worker (a blocked worker misses vitest's own RPC deadlines): each
 * run takes several seconds.
 */
function vitest(dir: string, args: string[] = []): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'node_modules/vitest/vitest.mjs'), 'run', ...args], { cwd: dir, env: childEnv() });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, out })));
}

/**
 * A workspace with the `widget` generator, metarepo and vitest linked into node_modules, and `tests/widget.test.ts`
 * holding `line` (after the import of metarepo/testing).
 */
async function vitestWorkspace(line: string): Promise<string> {
  const dir = tempDir('metarepo-vitest-');
  expect((await metarepo(dir, ['init', '--name', 'vt'])).code).toBe(0);
  expect((await metarepo(dir, ['new', 'generator', 'widget'])).code).toBe(0);
  fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  fs.symlinkSync(REPO_ROOT, path.join(dir, 'node_modules/metarepo'), 'dir');
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules/vitest'), path.join(dir, 'node_modules/vitest'), 'dir');
  fs.mkdirSync(path.join(dir, 'tests'));
  // vitest's 5 s default limit would time a loaded machine, not the template: the run's own limit is the test's.
  fs.writeFileSync(path.join(dir, 'vitest.config.mjs'), "export default { test: { include: ['tests/**/*.test.ts'], testTimeout: 120000 } };\n");
  testFile(dir, line);
  return dir;
}

function testFile(dir: string, line: string): void {
  fs.writeFileSync(path.join(dir, 'tests/widget.test.ts'), `import { testTemplate } from 'metarepo/testing';\n${line}\n`);
}

describe('metarepo/testing', () => {
  it('testTemplate is a one-line vitest test on vitest file snapshots: written, failing with a diff and on stale files, updated by -u', async () => {
    const dir = await vitestWorkspace("testTemplate('widget');");
    fs.writeFileSync(path.join(dir, 'templates/widget/files/NOTES.md.hbs'), '{{name}}\n');
    const readmeSnapshot = path.join(dir, 'snapshots/widget/one-word/example/README.md');
    const notesSnapshot = path.join(dir, 'snapshots/widget/one-word/example/NOTES.md');

    const first = await vitest(dir);
    expect(first.out).toContain('1 passed');
    expect(first.code).toBe(0);
    expect(fs.readFileSync(readmeSnapshot, 'utf8')).toBe('# Example\n\nWritten by the "widget" generator from templates/widget/files/README.md.hbs.\n');
    expect(fs.readFileSync(notesSnapshot, 'utf8')).toBe('example\n');
    // The same snapshots metarepo template test reads.
    expect((await metarepo(dir, ['template', 'test'], { env: { CI: '' } })).stdout).toContain('2 fixtures: 2 passed');

    const readme = path.join(dir, 'templates/widget/files/README.md.hbs');
    fs.writeFileSync(readme, fs.readFileSync(readme, 'utf8').replace('Written by', 'Made by'));
    fs.rmSync(path.join(dir, 'templates/widget/files/NOTES.md.hbs'));
    const failed = await vitest(dir);
    expect(failed.code).toBe(1);
    expect(failed.out).toContain('widget/one-word: example/README.md');
    expect(failed.out).toContain('- Written by the "widget" generator');
    expect(failed.out).toContain('+ Made by the "widget" generator');
    expect(failed.out).toContain('files in snapshots/widget/one-word that the template no longer renders (vitest -u deletes them)');
    expect(fs.readFileSync(readmeSnapshot, 'utf8')).toContain('Written by');

    const updated = await vitest(dir, ['-u']);
    expect(updated.code).toBe(0);
    expect(fs.readFileSync(readmeSnapshot, 'utf8')).toContain('Made by');
    expect(fs.existsSync(notesSnapshot)).toBe(false);
    expect((await metarepo(dir, ['template', 'test'], { env: { CI: '' } })).stdout).toContain('2 fixtures: 2 passed');
  }, 240_000);

  it('the fixture option tests one fixture; without it, snapshot folders of fixtures template.yaml lacks fail until -u removes them', async () => {
    const dir = await vitestWorkspace("testTemplate('widget', { fixture: 'two-words' });");
    const snapshots = path.join(dir, 'snapshots/widget');
    const one = await vitest(dir, ['--reporter=verbose']);
    expect(one.out).toContain('template widget (two-words)');
    expect(one.code).toBe(0);
    expect(fs.readdirSync(snapshots)).toEqual(['two-words']);
    expect(fs.readFileSync(path.join(snapshots, 'two-words/second-example/README.md'), 'utf8')).toContain('# Second Example');

    // A fixture since dropped from template.yaml left its folder; a run of one fixture says nothing about it.
    fs.mkdirSync(path.join(snapshots, 'retired/example'), { recursive: true });
    fs.writeFileSync(path.join(snapshots, 'retired/example/README.md'), '# Retired\n');
    expect((await vitest(dir)).code).toBe(0);

    testFile(dir, "testTemplate('widget');");
    const obsolete = await vitest(dir);
    expect(obsolete.code).toBe(1);
    expect(obsolete.out).toContain('widget: snapshot folders of fixtures that template.yaml no longer has (vitest -u deletes them): snapshots/widget/retired');
    expect(fs.existsSync(path.join(snapshots, 'retired'))).toBe(true);

    const updated = await vitest(dir, ['-u']);
    expect(updated.code).toBe(0);
    expect(fs.readdirSync(snapshots).sort()).toEqual(['one-word', 'two-words']);
    // metarepo template test agrees: nothing obsolete, nothing differs.
    expect((await metarepo(dir, ['template', 'test'], { env: { CI: '' } })).stdout).toContain('1 templates, 2 fixtures: 2 passed');
  }, 240_000);
});
