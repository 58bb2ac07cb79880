// The inference rules of `metarepo model infer` (formats, enums, required, order) and the refinement rules (widen,
// never narrow), on real quicktype output and real ajv checks.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffSchemas } from '../../../src/models/diff/index.js';
import { ENUM_RULE, inferSchema, type InferBase } from '../../../src/models/infer/index.js';
import { widen } from '../../../src/models/infer/merge.js';
import { classifySources } from '../../../src/models/infer/samples.js';
import { fromDocument } from '../../../src/models/infer/shape.js';
import { verifySamples } from '../../../src/models/infer/verify.js';
import { caught } from './helpers.js';

/** Writes each sample as `s<i>.json` in a fresh folder and infers from them all. */
async function infer(samples: unknown[], base?: InferBase) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-infer-'));
  const from = samples.map((s, i) => {
    fs.writeFileSync(path.join(dir, `s${i}.json`), JSON.stringify(s));
    return `s${i}.json`;
  });
  return inferSchema({ title: 'Thing', from, cwd: dir, file: 'models/thing/draft.schema.json', ...(base ? { base } : {}) });
}

const props = (schema: Record<string, any>) => schema.properties as Record<string, Record<string, unknown>>;

describe('inference rules', () => {
  it('gives a format only when every value matches it', async () => {
    const { schema } = await infer([
      { at: '2024-01-01T00:00:00Z', day: '2024-01-01', mail: 'a@b.example', site: 'https://a.example/x', key: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', mixed: '2024-01-01' },
      { at: '2024-02-01T10:00:00+01:00', day: '2024-02-29', mail: 'c@d.example', site: 'urn:isbn:0451450523', key: '7d9e0a4b-1c2d-4e5f-8a9b-0c1d2e3f4a5b', mixed: 'not a date' },
    ]);
    expect(props(schema).at.format).toBe('date-time');
    expect(props(schema).day.format).toBe('date');
    expect(props(schema).mail.format).toBe('email');
    expect(props(schema).site.format).toBe('uri');
    expect(props(schema).key.format).toBe('uuid');
    expect(props(schema).mixed).toEqual({ type: 'string' });
  });

  it(`makes an enum of at most ${ENUM_RULE.maxDistinct} values, each seen ${ENUM_RULE.minOccurrences}+ times, in ${ENUM_RULE.minSamples}+ samples`, async () => {
    const closed = await infer([{ s: 'open' }, { s: 'paid' }, { s: 'open' }, { s: 'paid' }]);
    expect(props(closed.schema).s).toEqual({ type: 'string', enum: ['open', 'paid'] });
    const once = await infer([{ s: 'open' }, { s: 'paid' }, { s: 'open' }]); // `paid` seen once
    expect(props(once.schema).s).toEqual({ type: 'string' });
    const fewSamples = await infer([{ s: ['a', 'a'] }, { s: ['b', 'b'] }]); // 2 samples only
    expect(props(fewSamples.schema).s.items).toEqual({ type: 'string' });
    const many = await infer(Array.from({ length: 3 }, () => ({ s: 'abcdefghi'.split('') }))); // 9 distinct
    expect(props(many.schema).s.items).toEqual({ type: 'string' });
  });

  it('requires a property only where every object at that place has it, nested objects counted one by one', async () => {
    const { schema } = await infer([
      { a: 1, b: 1, items: [{ x: 1, y: 1 }, { x: 2 }] },
      { a: 2, items: [{ x: 3, y: null }] },
    ]);
    expect(schema.required).toEqual(['a', 'items']);
    const item = (schema.$defs as Record<string, any>).Item;
    expect(item.required).toEqual(['x']);
  });

  it('writes draft 2020-12 with a title, keywords in a fixed order and $defs sorted; same samples, same bytes', async () => {
    const samples = [{ zeta: { q: 1 }, alpha: { r: 'x' }, n: 1 }, { zeta: { q: 2 }, alpha: { r: 'y' }, n: 2 }];
    const one = await infer(samples);
    const two = await infer(samples);
    expect(one.text).toBe(two.text);
    expect(Object.keys(one.schema)).toEqual(['$schema', 'title', 'type', 'properties', 'required', 'additionalProperties', '$defs']);
    expect(one.schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(one.schema.$defs as object)).toEqual(['Alpha', 'Zeta']);
    expect(Object.keys(props(one.schema))).toEqual(['zeta', 'alpha', 'n']); // the samples' order
  });

  it('keeps properties named like Object.prototype members (__proto__, constructor), with their schemas', async () => {
    const sample = JSON.parse('{"__proto__": {"x": 1}, "constructor": "c", "a/b~c": 2}');
    const { schema, text } = await infer([sample, sample]);
    expect(Object.keys(props(schema))).toEqual(['__proto__', 'constructor', 'a/b~c']);
    expect(JSON.parse(text).required).toEqual(['__proto__', 'constructor', 'a/b~c']);
    expect(Object.getPrototypeOf(props(schema))).toBe(Object.prototype);
    expect(schema.additionalProperties).toBeUndefined(); // ajv cannot close an object with a `__proto__` key
    expect((schema.$defs as any).Proto.additionalProperties).toBe(false);
  });

  it('a schema that rejects a sample stops the run with exit 1, naming the sample and the ajv error', async () => {
    const err = await caught(() => verifySamples({ type: 'object', properties: { n: { type: 'integer' } } }, '2020-12', [{ file: 'ok.json', value: { n: 1 } }, { file: 'bad.json', value: { n: 1.5 } }]));
    expect(err.exitCode).toBe(1);
    expect(err.message).toBe('The inferred schema rejects sample bad.json: /n must be integer (schema #/properties/n/type).');
  });

  it('a format is asserted when samples are checked (ajv-formats)', async () => {
    const err = await caught(() => verifySamples({ type: 'string', format: 'email' }, '2020-12', [{ file: 'x.json', value: 'nope' }]));
    expect(err.message).toContain('must match format "email"');
  });

  it('a TypeScript file without #Type is bad input', async () => {
    const err = await caught(() => classifySources(['src/types.ts']));
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe('--from src/types.ts names a TypeScript file but no type.');
  });
});

describe('refinement: widen, never narrow', () => {
  const base: InferBase = {
    file: 'models/thing/1.0.0.schema.json',
    draft: 'draft-07',
    schema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: 'https://example.test/thing/1.0.0',
      title: 'Thing',
      description: 'Kept.',
      type: 'object',
      additionalProperties: false,
      required: ['id', 'status', 'count', 'code'],
      properties: {
        id: { type: 'string', description: 'The id.' },
        status: { type: 'string', enum: ['open', 'paid'] },
        count: { type: 'integer', minimum: 0 },
        code: { type: 'string', pattern: '^[A-Z]+$', maxLength: 3 },
        owner: { $ref: '#/definitions/Owner' },
      },
      definitions: { Owner: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string' } } } },
    },
  };

  it('adds properties as optional, relaxes required, extends enums and drops only the constraints new values break', async () => {
    const { schema } = await infer([{ id: 'a', status: 'shipped', count: 2.5, code: 'ab', owner: { name: 'x', mail: 'x@y.example' }, extra: true }], base);
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#'); // the base's draft and names
    expect(schema).toMatchObject({ $id: 'https://example.test/thing/1.0.0', title: 'Thing', description: 'Kept.', additionalProperties: false });
    expect(schema.required).toEqual(['id', 'status', 'count', 'code']);
    expect(props(schema).id).toEqual({ description: 'The id.', type: 'string' });
    expect(props(schema).status).toEqual({ type: 'string', enum: ['open', 'paid', 'shipped'] });
    expect(props(schema).count).toEqual({ type: 'number', minimum: 0 }); // 2.5: integer → number, minimum still holds
    expect(props(schema).code).toEqual({ type: 'string', maxLength: 3 }); // "ab" breaks the pattern only
    expect(props(schema).extra).toEqual({ type: 'boolean' });
    expect(props(schema).owner).toEqual({ $ref: '#/definitions/Owner' });
    const owner = (schema.definitions as Record<string, any>).Owner;
    expect(owner.required).toEqual(['name']);
    expect(owner.properties.mail).toEqual({ type: 'string', format: 'email' });
    expect(diffSchemas(base.schema, schema).filter((c) => c.impacts.backward)).toEqual([]);
  });

  it('keeps what the new samples satisfy: no change at all when they fit', async () => {
    const { schema } = await infer([{ id: 'b', status: 'open', count: 3, code: 'AB' }], base);
    expect(schema).toEqual(base.schema);
  });

  it('a property a new sample lacks is no longer required; a scalar of another type joins the type list, an object meeting a string becomes an anyOf', async () => {
    const { schema } = await infer([{ id: 7, status: 'paid', count: 1, code: { x: 1 } }], base);
    expect(schema.required).toEqual(['id', 'status', 'count', 'code']);
    const lacking = await infer([{ id: 'c', status: 'paid', count: 1 }], base);
    expect(lacking.schema.required).toEqual(['id', 'status', 'count']); // `code` is missing from the new sample
    expect(props(schema).id).toEqual({ description: 'The id.', type: ['string', 'integer'] });
    expect(props(schema).code).toEqual({ anyOf: [{ type: 'string', pattern: '^[A-Z]+$', maxLength: 3 }, { type: 'object', additionalProperties: false, properties: { x: { type: 'integer' } }, required: ['x'] }] }); // the new branch's title goes
    expect(diffSchemas(base.schema, schema).filter((c) => c.impacts.backward)).toEqual([]);
  });

  it('a root of another type becomes an anyOf that keeps the $id, title and description on top', async () => {
    const { schema } = await infer(['just text'], base);
    expect(Object.keys(schema)).toEqual(['$schema', '$id', 'title', 'description', 'anyOf', 'definitions']);
    expect((schema.anyOf as any[])[1]).toEqual({ type: 'string' });
    expect(diffSchemas(base.schema, schema).filter((c) => c.impacts.backward)).toEqual([]);
  });

  it('merges a recursive definition with itself without looping', () => {
    const tree = { type: 'object', additionalProperties: false, properties: { kids: { type: 'array', items: { $ref: '#/$defs/Node' } } }, required: ['kids'] };
    const old = fromDocument({ $ref: '#/$defs/Node', $defs: { Node: tree } }, 'Node');
    const fresh = fromDocument({ $ref: '#/$defs/Node', $defs: { Node: { ...tree, properties: { ...tree.properties, tag: { type: 'string' } } } } }, 'Node');
    const out = widen(old, fresh, undefined, '2020-12');
    expect(Object.keys(out.root.properties as object)).toEqual(['kids', 'tag']);
    expect((out.root.properties as any).kids.items).toEqual({ $ref: '#' });
  });
});
