import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { forEachLine } from './lines.js';

/** The index file beside the segments: `.metarepo/events/index.json`. */
export const INDEX_FILE = 'index.json';

/**
 * What the index knows of one rotated segment (`events-<last sequence>.jsonl`): enough for a query to skip it unread
 * and for retention to judge it without reading it.
 */
export interface SegmentEntry {
  /** The segment's file name (no folder). */
  file: string;
  /** Its size in bytes when it was indexed: a different size now means it changed (edited), so it is scanned again. */
  bytes: number;
  /** Sequence of its first and last event; 0 when it holds none. */
  first: number;
  last: number;
  /** Events in it (lines that are no event not counted). */
  events: number;
  /**
   * Earliest and latest event `time` in it, in ms since the epoch (min and max, not first and last: publishers' clocks
   * may disagree); null when no event has a readable time.
   */
  minTime: number | null;
  maxTime: number | null;
}

/** Running figures of the events written to one segment. */
export class SegmentStats {
  first = 0;
  last = 0;
  events = 0;
  minTime: number | null = null;
  maxTime: number | null = null;

  /** Counts one event; `time` is its RFC 3339 `time` (anything unreadable is left out of the time range). */
  add(sequence: number, time: unknown): void {
    if (this.first === 0) this.first = sequence;
    this.last = sequence;
    this.events++;
    const ms = typeof time === 'string' ? Date.parse(time) : NaN;
    if (Number.isNaN(ms)) return;
    if (this.minTime === null || ms < this.minTime) this.minTime = ms;
    if (this.maxTime === null || ms > this.maxTime) this.maxTime = ms;
  }

  /** Adds the figures of events that came after this one's (a later part of the same segment). */
  append(later: SegmentStats): void {
    if (later.events === 0) return;
    if (this.first === 0) this.first = later.first;
    this.last = later.last;
    this.events += later.events;
    for (const t of [later.minTime, later.maxTime]) {
      if (t === null) continue;
      if (this.minTime === null || t < this.minTime) this.minTime = t;
      if (this.maxTime === null || t > this.maxTime) this.maxTime = t;
    }
  }

  /** The index entry for `file` of `bytes` bytes with these figures. */
  entry(file: string, bytes: number): SegmentEntry {
    return { file, bytes, first: this.first, last: this.last, events: this.events, minTime: this.minTime, maxTime: this.maxTime };
  }
}

/**
 * The figures of the events in the first `end` bytes of a segment (default: all of it), found by parsing each line.
 * Lines that are no event are left out. Used for a segment the index lacks or has at another size.
 * @returns empty figures when the file vanished meanwhile.
 */
export function scanSegment(file: string, end?: number): SegmentStats {
  const stats = new SegmentStats();
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return stats;
    throw e;
  }
  if (end !== undefined) buf = buf.subarray(0, end);
  forEachLine(buf, (start, stop) => {
    let e: { sequence?: unknown; time?: unknown } | null;
    try {
      e = JSON.parse(buf.toString('utf8', start, stop)) as { sequence?: unknown; time?: unknown } | null;
    } catch {
      return;
    }
    const sequence = e?.sequence;
    if (typeof sequence === 'number' && Number.isSafeInteger(sequence) && sequence > 0) stats.add(sequence, e?.time);
  });
  return stats;
}

/** The stored index by file name; empty when it is missing or unreadable (segments are then scanned). */
function readIndex(dir: string): Map<string, SegmentEntry> {
  const out = new Map<string, SegmentEntry>();
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(path.join(dir, INDEX_FILE), 'utf8'));
  } catch {
    return out;
  }
  const list = (parsed as { segments?: unknown } | null)?.segments;
  if (!Array.isArray(list)) return out;
  for (const e of list as SegmentEntry[]) {
    if (e && typeof e.file === 'string' && Number.isSafeInteger(e.bytes) && Number.isSafeInteger(e.first) && Number.isSafeInteger(e.last) && Number.isSafeInteger(e.events)) {
      out.set(e.file, e);
    }
  }
  return out;
}

/**
 * Index entries for rotated segments (absolute paths, oldest first), in the same order: the stored entry when the
 * file still has the size it was indexed at, else the figures from scanning it (a rotation cut short by a crash
 * before the index was written, an index removed, a segment edited by hand). Readers never write the index; the
 * next rotation stores what was scanned.
 * @returns the entries, and whether any had to be scanned (the stored index is out of date).
 */
export function segmentIndex(dir: string, rotated: string[]): { entries: SegmentEntry[]; stale: boolean } {
  const stored = readIndex(dir);
  let stale = stored.size !== rotated.length;
  const entries = rotated.map((file) => {
    const name = path.basename(file);
    const bytes = sizeOf(file);
    const known = stored.get(name);
    if (known && known.bytes === bytes) return known;
    stale = true;
    return scanSegment(file).entry(name, bytes);
  });
  return { entries, stale };
}

/** Writes the index of the given rotated segments (atomically: readers see the old index or the new). */
export function writeIndex(dir: string, entries: SegmentEntry[]): void {
  writeFileAtomic(path.join(dir, INDEX_FILE), `${JSON.stringify({ version: 1, segments: entries })}\n`);
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return -1;
  }
}
