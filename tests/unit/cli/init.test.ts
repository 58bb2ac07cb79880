// `metarepo init` names metarepo as a devDependency only when it came from the npm registry
// (installedFromRegistry and planInit in src/templates/scaffold/init.ts, the hint in src/cli/init.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addMetarepoHint } from '../../../src/cli/init.js';
import { PACKAGE_ROOT } from '../../../src/core/package-root.js';
import { installedFromRegistry, planInit } from '../../../src/templates/scaffold/init.js';

const TARBALL = 'https://registry.npmjs.org/metarepo/-/metarepo-0.1.0.tgz';

function temp(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-install-')));
}

function write(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
}

/** `<project>/node_modules/metarepo` with package.json (and extra fields), as a package manager leaves it. */
function installed(extra: Record<string, unknown> = {}): { project: string; root: string } {
  const project = temp();
  const root = path.join(project, 'node_modules', 'metarepo');
  write(path.join(root, 'package.json'), { name: 'metarepo', version: '0.1.0', ...extra });
  return { project, root };
}

function lock(resolved: unknown, more: Record<string, unknown> = {}) {
  return { name: 'x', lockfileVersion: 3, packages: { 'node_modules/metarepo': { version: '0.1.0', resolved, ...more } } };
}

describe('installedFromRegistry', () => {
  it('a clone (this repository) is not the registry', () => {
    expect(installedFromRegistry(PACKAGE_ROOT)).toBe(false);
    const clone = temp();
    write(path.join(clone, 'package.json'), { name: 'metarepo', version: '0.1.0' });
    expect(installedFromRegistry(clone)).toBe(false);
  });

  it('npm install / npx (npm 7+): the hidden lockfile or package-lock.json resolves to the registry tarball', () => {
    const a = installed();
    write(path.join(a.project, 'node_modules', '.package-lock.json'), lock(TARBALL));
    expect(installedFromRegistry(a.root)).toBe(true);
    const b = installed();
    write(path.join(b.project, 'package-lock.json'), lock('https://npm.example.test/repository/npm/metarepo/-/metarepo-0.1.0.tgz'));
    expect(installedFromRegistry(b.root)).toBe(true);
  });

  it('npm pack + install of the tarball, a git dependency, or a link are not the registry', () => {
    for (const entry of [lock('file:../metarepo-0.1.0.tgz'), lock('git+ssh://git@example.test/metarepo.git#abc'), lock('../metarepo', { link: true }), lock(undefined)]) {
      const i = installed();
      write(path.join(i.project, 'node_modules', '.package-lock.json'), entry);
      expect(installedFromRegistry(i.root)).toBe(false);
    }
  });

  it('npm link (and a file: dependency) point at the clone: the real path is not under node_modules', () => {
    const clone = temp();
    write(path.join(clone, 'package.json'), { name: 'metarepo', version: '0.1.0' });
    const project = temp();
    fs.mkdirSync(path.join(project, 'node_modules'));
    fs.symlinkSync(clone, path.join(project, 'node_modules', 'metarepo'), 'dir');
    write(path.join(project, 'node_modules', '.package-lock.json'), lock(TARBALL));
    expect(installedFromRegistry(path.join(project, 'node_modules', 'metarepo'))).toBe(false);
  });

  it('npm 6: package.json _resolved says where it came from', () => {
    expect(installedFromRegistry(installed({ _resolved: TARBALL, _from: 'metarepo@^0.1.0' }).root)).toBe(true);
    expect(installedFromRegistry(installed({ _resolved: 'file:../metarepo-0.1.0.tgz' }).root)).toBe(false);
  });

  it('pnpm: .pnpm/metarepo@<version> is the registry, metarepo@file+… is not', () => {
    for (const [folder, expected] of [
      ['metarepo@0.1.0', true],
      ['metarepo@0.1.0_vitest@3.2.7', true],
      ['metarepo@file+..+metarepo-0.1.0.tgz', false],
      ['metarepo@link+..+metarepo', false],
    ] as const) {
      const project = temp();
      const root = path.join(project, 'node_modules', '.pnpm', folder, 'node_modules', 'metarepo');
      write(path.join(root, 'package.json'), { name: 'metarepo', version: '0.1.0' });
      expect(installedFromRegistry(root), folder).toBe(expected);
    }
  });

  it('no lockfile and no other sign (yarn, a copied folder): not taken as the registry', () => {
    expect(installedFromRegistry(installed().root)).toBe(false);
    expect(installedFromRegistry(path.join(temp(), 'missing'))).toBe(false);
  });
});

describe('planInit package.json', () => {
  const pkgOf = (dir: string, range?: string) => {
    const change = planInit(dir, 'acme', range ? { metarepoRange: range } : {}).changes().find((c) => c.path === 'package.json');
    return JSON.parse(change!.content!);
  };

  it('names no metarepo dependency by default, and the given range when metarepo came from the registry', () => {
    expect(pkgOf(temp())).not.toHaveProperty('devDependencies');
    expect(pkgOf(temp(), '^0.1.0').devDependencies).toEqual({ metarepo: '^0.1.0' });
  });

  it('the hint says how to add metarepo from the clone, in one line', () => {
    const hint = addMetarepoHint('/src/metarepo');
    expect(hint).not.toContain('\n');
    expect(hint).toContain('npm install --save-dev /src/metarepo');
    expect(hint).toContain('npm pack');
  });
});
