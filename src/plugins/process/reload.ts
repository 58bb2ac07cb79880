/**
 * Hot reload of local plugins (issue 3, item 8): watch a plugin's folder and, on a change, restart its plugin
 * host process so the new code takes effect. Nothing is unloaded in place (ES modules cannot be), the way
 * VS Code reloads extension hosts and Backstage restarts plugin backends.
 */
import path from 'node:path';

/** A running watcher; see {@link watchPlugin}. */
export interface PluginWatcher {
  /** Stops watching; no `onChange` call follows. */
  close(): Promise<void>;
}

/** Default quiet period after the last change before `onChange` runs, in ms (an editor's save is several events). */
export const RELOAD_DEBOUNCE_MS = 100;

/**
 * Watches `dir` recursively with chokidar (imported only here, so commands that do not watch never load it),
 * ignoring `node_modules` and dot-files/folders below `dir`. Changes (add, change, unlink of files and folders)
 * are collected until `debounceMs` pass without another, then `onChange` gets their absolute paths, sorted.
 * Resolves once the initial scan is done, so every later change is seen.
 * @param onChange - must handle its own errors; a rejection is not awaited.
 */
export async function watchPlugin(dir: string, onChange: (paths: string[]) => void, options: { debounceMs?: number } = {}): Promise<PluginWatcher> {
  const { watch } = await import('chokidar');
  const root = path.resolve(dir);
  const ignored = (file: string): boolean =>
    path.relative(root, file).split(path.sep).some((part) => part === 'node_modules' || part.startsWith('.'));
  const watcher = watch(root, { ignored, ignoreInitial: true });
  const changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  watcher.on('all', (_event, file) => {
    changed.add(path.resolve(file));
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (closed) return;
      const paths = [...changed].sort();
      changed.clear();
      onChange(paths);
    }, options.debounceMs ?? RELOAD_DEBOUNCE_MS);
  });
  await new Promise<void>((resolve, reject) => {
    watcher.once('ready', resolve);
    watcher.once('error', reject);
  });
  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      await watcher.close();
    },
  };
}

/** The outcome of one reload, for {@link reloadOnChange}'s listener: what `restart` returned, or its error. */
export type ReloadResult<T> = { ok: true; paths: string[]; value: T } | { ok: false; paths: string[]; error: Error };

/**
 * Calls `restart` whenever a file under `dir` changes (`metarepo plugin dev`), e.g. `() => plugin.restart()` of a
 * `ProcessPlugin`, or a runtime's reload that also re-registers contributions. Restarts never overlap:
 * changes during a restart lead to one more restart after it. A failed restart (e.g. a syntax error in the new
 * code) is reported, and the next change tries again.
 * @param onReload - told the outcome of every restart; must not throw.
 */
export function reloadOnChange<T>(
  restart: () => Promise<T>,
  dir: string,
  onReload: (result: ReloadResult<T>) => void,
  options: { debounceMs?: number } = {},
): Promise<PluginWatcher> {
  let running = false;
  let queued: string[] | undefined;
  const reload = async (paths: string[]): Promise<void> => {
    if (running) {
      queued = [...(queued ?? []), ...paths];
      return;
    }
    running = true;
    let result: ReloadResult<T>;
    try {
      result = { ok: true, paths, value: await restart() };
    } catch (error) {
      result = { ok: false, paths, error: error as Error };
    }
    running = false;
    onReload(result);
    const next = queued;
    queued = undefined;
    if (next) await reload(next);
  };
  return watchPlugin(dir, (paths) => void reload(paths), options);
}
