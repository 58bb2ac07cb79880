/**
 * The plugin host's discovery cache, `.metarepo/cache/plugins.json`: the manifests discovery found and how resolution
 * ordered them, so a run whose plugins did not change reads one file instead of every package.json, validating each
 * manifest and loading semver to check every range.
 *
 * Why it is correct — what invalidates it. Discovery reads nothing but folder listings and package.json files, and
 * from metarepo.yaml only its `plugins` section; resolution depends on the manifests and metarepo's version alone.
 * The cache is used only while all of these are as they were: metarepo's version and the stamps of the modules that
 * discover and resolve, the built-in plugins folder's path, the `plugins` section (its SHA-256), and the stamps
 * (src/core/stamps.ts) of every folder discovery listed and every package.json it read or looked for — a plugin
 * added, removed, edited, renamed or (re)installed changes one. It is written only when discovery found no problem
 * (a problem is reported afresh by every run), and only from stamps settled before discovery began.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { sha256, stableStringify } from '../core/hash.js';
import { STATE_DIR } from '../core/layout.js';
import { CODE_EXT, CODE_ROOT } from '../core/package-root.js';
import { stamp, stampsDigest } from '../core/stamps.js';
import { TOOL_VERSION } from '../core/version.js';
import type { WorkspaceConfig } from '../generated/workspace.js';
import type { PluginManifest } from './manifest.js';
import type { ResolutionFailure } from './resolution.js';

/** The cache file, relative to the workspace root. */
export const PLUGINS_CACHE = `${STATE_DIR}/cache/plugins.json`;

/** What discovery and resolution found, as the host uses it. */
export interface DiscoveredPlugins {
  /** In discovery order. */
  manifests: PluginManifest[];
  /** Names with `enabled: false`. */
  disabled: string[];
  /** `plugins.<name>.config` by name. */
  configs: Array<[string, Record<string, unknown>]>;
  /** Names of the plugins that can load, in load order. */
  order: string[];
  failed: ResolutionFailure[];
}

interface CacheFile {
  version: 1;
  key: string;
  examined: string[];
  digest: string;
  found: DiscoveredPlugins;
}

/** The cached discovery of the workspace at `root`, when nothing it depends on changed. */
export function readDiscoveryCache(root: string, builtinDir: string, config: WorkspaceConfig | undefined): DiscoveredPlugins | undefined {
  try {
    const cached = JSON.parse(fs.readFileSync(path.join(root, PLUGINS_CACHE), 'utf8')) as CacheFile;
    if (cached.version !== 1 || cached.key !== keyOf(builtinDir, config) || !Array.isArray(cached.examined)) return undefined;
    return stampsDigest(cached.examined, Infinity).digest === cached.digest ? cached.found : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Records a discovery that found no problem.
 * @param examined - every path discovery looked at (see `Discovery.examined`).
 * @param startedAt - `Date.now()` just before discovery read anything.
 */
export function writeDiscoveryCache(root: string, builtinDir: string, config: WorkspaceConfig | undefined, examined: string[], startedAt: number, found: DiscoveredPlugins): void {
  if (!fs.existsSync(path.join(root, STATE_DIR))) return;
  const { digest, settled } = stampsDigest(examined, startedAt);
  if (!settled) return;
  const file: CacheFile = { version: 1, key: keyOf(builtinDir, config), examined, digest, found };
  try {
    writeFileAtomic(path.join(root, PLUGINS_CACHE), JSON.stringify(file));
  } catch {
    // a cache that cannot be written only costs time
  }
}

function keyOf(builtinDir: string, config: WorkspaceConfig | undefined): string {
  return sha256(stableStringify({ tool: TOOL_VERSION, code: codeStamp(), builtinDir, plugins: config?.plugins ?? null }));
}

let code: string | undefined;
/** Stamps of the modules that discover, read manifests and resolve: a rebuilt metarepo of the same version misses. */
function codeStamp(): string {
  code ??= ['discovery', 'discovery-cache', 'manifest', 'resolution'].map((m) => stamp(path.join(CODE_ROOT, 'src', 'plugins', `${m}${CODE_EXT}`))).join('|');
  return code;
}
