// Rename detection at scale: candidates are bucketed by their normalised shape, so the number of structural
// comparisons stays at most one per removed property however many properties share a bucket signature.
// (Time and memory at 5,000 properties are measured by bench/rename.mjs, not here.)
import { afterEach, describe, expect, it, vi } from 'vitest';
import { diffSchemas, type JsonSchema } from '../../../src/models/diff/index.js';
import { StructuralEquality } from '../../../src/models/diff/equal.js';

/**
 * Two versions of an object of `size` properties where every other one is renamed (`f<i>` → `g<i>`) with only its
 * description changed; each property has its own `maxLength`, so every rename is unique. `ambiguous` more pairs of
 * removed and added properties share one schema, so they cannot be told apart.
 */
function versions(size: number, ambiguous = 0): [JsonSchema, JsonSchema] {
  const before: Record<string, JsonSchema> = {};
  const after: Record<string, JsonSchema> = {};
  for (let i = 0; i < size; i++) {
    const schema = { type: 'string', maxLength: i + 1 };
    before[`f${i}`] = { ...schema, description: `Field ${i}.` };
    after[i % 2 === 0 ? `g${i}` : `f${i}`] = { ...schema, description: i % 2 === 0 ? `Field ${i}, renamed.` : `Field ${i}.` };
  }
  for (let i = 0; i < ambiguous; i++) {
    before[`old${i}`] = { type: 'integer' };
    after[`new${i}`] = { type: 'integer' };
  }
  return [{ type: 'object', properties: before }, { type: 'object', properties: after }];
}

afterEach(() => vi.restoreAllMocks());

describe('rename detection at scale', () => {
  it.each([600, 5000])('pairs every unique rename among %i properties with at most one comparison per removed property', (size) => {
    const [before, after] = versions(size, 3);
    const equal = vi.spyOn(StructuralEquality.prototype, 'equal');
    const changes = diffSchemas(before, after);
    const renames = changes.filter((c) => c.rule === 'PROPERTY_RENAMED');
    expect(renames).toHaveLength(size / 2);
    expect(renames.every((c) => c.before === `f${String(c.after).slice(1)}`)).toBe(true);
    // The three ambiguous pairs stay removals and additions.
    expect(changes.filter((c) => c.rule === 'PROPERTY_REMOVED_OPEN').map((c) => c.path).sort()).toEqual(['/properties/old0', '/properties/old1', '/properties/old2']);
    expect(changes.filter((c) => c.rule === 'PROPERTY_ADDED_OPTIONAL_OPEN')).toHaveLength(3);
    expect(changes).toHaveLength(size / 2 + 6);
    expect(equal.mock.calls.length).toBeLessThanOrEqual(size / 2 + 3);
  }, 60_000); // a busy 2-core machine; the count above, not the time, is what this test checks

  it('pairs renamed definitions (a chain of them, referring to each other) as before', () => {
    const doc = (a: string, b: string): JsonSchema => ({
      type: 'object',
      properties: { top: { $ref: `#/definitions/${a}` } },
      definitions: { [a]: { type: 'object', properties: { inner: { $ref: `#/definitions/${b}` } } }, [b]: { type: 'string', maxLength: 3 } },
    });
    const changes = diffSchemas(doc('outer', 'leaf'), doc('outer2', 'leaf2'));
    expect(changes.map((c) => `${c.rule} ${String(c.before)} → ${String(c.after)}`).sort()).toEqual(['DEFINITION_RENAMED leaf → leaf2', 'DEFINITION_RENAMED outer → outer2']);
  });
});
