import fs from 'node:fs';
import path from 'node:path';
import { matchesType, type EventEnvelope } from './envelope.js';
import { NeedleCursor, forEachLine, trailingSequence } from './lines.js';
import { lineNumberAt, segments, type CorruptLine } from './log.js';
import { segmentIndex, type SegmentEntry } from './segment-index.js';
import { LIVE_SEGMENT } from './dir.js';

/** What `metarepo events` asks of the log. Every field is optional; all given ones must hold. */
export interface EventQuery {
  /** Only events with `sequence` greater than this. */
  since?: number;
  /** Only events with `sequence` up to this one (inclusive). */
  until?: number;
  /** Only events whose `time` is at or after this, in ms since the epoch. */
  sinceTime?: number;
  /** Only events whose `time` is at or before this, in ms since the epoch. */
  untilTime?: number;
  /** A type pattern (`*` matches any run of characters, see {@link matchesType}). */
  type?: string;
  /** Exact `source`. */
  source?: string;
  /** Exact `runid`. */
  runid?: string;
  /** Only the newest `limit` matching events (still returned oldest first). */
  limit?: number;
  /** Called for each line of a segment read that is no event (see below for which lines are judged). */
  onCorrupt?: (line: CorruptLine) => void;
}

/** What a query read: for `--verbose`, the bench, and tests that check the index spares reading. */
export interface QueryStats {
  /** Segments in the log (rotated and live). */
  segments: number;
  /** Segments read (the others were skipped by the index, or were not needed for `limit`). */
  read: number;
  /** Lines decoded and parsed as JSON. */
  parsed: number;
  /** Bytes of segments read (a query after a sequence reads a segment from near that sequence to its end). */
  bytes: number;
}

/** Whether an event satisfies a query's filters (all but `limit`). */
export function eventMatches(e: EventEnvelope, q: EventQuery): boolean {
  const seq = e.sequence ?? 0;
  if (q.since !== undefined && seq <= q.since) return false;
  if (q.until !== undefined && seq > q.until) return false;
  if (q.type !== undefined && !matchesType(q.type, e.type)) return false;
  if (q.source !== undefined && e.source !== q.source) return false;
  if (q.runid !== undefined && e.runid !== q.runid) return false;
  if (q.sinceTime !== undefined || q.untilTime !== undefined) {
    const t = Date.parse(e.time);
    if (Number.isNaN(t) || (q.sinceTime !== undefined && t < q.sinceTime) || (q.untilTime !== undefined && t > q.untilTime)) return false;
  }
  return true;
}

/**
 * The logged events matching `q`, oldest first. Fast on large logs:
 * - The segment index ({@link segmentIndex}: first/last sequence and earliest/latest time of each rotated segment)
 *   lets whole segments be skipped unread for `since`/`until`/`sinceTime`/`untilTime`; with `limit`, segments are read
 *   newest first until enough events matched.
 * - Inside a segment, lines are found in the bytes: a line whose trailing `sequence` is out of range is skipped
 *   undecoded, and for `type`/`source`/`runid` only lines holding the serialised attribute (`"type":"core:file:`) are
 *   decoded and parsed; the exact filters then run on the parsed event.
 * - With `since`, a segment is read from a line at or before that sequence (found by probing back from its end), so
 *   a query near the end of a large segment reads a few KiB of it.
 *
 * Lines that are no event are reported to `onCorrupt` when they are judged: a line not ending in `"sequence":N}` is
 * always parsed (and reported when it is no event); one that ends so is parsed only when it passes the byte filters.
 * @param stats - filled in with what was read.
 */
export function* queryEvents(dir: string, q: EventQuery = {}, stats?: QueryStats): Generator<EventEnvelope> {
  for (const found of queryLines(dir, q, stats)) yield found.event;
}

/** An event a query found, with its line as logged (its JSON, without the line end). */
export interface FoundEvent {
  event: EventEnvelope;
  line: string;
}

