import { describe, expect, it } from 'vitest';
import { OutputTail } from '../../../src/plugins/process/output.js';

describe('OutputTail', () => {
  it('keeps the last lines across chunks, without colour codes or blank lines, plus an unterminated last line', () => {
    const tail = new OutputTail(3);
    tail.push('one\ntw');
    tail.push('o\r\n\n\u001b[31mthree\u001b[39m\nfour\nfi');
    expect(tail.last()).toBe('two | three | four | fi');
    expect(tail.last(2)).toBe('four | fi');
  });

  it('cuts long lines and bounds text printed without newlines', () => {
    const tail = new OutputTail();
    tail.push('x'.repeat(500));
    const last = tail.last();
    expect(last).toHaveLength(200);
    expect(last.endsWith('…')).toBe(true);
  });

  it('is empty when nothing was printed', () => {
    expect(new OutputTail().last()).toBe('');
  });
});
