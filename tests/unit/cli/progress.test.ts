// The progress display: a cli-progress bar on stderr only on a terminal and never with --json (src/cli/progress.ts).
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { NO_PROGRESS, progressBar, progressFor, progressWanted, type ProgressStream } from '../../../src/cli/progress.js';

/** A stream that records what is written, a terminal or not. */
function fakeStream(isTTY: boolean): ProgressStream & { text: () => string } {
  const chunks: string[] = [];
  const s = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  }) as Writable & { isTTY?: boolean; columns?: number; text: () => string };
  s.isTTY = isTTY;
  s.columns = 100;
  s.text = () => chunks.join('');
  return s;
}

describe('progressWanted / progressFor: the on/off rule', () => {
  it('draws only on a terminal and never with --json', () => {
    expect(progressWanted({ json: false }, { isTTY: true })).toBe(true);
    expect(progressWanted({ json: false }, { isTTY: false })).toBe(false);
    expect(progressWanted({ json: false }, {})).toBe(false);
    expect(progressWanted({ json: true }, { isTTY: true })).toBe(false);
  });

  it('a piped stderr gets nothing', () => {
    const stream = fakeStream(false);
    const p = progressFor({ json: false }, { stream, delayMs: 0 });
    expect(p).toBe(NO_PROGRESS);
    p.update('rendering', 1, 2);
    p.done();
    expect(stream.text()).toBe('');
  });

  it('--json gets nothing, even on a terminal', () => {
    const stream = fakeStream(true);
    const p = progressFor({ json: true }, { stream, delayMs: 0 });
    expect(p).toBe(NO_PROGRESS);
    p.update('rendering', 1, 2);
    p.done();
    expect(stream.text()).toBe('');
  });

  it('a terminal gets a bar with the phase and the count, erased by done()', () => {
    const stream = fakeStream(true);
    const p = progressFor({ json: false }, { stream, delayMs: 0 });
    expect(p).not.toBe(NO_PROGRESS);
    p.update('rendering', 1, 4);
    const drawn = stream.text();
    expect(drawn).toContain('rendering 1/4');
    expect(drawn).toMatch(/#{7,8}\.{22,23} rendering/);
    p.done();
    const after = stream.text().slice(drawn.length);
    expect(after).toContain('\x1b[2K'); // the line is cleared, not left behind
    const length = stream.text().length;
    p.update('rendering', 2, 4);
    p.done();
    expect(stream.text().length).toBe(length);
  });
});

describe('progressBar', () => {
  it('waits delayMs before it draws, so quick runs print nothing', () => {
    const stream = fakeStream(true);
    let now = 1000;
    const p = progressBar({ stream, delayMs: 500, now: () => now });
    p.update('reading', 1, 10);
    now += 499;
    p.update('reading', 2, 10);
    expect(stream.text()).toBe('');
    now += 1;
    p.update('reading', 3, 10);
    expect(stream.text()).toContain('reading 3/10');
    p.done();
  });

  it('follows a new phase and total', () => {
    const stream = fakeStream(true);
    const p = progressBar({ stream, delayMs: 0 });
    p.update('reading', 10, 10);
    p.update('generalising', 1, 3);
    p.done(); // the last state is drawn once more before the line is cleared
    expect(stream.text()).toContain('reading 10/10');
    expect(stream.text()).toContain('generalising 1/3');
  });

  it('is a no-op on a stream that is not a terminal', () => {
    expect(progressBar({ stream: fakeStream(false), delayMs: 0 })).toBe(NO_PROGRESS);
  });
});