/** {@link queryEvents}, with each event's line as logged: a reader printing JSON prints it without serialising again. */
export function* queryLines(dir: string, q: EventQuery = {}, stats: QueryStats = { segments: 0, read: 0, parsed: 0, bytes: 0 }): Generator<FoundEvent> {
  const files = segments(dir);
  stats.segments = files.length;
  const candidates = wantedSegments(dir, files, q);
  if (q.limit === undefined) {
    for (const file of candidates) {
      stats.read++;
      yield* scan(file, q, stats);
    }
    return;
  }
  // Newest first, until `limit` events matched; then oldest first.
  const found: FoundEvent[][] = [];
  let count = 0;
  for (let i = candidates.length - 1; i >= 0 && count < q.limit; i--) {
    stats.read++;
    const events = [...scan(candidates[i]!, q, stats, q.limit - count)];
    found.unshift(events);
    count += events.length;
  }
  yield* found.flat().slice(Math.max(0, count - q.limit));
}

/** The segments that may hold matching events, oldest first (the live segment last, unless it cannot match). */
function wantedSegments(dir: string, files: string[], q: EventQuery): string[] {
  const live = files.at(-1) !== undefined && path.basename(files.at(-1)!) === LIVE_SEGMENT ? files.at(-1)! : undefined;
  const rotated = live ? files.slice(0, -1) : files;
  const { entries } = segmentIndex(dir, rotated);
  const out: string[] = [];
  let lastRotated = 0;
  for (let i = 0; i < rotated.length; i++) {
    const e = entries[i]!;
    lastRotated = Math.max(lastRotated, e.last);
    if (mayMatch(e, q)) out.push(rotated[i]!);
  }
  // The live segment starts after the newest rotated one; its time range is not indexed.
  if (live && !(q.until !== undefined && lastRotated >= q.until)) out.push(live);
  return out;
}

/** Whether a rotated segment may hold events in the query's sequence and time ranges. */
function mayMatch(e: SegmentEntry, q: EventQuery): boolean {
  if (e.events === 0) return false;
  if (q.since !== undefined && e.last <= q.since) return false;
  if (q.until !== undefined && e.first > q.until) return false;
  if (q.sinceTime !== undefined && e.maxTime !== null && e.maxTime < q.sinceTime) return false;
  if (q.untilTime !== undefined && e.minTime !== null && e.minTime > q.untilTime) return false;
  return true;
}

/** The byte strings a line must hold to match `type`, `source` and `runid` (as every metarepo writer serialises them). */
function needles(q: EventQuery): Buffer[] {
  const out: string[] = [];
  if (q.type !== undefined) {
    const star = q.type.indexOf('*');
    // Up to the first `*` (without the closing quote then): `"type":"core:file:` for `core:file:*`.
    out.push(`"type":${star < 0 ? JSON.stringify(q.type) : JSON.stringify(q.type.slice(0, star)).slice(0, -1)}`);
  }
  if (q.source !== undefined) out.push(`"source":${JSON.stringify(q.source)}`);
  if (q.runid !== undefined) out.push(`"runid":${JSON.stringify(q.runid)}`);
  return out.map((n) => Buffer.from(n));
}

/**
 * The matching events of one segment, in file order. With `newest`, only the last `newest` of them: lines that pass
 * the byte filters are then parsed from the end of the segment back until that many matched (`--limit` reads little).
 */
function* scan(file: string, q: EventQuery, stats: QueryStats, newest?: number): Generator<FoundEvent> {
  const read = readInto(file, q.since);
  if (!read) return; // deleted by retention meanwhile
  const { buf, from } = read;
  stats.bytes += buf.length;
  // Line numbers are counted from `from`; the lines before it are counted only to report a corrupt line.
  let linesBefore: number | undefined = from === 0 ? 0 : undefined;
  const onCorrupt = q.onCorrupt && ((c: CorruptLine) => q.onCorrupt!({ ...c, offset: from + c.offset, line: c.line + (linesBefore ??= lineNumberAt(file, from) - 1) }));
  const cursors = needles(q).map((n) => new NeedleCursor(buf, n));
  const candidates: number[] = []; // start, end, index, terminated (0/1) of each line to parse
  forEachLine(buf, (start, end, index, terminated) => {
    const seq = trailingSequence(buf, start, end);
    if (seq >= 0) {
      if (q.since !== undefined && seq <= q.since) return true;
      if (q.until !== undefined && seq > q.until) return false; // sequences only grow: nothing further matches
      for (const c of cursors) if (!c.within(start, end)) return true;
    }
    candidates.push(start, end, index, terminated ? 1 : 0);
    return true;
  });
  const out: FoundEvent[] = [];
  const examine = (k: number) => {
    stats.parsed++;
    const [start, end, index, terminated] = [candidates[k]!, candidates[k + 1]!, candidates[k + 2]!, candidates[k + 3]!];
    const line = buf.toString('utf8', start, end);
    const event = parse(line, start, index, terminated === 1, file, onCorrupt);
    if (event && eventMatches(event, q)) out.push({ event, line });
  };
  if (newest === undefined) {
    for (let k = 0; k < candidates.length; k += 4) examine(k);
  } else {
    for (let k = candidates.length - 4; k >= 0 && out.length < newest; k -= 4) examine(k);
    out.reverse();
  }
  yield* out;
}

