import fs from 'node:fs';
import path from 'node:path';
import { MetarepoError } from '../core/errors.js';
import type { EventEnvelope } from './envelope.js';
import { LIVE_SEGMENT } from './dir.js';
import { ProcessLock } from '../core/process-lock.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import { DEFAULT_RETENTION, segmentsToDelete, type RetentionPolicy } from './retention.js';
import { SegmentStats, scanSegment, segmentIndex, writeIndex } from './segment-index.js';

/**
 * Rotation, retention and locking settings. Sizes in bytes, times in ms. Retention ({@link DEFAULT_RETENTION}) is
 * applied to the rotated segments at each rotation: whichever bound is reached first deletes the oldest segments.
 */
export interface EventLogOptions extends Partial<RetentionPolicy> {
  /** Rotate the live segment once it reaches this size. Default 8 MiB ({@link DEFAULT_SEGMENT_BYTES}). */
  maxBytes?: number;
  /**
   * Hold the cross-process lock from construction to {@link EventLog.close} (the broker: the only writer while
   * it runs). Otherwise each burst of synchronous appends takes the lock and gives it back on the next turn of
   * the event loop. Default false.
   */
  exclusive?: boolean;
  /** How long an append (or an exclusive open) waits for another live process's lock. Default 10 000. */
  lockTimeoutMs?: number;
  /**
   * Where notices go (a cut-off last line set aside when the log is opened for writing). Default: a
   * `metarepo: warning:` line on stderr. The broker sends them to `.metarepo/broker.log`.
   */
  warn?: (message: string) => void;
}

/**
 * The most bytes of one event's JSON envelope, without its `sequence` attribute (the log line adds
 * `,"sequence":N`): 1 MiB. A larger event is refused before it reaches the log — by {@link EventLog.append}
 * (so by InProcessBus), by the ZeroMQ publisher before it sends it, and by the broker's ingest (NAK) — with
 * {@link eventTooLarge}'s error. Bounds what a reader, a replay and the broker's memory hold per event.
 */
export const MAX_EVENT_BYTES = 1024 * 1024;

/**
 * The size in bytes of an event's JSON when it is over `limit`, else undefined. Only a string that could be over is
 * measured (a UTF-16 code unit is at most 3 bytes of UTF-8), so the common case costs one comparison.
 * @param json - the envelope's JSON (without `sequence`).
 * @param limit - bytes; default {@link MAX_EVENT_BYTES}.
 */
export function oversizeBytes(json: string, limit = MAX_EVENT_BYTES): number | undefined {
  if (json.length * 3 <= limit) return undefined;
  const bytes = Buffer.byteLength(json);
  return bytes > limit ? bytes : undefined;
}

/**
 * The error for an event over {@link MAX_EVENT_BYTES}: a MetarepoError (exit 2) naming the type and the size.
 * @param bytes - the size of the event's JSON without `sequence`.
 */
export function eventTooLarge(type: string, bytes: number): MetarepoError {
  return new MetarepoError(`Event ${type} is ${bytes} bytes of JSON, over the limit of ${MAX_EVENT_BYTES} bytes (1 MiB) for one event; it was not published.`, {
    hint: 'Publish a reference (a file path, an id) or a summary instead of the content itself.',
  });
}

/** Default size at which the live segment rotates: 8 MiB, so a query near the end reads little. */
export const DEFAULT_SEGMENT_BYTES = 8 * 1024 * 1024;

const LIVE = LIVE_SEGMENT;
const ROTATED = /^events-(\d+)\.jsonl$/;
/** A cut-off last line moved aside: `events.jsonl.truncated-<byte offset>-seq-<reserved sequence>`. */
const SET_ASIDE = /^events\.jsonl\.truncated-(\d+)-seq-(\d+)$/;
/** The lock file inside the events folder. */
export const LOCK_FILE = '.lock';

