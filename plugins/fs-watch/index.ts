/**
 * Built-in plugin `fs-watch` (issue 13, item 6b): outside edits are events too. While a long-running metarepo
 * process runs (`watch`; it activates on `core:system:long-running`), it watches the workspace (chokidar) and
 * publishes `core:file:created|modified|deleted` with `origin: "outside"` for files that people or other tools
 * change, so plugins can react the moment a file is saved. It ignores `.metarepo/`, `node_modules/` and `.git/`,
 * folds a burst of events into one change per file after a quiet period (`debounceMs`), and leaves out
 * metarepo's own writes, which the commit pipeline already published: those are read from the event log.
 * Details and an example: docs/fs-watch.md.
 */
import path from 'node:path';
import { definePlugin, liveEventLog, type PluginApi } from 'metarepo/plugin';
import { Burst, OwnWrites, type FileChange } from './changes.js';
import { LogTail } from './log-tail.js';

/** Default quiet period in ms (`config.debounceMs`). */
const DEFAULT_DEBOUNCE_MS = 100;

/** chokidar's events for files, as changes. Folders are not files: their files' events say what changed. */
const CHANGES: Partial<Record<string, FileChange>> = { add: 'created', change: 'modified', unlink: 'deleted' };

/** Folders never reported: metarepo's state, dependencies, git's internals (any depth for the last two). */
function ignored(relative: string): boolean {
  const parts = relative.split(path.sep);
  return parts[0] === '.metarepo' || parts.includes('node_modules') || parts.includes('.git');
}

export default definePlugin({
  name: 'fs-watch',
  async setup(api) {
    if (api.root === null) return;
    await watchWorkspace(api, api.root);
  },
});

async function watchWorkspace(api: PluginApi, root: string): Promise<void> {
  const debounceMs = typeof api.config.debounceMs === 'number' ? api.config.debounceMs : DEFAULT_DEBOUNCE_MS;
  const burst = new Burst();
  // An own write whose file event never came (written before watching began) must not hide a later edit for long.
  const own = new OwnWrites(Math.max(5_000, 20 * debounceMs));
  const log = new LogTail(liveEventLog(root));
  let timer: NodeJS.Timeout | undefined;

  const flush = (): void => {
    const now = Date.now();
    for (const { file, origin } of log.read()) if (origin !== 'outside') own.add(file, now);
    for (const { file, change } of burst.take()) {
      if (!own.claim(file, now)) api.publish(`core:file:${change}`, { path: file, origin: 'outside' });
    }
  };

  const { watch } = await import('chokidar');
  const watcher = watch(root, {
    ignoreInitial: true,
    ignored: (p: string) => {
      const relative = path.relative(root, p);
      return relative !== '' && ignored(relative);
    },
  });
  api.onDispose(async () => {
    clearTimeout(timer);
    await watcher.close();
  });
  watcher.on('all', (event: string, file: string) => {
    const change = CHANGES[event];
    if (change === undefined) return;
    burst.add(path.relative(root, file).split(path.sep).join('/'), change);
    // One quiet period for the whole workspace: a commit writing many files is one burst, and by its end the
    // commit has logged its own events.
    clearTimeout(timer);
    timer = setTimeout(flush, debounceMs);
  });
  await new Promise<void>((resolve, reject) => {
    watcher.once('ready', resolve);
    watcher.once('error', reject);
  });
  api.publish('fs-watch:watcher:ready', { root });
}
