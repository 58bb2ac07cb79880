// Colours only on a terminal; a closed pipe ends the run quietly (src/cli/output.ts).
import { EventEmitter } from 'node:events';
import pc from 'picocolors';
import { afterAll, describe, expect, it } from 'vitest';
import { colorWanted, configureColors, endQuietlyOnClosedPipe } from '../../../src/cli/output.js';

describe('colorWanted', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };

  it('colours a terminal, not a pipe or a file — CI=true alone does not turn colours on', () => {
    expect(colorWanted(tty, { TERM: 'xterm' })).toBe(true);
    expect(colorWanted(pipe, { TERM: 'xterm' })).toBe(false);
    expect(colorWanted({}, {})).toBe(false);
    expect(colorWanted(pipe, { CI: 'true' })).toBe(false);
    expect(colorWanted(tty, { TERM: 'dumb' })).toBe(false);
  });

  it('NO_COLOR wins; FORCE_COLOR forces unless it is 0 or false', () => {
    expect(colorWanted(tty, { NO_COLOR: '1' })).toBe(false);
    expect(colorWanted(pipe, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
    expect(colorWanted(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorWanted(pipe, { FORCE_COLOR: '3' })).toBe(true);
    expect(colorWanted(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorWanted(tty, { FORCE_COLOR: 'false' })).toBe(false);
    expect(colorWanted(tty, { FORCE_COLOR: '', TERM: 'xterm' })).toBe(true);
  });
});

describe('configureColors', () => {
  const before = pc.isColorSupported;
  afterAll(() => void configureColors({ isTTY: before }, {}));

  it('switches the one picocolors object every module uses', () => {
    expect(configureColors({ isTTY: false }, { CI: 'true' })).toBe(false);
    expect(pc.isColorSupported).toBe(false);
    expect(pc.red('x')).toBe('x');
    expect(configureColors({ isTTY: true }, { TERM: 'xterm' })).toBe(true);
    expect(pc.red('x')).toBe('\x1b[31mx\x1b[39m');
  });
});

describe('endQuietlyOnClosedPipe', () => {
  function fakeStream() {
    const s = Object.assign(new EventEmitter(), { written: [] as string[], write: (t: string) => (s.written.push(t), true) as boolean });
    return s;
  }
  const epipe = () => Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });

  it('on EPIPE exits 0 once, and every stream stops writing', () => {
    const out = fakeStream();
    const err = fakeStream();
    const exits: number[] = [];
    endQuietlyOnClosedPipe([out, err], (code) => exits.push(code));
    out.emit('error', epipe());
    err.emit('error', epipe());
    expect(exits).toEqual([0]);
    expect(out.write('more')).toBe(true);
    expect(err.write('stack trace')).toBe(true);
    expect(out.written).toEqual([]);
    expect(err.written).toEqual([]);
  });

  it('rethrows any other stream error', () => {
    const out = fakeStream();
    const exits: number[] = [];
    endQuietlyOnClosedPipe([out], (code) => exits.push(code));
    expect(() => out.emit('error', Object.assign(new Error('disk full'), { code: 'ENOSPC' }))).toThrow('disk full');
    expect(exits).toEqual([]);
  });
});