/**
 * The event log: `.metarepo/events/events.jsonl` plus rotated segments `events-<last sequence>.jsonl`,
 * one CloudEvents envelope per line. It stamps each envelope's `sequence`, continuing from the last
 * logged event, so sequences are monotonic and gap-free across runs — and across processes: appends happen
 * under a lock file ({@link ProcessLock}), and whoever takes the lock re-reads the log's end when another process
 * wrote since, so concurrent writers never reuse a sequence. The latest sequence is read from the log's last
 * complete line however long it is ({@link lastSequence}). A last line cut off by a crash is moved aside when the log
 * is opened for writing, and its sequence stays reserved (see {@link setAsideFiles}). One event is at most
 * {@link MAX_EVENT_BYTES}.
 */
export class EventLog {
  private sequence: number;
  private fd: number | null = null;
  /** Size and inode of the live segment as this instance last left it: a mismatch means another writer. */
  private size = 0;
  private ino = 0;
  private readonly maxBytes: number;
  private readonly retention: RetentionPolicy;
  /** Figures of the events this instance appended to the live segment since it opened it (for the index). */
  private live = new SegmentStats();
  /** Size of the live segment when this instance opened it: those bytes are scanned at rotation. */
  private liveBase = 0;
  private readonly exclusive: boolean;
  private readonly lockTimeoutMs: number;
  private readonly lock: ProcessLock;
  /** Whether this instance holds the lock now (other instances of the process may share it, see ProcessLock). */
  private holding = false;
  private releaseTimer: NodeJS.Immediate | null = null;
  private readonly warn: (message: string) => void;

