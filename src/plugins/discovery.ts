import fs from 'node:fs';
import path from 'node:path';
import { MetarepoError } from '../core/errors.js';
import type { WorkspaceConfig } from '../generated/workspace.js';
import { joinPointer } from '../core/pointer.js';
import type { PositionedDocument } from '../core/document.js';
import { readPluginManifest, tryReadPluginManifest, type PluginManifest, type PluginSource } from './manifest.js';

/**
 * One `metarepo.yaml` `plugins.<name>` entry; `<name>` is the plugin's name (its package.json `name`).
 * At most one of `package`, `path`, `git` says where the plugin comes from; an entry with none of them only
 * configures (or disables) a built-in or workspace plugin.
 */
export interface PluginEntry {
  /** npm package name, installed in `<root>/node_modules/<package>`. */
  package?: string;
  /** Folder of a local plugin, relative to the workspace root (or absolute). */
  path?: string;
  /** Git URL; `metarepo plugin install` clones it into `.metarepo/plugins/<name>/`. */
  git?: string;
  /** `false` keeps the plugin discovered but never loads it. Default `true`. */
  enabled?: boolean;
  /** The plugin's configuration, validated against its manifest's `configSchema`. */
  config?: Record<string, unknown>;
}

/** A plugin that could not be discovered; it does not stop the others. */
export interface DiscoveryProblem {
  /** Where the plugin was looked for; `config` for a `metarepo.yaml` entry naming no plugin that exists. */
  source: PluginSource | 'config';
  /** The folder that was read (or would have been). */
  dir: string;
  /** The plugin's name when known (the `metarepo.yaml` key, or the package name). */
  name?: string;
  error: MetarepoError;
}

/** What discovery found. */
export interface Discovery {
  /** One manifest per plugin name, in discovery order: built-ins, workspace `plugins/`, then `metarepo.yaml` entries by name. */
  manifests: PluginManifest[];
  problems: DiscoveryProblem[];
  /** Names with `enabled: false` in `metarepo.yaml`. */
  disabled: Set<string>;
  /** `plugins.<name>.config` by plugin name (unvalidated; see `validatePluginConfig`). */
  configs: Map<string, Record<string, unknown>>;
  /**
   * Every folder listed and every package.json read or looked for (absolute paths): while none of them changes, and
   * metarepo.yaml's `plugins` section neither, discovery finds the same (see the plugin host's discovery cache).
   */
  examined: string[];
}

/** Where `metarepo plugin install` puts a plugin installed from git, relative to the workspace root. */
export const GIT_PLUGINS_DIR = '.metarepo/plugins';

/**
 * Finds every plugin without importing any plugin code: it reads only package.json files, so it is cheap enough
 * for every CLI start. Sources, in order: built-ins (`<builtinDir>/<folder>/package.json`), the workspace's
 * `plugins/<folder>/package.json`, and `metarepo.yaml` `plugins.<name>` entries (`package` → `<root>/node_modules/
 * <package>`, `path` → relative to the root, `git` → `.metarepo/plugins/<name>`). Folders without a package.json
 * or whose package.json has no `metarepo` field are skipped; an entry in `metarepo.yaml` must be a plugin.
 * The first plugin found under a name wins; a later one from another folder (e.g. a workspace plugin with a
 * built-in's name) is a problem for that plugin only.
 * @param opts.root - absolute workspace root, or `null` outside a workspace (built-ins only).
 * @param opts.document - the parsed `metarepo.yaml`, to give entry problems a line and column.
 * @returns manifests and per-plugin problems; it throws only on an unexpected I/O failure.
 */
