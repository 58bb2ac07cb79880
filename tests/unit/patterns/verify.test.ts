import { describe, expect, it } from 'vitest';
import { firstDifference, verifyMembers } from '../../../src/patterns/verify.js';

const words = (text: string) => text.split(/\s+/).filter(Boolean);

describe('verification', () => {
  it('tells byte-exact, AST-equal (trivia only) and failed members apart, with where they differ', () => {
    const checks = verifyMembers(
      'const {{name}} = {{value}};\n',
      'src/{{name}}.ts',
      [
        { text: 'const a = 1;\n', answers: { name: 'a', value: '1' }, path: 'src/a.ts' },
        { text: 'const  b = 2;\n', answers: { name: 'b', value: '2' }, path: 'src/b.ts' },
        { text: 'const c = 3;\n', answers: { name: 'c', value: '4' }, path: 'src/c.ts' },
        { text: 'const d = 5;\n', answers: { name: 'd' }, path: 'src/d.ts' },
        { text: 'const e = 6;\n', answers: { name: 'e', value: '6' }, path: 'lib/e.ts' },
      ],
      words,
    );
    expect(checks).toEqual([
      { status: 'exact' },
      { status: 'ast-equal', detail: 'first difference at line 1, column 7' },
      { status: 'failed', detail: 'first difference at line 1, column 11' },
      { status: 'failed', detail: expect.stringContaining('render error: "value" not defined') },
      { status: 'failed', detail: 'path renders as src/e.ts' },
    ]);
  });

  it('fails every member with the reason when the template does not compile', () => {
    const checks = verifyMembers('{{#if x}}', undefined, [{ text: '', answers: {} }], words);
    expect(checks[0].status).toBe('failed');
    expect(checks[0].detail).toContain('the template does not compile');
  });

  it('locates the first difference by line and column', () => {
    expect(firstDifference('a\nbc\n', 'a\nbd\n')).toBe('line 2, column 2');
    expect(firstDifference('abc', 'abc!')).toBe('line 1, column 4');
  });
});
