// First run from a clone (issue 12 item 9): `metarepo init` makes a workspace where `npm install` works, and the
// one line it prints says how to add this metarepo, after which `npx metarepo` runs in the workspace.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { metarepo, REPO_ROOT, tempDir } from './cli.js';

/** npm with no network use: everything it needs is local, so it must not ask a registry. */
function npm(cwd: string, args: string[]) {
  const r = spawnSync('npm', [...args, '--offline', '--no-audit', '--no-fund'], { cwd, encoding: 'utf8', input: '', timeout: 120_000 });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

describe('first run from a clone', () => {
  it('init names no unpublished metarepo dependency, so npm install succeeds; the printed command adds metarepo', () => {
    const dir = path.join(tempDir(), 'my-repo');
    const init = metarepo(path.dirname(dir), ['init', 'my-repo']);
    expect(init.code, init.stderr).toBe(0);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.devDependencies?.metarepo).toBeUndefined();
    const note = init.stdout.split('\n').filter((l) => l.startsWith('note: '));
    expect(note).toHaveLength(1);
    expect(note[0]).toContain(`npm install --save-dev ${REPO_ROOT}`);

    const install = npm(dir, ['install']);
    expect(install.code, install.out).toBe(0);

    // The command the note gives: a link to this clone, recorded in package.json.
    const add = npm(dir, ['install', '--save-dev', REPO_ROOT]);
    expect(add.code, add.out).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).devDependencies.metarepo).toMatch(/^file:/);
    const npx = spawnSync('npx', ['--offline', '--no', 'metarepo', 'status', '--json'], { cwd: dir, encoding: 'utf8', input: '', timeout: 120_000 });
    expect(npx.status, npx.stderr).toBe(0);
    expect(JSON.parse(npx.stdout).workspace.name).toBe('my-repo');
  });

  it('--json says there is no dependency and carries the note', () => {
    const dir = tempDir();
    const r = metarepo(dir, ['init', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.metarepoDependency).toBeNull();
    expect(out.note).toContain('npm pack');
  });
});
