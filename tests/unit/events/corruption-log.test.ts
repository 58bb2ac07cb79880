// Issue 13 item 2, in process with a real log in a temp folder: corrupt lines are reported (file, line, byte offset),
// a cut-off last line is set aside beside the log (never deleted) by the next writer, and its sequence is never reused,
// also when that writer crashes half-way through setting it aside.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InProcessBus } from '../../../src/events/in-process-bus.js';
import { EventLog, lastSequence, readEvents, setAsideFiles, type CorruptLine } from '../../../src/events/log.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-corrupt-'));
const LIVE = 'events.jsonl';
const CUT = '{"specversion":"1.0","id":"cut-off","source":"core","type":"core:file:crea';

/**
 * A log with events 1-3, a garbage line, events 4-5 and a cut-off last line (a crash mid-write). Payloads hold
 * multi-byte characters so that byte offsets differ from character offsets.
 */
function corruptLog() {
  const dir = tmp();
  const live = path.join(dir, LIVE);
  const a = new InProcessBus(new EventLog(dir));
  for (let i = 1; i <= 3; i++) a.publish('test:corrupt:before', { i, text: 'ééé ✓' });
  void a.close();
  const garbageAt = fs.statSync(live).size;
  fs.appendFileSync(live, 'garbage, not JSON\n');
  const b = new InProcessBus(new EventLog(dir));
  for (let i = 4; i <= 5; i++) b.publish('test:corrupt:after', { i, text: 'ü' });
  void b.close();
  const cutAt = fs.statSync(live).size;
  fs.appendFileSync(live, CUT);
  return { dir, live, garbageAt, cutAt };
}

function read(dir: string, since?: number) {
  const corrupt: CorruptLine[] = [];
  const events = [...readEvents(dir, { since, onCorrupt: (c) => void corrupt.push(c) })];
  return { events, corrupt };
}

describe('corrupt lines are reported', () => {
  it('a garbage line and a cut-off last line: file, line number, byte offset, why; the valid events still read', () => {
    const { dir, live, garbageAt, cutAt } = corruptLog();
    const { events, corrupt } = read(dir);
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5]);
    expect(corrupt).toEqual([
      { file: live, line: 4, offset: garbageAt, bytes: 17, reason: expect.stringMatching(/not JSON/) },
      { file: live, line: 7, offset: cutAt, bytes: Buffer.byteLength(CUT), reason: expect.stringMatching(/cut off/) },
    ]);
    // Reading from a later sequence still reports them: whatever they held cannot be known to be older.
    expect(read(dir, 4).corrupt.map((c) => c.line)).toEqual([4, 7]);
  });

  it('a line that is JSON but not an event (no sequence) is reported too', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, LIVE), '{"sequence":1,"type":"a:b"}\n{"type":"a:b"}\n');
    expect(read(dir).corrupt).toEqual([expect.objectContaining({ line: 2, offset: 28, reason: expect.stringMatching(/no sequence/) })]);
  });

  it('a complete last event without its line end is not corrupt, and the next writer ends the line', () => {
    const dir = tmp();
    const bus = new InProcessBus(new EventLog(dir));
    bus.publish('test:corrupt:one', {});
    void bus.close();
    const live = path.join(dir, LIVE);
    fs.writeFileSync(live, fs.readFileSync(live, 'utf8').trimEnd());
    expect(read(dir)).toMatchObject({ corrupt: [], events: [{ sequence: 1 }] });
    expect(lastSequence(dir)).toBe(1);
    expect(new InProcessBus(new EventLog(dir)).publish('test:corrupt:two', {}).sequence).toBe(2);
    expect(read(dir)).toMatchObject({ corrupt: [], events: [{ sequence: 1 }, { sequence: 2 }] });
    expect(setAsideFiles(dir)).toEqual([]);
  });
});