  /**
   * @param dir - absolute path of the events folder (created on first append, or at once when exclusive; an exclusive
   *   log is opened at once too, so a cut-off last line is set aside before its owner starts).
   * @throws MetarepoError (exit 1) when `exclusive` and another live process holds the log past the timeout; the
   *   I/O error when a cut-off last line cannot be set aside.
   */
  constructor(readonly dir: string, opts: EventLogOptions = {}) {
    this.maxBytes = opts.maxBytes ?? DEFAULT_SEGMENT_BYTES;
    this.retention = {
      keepEvents: opts.keepEvents ?? DEFAULT_RETENTION.keepEvents,
      keepBytes: opts.keepBytes ?? DEFAULT_RETENTION.keepBytes,
      keepMs: opts.keepMs ?? DEFAULT_RETENTION.keepMs,
      keepSegments: opts.keepSegments,
    };
    this.exclusive = opts.exclusive ?? false;
    this.lockTimeoutMs = opts.lockTimeoutMs ?? 10_000;
    this.warn = opts.warn ?? ((message) => process.stderr.write(`metarepo: warning: ${message}\n`));
    this.lock = new ProcessLock(path.join(dir, LOCK_FILE), this.exclusive ? 'broker' : 'writer');
    this.sequence = lastSequence(dir);
    if (this.exclusive) {
      fs.mkdirSync(dir, { recursive: true });
      if (!this.acquire(this.lockTimeoutMs)) throw this.lockedError();
      try {
        this.open();
      } catch (e) {
        this.close();
        throw e;
      }
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
      {
        time: envelope.time,
        render: (sequence) => {
          envelope.sequence = sequence;
          return JSON.stringify(envelope);
        },
      },
    ])[0]!;
  }

  /**
   * Appends several events with one write: each `render` gets its sequence (consecutive) and returns the
   * event's JSON carrying it; `time` is the event's `time` (for the segment index). Used by the broker, which splices
   * the sequence into JSON it already has.
   * @returns the lines written, without newlines: slices of the one flat text written, so a caller that sends them
   *   on (the broker publishes them) encodes each without first copying it out of the pieces it was built from.
   * @throws MetarepoError (exit 1) as {@link EventLog.append}; a render's error, or {@link eventTooLarge}'s
   *   MetarepoError (exit 2) for an event over {@link MAX_EVENT_BYTES} (then nothing is written).
   */
  appendAll(events: Array<{ time: unknown; render: (sequence: number) => string }>): string[] {
    if (events.length === 0) return [];
    if (!this.acquire(this.lockTimeoutMs)) throw this.lockedError();
    if (this.fd === null) this.open(); // may set a cut-off last line aside, reserving its sequence
    const lines = events.map((e, i) => e.render(this.sequence + 1 + i));
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.length * 3 <= MAX_EVENT_BYTES) continue; // cannot be over: no need to measure
      const bytes = Buffer.byteLength(line) - `,"sequence":${this.sequence + 1 + i}`.length;
      if (bytes > MAX_EVENT_BYTES) throw eventTooLarge(/"type":"([^"\\]*)"/.exec(line.slice(0, 4096))?.[1] ?? 'unknown', bytes);
    }
    const text = [...lines, ''].join('\n'); // each line newline-terminated, joined once into a flat string
    fs.writeSync(this.fd!, text);
    for (let i = 0; i < events.length; i++) this.live.add(this.sequence + 1 + i, events[i]!.time);
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
    this.live = new SegmentStats();
    this.liveBase = st.size;
    if (st.size === 0) return;
    const last = Buffer.alloc(1);
    fs.readSync(this.fd, last, 0, 1, st.size - 1);
    if (last[0] === 0x0a) return;
    const tail = readTail(file);
    if (tail.partial) {
      try {
        this.setAside(file, tail.partial);
      } catch (e) {
        this.closeFile(); // never append after a cut-off line: the next attempt sets it aside again
        throw e;
      }
    } else {
      // A complete event without its line end: end that line so ours is not glued to it.
      fs.writeSync(this.fd, '\n');
      this.size++;
    }
  }

  /**
   * Moves a cut-off last line (a write a crash interrupted) out of the live segment into
   * `events.jsonl.truncated-<offset>-seq-<sequence>` beside it, reserving that sequence for the lost event. Crash-safe
   * in every order: the copy is written durably first and its name carries the reservation ({@link lastSequence}
   * counts it); a copy found from an earlier attempt is recognised by offset and content and not made twice.
   */
  private setAside(file: string, partial: { offset: number; bytes: number }): void {
    const end = logEnd(this.dir);
    const reserved = end.sequence; // counts the cut-off event (or its copy)
    let target = end.copy?.file;
    if (target === undefined) {
      target = path.join(this.dir, `${LIVE}.truncated-${partial.offset}-seq-${reserved}`);
      const bytes = Buffer.alloc(partial.bytes);
      fs.readSync(this.fd!, bytes, 0, partial.bytes, partial.offset);
      writeFileAtomic(target, bytes);
    }
    fs.ftruncateSync(this.fd!, partial.offset);
    fs.fsyncSync(this.fd!);
    this.size = partial.offset;
    this.liveBase = partial.offset;
    this.sequence = Math.max(this.sequence, reserved);
    this.warn(
      `the last line of ${file} was cut off (${partial.bytes} bytes at byte ${partial.offset}, a write interrupted by a crash); ` +
        `it was moved to ${target} and sequence ${reserved} stays reserved for it`,
    );
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

  /**
   * Renames the live segment `events-<last sequence>.jsonl`, indexes it (the figures gathered while appending, plus a
   * scan of what the segment held before this instance opened it), applies retention, and writes the index. A crash
   * between the steps leaves a segment unindexed or an entry without its file: readers scan or drop those, and the
   * next rotation writes the index right ({@link segmentIndex}).
   */
  private rotate(): void {
    const base = this.liveBase;
    const stats = this.live;
    this.closeFile();
    const name = `events-${String(this.sequence).padStart(12, '0')}.jsonl`;
    const file = path.join(this.dir, name);
    fs.renameSync(path.join(this.dir, LIVE), file);
    this.size = 0;
    const entry = (base > 0 ? scanSegment(file, base) : new SegmentStats());
    entry.append(stats);
    const rotated = segments(this.dir).filter((f) => path.basename(f) !== LIVE);
    const { entries } = segmentIndex(this.dir, rotated.filter((f) => f !== file));
    entries.push(entry.entry(name, fs.statSync(file).size));
    const doomed = segmentsToDelete(entries, this.retention, Date.now());
    for (const old of doomed) fs.rmSync(path.join(this.dir, old.file), { force: true });
    writeIndex(this.dir, entries.slice(doomed.length));
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
  return listDir(dir).segments;
}

/** A cut-off last line that a writer moved out of the log (see {@link EventLog}). */
export interface SetAsideFile {
  /** Absolute path: `<events dir>/events.jsonl.truncated-<offset>-seq-<sequence>`. */
  file: string;
  /** Byte offset in `events.jsonl` where the cut-off line started. */
  offset: number;
  /** The sequence reserved for the lost event: no other event is ever stamped with it. */
  sequence: number;
}

/**
 * The cut-off last lines set aside beside the log, by reserved sequence (oldest first). They are never deleted by
 * metarepo (rotation and retention leave them): remove one once you have looked at it.
 */
export function setAsideFiles(dir: string): SetAsideFile[] {
  return listDir(dir).setAside;
}

/** One listing of the events folder: its segments in order, and the set-aside files. */
function listDir(dir: string): { segments: string[]; setAside: SetAsideFile[] } {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return { segments: [], setAside: [] };
  }
  const rotated = names.filter((n) => ROTATED.test(n)).sort();
  const out = rotated.map((n) => path.join(dir, n));
  if (names.includes(LIVE)) out.push(path.join(dir, LIVE));
  const setAside: SetAsideFile[] = [];
  for (const n of names) {
    const m = SET_ASIDE.exec(n);
    if (m) setAside.push({ file: path.join(dir, n), offset: Number(m[1]), sequence: Number(m[2]) });
  }
  setAside.sort((a, b) => a.sequence - b.sequence);
  return { segments: out, setAside };
}

