import { describe, expect, it } from 'vitest';
import { diffSchemas, type JsonSchema } from '../../../src/models/diff/index.js';
import { judgeChanges, sourceUsage, sourceUsers } from '../../../src/models/usage-findings.js';
import { caught } from '../models/helpers.js';

describe('diffSchemas', () => {
  it('gives pointers into both schemas, omitting the side that lacks the keyword', () => {
    const [change] = diffSchemas({ type: 'object', properties: {} }, { type: 'object', properties: { b: { type: 'string' } } });
    expect(change).toEqual({
      rule: 'PROPERTY_ADDED_OPTIONAL_OPEN',
      path: '/properties/b',
      newPointer: '/properties/b',
      message: 'optional property `b` added to an open object',
      impacts: { backward: false, forward: false, source: false },
    });
  });

  it('names the enclosing generated type: the definition key, else the root title', () => {
    const before = { title: 'Order', type: 'object', properties: { id: { type: 'string' }, line: { $ref: '#/$defs/line' } }, $defs: { line: { type: 'object', properties: { qty: { type: 'integer' } } } } };
    const after = structuredClone(before);
    after.properties.id = { type: 'integer' };
    after.$defs.line.properties.qty = { type: 'number' };
    const changes = diffSchemas(before, after);
    expect(changes.map((c) => [c.path, c.typeName])).toEqual([
      ['/$defs/line/properties/qty/type', 'line'],
      ['/properties/id/type', 'Order'],
    ]);
    const untitled = diffSchemas({ type: 'string' }, { type: 'integer' });
    expect(untitled[0]!.typeName).toBeUndefined();
  });

  it('is deterministic: sorted by pointer segment by segment, indices numerically', () => {
    const before = { properties: { b: { enum: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }, a: { type: 'string' }, 'a-b': { type: 'string' } } };
    const after = { properties: { b: { enum: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13] }, a: { type: 'integer' }, 'a-b': { type: 'integer' } } };
    const changes = diffSchemas(before, after);
    expect(diffSchemas(before, after)).toEqual(changes);
    expect(changes.map((c) => c.path)).toEqual([
      '/properties/a/type',
      '/properties/a-b/type',
      '/properties/b/enum',
      '/properties/b/enum/0',
      '/properties/b/enum/11',
      '/properties/b/enum/12',
    ]);
  });

  it('resolves plain-name anchors, $dynamicRef statically, and references that repeat the root $id', () => {
    const doc = (t: string): JsonSchema => ({
      $id: 'https://example.com/s',
      $defs: { name: { $anchor: 'name', type: t }, meta: { $dynamicAnchor: 'meta', type: 'object' } },
      properties: { a: { $ref: '#name' }, b: { $dynamicRef: '#meta' }, c: { $ref: 'https://example.com/s#/$defs/name' } },
    });
    const changes = diffSchemas(doc('string'), doc('integer'));
    expect(changes.map((c) => `${c.rule} ${c.path}`)).toEqual(['TYPE_CHANGED /$defs/name/type']);
  });

  it('rejects a $ref that resolves nowhere, naming it and where it is', async () => {
    const err = await caught(() => diffSchemas({ properties: { a: { $ref: '#/definitions/gone' } } }, { properties: { a: { $ref: '#/definitions/gone' } } }));
    expect(err.message).toBe('Cannot resolve $ref "#/definitions/gone" at "/properties/a" in the old schema: no schema at "/definitions/gone".');
    expect(err.exitCode).toBe(2);
  });

  it('rejects a $ref that leaves the document, with a hint to bundle first', async () => {
    const err = await caught(() => diffSchemas({ $ref: 'other.json#/x' }, {}));
    expect(err.message).toContain('refers outside the document');
    expect(err.hint).toContain('bundle');
  });

  it('rejects input that is not a schema and unknown options', async () => {
    expect((await caught(() => diffSchemas([] as unknown as JsonSchema, {}))).message).toContain('old schema is not a JSON Schema');
    expect((await caught(() => diffSchemas({}, {}, { openContent: 'loose' as 'strict' }))).message).toContain('Unknown openContent policy "loose"');
  });

  it('reports a change reached inline and through a reference once, with the impacts of both', () => {
    const before = { definitions: { s: { type: 'string' } }, properties: { a: { $ref: '#/definitions/s' }, b: { $ref: '#/properties/a' } } };
    const after = { definitions: { s: { type: 'integer' } }, properties: { a: { $ref: '#/definitions/s' }, b: { $ref: '#/properties/a' } } };
    expect(diffSchemas(before, after).map((c) => c.path)).toEqual(['/definitions/s/type']);
  });

  it('shows a removed property where it would be in the new schema', () => {
    const changes = diffSchemas({ properties: { x: { type: 'object', properties: { a: {}, b: { type: 'string' } } } } }, { properties: { x: { type: 'object', properties: { a: {} } } } });
    expect(changes.map((c) => [c.rule, c.path, c.oldPointer, c.newPointer])).toEqual([['PROPERTY_REMOVED_OPEN', '/properties/x/properties/b', '/properties/x/properties/b', undefined]]);
  });

  describe('a use of a definition rewritten inline', () => {
    const X = { type: 'string', description: 'An id.' };
    const before = { title: 'Order', type: 'object', properties: { p: { $ref: '#/definitions/X' }, q: { $ref: '#/definitions/X' } }, definitions: { X } };
    const after = { ...structuredClone(before), properties: { p: { $ref: '#/definitions/X' }, q: {} } };

    it('is reported at the use site, once per change, with the definition as context', () => {
      const changes = diffSchemas(before, after);
      expect(changes.map((c) => [c.rule, c.path, c.oldPointer, c.newPointer, c.typeName, c.via])).toEqual([
        ['ANNOTATION_CHANGED', '/properties/q/description', '/definitions/X/description', undefined, 'Order', '/definitions/X'],
        ['TYPE_WIDENED', '/properties/q/type', '/definitions/X/type', undefined, 'Order', '/definitions/X'],
      ]);
      const reverse = diffSchemas(after, before);
      expect(reverse.map((c) => [c.rule, c.path, c.oldPointer, c.newPointer, c.typeName, c.via])).toEqual([
        ['ANNOTATION_CHANGED', '/properties/q/description', undefined, '/definitions/X/description', 'Order', '/definitions/X'],
        ['TYPE_NARROWED', '/properties/q/type', undefined, '/definitions/X/type', 'Order', '/definitions/X'],
      ]);
    });

    it('is judged by the type holding the use site, not by the definition', () => {
      const changes = diffSchemas(before, after);
      const widened = changes.find((c) => c.rule === 'TYPE_WIDENED')!;
      const onlyX = sourceUsage([{ project: 'ids', file: 'ids/src/a.ts', generated: 'gen/order.ts', names: ['X'] }], [after, before], 'Order');
      const order = sourceUsage([{ project: 'shop', file: 'shop/src/a.ts', generated: 'gen/order.ts', names: ['Order'] }], [after, before], 'Order');
      expect(sourceUsers(widened, onlyX)).toEqual([]);
      expect(sourceUsers(widened, order)).toEqual(['shop']);
      expect(judgeChanges([widened], 'backward', onlyX)[0]!.severity).toBe('warning');
    });
  });
});