/** The event on a line starting at byte `offset`, or null (reported to `onCorrupt`) when the line is no event. */
function parse(line: string, offset: number, index: number, terminated: boolean, file: string, onCorrupt?: (c: CorruptLine) => void): EventEnvelope | null {
  let e: EventEnvelope | null;
  const bytes = () => Buffer.byteLength(line);
  try {
    e = JSON.parse(line) as EventEnvelope | null;
  } catch {
    const reason = terminated ? 'not JSON' : 'cut off: the last line has no line end and is not JSON (a write interrupted by a crash, or still being written)';
    onCorrupt?.({ file, line: index + 1, offset, bytes: bytes(), reason });
    return null;
  }
  if (typeof e !== 'object' || e === null || !Number.isSafeInteger(e.sequence)) {
    onCorrupt?.({ file, line: index + 1, offset, bytes: bytes(), reason: 'not an event: no sequence' });
    return null;
  }
  return e;
}

/** One buffer reused for every segment read: a fresh 8 MiB buffer per segment cost more in page faults than the read. */
let scratch = Buffer.alloc(0);

/**
 * A segment's bytes, in the shared scratch buffer (valid until the next call; lines are decoded before it), from byte
 * `from` to its end: with `since`, from a line whose sequence is at most `since` (see {@link startAfter}), so a query
 * near the end of a large segment reads its end only; else from 0. Null when the file vanished.
 */
function readInto(file: string, since?: number): { buf: Buffer; from: number } | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const from = since === undefined ? 0 : startAfter(fd, size, since);
    if (scratch.length < size - from) scratch = Buffer.allocUnsafe(Math.max(size - from, scratch.length * 2));
    let n = 0;
    while (n < size - from) {
      const got = fs.readSync(fd, scratch, n, size - from - n, from + n);
      if (got === 0) break;
      n += got;
    }
    return { buf: scratch.subarray(0, n), from };
  } finally {
    fs.closeSync(fd);
  }
}

/** Bytes read at a time by {@link startAfter}. */
const PROBE_BYTES = 16 * 1024;
let probe = Buffer.alloc(0);

/**
 * Where to start reading a segment of `size` bytes for the events after sequence `since`: the start of a line whose
 * trailing sequence is at most `since`, found by probing back from the end at growing distances (the lines' sequences
 * grow through a segment), or 0. A probe reads {@link PROBE_BYTES} and looks at the first whole line in it; a probe
 * whose line is longer, or does not end in a sequence (corrupt), is passed over. Lines before the start are not read,
 * so a corrupt line among them is not reported (as in a segment the index skips).
 */
function startAfter(fd: number, size: number, since: number): number {
  if (probe.length === 0) probe = Buffer.allocUnsafe(PROBE_BYTES);
  for (let back = PROBE_BYTES; back < size; back *= 2) {
    const at = size - back; // the byte before it tells whether a line starts at `at`
    const n = fs.readSync(fd, probe, 0, PROBE_BYTES, at - 1);
    const lineStart = probe.subarray(0, n).indexOf(0x0a) + 1;
    const lineEnd = lineStart > 0 ? probe.subarray(0, n).indexOf(0x0a, lineStart) : -1;
    if (lineEnd < 0) continue;
    const sequence = trailingSequence(probe, lineStart, lineEnd);
    if (sequence >= 0 && sequence <= since) return at - 1 + lineStart;
  }
  return 0;
}