/** A line of a segment that is not an event; readers skip it and report it through `onCorrupt`. */
export interface CorruptLine {
  /** Absolute path of the segment. */
  file: string;
  /** Line number in the file, 1-based. */
  line: number;
  /** Byte offset of the line's first byte in the file. */
  offset: number;
  /** Length of the line in bytes, without its line end. */
  bytes: number;
  /** Why it is no event: not JSON, no sequence, or cut off (a last line without its line end that does not parse). */
  reason: string;
}

/** Filter and reporting options of {@link readEvents}. */
export interface ReadOptions {
  /** Only events with `sequence` greater than this. Default 0. */
  since?: number;
  /**
   * Called for each line that is not an event, in file order (it is skipped either way). A line whose trailing
   * `sequence` is not above `since` is skipped unread, so it is reported only when it is not recognisably older.
   */
  onCorrupt?: (line: CorruptLine) => void;
}

/** `file:line (byte offset): reason`, with `file` relative to `relativeTo` when given. */
export function formatCorruptLine(c: CorruptLine, relativeTo?: string): string {
  return `${relativeTo ? path.relative(relativeTo, c.file) : c.file}:${c.line} (byte ${c.offset}): ${c.reason}`;
}

/**
 * Reads logged events in order. Lines that are not events (garbage, a write cut short by a crash) are skipped and
 * reported to `filter.onCorrupt`.
 */
export function* readEvents(dir: string, filter: ReadOptions = {}): Generator<EventEnvelope> {
  const since = filter.since ?? 0;
  for (const file of segments(dir)) {
    // A rotated segment is named after its last sequence: skip it unread when it holds nothing newer.
    const last = ROTATED.exec(path.basename(file));
    if (last && Number(last[1]) <= since) continue;
    if (!filter.onCorrupt) {
      yield* parseLines(readText(file), since);
      continue;
    }
    const bytes = readBytes(file);
    yield* parseLines(bytes.toString('utf8'), since, locator(file, bytes, 0, 1, filter.onCorrupt));
  }
}

/**
 * Maps line indexes of a text (in increasing order) to {@link CorruptLine}s. `bytes` is the text's encoding, read
 * from `file` at byte `offset`, where line number `line` starts. Line ends (0x0a) never occur inside a multi-byte
 * UTF-8 character, so byte offsets are exact even around invalid bytes. Incremental: each call scans on from the last.
 */
