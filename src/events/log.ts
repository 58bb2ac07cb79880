import fs from 'node:fs';
import path from 'node:path';
import { MetarepoError } from '../core/errors.js';
import type { EventEnvelope } from './envelope.js';
import { ProcessLock } from '../core/process-lock.js';

/** Rotation, retention and locking settings. Sizes in bytes, times in ms. */
export interface EventLogOptions {
  /** Rotate the live segment once it reaches this size. Default 5 MiB. */
  maxBytes?: number;
  /** Retention: rotated segments kept; older ones are deleted. Default 5. */
  keepSegments?: number;
  /**
   * Hold the cross-process lock from construction to {@link EventLog.close} (the broker: the only writer while
   * it runs). Otherwise each burst of synchronous appends takes the lock and gives it back on the next turn of
   * the event loop. Default false.
   */
  exclusive?: boolean;
  /** How long an append (or an exclusive open) waits for another live process's lock. Default 10 000. */
  lockTimeoutMs?: number;
}

const LIVE = 'events.jsonl';
const ROTATED = /^events-(\d+)\.jsonl$/;
/** The lock file inside the events folder. */
export const LOCK_FILE = '.lock';

/**
 * The event log: `.metarepo/events/events.jsonl` plus rotated segments `events-<last sequence>.jsonl`,
 * one CloudEvents envelope per line. It stamps each envelope's `sequence`, continuing from the last
 * logged event, so sequences are monotonic and gap-free across runs — and across processes: appends happen
 * under a lock file ({@link ProcessLock}), and whoever takes the lock re-reads the log's end when another process
 * wrote since, so concurrent writers never reuse a sequence.
 */
export class EventLog {
  private sequence: number;
  private fd: number | null = null;
  /** Size and inode of the live segment as this instance last left it: a mismatch means another writer. */
  private size = 0;
  private ino = 0;
  private readonly maxBytes: number;
  private readonly keep: number;
  private readonly exclusive: boolean;
  private readonly lockTimeoutMs: number;
  private readonly lock: ProcessLock;
  /** Whether this instance holds the lock now (other instances of the process may share it, see ProcessLock). */
  private holding = false;
  private releaseTimer: NodeJS.Immediate | null = null;

  /**
   * @param dir - absolute path of the events folder (created on first append, or at once when exclusive).
   * @throws MetarepoError (exit 1) when `exclusive` and another live process holds the log past the timeout.
   */
  constructor(readonly dir: string, opts: EventLogOptions = {}) {
    this.maxBytes = opts.maxBytes ?? 5 * 1024 * 1024;
    this.keep = opts.keepSegments ?? 5;
    this.exclusive = opts.exclusive ?? false;
    this.lockTimeoutMs = opts.lockTimeoutMs ?? 10_000;
    this.lock = new ProcessLock(path.join(dir, LOCK_FILE), this.exclusive ? 'broker' : 'writer');
    this.sequence = lastSequence(dir);
    if (this.exclusive) {
      fs.mkdirSync(dir, { recursive: true });
      if (!this.acquire(this.lockTimeoutMs)) throw this.lockedError();
    }
  }

  /** The last sequence stamped (by this instance, or found in the log when it was last locked). */
  get lastSequence(): number {
    return this.sequence;
  }

  /**
   * Takes the cross-process lock (re-entrant) and catches up with what other processes appended meanwhile.
   * Unless exclusive, the lock is given back on the next turn of the event loop.
   * @returns false when another live process holds the lock past `timeoutMs` (nothing changed).
   */
  acquire(timeoutMs: number): boolean {
    if (this.holding) return true;
    fs.mkdirSync(this.dir, { recursive: true });
    if (!this.lock.acquire(timeoutMs)) return false;
    this.holding = true;
    this.refresh();
    if (!this.exclusive) this.releaseTimer = setImmediate(() => this.unlock());
    return true;
  }

  /**
   * Stamps `sequence` on the envelope and appends it (synchronously, so a crash loses no logged event).
   * @returns the line written, without its newline (the envelope's JSON).
   * @throws MetarepoError (exit 1) when another live process holds the log's lock past `lockTimeoutMs`.
   */
  append(envelope: EventEnvelope): string {
    return this.appendAll([
      (sequence) => {
        envelope.sequence = sequence;
        return JSON.stringify(envelope);
      },
    ])[0]!;
  }

  /**
   * Appends several events with one write: each function gets its sequence (consecutive) and returns the
   * event's JSON carrying it. Used by the broker, which splices the sequence into JSON it already has.
   * @returns the lines written, without newlines: slices of the one flat text written, so a caller that sends them
   *   on (the broker publishes them) encodes each without first copying it out of the pieces it was built from.
   * @throws MetarepoError (exit 1) as {@link EventLog.append}; a render's error (then nothing is written).
   */
  appendAll(renders: Array<(sequence: number) => string>): string[] {
    if (renders.length === 0) return [];
    if (!this.acquire(this.lockTimeoutMs)) throw this.lockedError();
    const lines = renders.map((render, i) => render(this.sequence + 1 + i));
    if (this.fd === null) this.open();
    const text = [...lines, ''].join('\n'); // each line newline-terminated, joined once into a flat string
    fs.writeSync(this.fd!, text);
    this.sequence += lines.length;
    this.size += Buffer.byteLength(text);
    if (this.size >= this.maxBytes) this.rotate();
    let start = 0;
    return lines.map((line) => {
      const written = text.slice(start, start + line.length);
      start += line.length + 1;
      return written;
    });
  }

