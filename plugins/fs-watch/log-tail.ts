/**
 * Reads what was appended to the workspace's live event log since the last read: every metarepo process of the
 * workspace (and the broker, when one runs) appends its events there, so this is how `fs-watch` learns of writes
 * made by other processes and buses, e.g. the runs of `watch`. Reads only the new bytes, never the whole log.
 */
import fs from 'node:fs';

/** The `core:file:*` events in new lines of the log, as `{ file, origin }`. */
export interface LoggedFileEvent {
  file: string;
  origin: string | undefined;
}

/** Follows one log file by byte offset; a rotation (another inode, or a shorter file) restarts at its beginning. */
export class LogTail {
  private offset = 0;
  private inode = -1;

  /** Starts at the end of `file` as it is now: earlier events are history, not news. */
  constructor(private readonly file: string) {
    const st = statOrUndefined(file);
    if (st) {
      this.offset = st.size;
      this.inode = st.ino;
    }
  }

  /** The `core:file:*` events in complete lines appended since the last call; an unparsable line is skipped. */
  read(): LoggedFileEvent[] {
    const st = statOrUndefined(this.file);
    if (!st) return [];
    if (st.ino !== this.inode || st.size < this.offset) {
      this.inode = st.ino;
      this.offset = 0;
    }
    if (st.size === this.offset) return [];
    const bytes = Buffer.alloc(st.size - this.offset);
    const fd = fs.openSync(this.file, 'r');
    try {
      fs.readSync(fd, bytes, 0, bytes.length, this.offset);
    } finally {
      fs.closeSync(fd);
    }
    // Only complete lines: a line being written is read next time.
    const end = bytes.lastIndexOf(0x0a);
    if (end < 0) return [];
    this.offset += end + 1;
    return bytes
      .subarray(0, end)
      .toString('utf8')
      .split('\n')
      .flatMap((line) => fileEvent(line));
  }
}

function fileEvent(line: string): LoggedFileEvent[] {
  try {
    const event = JSON.parse(line) as { type?: unknown; data?: { path?: unknown; origin?: unknown } };
    if (typeof event.type !== 'string' || !event.type.startsWith('core:file:') || typeof event.data?.path !== 'string') return [];
    return [{ file: event.data.path, origin: typeof event.data.origin === 'string' ? event.data.origin : undefined }];
  } catch {
    return []; // a damaged line is `metarepo health`'s business
  }
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}
