import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { MetarepoError } from '../core/errors.js';
import type { WorkspaceConfig } from '../generated/workspace.js';
import { GIT_PLUGINS_DIR } from './discovery.js';
import { readPluginManifest, type PluginManifest } from './manifest.js';

/** One `plugins.<name>` entry of metarepo.yaml. */
export type PluginEntry = NonNullable<WorkspaceConfig['plugins']>[string];

/** Where `plugin install` takes a plugin from. */
export type InstallSource = 'path' | 'git' | 'npm';

/**
 * Classifies an install spec: `git+<url>`, a URL or scp-style address ending in `.git`, `git@…`, `ssh://…` or
 * `git://…` is git; an existing folder is a local path; anything else is an npm package spec.
 */
export function classifyInstallSpec(spec: string, cwd: string): InstallSource {
  if (/^(git\+|git@|ssh:\/\/|git:\/\/)/.test(spec) || /^(https?|file):\/\/.+\.git\/?$/.test(spec)) return 'git';
  return fs.existsSync(path.resolve(cwd, spec)) && fs.statSync(path.resolve(cwd, spec)).isDirectory() ? 'path' : 'npm';
}

/** A plugin fetched and checked, ready to be recorded in metarepo.yaml. */
export interface FetchedPlugin {
  manifest: PluginManifest;
  entry: PluginEntry;
}

/**
 * Fetches a plugin for `metarepo plugin install` and validates its manifest. A path is used where it is; a git
 * URL is cloned (depth 1) into `.metarepo/plugins/<name>/` and its dependencies installed with npm; an npm spec
 * is installed into the workspace with `npm install --save-dev`. Nothing is recorded here.
 * @throws MetarepoError (exit 2) for a folder that is not a metarepo plugin or a clone target that exists;
 *   (exit 1) when git or npm fail, with their output.
 */
export async function fetchPlugin(root: string, spec: string, cwd: string): Promise<FetchedPlugin> {
  const source = classifyInstallSpec(spec, cwd);
  if (source === 'path') {
    const dir = path.resolve(cwd, spec);
    const manifest = await readPluginManifest(dir, 'path');
    const rel = path.relative(root, dir);
    return { manifest, entry: { path: rel.startsWith('..') || path.isAbsolute(rel) ? dir : rel.split(path.sep).join('/') || '.' } };
  }
  if (source === 'git') return fetchGit(root, spec);
  run('npm', ['install', '--save-dev', '--no-audit', '--no-fund', spec], root);
  const name = packageNameOf(spec);
  const manifest = await readPluginManifest(path.join(root, 'node_modules', name), 'npm');
  return { manifest, entry: { package: manifest.name } };
}

async function fetchGit(root: string, spec: string): Promise<FetchedPlugin> {
  const url = spec.replace(/^git\+/, '');
  const parent = path.join(root, GIT_PLUGINS_DIR);
  fs.mkdirSync(parent, { recursive: true });
  const incoming = fs.mkdtempSync(path.join(parent, '.incoming-'));
  try {
    run('git', ['clone', '--quiet', '--depth', '1', url, incoming], root);
    const manifest = await readPluginManifest(incoming, 'git');
    const dest = path.join(parent, manifest.name);
    if (fs.existsSync(dest)) {
      throw new MetarepoError(`Plugin ${manifest.name} is already installed from git at ${path.relative(root, dest)}.`, {
        hint: `Run \`metarepo plugin uninstall ${manifest.name}\` first.`,
      });
    }
    fs.rmSync(path.join(incoming, '.git'), { recursive: true, force: true });
    const pkg = JSON.parse(fs.readFileSync(path.join(incoming, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    if (Object.keys(pkg.dependencies ?? {}).length > 0) run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--ignore-scripts'], incoming);
    fs.renameSync(incoming, dest);
    return { manifest: { ...manifest, dir: dest, main: path.join(dest, path.relative(incoming, manifest.main)) }, entry: { git: spec } };
  } finally {
    fs.rmSync(incoming, { recursive: true, force: true });
  }
}

/**
 * Removes what `plugin install` fetched: the clone of a git plugin, or the npm package (`npm uninstall`).
 * A local path is left alone (it is the person's folder).
 */
export function removeFetched(root: string, name: string, entry: PluginEntry): void {
  if (entry.git) fs.rmSync(path.join(root, GIT_PLUGINS_DIR, name), { recursive: true, force: true });
  else if (entry.package) run('npm', ['uninstall', '--no-audit', '--no-fund', entry.package], root);
}

/** The package name of an npm spec (`@scope/name@^1` → `@scope/name`). */
function packageNameOf(spec: string): string {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  return at > 0 ? spec.slice(0, at) : spec;
}

function run(command: string, args: string[], cwd: string): void {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    const output = `${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n').slice(-5).join('\n');
    throw new MetarepoError(`\`${command} ${args.join(' ')}\` failed${r.error ? `: ${r.error.message}` : ` (exit ${r.status})`}.`, {
      exitCode: 1,
      details: output ? output.split('\n') : [],
      hint: command === 'git' ? 'Check the URL and that git can reach it.' : 'Check the package name and your npm registry access.',
    });
  }
}
