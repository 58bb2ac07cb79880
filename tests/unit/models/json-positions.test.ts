import { describe, expect, it } from 'vitest';
import { parseJsonWithPositions } from '../../../src/core/json-positions.js';
import { caught } from './helpers.js';

const text = `{
  "type": "object",
  "properties": {
    "name": { "type": "string" },
    "a/b~c": {
      "type": "array",
      "items": [ { "type": "number" }, true ]
    }
  }
}
`;

describe('parseJsonWithPositions', () => {
  it('returns the parsed value', () => {
    expect(parseJsonWithPositions(text, 'x.json').value).toEqual(JSON.parse(text));
  });

  it('locates object members at their key and array items at the item', () => {
    const { locate } = parseJsonWithPositions(text, 'x.json');
    expect(locate('')).toEqual({ line: 1, column: 1 });
    expect(locate('/properties/name/type')).toEqual({ line: 4, column: 15 });
    expect(locate('/properties/a~1b~0c/items/1')).toEqual({ line: 7, column: 40 });
  });

  it('falls back to the nearest existing parent', () => {
    const { locate } = parseJsonWithPositions(text, 'x.json');
    expect(locate('/properties/name/missing/deeper')).toEqual(locate('/properties/name'));
    expect(locate('/properties/a~1b~0c/items/9')).toEqual({ line: 7, column: 7 });
  });

  it('ignores a byte-order mark and handles tab indentation', () => {
    const { value, locate } = parseJsonWithPositions('\uFEFF{\n\t"a": {\n\t\t"b": 1\n\t}\n}', 'x.json');
    expect(value).toEqual({ a: { b: 1 } });
    expect(locate('/a/b')).toEqual({ line: 3, column: 3 });
  });

  it('reports a syntax error with file, line and column', async () => {
    const err = await caught(() => parseJsonWithPositions('{\n  "a": 1,\n  "b": 2,\n}\n', 'models/x/1.0.0.schema.json'));
    expect(err.exitCode).toBe(2);
    expect(err.location).toEqual({ file: 'models/x/1.0.0.schema.json', line: 4, column: 1 });
    expect(err.message).toContain('not valid JSON');
    expect(err.hint).toMatch(/comma/);
  });

  it('places an unexpected end of input at the end of the text', async () => {
    const err = await caught(() => parseJsonWithPositions('{\n  "a": [1, 2', 'y.json'));
    expect(err.location).toEqual({ file: 'y.json', line: 2, column: 13 });
  });
});
