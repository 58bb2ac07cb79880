import type { SegmentEntry } from './segment-index.js';

/** How much of the event log is kept. Applied to rotated segments each time the live segment rotates. */
export interface RetentionPolicy {
  /** Most events kept across the rotated segments. */
  keepEvents: number;
  /** Most bytes kept across the rotated segments. */
  keepBytes: number;
  /** A segment whose newest event is older than this many ms is deleted. */
  keepMs: number;
  /** Most rotated segments kept; absent: no limit by count of segments. */
  keepSegments?: number;
}

/** 30 days in ms. */
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The default retention, sized for a busy workspace (hundreds of thousands of events a day): the last 30 days, up
 * to 1,000,000 events and 1 GiB, whichever is reached first. At 1 KB an event the bytes bound keeps ~1,000,000 events,
 * at a typical 300–500 bytes the count bound holds first.
 */
export const DEFAULT_RETENTION: Readonly<RetentionPolicy> = { keepEvents: 1_000_000, keepBytes: 1024 * 1024 * 1024, keepMs: 30 * DAY_MS };

/**
 * The rotated segments to delete under `policy`, oldest first. Going from the newest segment back, each is kept while
 * the segments kept so far plus it stay within `keepEvents`, `keepBytes` and `keepSegments` and its newest event is
 * not older than `keepMs`; the first one that fails is deleted with every older one, so the log stays contiguous.
 * The bounds are upper bounds: what is kept never exceeds them (the live segment is not counted).
 * @param entries - index entries of the rotated segments, oldest first.
 * @param now - ms since the epoch.
 */
export function segmentsToDelete(entries: SegmentEntry[], policy: RetentionPolicy, now: number): SegmentEntry[] {
  let events = 0;
  let bytes = 0;
  let kept = 0;
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    const tooOld = e.maxTime !== null && e.maxTime < now - policy.keepMs;
    const over = events + e.events > policy.keepEvents || bytes + e.bytes > policy.keepBytes || kept + 1 > (policy.keepSegments ?? Infinity);
    if (tooOld || over) return entries.slice(0, i + 1);
    events += e.events;
    bytes += e.bytes;
    kept++;
  }
  return [];
}

/** The `events:` section of `metarepo.yaml` (see meta-models/workspace): sizes in bytes, ages in days. */
export interface EventsConfig {
  maxLogBytes?: number;
  keepSegments?: number;
  keepEvents?: number;
  keepDays?: number;
  keepBytes?: number;
}

/** The EventLog / broker settings for a workspace's `events:` configuration (absent fields keep the defaults). */
export function logSettings(config: EventsConfig = {}): Partial<RetentionPolicy> & { maxBytes?: number } {
  return {
    maxBytes: config.maxLogBytes,
    keepSegments: config.keepSegments,
    keepEvents: config.keepEvents,
    keepBytes: config.keepBytes,
    keepMs: config.keepDays === undefined ? undefined : config.keepDays * DAY_MS,
  };
}
