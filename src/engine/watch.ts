/**
 * `metarepo watch`: regenerates when a model, template, generator, plugin or metarepo.yaml changes.
 * File events are debounced into one run; runs never overlap (changes during a run start one more run after
 * it); a failing run is reported and the watcher keeps going. Each run opens the workspace afresh, so edits to
 * metarepo.yaml apply, and publishes the usual generate events; the codegen worker threads stay up between runs.
 * Plugins reload too: a `process` plugin gets a new host process every run, and an in-process plugin whose folder
 * changed is imported anew (see `enableFreshPluginImports`), so an edit to its setup code takes effect.
 */
import path from 'node:path';
import { MetarepoError } from '../core/errors.js';
import { STATE_DIR } from '../core/layout.js';
import { closeWorkspace, openWorkspace } from '../workspace/open.js';
import { loadConfig } from '../workspace/config.js';
import { enableFreshPluginImports } from '../plugins/fresh-import.js';
import type { CodegenPool } from './worker/pool.js';
import { generate, type GenerateOptions, type GenerateReport } from './generate.js';

/** Options of {@link startWatch}. */
export interface WatchOptions {
  /** Quiet period after the last file event before a run starts, in milliseconds. */
  debounceMs: number;
  /** Generate flags applied to every run (`merge`, `conflicts`, `force`). */
  generate: Pick<GenerateOptions, 'merge' | 'conflicts' | 'force'>;
  strict?: boolean;
  /** Called after every run, in order. */
  onRun(result: WatchRun): void;
}

/** One run of the watcher. */
export interface WatchRun {
  /** 1 for the run at start-up, then counting up. */
  run: number;
  /** Files (relative to the root) whose events triggered the run; empty for the first run. */
  changed: string[];
  report?: GenerateReport;
  /** Why the run failed (bad model, bad config, edited files...); the watcher keeps going. */
  error?: unknown;
  durationMs: number;
}

/** A running watcher. */
export interface Watcher {
  /** Resolves once the file watcher is ready and the first run has finished. */
  ready: Promise<void>;
  /** Stops watching, waits for a run in progress, and stops the codegen threads. */
  close(): Promise<void>;
}

/**
 * Runs `generate` once, then again on every debounced batch of changes under the watched paths: metarepo.yaml
 * and the models, templates, generators and plugins folders (chokidar; `.metarepo/`, `node_modules/` and dotfiles
 * ignored).
 * @throws MetarepoError (exit 2) when `root`'s metarepo.yaml cannot be read at start-up.
 */
export async function startWatch(root: string, opts: WatchOptions): Promise<Watcher> {
  const { config } = await loadConfig(root);
  await enableFreshPluginImports();
  const { createCodegenPool } = await import('./worker/pool.js');
  const newPool = (): CodegenPool => {
    const p = createCodegenPool({ maxOldGenerationSizeMb: config.codegen?.memoryLimitMb ?? 1024 });
    p.start();
    return p;
  };
  let pool = newPool();
  const { watch } = await import('chokidar');
  const watched = ['metarepo.yaml', config.modelsDir ?? 'models', 'templates', 'generators', 'plugins'].map((p) => path.join(root, p));
  const watcher = watch(watched, {
    ignoreInitial: true,
    ignored: (p) => {
      const rel = path.relative(root, p).split(path.sep);
      return rel[0] === STATE_DIR || rel.includes('node_modules') || rel.some((s) => s.startsWith('.') && s !== '.');
    },
  });

  let runs = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let closed = false;
  const pending = new Set<string>();

  const runOnce = async (changed: string[]): Promise<void> => {
    const started = Date.now();
    const run = ++runs;
    try {
      // Worker threads keep the generator modules they imported: after an edit to a workspace generator or
      // plugin, fresh threads load the new code (its changed hash makes the run render it).
      if (changed.some((f) => f.startsWith('plugins/') || f.startsWith('generators/'))) {
        await pool.close();
        pool = newPool();
      }
      const ws = await openWorkspace(root, 'watch', { strict: opts.strict, write: true });
      let code = 1;
      try {
        const report = await generate(ws, { ...opts.generate, sharedPool: pool });
        code = report.targets.some((t) => t.status === 'failed') || report.conflicts.length ? 1 : 0;
        opts.onRun({ run, changed, report, durationMs: Date.now() - started });
      } finally {
        await closeWorkspace(ws, code);
      }
    } catch (error) {
      opts.onRun({ run, changed, error, durationMs: Date.now() - started });
    }
  };

  // One run at a time: a batch that arrives during a run waits for it, then runs with everything collected.
  const launch = (changed: string[]): Promise<void> =>
    (running = runOnce(changed).finally(() => {
      running = undefined;
      if (pending.size > 0) schedule();
    }));
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (closed || running || pending.size === 0) return;
      const changed = [...pending].sort();
      pending.clear();
      void launch(changed);
    }, opts.debounceMs);
  };
  watcher.on('all', (_event, file) => {
    pending.add(path.relative(root, file).split(path.sep).join('/'));
    if (!running) schedule();
  });

  const ready = new Promise<void>((resolve, reject) => {
    watcher.once('ready', resolve);
    watcher.once('error', (e) => reject(new MetarepoError(`Cannot watch ${root}: ${(e as Error).message}`)));
  }).then(() => launch([]));

  return {
    ready,
    async close() {
      closed = true;
      clearTimeout(timer);
      await watcher.close();
      await running;
      await pool.close();
    },
  };
}
