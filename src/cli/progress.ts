/**
 * A one-line progress bar on stderr for long runs: drawn only when stderr is a terminal, only after the run has
 * taken `delayMs`, at most every `intervalMs`; `done()` erases it.
 */

/** What a long run reports to. */
export interface Progress {
  update(phase: string, done: number, total: number): void;
  done(): void;
}

/** A progress bar (see the module comment); a no-op when stderr is not a TTY. */
export function progressBar(opts: { delayMs?: number; intervalMs?: number } = {}): Progress {
  const stream = process.stderr;
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  const started = Date.now();
  let last = 0;
  let drawn = false;
  return {
    update(phase, done, total) {
      const now = Date.now();
      if (now - started < (opts.delayMs ?? 1000) || (now - last < (opts.intervalMs ?? 100) && done < total)) return;
      last = now;
      const width = 30;
      const filled = total > 0 ? Math.round((done / total) * width) : 0;
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${phase} ${done}/${total}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
