/**
 * Progress of long runs (generate, `patterns detect`, `template test`): a one-line bar drawn by cli-progress on
 * stderr, only when stderr is a terminal and the output is not `--json`, and only once the run has taken
 * `delayMs` (so quick runs print nothing extra). stdout never sees it: piped results stay clean.
 */
import { createRequire } from 'node:module';
import type { GlobalOptions } from './output.js';

/** What a long run reports to. */
export interface Progress {
  /** `done` of `total` steps of `phase` (a short word: `rendering`, `reading`…) are finished. */
  update(phase: string, done: number, total: number): void;
  /** The run is over (successful or not): erases the bar. Call it in a `finally`. */
  done(): void;
}

/** The stream a bar draws on: stderr, or a fake one in tests. */
export type ProgressStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

/** Options of {@link progressFor} and {@link progressBar}. */
export interface ProgressOptions {
  /** Where to draw. Default: `process.stderr`. */
  stream?: ProgressStream;
  /**
   * How long a run goes before the bar appears, in ms. Default 1000, or `METAREPO_PROGRESS_DELAY_MS` when set (0
   * draws from the first update, as the terminal tests do).
   */
  delayMs?: number;
  /** A clock, for tests. Default `Date.now`. */
  now?: () => number;
}

/** A progress that draws nothing. */
export const NO_PROGRESS: Progress = Object.freeze({ update: () => undefined, done: () => undefined });

/**
 * Whether a command draws a progress bar: never with `--json` (a machine reads the output), and only when the
 * stream (stderr) is a terminal — not when it is piped or redirected to a file.
 */
export function progressWanted(g: Pick<GlobalOptions, 'json'>, stream: { isTTY?: boolean } = process.stderr): boolean {
  return !g.json && stream.isTTY === true;
}

/**
 * The progress display of a command: a bar on stderr when {@link progressWanted}, {@link NO_PROGRESS} otherwise.
 * Callers stay simple:
 * ```ts
 * const progress = progressFor(g);
 * try { …; progress.update('rendering', i + 1, total); … } finally { progress.done(); }
 * ```
 */
export function progressFor(g: Pick<GlobalOptions, 'json'>, opts: ProgressOptions = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  return progressWanted(g, stream) ? progressBar({ ...opts, stream }) : NO_PROGRESS;
}

type CliProgress = typeof import('cli-progress');

/**
 * A cli-progress bar on `opts.stream` (stderr), whatever the options of the command: callers want
 * {@link progressFor}, which decides whether to draw at all. Still a no-op when the stream is not a terminal.
 */
export function progressBar(opts: ProgressOptions = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  if (!stream.isTTY) return NO_PROGRESS;
  const now = opts.now ?? Date.now;
  const delayMs = opts.delayMs ?? envDelay() ?? 1000;
  const started = now();
  let bar: InstanceType<CliProgress['SingleBar']> | undefined;
  let finished = false;
  return {
    update(phase, done, total) {
      if (finished || now() - started < delayMs) return;
      const payload = { phase };
      if (!bar) {
        // Loaded only when a bar is drawn: most runs never need it.
        const { SingleBar } = createRequire(import.meta.url)('cli-progress') as CliProgress;
        bar = new SingleBar({
          stream,
          format: '{bar} {phase} {value}/{total}',
          barsize: 30,
          barCompleteChar: '#',
          barIncompleteChar: '.',
          clearOnComplete: true,
          hideCursor: false,
          linewrap: true,
          fps: 10,
        });
        bar.start(total, done, payload);
        return;
      }
      bar.setTotal(total);
      bar.update(done, payload);
    },
    done() {
      if (finished) return;
      finished = true;
      bar?.stop();
    },
  };
}

function envDelay(): number | undefined {
  const v = process.env.METAREPO_PROGRESS_DELAY_MS;
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
