import { describe, expect, it } from 'vitest';
import { describeConflict, mergeThreeWay, splitLines } from '../../../src/engine/merge/three-way.js';

const base = 'a\nb\nc\nd\ne\n';

describe('mergeThreeWay', () => {
  it('merges edits to different hunks', () => {
    const ours = 'a (mine)\nb\nc\nd\ne\n';
    const theirs = 'a\nb\nc\nd\ne (new)\n';
    expect(mergeThreeWay(base, ours, theirs)).toEqual({ clean: true, text: 'a (mine)\nb\nc\nd\ne (new)\n', conflicts: [] });
  });

  it('takes the only side that changed', () => {
    expect(mergeThreeWay(base, base, 'x\n').text).toBe('x\n');
    expect(mergeThreeWay(base, 'y\n', base).text).toBe('y\n');
  });

  it('treats the same change on both sides as no conflict', () => {
    const both = 'a\nB\nc\nd\ne\n';
    const r = mergeThreeWay(base, `${both}f\n`, `${both}`);
    expect(r.clean).toBe(true);
    expect(r.text).toBe(`${both}f\n`);
  });

  it('reports a conflicting hunk with its lines and writes diff3 markers', () => {
    const r = mergeThreeWay(base, 'a\nb\nmine\nd\ne\n', 'a\nb\ntheirs\nd\ne\n');
    expect(r.clean).toBe(false);
    expect(r.conflicts).toEqual([{ oursLine: 3, baseLine: 3, theirsLine: 3, ours: ['mine\n'], base: ['c\n'], theirs: ['theirs\n'] }]);
    expect(r.text).toBe('a\nb\n<<<<<<< ours (on disk)\nmine\n||||||| base\nc\n=======\ntheirs\n>>>>>>> theirs (generated)\nd\ne\n');
    expect(describeConflict('f.ts', r.conflicts[0])).toContain('f.ts:3: conflict');
  });

  it('keeps CRLF line ends and a missing final newline', () => {
    const b = 'x\r\ny\r\nz';
    const r = mergeThreeWay(b, 'X\r\ny\r\nz', 'x\r\ny\r\nZ');
    expect(r).toMatchObject({ clean: true, text: 'X\r\ny\r\nZ' });
  });

  it('ends a conflict side without a final newline before the next marker', () => {
    const r = mergeThreeWay('a', 'b', 'c');
    expect(r.text).toBe('<<<<<<< ours (on disk)\nb\n||||||| base\na\n=======\nc\n>>>>>>> theirs (generated)\n');
  });
});

describe('splitLines', () => {
  it('keeps terminators and a last unterminated line', () => {
    expect(splitLines('a\nb\r\nc')).toEqual(['a\n', 'b\r\n', 'c']);
    expect(splitLines('')).toEqual([]);
  });
});