export function locator(file: string, bytes: Buffer, offset: number, line: number, report: (c: CorruptLine) => void): (index: number, reason: string) => void {
  let index = 0;
  let at = 0; // byte index in `bytes` where line `index` starts
  return (target, reason) => {
    for (; index < target; index++) at = bytes.indexOf(0x0a, at) + 1;
    const end = bytes.indexOf(0x0a, at);
    report({ file, line: line + target, offset: offset + at, bytes: (end < 0 ? bytes.length : end) - at, reason });
  };
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
 * @param onCorrupt - called with the 0-based index of each line that is no event (and why); such lines are skipped.
 */
export function* parseLines(text: string, since: number, onCorrupt?: (index: number, reason: string) => void): Generator<EventEnvelope> {
  const lines = text.split('\n');
  const last = lines.length - 1; // '' when the text ends with a line end
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line) continue;
    const trailing = since > 0 ? TRAILING_SEQUENCE.exec(line.slice(-32)) : null;
    if (trailing && Number(trailing[1]) <= since) continue;
    let e: EventEnvelope | null;
    try {
      e = JSON.parse(line);
    } catch {
      onCorrupt?.(i, i === last ? 'cut off: the last line has no line end and is not JSON (a write interrupted by a crash, or still being written)' : 'not JSON');
      continue;
    }
    if (typeof e !== 'object' || e === null || !Number.isSafeInteger(e.sequence)) {
      onCorrupt?.(i, 'not an event: no sequence');
      continue;
    }
    if (e.sequence! > since) yield e;
  }
}

/**
 * The sequence of the newest logged event, 0 when the log is empty — exact whatever the length of the last lines:
 * the newest non-empty segment is read backwards to the start of its last line holding an event (a garbage line
 * is passed over). A last line cut off by a crash counts as one more event (its sequence is reserved), unless it was
 * set aside already; sequences reserved by set-aside files ({@link setAsideFiles}) count too.
 * Reads a few bytes in the common case: every writer puts `"sequence":N}` last in a line.
 */
export function lastSequence(dir: string): number {
  return logEnd(dir).sequence;
}

/**
 * The end of the log: the latest sequence as {@link lastSequence} counts it, the cut-off last line of the live segment
 * if there is one, and the set-aside copy of that line when a writer made one but crashed before it cut the log.
 */
function logEnd(dir: string): { sequence: number; partial?: PartialLine & { file: string }; copy?: SetAsideFile } {
  const { segments: files, setAside } = listDir(dir);
  let last = 0;
  let partial: (PartialLine & { file: string }) | undefined;
  for (const file of files.reverse()) {
    const tail = readTail(file);
    if (tail.partial && !partial) partial = { file, ...tail.partial };
    if (tail.sequence > 0) {
      last = tail.sequence;
      break;
    }
  }
  const newest = Math.max(last, ...setAside.map((f) => f.sequence));
  if (!partial) return { sequence: newest };
  // A copy made by a writer that crashed before it cut the log: that event's sequence is counted already.
  const copy = path.basename(partial.file) === LIVE ? copyOf(dir, partial, setAside.filter((f) => f.sequence > last)) : undefined;
  return { sequence: copy ? newest : newest + 1, partial, copy };
}

/** A cut-off last line: where it starts and its length, in bytes. */
interface PartialLine {
  offset: number;
  bytes: number;
}

/** What the end of a segment holds: the newest event's sequence (0: none) and a cut-off last line, if any. */
interface Tail {
  sequence: number;
  partial?: PartialLine;
}

/** Bytes read at a time when a segment is read backwards. */
const CHUNK = 64 * 1024;

