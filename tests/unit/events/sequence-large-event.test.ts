// Issue 13 item 1: the latest sequence is exact whatever the length of the log's last lines, and one event's size is
// capped. A real log in a temp folder, in process.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MetarepoError } from '../../../src/core/errors.js';
import { InProcessBus } from '../../../src/events/in-process-bus.js';
import { EventLog, MAX_EVENT_BYTES, lastSequence, readEvents } from '../../../src/events/log.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-seq-'));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const LIVE = 'events.jsonl';

describe('lastSequence is exact whatever the line length', () => {
  it('after one event larger than 64 KiB, the next run continues the sequence (no number reused)', () => {
    const dir = tmp();
    const a = new InProcessBus(new EventLog(dir));
    for (let i = 0; i < 10; i++) a.publish('test:seq:small', { i });
    a.publish('test:seq:big', { blob: 'x'.repeat(100 * 1024) });
    void a.close();
    expect(lastSequence(dir)).toBe(11);
    const b = new InProcessBus(new EventLog(dir));
    const next = range(1, 10).map((i) => b.publish('test:seq:next', { i }).sequence);
    void b.close();
    expect(next).toEqual(range(12, 21));
    const seqs = [...readEvents(dir)].map((e) => e.sequence);
    expect(seqs).toEqual(range(1, 21));
  });

  it('several large lines in a row, each spanning many read chunks', () => {
    const dir = tmp();
    const bus = new InProcessBus(new EventLog(dir));
    bus.publish('test:seq:first', {});
    for (let i = 0; i < 3; i++) bus.publish('test:seq:big', { blob: 'é'.repeat(200 * 1024) }); // 400 KB of UTF-8 each
    void bus.close();
    expect(lastSequence(dir)).toBe(4);
  });

  it('falls back to parsing the line when its sequence is not last, and skips a garbage last line', () => {
    const dir = tmp();
    fs.mkdirSync(dir, { recursive: true });
    const line = (seq: number, pad: number) =>
      JSON.stringify({ sequence: seq, specversion: '1.0', id: `e${seq}`, source: 't', type: 'test:seq:x', time: '', datacontenttype: 'application/json', data: { pad: 'y'.repeat(pad) }, runid: 'r' });
    fs.writeFileSync(path.join(dir, LIVE), `${line(1, 10)}\n${line(2, 150_000)}\nnot json at all\n\n`);
    expect(lastSequence(dir)).toBe(2);
    const e = new InProcessBus(new EventLog(dir)).publish('test:seq:after', {});
    expect(e.sequence).toBe(3);
  });

  it('reads an older segment when the live one holds no event', () => {
    const dir = tmp();
    const bus = new InProcessBus(new EventLog(dir, { maxBytes: 1024 }));
    bus.publish('test:seq:big', { blob: 'z'.repeat(90 * 1024) }); // rotates at once: the live segment is gone
    void bus.close();
    fs.writeFileSync(path.join(dir, LIVE), '');
    expect(lastSequence(dir)).toBe(1);
  });
});

describe('one event is at most MAX_EVENT_BYTES of JSON', () => {
  it('is 1 MiB', () => {
    expect(MAX_EVENT_BYTES).toBe(1024 * 1024);
  });

  it('refuses a larger event before it reaches the log, naming its type and size', () => {
    const dir = tmp();
    const bus = new InProcessBus(new EventLog(dir));
    bus.publish('test:seq:ok', {});
    let error: unknown;
    try {
      bus.publish('test:seq:huge', { blob: 'x'.repeat(MAX_EVENT_BYTES) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MetarepoError);
    expect((error as Error).message).toMatch(/test:seq:huge/);
    expect((error as Error).message).toMatch(/\b10\d{5} bytes\b/); // its size
    expect((error as Error).message).toMatch(/1048576|1 MiB/);
    // Nothing was written and no sequence was used up.
    expect(bus.publish('test:seq:after', {}).sequence).toBe(2);
    void bus.close();
    expect([...readEvents(dir)].map((e) => e.type)).toEqual(['test:seq:ok', 'test:seq:after']);
  });

  it('accepts an event just under the limit', () => {
    const dir = tmp();
    const bus = new InProcessBus(new EventLog(dir));
    const probe = JSON.stringify({ ...bus.publish('test:seq:probe', { blob: '' }), sequence: undefined });
    const room = MAX_EVENT_BYTES - Buffer.byteLength(probe);
    const e = bus.publish('test:seq:probe', { blob: 'x'.repeat(room) });
    void bus.close();
    expect(e.sequence).toBe(2);
    expect(lastSequence(dir)).toBe(2);
  });
});
