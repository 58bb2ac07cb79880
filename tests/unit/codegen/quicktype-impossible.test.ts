// A valid schema that no value satisfies at some point ("Trying to make an empty union" in quicktype): the target
// fails with a message naming where and why (issue 14, item 4b), instead of quicktype's own words alone.
import { describe, expect, it } from 'vitest';
import { generate } from '../../../plugins/codegen-quicktype/generate.js';
import { findImpossible } from '../../../plugins/codegen-quicktype/impossible.js';

const issueSchema = { allOf: [{ properties: { a: { type: 'string' } } }], properties: { a: { type: 'boolean' } } };

describe('quicktype on a schema part that allows no value', () => {
  it('fails the target naming the pointer and the conflicting types', async () => {
    const run = generate({ model: { name: 'empty', version: '1.0.0', schema: issueSchema }, options: { lang: 'typescript' }, output: 'gen/empty.ts' });
    await expect(run).rejects.toThrow(/no value satisfies \/properties\/a, whose schemas \(with allOf\) require types with nothing in common \(boolean, string\)/);
  });

  it('finds conflicts through local $refs and at the schema itself; integer and number are compatible', () => {
    const viaRef = { definitions: { base: { properties: { n: { type: 'integer' } } } }, properties: { x: { allOf: [{ $ref: '#/definitions/base' }], properties: { n: { type: 'string' } } } } };
    expect(findImpossible(viaRef)).toEqual({ pointer: '/properties/x/properties/n', types: ['string', 'integer'] });
    expect(findImpossible({ type: 'object', allOf: [{ type: 'array' }] })).toEqual({ pointer: '', types: ['object', 'array'] });
    expect(findImpossible({ allOf: [{ properties: { n: { type: 'number' } } }], properties: { n: { type: 'integer' } } })).toBeUndefined();
    expect(findImpossible({ allOf: [{ properties: { n: { type: ['string', 'null'] } } }], properties: { n: { type: 'null' } } })).toBeUndefined();
  });
});
