import fs from 'node:fs';
import path from 'node:path';
import type { EventEnvelope } from './envelope.js';

/** Rotation settings. Sizes in bytes. */
export interface EventLogOptions {
  /** Rotate the live segment once it reaches this size. Default 5 MiB. */
  maxBytes?: number;
  /** Rotated segments kept; older ones are deleted. Default 5. */
  keepSegments?: number;
}

const LIVE = 'events.jsonl';
const ROTATED = /^events-(\d+)\.jsonl$/;

/**
 * The event log: `.metarepo/events/events.jsonl` plus rotated segments `events-<last sequence>.jsonl`,
 * one CloudEvents envelope per line. It stamps each envelope's `sequence`, continuing from the last
 * logged event, so sequences are monotonic and gap-free across runs.
 */
export class EventLog {
  private sequence: number;
  private fd: number | null = null;
  private size: number;
  private readonly maxBytes: number;
  private readonly keep: number;

  /** @param dir - absolute path of the events folder (created on first append). */
  constructor(readonly dir: string, opts: EventLogOptions = {}) {
    this.maxBytes = opts.maxBytes ?? 5 * 1024 * 1024;
    this.keep = opts.keepSegments ?? 5;
    this.size = fileSize(path.join(dir, LIVE));
    this.sequence = lastSequence(dir);
  }

  /** Stamps `sequence` on the envelope and appends it (synchronously, so a crash loses no logged event). */
  append(envelope: EventEnvelope): void {
    envelope.sequence = ++this.sequence;
    const line = `${JSON.stringify(envelope)}\n`;
    if (this.fd === null) {
      fs.mkdirSync(this.dir, { recursive: true });
      this.fd = fs.openSync(path.join(this.dir, LIVE), 'a');
    }
    fs.writeSync(this.fd, line);
    this.size += Buffer.byteLength(line);
    if (this.size >= this.maxBytes) this.rotate();
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  private rotate(): void {
    this.close();
    fs.renameSync(path.join(this.dir, LIVE), path.join(this.dir, `events-${String(this.sequence).padStart(12, '0')}.jsonl`));
    this.size = 0;
    const rotated = segments(this.dir).filter((f) => path.basename(f) !== LIVE);
    for (const old of rotated.slice(0, Math.max(0, rotated.length - this.keep))) fs.rmSync(old, { force: true });
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
  for (const file of segments(dir)) {
    yield* parseLines(fs.readFileSync(file, 'utf8'), filter.since ?? 0);
  }
}

/** Parses JSONL text into envelopes with `sequence > since`. */
export function* parseLines(text: string, since: number): Generator<EventEnvelope> {
  for (const line of text.split('\n')) {
    if (!line) continue;
    let e: EventEnvelope;
    try {
      e = JSON.parse(line);
    } catch {
      continue;
    }
    if ((e.sequence ?? 0) > since) yield e;
  }
}

function lastSequence(dir: string): number {
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

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}
