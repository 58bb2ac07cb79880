// Issue 13 item 4: retention by count and by age as well as by bytes, applied at each rotation, and the defaults
// sized for real use (no longer 5 segments of 5 MiB).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../../src/events/envelope.js';
import { InProcessBus } from '../../../src/events/in-process-bus.js';
import { EventLog, readEvents, segments } from '../../../src/events/log.js';
import { logSettings } from '../../../src/events/retention.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-retention-'));
const DAY = 24 * 60 * 60 * 1000;

/** An envelope stamped at `time` (ms since the epoch), as a run that long ago would have logged it. */
function at(time: number, i: number): EventEnvelope {
  const iso = new Date(time).toISOString();
  return { specversion: '1.0', id: `e${i}-${time}`, source: 'test', type: 'test:retention:tick', time: iso, datacontenttype: 'application/json', data: { i, pad: 'x'.repeat(200) }, runid: 'r' };
}

describe('event log retention', () => {
  it('keeps at most keepEvents events (20 here, fewer than 5 segments hold) in rotated segments, the newest ones, contiguous', () => {
    const dir = tmp();
    const bus = new InProcessBus(new EventLog(dir, { maxBytes: 2048, keepEvents: 20 }));
    for (let i = 0; i < 300; i++) bus.publish('test:retention:tick', { i, pad: 'x'.repeat(100) });
    bus.close();
    const seqs = [...readEvents(dir)].map((e) => e.sequence!);
    const live = fs.existsSync(path.join(dir, 'events.jsonl')) ? fs.readFileSync(path.join(dir, 'events.jsonl'), 'utf8').split('\n').filter(Boolean).length : 0;
    expect(seqs.at(-1)).toBe(300);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    expect(seqs.length - live).toBeLessThanOrEqual(20);
    // One segment holds ~8 of these events: the bound is met without deleting more than a segment's worth.
    expect(seqs.length - live).toBeGreaterThan(20 - 10);
  });

  it('deletes rotated segments whose newest event is older than keepMs (default 30 days), keeping recent ones', () => {
    const dir = tmp();
    const now = Date.now();
    // Logged 40 days ago (when they were recent: the clock then is the same as a 100-day retention now).
    const old = new EventLog(dir, { maxBytes: 4096, keepMs: 100 * DAY });
    for (let i = 0; i < 40; i++) old.append(at(now - 40 * DAY, i)); // two or three segments of events 40 days old
    old.close();
    expect(segments(dir).length).toBeGreaterThan(2);
    const recent = new EventLog(dir, { maxBytes: 4096 });
    for (let i = 0; i < 40; i++) recent.append(at(now, 100 + i)); // rotation applies retention
    recent.close();
    const times = [...readEvents(dir)].map((e) => Date.parse(e.time));
    expect(times.filter((t) => t < now - 30 * DAY)).toEqual([]);
    expect(times.filter((t) => t >= now).length).toBeGreaterThan(20);
  });

  it('keeps by bytes too, and by default keeps far more than 5 segments of 5 MiB', () => {
    const dir = tmp();
    const log = new EventLog(dir, { maxBytes: 2048, keepBytes: 6 * 2048 });
    const bus = new InProcessBus(log);
    for (let i = 0; i < 300; i++) bus.publish('test:retention:tick', { i, pad: 'x'.repeat(100) });
    bus.close();
    const rotated = segments(dir).filter((f) => path.basename(f) !== 'events.jsonl');
    expect(rotated.reduce((n, f) => n + fs.statSync(f).size, 0)).toBeLessThanOrEqual(6 * 2048);
    expect(rotated.length).toBeGreaterThanOrEqual(4);

    // Defaults: 20 rotations of a small segment size are all kept (the old default kept 5).
    const dflt = tmp();
    const many = new InProcessBus(new EventLog(dflt, { maxBytes: 2048 }));
    for (let i = 0; i < 300; i++) many.publish('test:retention:tick', { i, pad: 'x'.repeat(100) });
    many.close();
    expect([...readEvents(dflt)].map((e) => e.sequence)[0]).toBe(1);
  });

  it('reads retention from the workspace configuration (days to ms)', () => {
    expect(logSettings({ maxLogBytes: 4096, keepEvents: 10, keepDays: 2, keepBytes: 8192, keepSegments: 3 })).toEqual({
      maxBytes: 4096,
      keepEvents: 10,
      keepMs: 2 * DAY,
      keepBytes: 8192,
      keepSegments: 3,
    });
  });
});
