// First run from a clone (issue 12 item 9): `metarepo init` makes a workspace where `npm install` works, and the
// one line it prints says how to add this metarepo, after which `npx metarepo` runs in the workspace.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { metarepoAsync as metarepo, REPO_ROOT, runAsync, tempDir } from './cli.js';

/** npm with no network use: everything it needs is local, so it must not ask a registry. */
async function npm(cwd: string, args: string[]): Promise<{ code: number; out: string }> {
  const r = await runAsync('npm', [...args, '--offline', '--no-audit', '--no-fund'], { cwd, timeout: 120_000 });
  return { code: r.code, out: `${r.stdout}${r.stderr}` };
}

describe('first run from a clone', () => {
  it('init names no unpublished metarepo dependency, so npm install succeeds; the printed command adds metarepo', async () => {
    const dir = path.join(tempDir(), 'my-repo');
    const init = await metarepo(path.dirname(dir), ['init', 'my-repo']);
    expect(init.code, init.stderr).toBe(0);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.devDependencies?.metarepo).toBeUndefined();
    const note = init.stdout.split('\n').filter((l) => l.startsWith('note: '));
    expect(note).toHaveLength(1);
    expect(note[0]).toContain(`npm install --save-dev ${REPO_ROOT}`);

    const install = await npm(dir, ['install']);
    expect(install.code, install.out).toBe(0);

    // The command the note gives: a link to this clone, recorded in package.json.
    const add = await npm(dir, ['install', '--save-dev', REPO_ROOT]);
    expect(add.code, add.out).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).devDependencies.metarepo).toMatch(/^file:/);
    const npx = await runAsync('npx', ['--offline', '--no', 'metarepo', 'status', '--json'], { cwd: dir, timeout: 120_000 });
    expect(npx.code, npx.stderr).toBe(0);
    expect(JSON.parse(npx.stdout).workspace.name).toBe('my-repo');
  });

  it('--json says there is no dependency and carries the note', async () => {
    const dir = tempDir();
    const r = await metarepo(dir, ['init', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.metarepoDependency).toBeNull();
    expect(out.note).toContain('npm pack');
  });
});