/** Reads the end of a segment backwards, line by line, to the newest event (see {@link lastSequence}). */
function readTail(file: string): Tail {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { sequence: 0 }; // rotated away meanwhile
    throw e;
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (size === 0) return { sequence: 0 };
    const probe = Buffer.alloc(Math.min(size, 64));
    fs.readSync(fd, probe, 0, probe.length, size - probe.length);
    if (probe[probe.length - 1] === 0x0a) {
      // The common case: a complete last line ending with its sequence.
      const m = TRAILING_SEQUENCE.exec(probe.toString('latin1', 0, probe.length - 1));
      if (m) return { sequence: Number(m[1]) };
    }
    const chunk = Buffer.alloc(Math.min(size, CHUNK));
    /** Index of the last line end before byte `pos`, -1 when there is none. */
    const lineEndBefore = (pos: number): number => {
      while (pos > 0) {
        const len = Math.min(chunk.length, pos);
        fs.readSync(fd, chunk, 0, len, pos - len);
        const i = chunk.subarray(0, len).lastIndexOf(0x0a);
        if (i >= 0) return pos - len + i;
        pos -= len;
      }
      return -1;
    };
    let partial: PartialLine | undefined;
    let end = size; // exclusive end of the line looked at, without its line end
    if (probe[probe.length - 1] === 0x0a) {
      end = size - 1;
    } else {
      const start = lineEndBefore(size) + 1;
      const sequence = lineSequence(fd, start, size);
      if (sequence > 0) return { sequence }; // a complete event without its line end
      partial = { offset: start, bytes: size - start };
      end = start - 1;
    }
    while (end >= 0) {
      const start = lineEndBefore(end) + 1;
      const sequence = end > start ? lineSequence(fd, start, end) : 0;
      if (sequence > 0) return { sequence, partial };
      end = start - 1;
    }
    return { sequence: 0, partial };
  } finally {
    fs.closeSync(fd);
  }
}

/** The sequence of the event in bytes [start, end) of a segment: its trailing `sequence`, else parsed; 0 if none. */
function lineSequence(fd: number, start: number, end: number): number {
  const probe = Buffer.alloc(Math.min(end - start, 64));
  fs.readSync(fd, probe, 0, probe.length, end - probe.length);
  const m = TRAILING_SEQUENCE.exec(probe.toString('latin1'));
  if (m) return Number(m[1]);
  const line = Buffer.alloc(end - start);
  fs.readSync(fd, line, 0, line.length, start);
  try {
    const e = JSON.parse(line.toString('utf8')) as { sequence?: unknown } | null;
    return typeof e === 'object' && e !== null && Number.isSafeInteger(e.sequence) && (e.sequence as number) > 0 ? (e.sequence as number) : 0;
  } catch {
    return 0;
  }
}

/** The set-aside file (among `candidates`) that holds exactly the cut-off line at `partial` of the live segment. */
function copyOf(dir: string, partial: PartialLine, candidates: SetAsideFile[]): SetAsideFile | undefined {
  const same = candidates.filter((f) => f.offset === partial.offset && fileSize(f.file) === partial.bytes);
  if (same.length === 0) return undefined;
  const bytes = Buffer.alloc(partial.bytes);
  const fd = fs.openSync(path.join(dir, LIVE), 'r');
  try {
    fs.readSync(fd, bytes, 0, bytes.length, partial.offset);
  } finally {
    fs.closeSync(fd);
  }
  return same.find((f) => readBytes(f.file).equals(bytes));
}

/**
 * The 1-based number of the line that starts at byte `offset` of `file` (reads the file up to there). For a reader
 * that follows the log from some offset on and finds a corrupt line.
 */
export function lineNumberAt(file: string, offset: number): number {
  const fd = fs.openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(CHUNK);
    let line = 1;
    for (let pos = 0; pos < offset; ) {
      const n = fs.readSync(fd, chunk, 0, Math.min(CHUNK, offset - pos), pos);
      if (n === 0) break;
      for (let i = chunk.indexOf(0x0a); i >= 0 && i < n; i = chunk.indexOf(0x0a, i + 1)) line++;
      pos += n;
    }
    return line;
  } finally {
    fs.closeSync(fd);
  }
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

/** A file's bytes; empty when it vanished meanwhile. */
function readBytes(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
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
