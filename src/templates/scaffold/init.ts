import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { MetarepoError } from '../../core/errors.js';
import { Tree } from '../../engine/tree.js';
import { CONFIG_FILE, STATE_DIR } from '../../core/layout.js';
import { WORKSPACE_SCHEMA_VERSION } from '../../workspace/config.js';

/** Where editors find the workspace meta-model once metarepo is installed in the workspace. */
export const CONFIG_MODELINE = `# yaml-language-server: $schema=./node_modules/metarepo/meta-models/workspace/${WORKSPACE_SCHEMA_VERSION}.schema.json`;

/** Options of {@link planInit}. */
export interface InitOptions {
  /**
   * The version range of metarepo that the root package.json names in `devDependencies`, or none (the default):
   * only a range the npm registry can satisfy belongs there, or `npm install` fails in the new workspace. The
   * CLI passes `^<version>` when {@link installedFromRegistry} says this metarepo came from the registry.
   */
  metarepoRange?: string;
}

/**
 * Plans a new workspace into a Tree: `metarepo.yaml` (with the yaml-language-server modeline), `models/`,
 * `templates/`, `generators/`, `plugins/`, `projects/`, `.metarepo/` (state; only the manifest and recorded
 * answers are meant for git), a root `package.json` with npm workspaces (and metarepo as a devDependency when
 * `options.metarepoRange` is given), and `.gitignore`.
 * @param dir - absolute folder (created if missing).
 * @throws MetarepoError (exit 2) if `dir` already holds a metarepo.yaml.
 */
export function planInit(dir: string, name?: string, options: InitOptions = {}): Tree {
  const tree = new Tree(dir);
  if (tree.exists(CONFIG_FILE)) {
    throw new MetarepoError(`${path.join(dir, CONFIG_FILE)} already exists.`, { hint: 'This folder is already a metarepo workspace; use `metarepo status` to see it.' });
  }
  const wsName = (name ?? path.basename(dir)).toLowerCase().replace(/[^a-z0-9._/-]+/g, '-').replace(/^[^a-z0-9@]+/, '') || 'workspace';
  const config = { version: 1, name: wsName, modelsDir: 'models', projects: [], targets: [] };
  tree.write(CONFIG_FILE, `${CONFIG_MODELINE}\n${stringify(config)}`);
  for (const keep of ['models', 'templates', 'generators', 'plugins', 'projects']) if (!tree.exists(keep)) tree.write(`${keep}/.gitkeep`, '');
  // Events, caches and merge bases are machine state; the manifest and answers are shared through git so
  // `generate --check` and `update` work on a fresh clone.
  tree.write(`${STATE_DIR}/.gitignore`, '*\n!.gitignore\n!manifest.json\n!answers/\n!answers/**\n!base/\n!base/**\n');
  if (!tree.exists('package.json')) {
    const pkg = {
      name: wsName,
      private: true,
      type: 'module',
      workspaces: ['projects/*'],
      scripts: { generate: 'metarepo generate', 'generate:check': 'metarepo generate --check' },
      ...(options.metarepoRange ? { devDependencies: { metarepo: options.metarepoRange } } : {}),
    };
    tree.write('package.json', `${JSON.stringify(pkg, null, 2)}\n`);
  }
  if (!tree.exists('.gitignore')) tree.write('.gitignore', 'node_modules/\ndist/\n');
  return tree;
}

/**
 * Whether the metarepo whose package root is `packageRoot` was installed from the npm registry, so that a
 * `devDependencies` range like `^0.1.0` names something `npm install` can fetch. The signals, in order:
 * - the real path (links followed) lies under a `node_modules` folder; a clone, and `npm link` or a `file:`
 *   dependency (both links to a clone), never do;
 * - npm 6 and older: package.json's `_resolved` is the registry tarball URL (`…/<name>/-/<name>-<version>.tgz`);
 * - npm 7 and later (`npm install`, `npx`, `npm install -g`): the lockfile entry of that folder
 *   (`node_modules/.package-lock.json`, else `package-lock.json` or `npm-shrinkwrap.json` beside `node_modules`)
 *   is not a link and resolves to the registry tarball URL — `npm pack` + install of the tarball resolves to
 *   `file:…`, a git dependency to `git+…`;
 * - pnpm: the folder is `node_modules/.pnpm/<name>@<version>/node_modules/<name>` (tarball and link installs are
 *   named `<name>@file+…` or `<name>@link+…`).
 * Anything else (yarn, an unknown layout) is not taken as the registry: the caller then names no dependency and
 * says how to add one, which is never wrong.
 */
export function installedFromRegistry(packageRoot: string): boolean {
  let real: string;
  try {
    real = fs.realpathSync(packageRoot);
  } catch {
    return false;
  }
  const parts = real.split(path.sep);
  const first = parts.indexOf('node_modules');
  if (first < 0) return false;
  const pkg = readJson(path.join(real, 'package.json'));
  const name = typeof pkg?.name === 'string' ? pkg.name : undefined;
  if (!name) return false;
  const tarball = new RegExp(`^https?://.+/${escapeRegExp(name)}/-/${escapeRegExp(name.split('/').pop()!)}-[^/]+\\.tgz([?#].*)?$`);
  if (typeof pkg?._resolved === 'string') return tarball.test(pkg._resolved);
  if (parts[first + 1] === '.pnpm') return /^(@[^+]+\+)?[^@+]+@\d+\.\d+\.\d+/.test(parts[first + 2] ?? '');
  const project = parts.slice(0, first).join(path.sep) || path.sep;
  const key = parts.slice(first).join('/');
  for (const lock of [path.join(project, 'node_modules', '.package-lock.json'), path.join(project, 'npm-shrinkwrap.json'), path.join(project, 'package-lock.json')]) {
    const entry = (readJson(lock)?.packages as Record<string, { resolved?: unknown; link?: unknown }> | undefined)?.[key];
    if (entry) return entry.link !== true && typeof entry.resolved === 'string' && tarball.test(entry.resolved);
  }
  return false;
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