describe('a cut-off last line is set aside and its sequence reserved', () => {
  it('the latest sequence counts the cut-off event', () => {
    const { dir } = corruptLog();
    expect(lastSequence(dir)).toBe(6);
  });

  it('the next writer moves the partial line beside the log (not deleted) and never reuses its sequence', () => {
    const { dir, live, cutAt } = corruptLog();
    const stderr = captureStderr();
    let e;
    try {
      e = new InProcessBus(new EventLog(dir)).publish('test:corrupt:next', {});
    } finally {
      stderr.restore();
    }
    expect(e.sequence).toBe(7);
    const aside = path.join(dir, `${LIVE}.truncated-${cutAt}-seq-6`);
    expect(fs.readFileSync(aside, 'utf8')).toBe(CUT);
    expect(setAsideFiles(dir)).toEqual([{ file: aside, offset: cutAt, sequence: 6 }]);
    expect(stderr.text).toMatch(/cut off/);
    expect(stderr.text).toContain(aside);
    const { events, corrupt } = read(dir);
    expect(events.map((x) => x.sequence)).toEqual([1, 2, 3, 4, 5, 7]);
    expect(corrupt.map((c) => c.line)).toEqual([4]); // the garbage line stays where it is, reported
    expect(fs.readFileSync(live, 'utf8').endsWith('\n')).toBe(true);
    // A later run continues after it.
    expect(lastSequence(dir)).toBe(7);
    expect(new InProcessBus(new EventLog(dir)).publish('test:corrupt:later', {}).sequence).toBe(8);
  });

  it('crash after the tail was set aside, before the next event was written: the reservation holds', () => {
    const { dir, live, cutAt } = corruptLog();
    // The state such a crash leaves: the partial line moved out, nothing appended yet.
    fs.writeFileSync(path.join(dir, `${LIVE}.truncated-${cutAt}-seq-6`), CUT);
    fs.truncateSync(live, cutAt);
    expect(lastSequence(dir)).toBe(6);
    expect(new InProcessBus(new EventLog(dir)).publish('test:corrupt:next', {}).sequence).toBe(7);
  });

  it('crash after the copy was written, before the log was cut: no second copy, no second reserved number', () => {
    const { dir, cutAt } = corruptLog();
    fs.writeFileSync(path.join(dir, `${LIVE}.truncated-${cutAt}-seq-6`), CUT); // the copy; the log still ends with CUT
    expect(lastSequence(dir)).toBe(6);
    const stderr = captureStderr();
    try {
      expect(new InProcessBus(new EventLog(dir)).publish('test:corrupt:next', {}).sequence).toBe(7);
    } finally {
      stderr.restore();
    }
    expect(setAsideFiles(dir).map((f) => f.sequence)).toEqual([6]);
    expect(read(dir).corrupt.map((c) => c.line)).toEqual([4]);
  });

  it('a new cut-off line at the offset of an older one is set aside too, with its own sequence', () => {
    const { dir, live, cutAt } = corruptLog();
    fs.writeFileSync(path.join(dir, `${LIVE}.truncated-${cutAt}-seq-6`), CUT);
    fs.truncateSync(live, cutAt);
    const other = '{"specversion":"1.0","id":"another-cut"';
    fs.appendFileSync(live, other); // the writer after the first set-aside crashed mid-line as well
    expect(lastSequence(dir)).toBe(7);
    const stderr = captureStderr();
    try {
      expect(new InProcessBus(new EventLog(dir)).publish('test:corrupt:next', {}).sequence).toBe(8);
    } finally {
      stderr.restore();
    }
    expect(setAsideFiles(dir).map((f) => [f.offset, f.sequence])).toEqual([
      [cutAt, 6],
      [cutAt, 7],
    ]);
    expect(fs.readFileSync(path.join(dir, `${LIVE}.truncated-${cutAt}-seq-7`), 'utf8')).toBe(other);
  });

  it('a log holding only a cut-off line', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, LIVE), CUT);
    expect(lastSequence(dir)).toBe(1);
    const stderr = captureStderr();
    try {
      expect(new InProcessBus(new EventLog(dir)).publish('test:corrupt:first', {}).sequence).toBe(2);
    } finally {
      stderr.restore();
    }
    expect(setAsideFiles(dir)).toEqual([{ file: path.join(dir, `${LIVE}.truncated-0-seq-1`), offset: 0, sequence: 1 }]);
  });

  it('set-aside files survive rotation and retention', () => {
    const { dir } = corruptLog();
    const stderr = captureStderr();
    try {
      const bus = new InProcessBus(new EventLog(dir, { maxBytes: 1024, keepSegments: 1 }));
      for (let i = 0; i < 50; i++) bus.publish('test:corrupt:tick', { pad: 'p'.repeat(100) });
      void bus.close();
    } finally {
      stderr.restore();
    }
    expect(setAsideFiles(dir).map((f) => f.sequence)).toEqual([6]);
    expect(lastSequence(dir)).toBe(56);
  });
});

function captureStderr() {
  const original = process.stderr.write;
  const out = { text: '', restore: () => void (process.stderr.write = original) };
  process.stderr.write = ((chunk: string | Uint8Array) => {
    out.text += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  return out;
}
