import { randomUUID } from 'node:crypto';
import fs from 'node:fs';

/** Who holds a lock file: its process, its role, and a token unique to the acquisition. */
export interface LockHolder {
  pid: number;
  /**
   * What the holder does, for messages: for the event log `broker` (holds it for its whole life) or `writer` (a
   * publisher appending a burst of events); for the workspace lock the command (`generate`, `new`, …).
   */
  role: string;
  token: string;
}

/** Age (ms) after which a leftover `.break` file (its creator died mid-takeover) is removed. */
const BREAKER_STALE_MS = 5000;
const POLL_MS = 5;

// Locks this process holds, by file, with a count: several EventLog instances of one process share the lock
// (JavaScript runs one append at a time, so they cannot interleave).
const held = new Map<string, { holder: LockHolder; count: number }>();

/**
 * A cross-process lock file, created with `link(2)` from a fully written temp file so it exists only with its
 * complete content (pid, role, token). A lock whose process is gone (crash, SIGKILL) is stale and taken over;
 * the takeover itself is guarded by a second `<file>.break` lock so two processes cannot both break the same
 * stale lock and both believe they hold it. Re-entrant within a process.
 */
export class ProcessLock {
  constructor(
    readonly file: string,
    private readonly role: string,
  ) {}

  /**
   * Takes the lock, waiting (synchronously, polling every 5 ms) while another live process holds it.
   * @param timeoutMs - how long to wait; 0 tries once.
   * @returns false when another live process still holds it after `timeoutMs` (see {@link ProcessLock.holder}).
   */
  acquire(timeoutMs: number): boolean {
    const mine = held.get(this.file);
    if (mine) {
      mine.count++;
      return true;
    }
    const deadline = Date.now() + timeoutMs;
    const holder: LockHolder = { pid: process.pid, role: this.role, token: randomUUID() };
    for (;;) {
      if (linkExclusive(this.file, holder)) {
        held.set(this.file, { holder, count: 1 });
        return true;
      }
      const current = this.holder();
      if (current === null || !isAlive(current.pid) || current.pid === process.pid) {
        // Gone, stale, or left by an earlier process that had our pid (we hold nothing, see `held`).
        this.breakStale(current);
        continue;
      }
      if (Date.now() >= deadline) return false;
      sleepSync(POLL_MS);
    }
  }

  /** Gives one acquisition back; the file is removed when the last one is released. */
  release(): void {
    const mine = held.get(this.file);
    if (!mine || --mine.count > 0) return;
    held.delete(this.file);
    if (this.holder()?.token === mine.holder.token) fs.rmSync(this.file, { force: true });
  }

  /** The current holder as written in the lock file, or null when there is no (readable) lock file. */
  holder(): LockHolder | null {
    try {
      return JSON.parse(fs.readFileSync(this.file, 'utf8')) as LockHolder;
    } catch {
      return null;
    }
  }

  private breakStale(seen: LockHolder | null): void {
    const breaker = `${this.file}.break`;
    if (!linkExclusive(breaker, { pid: process.pid, role: this.role, token: randomUUID() })) {
      if (Date.now() - mtime(breaker) > BREAKER_STALE_MS) fs.rmSync(breaker, { force: true });
      sleepSync(POLL_MS);
      return;
    }
    try {
      // Still the same stale holder (or still unreadable)? Only then remove it: someone may have taken over.
      if (this.holder()?.token === seen?.token) fs.rmSync(this.file, { force: true });
    } finally {
      fs.rmSync(breaker, { force: true });
    }
  }
}

/** Whether a process with this pid exists (EPERM: it exists but belongs to another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function linkExclusive(file: string, holder: LockHolder): boolean {
  const tmp = `${file}.${process.pid}.${holder.token}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(holder));
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function mtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return Date.now();
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}