  /** Closes the live segment and gives the lock back. */
  close(): void {
    this.closeFile();
    this.unlock();
  }

  private unlock(): void {
    if (this.releaseTimer !== null) clearImmediate(this.releaseTimer);
    this.releaseTimer = null;
    if (this.holding) this.lock.release();
    this.holding = false;
  }

  private open(): void {
    const file = path.join(this.dir, LIVE);
    this.fd = fs.openSync(file, 'a+');
    const st = fs.fstatSync(this.fd);
    this.size = st.size;
    this.ino = st.ino;
    if (st.size === 0) return;
    // A writer that crashed mid-line left no newline: end that line so ours is not glued to it.
    const last = Buffer.alloc(1);
    fs.readSync(this.fd, last, 0, 1, st.size - 1);
    if (last[0] !== 0x0a) {
      fs.writeSync(this.fd, '\n');
      this.size++;
    }
  }

  /** Reopens and re-reads the last sequence unless the live segment is exactly as this instance left it. */
  private refresh(): void {
    let st: fs.Stats | null = null;
    try {
      st = fs.statSync(path.join(this.dir, LIVE));
    } catch {
      // No live segment (first event, or just rotated by another writer).
    }
    if (this.fd !== null && st !== null && st.ino === this.ino && st.size === this.size) return;
    this.closeFile();
    this.sequence = lastSequence(this.dir);
  }

  private closeFile(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  private rotate(): void {
    this.closeFile();
    fs.renameSync(path.join(this.dir, LIVE), path.join(this.dir, `events-${String(this.sequence).padStart(12, '0')}.jsonl`));
    this.size = 0;
    const rotated = segments(this.dir).filter((f) => path.basename(f) !== LIVE);
    for (const old of rotated.slice(0, Math.max(0, rotated.length - this.keep))) fs.rmSync(old, { force: true });
  }

  private lockedError(): MetarepoError {
    const h = this.lock.holder();
    return new MetarepoError(`The event log ${this.dir} is locked by ${h ? `a ${h.role} (pid ${h.pid})` : 'another process'}.`, {
      exitCode: 1,
      hint:
        h?.role === 'broker'
          ? 'A broker owns the log while it runs: publish through it (ZmqBus), or stop it with `metarepo broker stop`.'
          : `Wait for that process to finish; if it is gone, remove ${path.join(this.dir, LOCK_FILE)}.`,
    });
  }
}

/** Segment files in order, oldest first, the live segment last (if present). */
export function segments(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const rotated = names.filter((n) => ROTATED.test(n)).sort();
  const out = rotated.map((n) => path.join(dir, n));
  if (names.includes(LIVE)) out.push(path.join(dir, LIVE));
  return out;
}

/**
 * Reads logged events in order. Lines that do not parse (a write cut short by a crash) are skipped.
 * @param filter.since - only events with `sequence` greater than this.
 */
export function* readEvents(dir: string, filter: { since?: number } = {}): Generator<EventEnvelope> {
  const since = filter.since ?? 0;
  for (const file of segments(dir)) {
    // A rotated segment is named after its last sequence: skip it unread when it holds nothing newer.
    const last = ROTATED.exec(path.basename(file));
    if (last && Number(last[1]) <= since) continue;
    yield* parseLines(readText(file), since);
  }
}

/** The sequence of the oldest event still in the log (older ones fell to retention), 0 when it is empty. */
export function firstSequence(dir: string): number {
  for (const file of segments(dir)) {
    for (const e of parseLines(readText(file), 0)) return e.sequence ?? 0;
  }
  return 0;
}

/** The sequence every writer stamps last in a line (the broker splices it before the closing brace). */
const TRAILING_SEQUENCE = /"sequence":(\d+)\}$/;

/**
 * Parses JSONL text into envelopes with `sequence > since`. A line whose trailing `sequence` is not above `since`
 * is skipped unparsed: a replay from far back reads whole segments, and most of their lines are older.
 */
export function* parseLines(text: string, since: number): Generator<EventEnvelope> {
  for (const line of text.split('\n')) {
    if (!line) continue;
    const trailing = since > 0 ? TRAILING_SEQUENCE.exec(line.slice(-32)) : null;
    if (trailing && Number(trailing[1]) <= since) continue;
    let e: EventEnvelope;
    try {
      e = JSON.parse(line);
    } catch {
      continue;
    }
    if ((e.sequence ?? 0) > since) yield e;
  }
}

/** The sequence of the newest logged event, 0 when the log is empty. Reads only the end of the newest segment. */
export function lastSequence(dir: string): number {
  // Read only the tail of the newest non-empty segment: the log can be large, startup must stay fast.
  for (const file of segments(dir).reverse()) {
    const size = fileSize(file);
    if (size === 0) continue;
    const fd = fs.openSync(file, 'r');
    try {
      const len = Math.min(size, 64 * 1024);
      const buf = Buffer.alloc(len);
      fs.readSync(fd, buf, 0, len, size - len);
      let last = 0;
      for (const e of parseLines(buf.toString('utf8'), 0)) last = Math.max(last, e.sequence ?? 0);
      if (last > 0) return last;
    } finally {
      fs.closeSync(fd);
    }
  }
  return 0;
}

/** A segment's text; '' when it vanished meanwhile (rotated away or deleted by retention). */
function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw e;
  }
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}
