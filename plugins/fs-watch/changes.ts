/**
 * The bookkeeping of `fs-watch`, without I/O: bursts of file events folded into one change per file, and the
 * ledger of metarepo's own writes that keeps them from being reported a second time as outside edits.
 */

/** A change as `core:file:*` names it. */
export type FileChange = 'created' | 'modified' | 'deleted';

/**
 * The changes of one quiet period, one per file: the first and the last event of a file decide, so a file created
 * and deleted within the period is no change, deleted and created again is `modified`, created then modified is
 * `created`.
 */
export class Burst {
  private readonly files = new Map<string, { first: FileChange; last: FileChange }>();

  /** Records an event of `file` (workspace-relative, `/`-separated). */
  add(file: string, change: FileChange): void {
    const seen = this.files.get(file);
    if (seen) seen.last = change;
    else this.files.set(file, { first: change, last: change });
  }

  /** Whether nothing was recorded. */
  get empty(): boolean {
    return this.files.size === 0;
  }

  /** The folded changes, by file name, and empties the burst. */
  take(): Array<{ file: string; change: FileChange }> {
    const out: Array<{ file: string; change: FileChange }> = [];
    for (const [file, { first, last }] of [...this.files].sort(([a], [b]) => a.localeCompare(b))) {
      const change = fold(first, last);
      if (change !== undefined) out.push({ file, change });
    }
    this.files.clear();
    return out;
  }
}

function fold(first: FileChange, last: FileChange): FileChange | undefined {
  if (first === 'created') return last === 'deleted' ? undefined : 'created';
  if (first === 'deleted') return last === 'deleted' ? 'deleted' : 'modified';
  return last;
}

/**
 * Files metarepo itself wrote recently (from its `core:file:*` events), each entry spent by the one outside
 * change it explains. An entry no file event claims (the write happened before watching began) expires after
 * `ttlMs`, so it cannot swallow a later edit by hand.
 */
export class OwnWrites {
  private readonly files = new Map<string, number>();

  /** @param ttlMs - how long an unclaimed entry lasts, in ms. */
  constructor(private readonly ttlMs: number) {}

  /** Records that metarepo wrote `file` at `now` (ms). */
  add(file: string, now: number): void {
    this.files.set(file, now);
  }

  /** Whether `file` was metarepo's own write (spending the entry); drops expired entries first. */
  claim(file: string, now: number): boolean {
    for (const [f, at] of this.files) if (now - at > this.ttlMs) this.files.delete(f);
    return this.files.delete(file);
  }
}