export async function discoverPlugins(opts: {
  root: string | null;
  builtinDir: string;
  config: WorkspaceConfig | undefined;
  document?: PositionedDocument;
}): Promise<Discovery> {
  const found = new Map<string, PluginManifest>();
  const result: Discovery = { manifests: [], problems: [], disabled: new Set(), configs: new Map(), examined: [] };

  const add = (manifest: PluginManifest): void => {
    const first = found.get(manifest.name);
    if (!first) {
      found.set(manifest.name, manifest);
      result.manifests.push(manifest);
    } else if (realpath(first.dir) !== realpath(manifest.dir)) {
      result.problems.push({
        source: manifest.source,
        dir: manifest.dir,
        name: manifest.name,
        error: new MetarepoError(`Plugin "${manifest.name}" in ${manifest.dir} has the same name as the ${first.source} plugin in ${first.dir}.`, {
          location: { file: path.join(manifest.dir, 'package.json') },
          hint: 'Plugin names are unique: rename the package, or remove one of them.',
        }),
      });
    }
  };
  const scan = async (parent: string, source: PluginSource): Promise<void> => {
    for (const dir of packageFolders(parent, result.examined)) {
      try {
        const manifest = await tryReadPluginManifest(dir, source);
        if (manifest) add(manifest);
      } catch (e) {
        result.problems.push({ source, dir, name: packageName(dir), error: asMetarepoError(e) });
      }
    }
  };

  await scan(opts.builtinDir, 'builtin');
  if (opts.root === null) return result;
  await scan(path.join(opts.root, 'plugins'), 'workspace');

  const entries = (opts.config?.plugins ?? {}) as Record<string, unknown>;
  const located = (name: string, field?: string): MetarepoError['location'] =>
    opts.document?.locate(joinPointer('/plugins', name, ...(field ? [field] : [])), { key: !field }) ?? { file: 'metarepo.yaml' };
  for (const name of Object.keys(entries).sort()) {
    let where: ReturnType<typeof entryLocation>;
    try {
      const entry = checkEntry(name, entries[name], located(name));
      if (entry.enabled === false) result.disabled.add(name);
      if (entry.config !== undefined) result.configs.set(name, entry.config);
      where = entryLocation(opts.root, name, entry);
      if (!where) continue;
      result.examined.push(path.join(where.dir, 'package.json'));
      if (!fs.existsSync(path.join(where.dir, 'package.json'))) throw notInstalled(name, where, located(name, where.field));
      const manifest = await readPluginManifest(where.dir, where.source);
      if (manifest.name !== name) {
        throw new MetarepoError(`metarepo.yaml names plugin "${name}", but ${path.join(where.dir, 'package.json')} is "${manifest.name}".`, {
          location: located(name),
          hint: `Rename the entry to "${manifest.name}": plugins are configured under their package name.`,
        });
      }
      add(manifest);
    } catch (e) {
      result.problems.push({ source: where?.source ?? 'config', dir: where?.dir ?? opts.root, name, error: asMetarepoError(e) });
    }
  }
  // A settings-only entry must name a plugin found elsewhere; otherwise it is most likely a typo.
  for (const name of Object.keys(entries).sort()) {
    if (found.has(name) || result.problems.some((p) => p.name === name)) continue;
    result.problems.push({
      source: 'config',
      dir: opts.root,
      name,
      error: new MetarepoError(`metarepo.yaml configures plugin "${name}", but no such plugin is installed.`, {
        location: located(name),
        hint: 'Check the name (`metarepo plugin list`), or say where it comes from with `package`, `path` or `git`.',
      }),
    });
  }
  return result;
}

/**
 * Package folders directly under `parent` (symlinks followed), sorted by name; none when `parent` is missing.
 * Adds `parent`, every entry and every package.json looked for to `examined`.
 */
function packageFolders(parent: string, examined: string[]): string[] {
  examined.push(parent);
  if (!fs.existsSync(parent)) return [];
  const entries = fs
    .readdirSync(parent)
    .sort()
    .map((n) => path.join(parent, n));
  for (const d of entries) examined.push(d, path.join(d, 'package.json'));
  return entries.filter((d) => fs.existsSync(path.join(d, 'package.json')));
}

/**
 * Checks the shape of one entry (until the workspace meta-model describes it, nothing else does).
 * @throws MetarepoError naming the entry when it is not an object or names more than one source.
 */
function checkEntry(name: string, raw: unknown, location: MetarepoError['location']): PluginEntry {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new MetarepoError(`metarepo.yaml plugins.${name} must be an object.`, {
      location,
      hint: 'Write e.g. `plugins: { my-plugin: { path: ./tools/my-plugin, config: { ... } } }`.',
    });
  }
  const entry = raw as PluginEntry;
  const sources = (['package', 'path', 'git'] as const).filter((k) => entry[k] !== undefined);
  if (sources.length > 1) {
    throw new MetarepoError(`metarepo.yaml plugins.${name} names more than one source (${sources.join(', ')}).`, {
      location,
      hint: 'Keep one of `package`, `path` or `git`.',
    });
  }
  return entry;
}

function entryLocation(root: string, name: string, entry: PluginEntry): { source: PluginSource; dir: string; field: string } | undefined {
  if (entry.package !== undefined) return { source: 'npm', dir: path.join(root, 'node_modules', entry.package), field: 'package' };
  if (entry.path !== undefined) return { source: 'path', dir: path.resolve(root, entry.path), field: 'path' };
  if (entry.git !== undefined) return { source: 'git', dir: path.join(root, GIT_PLUGINS_DIR, name), field: 'git' };
  return undefined;
}

function notInstalled(name: string, where: { source: PluginSource; dir: string }, location: MetarepoError['location']): MetarepoError {
  const hint = {
    npm: 'Run `npm install` in the workspace root (or `metarepo plugin install <package>`).',
    path: 'Fix the path: it is relative to the workspace root and must hold the plugin\'s package.json.',
    git: `Run \`metarepo plugin install\` to clone it into ${GIT_PLUGINS_DIR}/${name}.`,
  }[where.source as 'npm' | 'path' | 'git'];
  return new MetarepoError(`Plugin "${name}" is not installed: ${path.join(where.dir, 'package.json')} does not exist.`, { location, hint });
}

/** The `name` of a package.json that failed validation, when it can still be read (so problems name the plugin). */
function packageName(dir: string): string | undefined {
  try {
    const name = (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

function realpath(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return dir;
  }
}

function asMetarepoError(e: unknown): MetarepoError {
  if (e instanceof MetarepoError) return e;
  return new MetarepoError(e instanceof Error ? e.message : String(e), { cause: e });
}
