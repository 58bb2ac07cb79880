/**
 * Node's permission-model flags for a `process` plugin, derived from its manifest's `permissions`
 * (https://nodejs.org/docs/latest-v20.x/api/permissions.html). The model is a seat belt against mistakes, not a
 * security boundary against malicious code: Node's own "Limitations and Known Issues" list symbolic links that
 * are followed outside the granted paths and file descriptors that bypass the checks, and Node 20 cannot
 * restrict the network at all, so `permissions.network` is recorded but not enforced.
 */
import path from 'node:path';
import { safeRelativePath } from '../../core/paths.js';
import type { PluginManifest } from '../manifest.js';

/**
 * The `execArgv` for a plugin process:
 * - the permission model on (`--permission` where Node has it, else Node 20's `--experimental-permission`);
 * - `--allow-fs-read=*`: plugins may read anything;
 * - for each distinct `permissions.write` path, resolved against `root`, one `--allow-fs-write=<path>/*`: it
 *   grants the path itself and everything under it, whether it exists yet or not, as a folder or a file.
 *   Never the same grant twice, nor `<path>` beside `<path>/*`: Node 20 turns an existing folder `<path>` into
 *   `<path>/*` itself, and a repeated wildcard grant fails an assertion in its radix tree (the process aborts
 *   with SIGABRT before running any code). Repeated flags, not a comma list: Node ≥ 20.7 reads them that way;
 * - `--allow-child-process` only if `permissions.childProcess`; worker threads and addons never.
 * Node itself writes nothing while a plugin runs (no compile cache in Node 20), so the temp dir is not granted.
 * Outside a workspace (`root` null) no path is writable.
 * @throws MetarepoError (exit 2) if a write path is absolute or leaves the workspace.
 */
export function permissionFlags(plugin: Pick<PluginManifest, 'name' | 'permissions'>, root: string | null): string[] {
  const available = process.allowedNodeEnvironmentFlags;
  const flags = [available.has('--permission') ? '--permission' : '--experimental-permission', '--allow-fs-read=*'];
  const origin = `plugin ${plugin.name}, permissions.write`;
  const writable = root === null ? [] : plugin.permissions.write.map((p) => path.resolve(root, safeRelativePath(p, origin)));
  for (const absolute of new Set(writable)) flags.push(`--allow-fs-write=${path.join(absolute, '*')}`);
  if (plugin.permissions.childProcess) flags.push('--allow-child-process');
  // The "Permission is an experimental feature" warning would otherwise head every crash excerpt.
  if (available.has('--disable-warning')) flags.push('--disable-warning=ExperimentalWarning');
  return flags;
}
