import { describe, expect, it } from 'vitest';
import { typesReaching } from '../../../src/models/type-graph.js';

describe('typesReaching', () => {
  const schema = {
    title: 'Order',
    type: 'object',
    properties: { customer: { $ref: '#/definitions/customer' }, lines: { type: 'array', items: { $ref: '#/$defs/line' } } },
    definitions: {
      customer: { title: 'Customer Record', type: 'object', properties: { address: { $ref: '#/definitions/address' } } },
      address: { type: 'object', properties: { city: { type: 'string' } } },
      // Recursive: a category holds categories; `a b` needs percent-encoding in the fragment.
      category: { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/definitions/category' } }, tag: { $ref: '#/definitions/a%20b' } } },
      'a b': { type: 'string' },
    },
    $defs: { line: { type: 'object', properties: { sku: { type: 'string' } } } },
  };

  it('walks from a type up to every type holding it, the root included, named by title else key', () => {
    const reaching = typesReaching([schema], 'Order');
    expect(reaching('address').sort()).toEqual(['Customer Record', 'Order', 'address']);
    expect(reaching('line').sort()).toEqual(['Order', 'line']);
    expect(reaching('Order')).toEqual(['Order']);
  });

  it('ends on cycles, decodes fragments, and leaves unreferenced types alone', () => {
    const reaching = typesReaching([schema], 'Order');
    expect(reaching('category')).toEqual(['category']);
    expect(reaching('a b').sort()).toEqual(['a b', 'category']);
    expect(reaching('unknown')).toEqual(['unknown']);
  });

  it('joins both sides of a diff: a type removed on the new side is still held by its old container', () => {
    const next = { ...schema, properties: {}, definitions: {} };
    expect(typesReaching([next, schema], 'Order')('address').sort()).toEqual(['Customer Record', 'Order', 'address']);
  });
});
