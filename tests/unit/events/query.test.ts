// Issue 13 item 4: queries by run, source, type, sequence and time ranges and limit, and the per-segment index that
// lets them skip whole segments — kept right across rotation, a crash between rename and index write, an edited
// segment, and a writer killed mid-run.
import type { EventEnvelope } from '../../../src/events/envelope.js';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CorruptLine } from '../../../src/events/log.js';
import { EventLog, readEvents, segments } from '../../../src/events/log.js';
import { queryEvents, type EventQuery, type QueryStats } from '../../../src/events/query.js';
import { INDEX_FILE, scanSegment, segmentIndex } from '../../../src/events/segment-index.js';
import { PACKAGE_ROOT } from '../../../src/core/package-root.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-query-'));
const MIN = 60_000;
const T0 = Math.floor(Date.now() / MIN) * MIN - 2 * 24 * 60 * MIN; // two days ago: within the default retention

/** Event i: at T0 + i minutes, type a/b/c in turn, source s0/s1, run r<i div 50>. */
function event(i: number): EventEnvelope {
  return {
    specversion: '1.0',
    id: `id-${i}`,
    source: `s${i % 2}`,
    type: `test:query:${'abc'[i % 3]}`,
    time: new Date(T0 + i * MIN).toISOString(),
    datacontenttype: 'application/json',
    data: { i, pad: 'x'.repeat(150) },
    runid: `r${Math.floor(i / 50)}`,
  };
}

/** A log of `n` events (sequence i+1 for event i) in segments of ~4 KiB. */
function log(n: number): string {
  const dir = tmp();
  const l = new EventLog(dir, { maxBytes: 4096 });
  for (let i = 0; i < n; i++) l.append(event(i));
  l.close();
  return dir;
}

const rotated = (dir: string) => segments(dir).filter((f) => path.basename(f) !== 'events.jsonl');

/** The query's sequences, and what it read. */
function run(dir: string, q: EventQuery) {
  const stats: QueryStats = { segments: 0, read: 0, parsed: 0, bytes: 0 };
  const seqs = [...queryEvents(dir, q, stats)].map((e) => e.sequence!);
  return { seqs, stats };
}

/** The same filter done the slow way: every event parsed. */
function reference(dir: string, keep: (e: ReturnType<typeof event> & { sequence?: number }) => boolean): number[] {
  return [...readEvents(dir)].filter((e) => keep(e as never)).map((e) => e.sequence!);
}

describe('queryEvents', () => {
  const dir = log(600);

  it('filters by type pattern, source and run, exactly', () => {
    expect(run(dir, { type: 'test:query:b' }).seqs).toEqual(reference(dir, (e) => e.type === 'test:query:b'));
    expect(run(dir, { type: 'test:*:c' }).seqs).toEqual(reference(dir, (e) => e.type === 'test:query:c'));
    expect(run(dir, { source: 's1', type: 'test:query:*' }).seqs).toEqual(reference(dir, (e) => e.source === 's1'));
    expect(run(dir, { runid: 'r3' }).seqs).toEqual(reference(dir, (e) => e.runid === 'r3'));
    expect(run(dir, { runid: 'r3' }).seqs).toHaveLength(50);
  });

  it('--since near the end reads only the newest segment; --until stops before later segments', () => {
    const total = segments(dir).length;
    expect(total).toBeGreaterThan(10);
    const near = run(dir, { since: 598 });
    expect(near.seqs).toEqual([599, 600]);
    expect(near.stats.read).toBe(1);
    const early = run(dir, { until: 5 });
    expect(early.seqs).toEqual([1, 2, 3, 4, 5]);
    expect(early.stats.read).toBe(1);
    const middle = run(dir, { since: 300, until: 310 });
    expect(middle.seqs).toEqual([301, 302, 303, 304, 305, 306, 307, 308, 309, 310]);
    expect(middle.stats.read).toBeLessThanOrEqual(2);
  });

  it('time ranges skip segments by their earliest and latest time', () => {
    const q = { sinceTime: T0 + 100 * MIN, untilTime: T0 + 119 * MIN };
    const { seqs, stats } = run(dir, q);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => 101 + i));
    expect(stats.read).toBeLessThanOrEqual(3);
  });

  it('--limit returns the newest matching events, oldest first, reading segments from the newest back', () => {
    const { seqs, stats } = run(dir, { limit: 4, type: 'test:query:a' });
    expect(seqs).toEqual(reference(dir, (e) => e.type === 'test:query:a').slice(-4));
    expect(stats.read).toBeLessThanOrEqual(2);
    expect(run(dir, { limit: 10_000 }).seqs).toHaveLength(600);
    const newest = run(dir, { limit: 3 });
    expect(newest.seqs).toEqual([598, 599, 600]);
    expect(newest.stats.parsed).toBe(3); // parsed from the end back, not the whole segment
  });

  it('decodes only lines that can match a type filter', () => {
    const { stats } = run(dir, { type: 'test:query:a' });
    expect(stats.parsed).toBe(200);
  });

  it('reports corrupt lines of the segments it reads (file, line, offset)', () => {
    const d = log(10);
    const live = path.join(d, 'events.jsonl');
    fs.appendFileSync(live, 'garbage here\n');
    const found: CorruptLine[] = [];
    const seqs = [...queryEvents(d, { onCorrupt: (c) => found.push(c) })].map((e) => e.sequence);
    expect(seqs).toHaveLength(10);
    expect(found).toHaveLength(1);
    expect(found[0]!.reason).toBe('not JSON');
    expect(fs.readFileSync(found[0]!.file, 'utf8').slice(found[0]!.offset, found[0]!.offset + 7)).toBe('garbage');
  });
});

