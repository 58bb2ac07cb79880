import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

let enabled = false;

/**
 * Makes later in-process plugin loads of this process import a plugin's code anew whenever a file in its folder has
 * changed (`metarepo watch`: hot reload of a plugin whose setup changed, without restarting). ES modules cannot be
 * unloaded, so each changed version is imported under a new URL (see {@link pluginModuleUrl}) and the resolve hook of
 * ./fresh-import-hooks.ts carries that URL's query to the plugin's own files; old versions stay in memory until the
 * process ends, which suits a development loop. Registering the hook once costs a loader thread (Node ≥ 20.6
 * `module.register`), so only long-running commands that reload call this.
 */
export async function enableFreshPluginImports(): Promise<void> {
  if (enabled) return;
  const { register } = await import('node:module');
  register(new URL('./fresh-import-hooks.js', import.meta.url));
  enabled = true;
}

/**
 * The URL to import a plugin's module with: its file URL, and once {@link enableFreshPluginImports} ran, with a query
 * holding a stamp of the plugin folder (path, size and modification time of each file, `node_modules` and dot-entries
 * left out, hashed with SHA-1) and the folder's URL. Unchanged files give the same URL, so the module cache is used.
 * @param file - absolute path of the module; `dir` - absolute plugin folder.
 */
export function pluginModuleUrl(file: string, dir: string): string {
  const url = pathToFileURL(file);
  if (!enabled) return url.href;
  url.searchParams.set('metarepo-fresh', folderStamp(dir));
  url.searchParams.set('metarepo-root', pathToFileURL(dir + path.sep).href);
  return url.href;
}

function folderStamp(dir: string): string {
  const hash = createHash('sha1');
  const walk = (folder: string): void => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        const st = fs.statSync(full);
        hash.update(`${path.relative(dir, full)}\0${st.size}\0${st.mtimeMs}\n`);
      }
    }
  };
  walk(dir);
  return hash.digest('hex').slice(0, 16);
}