describe('queryEvents after a sequence in a large segment', () => {
  it('reads the segment from near that sequence, not from its start, and locates a corrupt line there exactly', () => {
    const d = tmp();
    const l = new EventLog(d); // one live segment of ~450 KiB
    for (let i = 0; i < 2000; i++) l.append(event(i));
    l.close();
    const live = path.join(d, 'events.jsonl');
    const lines = fs.readFileSync(live, 'utf8').split('\n');
    lines.splice(1995, 0, 'garbage here'); // becomes line 1996, after the event of sequence 1995
    fs.writeFileSync(live, lines.join('\n'));
    const size = fs.statSync(live).size;

    const near = run(d, { since: 1998 });
    expect(near.seqs).toEqual([1999, 2000]);
    expect(near.stats.bytes).toBeGreaterThan(0);
    expect(near.stats.bytes).toBeLessThan(size / 10);

    const found: CorruptLine[] = [];
    expect([...queryEvents(d, { since: 1990, onCorrupt: (c) => found.push(c) })].map((e) => e.sequence)).toEqual([1991, 1992, 1993, 1994, 1995, 1996, 1997, 1998, 1999, 2000]);
    expect(found).toMatchObject([{ file: live, line: 1996, reason: 'not JSON' }]);
    expect(fs.readFileSync(live, 'utf8').slice(found[0]!.offset, found[0]!.offset + 12)).toBe('garbage here');

    // Every start: the same events as reading the whole segment.
    for (const since of [0, 1, 500, 1500, 1994, 1995, 1996, 2000, 5000]) {
      expect(run(d, { since }).seqs).toEqual(reference(d, (e) => e.sequence! > since));
    }
  });
});

describe('the segment index', () => {
  it('lists every rotated segment with its first/last sequence, count and time range after rotations', () => {
    const dir = log(300);
    const files = rotated(dir);
    const stored = JSON.parse(fs.readFileSync(path.join(dir, INDEX_FILE), 'utf8')).segments;
    expect(stored.map((e: { file: string }) => e.file)).toEqual(files.map((f) => path.basename(f)));
    for (const [i, file] of files.entries()) {
      const scanned = scanSegment(file);
      expect(stored[i]).toMatchObject({ bytes: fs.statSync(file).size, first: scanned.first, last: scanned.last, events: scanned.events, minTime: scanned.minTime, maxTime: scanned.maxTime });
    }
  });

  it('a crash between the rename and the index write, and a segment edited since, give the same answers; the next rotation repairs the index', () => {
    const dir = log(300);
    const files = rotated(dir);
    const indexFile = path.join(dir, INDEX_FILE);
    const stored = JSON.parse(fs.readFileSync(indexFile, 'utf8'));
    // The newest rotation's entry never written (crash), and an older segment edited by hand (a line removed).
    stored.segments.pop();
    fs.writeFileSync(indexFile, JSON.stringify(stored));
    const edited = files[2]!;
    const lines = fs.readFileSync(edited, 'utf8').split('\n');
    fs.writeFileSync(edited, [...lines.slice(0, 1), ...lines.slice(2)].join('\n'));
    const removed = JSON.parse(lines[1]!).sequence as number;

    const expected = reference(dir, () => true);
    expect(expected).not.toContain(removed);
    expect(run(dir, {}).seqs).toEqual(expected);
    expect(run(dir, { since: removed - 2, until: removed + 2 }).seqs).toEqual(expected.filter((s) => s > removed - 2 && s <= removed + 2));
    const { stale } = segmentIndex(dir, files);
    expect(stale).toBe(true);

    const more = new EventLog(dir, { maxBytes: 4096 });
    for (let i = 300; i < 330; i++) more.append(event(i));
    more.close();
    const after = rotated(dir);
    const again = segmentIndex(dir, after);
    expect(again.stale).toBe(false);
    for (const [i, file] of after.entries()) expect(again.entries[i]!.last).toBe(scanSegment(file).last);
  });

  it('stays right when writers are killed mid-run, again and again', async () => {
    const dir = tmp();
    const module = path.join(PACKAGE_ROOT, 'dist/src/events/log.js');
    const code = `
      const { EventLog } = await import(${JSON.stringify(module)});
      const log = new EventLog(${JSON.stringify(dir)}, { maxBytes: 2048 });
      for (let i = 0; ; i++) {
        log.append({ specversion: '1.0', id: process.pid + '-' + i, source: 't', type: 'test:crash:w', time: new Date().toISOString(), datacontenttype: 'application/json', data: { pad: 'y'.repeat(100) }, runid: 'k' });
        if (i === 30) process.stdout.write('going\\n');
      }`;
    for (let round = 0; round < 5; round++) {
      const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await new Promise((r) => setTimeout(r, 20 * round));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    const files = rotated(dir);
    expect(files.length).toBeGreaterThan(3);
    const { entries } = segmentIndex(dir, files);
    for (const [i, file] of files.entries()) {
      const scanned = scanSegment(file);
      expect({ first: entries[i]!.first, last: entries[i]!.last, events: entries[i]!.events }).toEqual({ first: scanned.first, last: scanned.last, events: scanned.events });
    }
    const all = [...queryEvents(dir)].map((e) => e.sequence!);
    expect(all).toEqual(all.map((_, i) => all[0]! + i));
    const tail = all.at(-1)! - 3;
    expect(run(dir, { since: tail }).seqs).toEqual(all.filter((s) => s > tail));
  });
});
