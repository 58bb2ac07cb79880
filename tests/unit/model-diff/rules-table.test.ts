// The rules test table: before/after schema pairs, each with the exact rule ids and impact classes
// (B backward, F forward, S source) the diff must report. Pairs marked with `both` run in both directions.
import { describe, expect, it } from 'vitest';
import { RULES, diffSchemas, type DiffOptions, type JsonSchema } from '../../../src/models/diff/index.js';
import { catalogProblems, summary } from './helpers.js';

interface Case {
  name: string;
  before: JsonSchema;
  after: JsonSchema;
  /** `RULE:letters`, in any order. */
  expected: string[];
  options?: DiffOptions;
  /** Display paths that must be among the changes'. */
  paths?: string[];
  /** Messages that must be among the changes'. */
  messages?: string[];
}

const cases: Case[] = [];
const one = (name: string, before: JsonSchema, after: JsonSchema, expected: string[], extra: Partial<Case> = {}) =>
  cases.push({ name, before, after, expected, ...extra });
/** The pair in both directions: `forward` for before → after, `reverse` for after → before. */
const both = (name: string, before: JsonSchema, after: JsonSchema, forward: string[], reverse: string[], options?: DiffOptions, extra: Pick<Case, 'paths'> = {}) => {
  one(name, before, after, forward, { options, ...extra });
  one(`${name} (reversed)`, after, before, reverse, { options, ...extra });
};

const obj = (properties: Record<string, JsonSchema>, extra: Record<string, unknown> = {}): Exclude<JsonSchema, boolean> => ({ type: 'object', properties, ...extra });
const str = { type: 'string' };
const int = { type: 'integer' };
const closed = { additionalProperties: false };

// Objects: the open / closed / partially open matrix of property additions and removals.
both('optional property removed from a closed object', obj({ a: str, b: str }, closed), obj({ a: str }, closed), ['PROPERTY_REMOVED_CLOSED:BS'], ['PROPERTY_ADDED_OPTIONAL_CLOSED:F']);
both(
  'required property removed from a closed object',
  obj({ a: str, b: str }, { ...closed, required: ['a', 'b'] }),
  obj({ a: str }, { ...closed, required: ['a'] }),
  ['PROPERTY_REMOVED_CLOSED:BFS'],
  ['PROPERTY_ADDED_REQUIRED:BFS'],
);
both('optional property removed from an open object (lenient)', obj({ a: str, b: str }), obj({ a: str }), ['PROPERTY_REMOVED_OPEN:S'], ['PROPERTY_ADDED_OPTIONAL_OPEN:']);
both('optional property removed from an open object (strict)', obj({ a: str, b: str }), obj({ a: str }), ['PROPERTY_REMOVED_OPEN:FS'], ['PROPERTY_ADDED_OPTIONAL_OPEN:B'], { openContent: 'strict' });
both(
  'required property removed from an open object',
  obj({ a: str, b: str }, { required: ['b'] }),
  obj({ a: str }),
  ['PROPERTY_REMOVED_OPEN:FS'],
  ['PROPERTY_ADDED_REQUIRED:BS'],
);
both(
  'property removed, its key covered by a looser additionalProperties schema',
  obj({ b: { type: 'string', maxLength: 3 } }, { additionalProperties: str }),
  obj({}, { additionalProperties: str }),
  ['PROPERTY_REMOVED_PARTIALLY_OPEN:FS'],
  ['PROPERTY_ADDED_OPTIONAL_PARTIALLY_OPEN:B'],
);
one('property removed, its key covered by an equal additionalProperties schema', obj({ b: str }, { additionalProperties: str }), obj({}, { additionalProperties: str }), [
  'PROPERTY_REMOVED_PARTIALLY_OPEN:S',
]);
both(
  'property removed, its key now matched by patternProperties of another type',
  obj({ 'x-a': int }, { patternProperties: { '^x-': str }, ...closed }),
  obj({}, { patternProperties: { '^x-': str }, ...closed }),
  ['PROPERTY_REMOVED_PARTIALLY_OPEN:BFS'],
  ['PROPERTY_ADDED_OPTIONAL_PARTIALLY_OPEN:BF'],
);
both('property reserved with a false schema', obj({ a: str, b: str }), obj({ a: str, b: false }), ['PROPERTY_RESERVED:BS'], ['FALSE_SCHEMA_REMOVED:FS']);
one('a new property declared false in an open object', obj({ a: str }), obj({ a: str, b: false }), ['PROPERTY_RESERVED:B']);
one('a reserved name dropped from a closed object changes nothing', obj({ a: str, b: false }, closed), obj({ a: str }, closed), []);
one('required property with a default added', obj({ a: str }), obj({ a: str, b: { type: 'integer', default: 0 } }, { required: ['b'] }), ['PROPERTY_ADDED_REQUIRED_WITH_DEFAULT:BS']);
// A rename has the impacts of the removal and the addition it stands for (open / closed content, requiredness).
one('property renamed with an equal schema', obj({ userName: { type: 'string', maxLength: 40 } }), obj({ username: { type: 'string', maxLength: 40, description: 'Login.' } }), ['PROPERTY_RENAMED:S'], {
  paths: ['/properties/username'],
});
both('property renamed in an open object (lenient): like removing and adding it', obj({ a: str }), obj({ b: str }), ['PROPERTY_RENAMED:S'], ['PROPERTY_RENAMED:S']);
both('property renamed in an open object (strict)', obj({ a: str }), obj({ b: str }), ['PROPERTY_RENAMED:BFS'], ['PROPERTY_RENAMED:BFS'], { openContent: 'strict' });
both('property renamed in a closed object', obj({ a: str }, closed), obj({ b: str }, closed), ['PROPERTY_RENAMED:BFS'], ['PROPERTY_RENAMED:BFS']);
both('required property renamed in an open object', obj({ a: str }, { required: ['a'] }), obj({ b: str }, { required: ['b'] }), ['PROPERTY_RENAMED:BFS'], ['PROPERTY_RENAMED:BFS']);
one('a property removed and another of another type added stay a removal and an addition', obj({ a: str }), obj({ b: int }), ['PROPERTY_REMOVED_OPEN:S', 'PROPERTY_ADDED_OPTIONAL_OPEN:']);
one('ambiguous renames stay removals and additions', obj({ a: str, b: str }), obj({ c: str, d: str }), [
  'PROPERTY_REMOVED_OPEN:S',
  'PROPERTY_REMOVED_OPEN:S',
  'PROPERTY_ADDED_OPTIONAL_OPEN:',
  'PROPERTY_ADDED_OPTIONAL_OPEN:',
]);
one('rename detection can be switched off', obj({ userName: str }), obj({ username: str }), ['PROPERTY_REMOVED_OPEN:S', 'PROPERTY_ADDED_OPTIONAL_OPEN:'], { options: { detectRenames: false } });
both('existing property becomes required', obj({ a: str }), obj({ a: str }, { required: ['a'] }), ['REQUIRED_ADDED:BS'], ['REQUIRED_REMOVED:FS']);
both('additionalProperties true → false', obj({ a: str }, { additionalProperties: true }), obj({ a: str }, closed), ['ADDITIONAL_PROPERTIES_NARROWED:BS'], ['ADDITIONAL_PROPERTIES_WIDENED:F']);
both('unevaluatedProperties added as false', obj({ a: str }), obj({ a: str }, { unevaluatedProperties: false }), ['ADDITIONAL_PROPERTIES_NARROWED:BS'], ['ADDITIONAL_PROPERTIES_WIDENED:F']);
one('additionalProperties: false → unevaluatedProperties: false', obj({ a: str }, closed), obj({ a: str }, { unevaluatedProperties: false }), []);
one('additionalProperties value schema changed', obj({}, { additionalProperties: str }), obj({}, { additionalProperties: int }), ['TYPE_CHANGED:BFS'], { paths: ['/additionalProperties/type'] });
both('patternProperties entry added', obj({}), obj({}, { patternProperties: { '^x-': str } }), ['PATTERN_PROPERTY_ADDED:BS'], ['PATTERN_PROPERTY_REMOVED:FS']);
both('maxProperties lowered', { type: 'object', maxProperties: 5 }, { type: 'object', maxProperties: 3 }, ['PROPERTY_COUNT_TIGHTENED:B'], ['PROPERTY_COUNT_RELAXED:F']);
both('dependentRequired entry added', obj({ card: str }), obj({ card: str }, { dependentRequired: { card: ['billing'] } }), ['DEPENDENCY_ADDED:B'], ['DEPENDENCY_REMOVED:F']);
one('draft-07 dependencies array extended', obj({ card: str }, { dependencies: { card: ['billing'] } }), obj({ card: str }, { dependencies: { card: ['billing', 'zip'] } }), ['DEPENDENCY_ADDED:B']);
one('draft-07 dependencies array read like dependentRequired', obj({}, { dependencies: { card: ['billing'] } }), obj({}, { dependentRequired: { card: ['billing'] } }), []);
one('dependentSchemas added', obj({ card: str }), obj({ card: str }, { dependentSchemas: { card: { required: ['billing'] } } }), ['REQUIRED_ADDED:BS'], {
  paths: ['/dependentSchemas/card/required/0'],
});
one('propertyNames gains a pattern', obj({}), obj({}, { propertyNames: { pattern: '^[a-z]+$' } }), ['PATTERN_ADDED:B']);

// Types and nullability.
both('type gains null', str, { type: ['string', 'null'] }, ['NULLABLE_ADDED:FS'], ['NULLABLE_REMOVED:BS']);
both('OpenAPI 3.0 nullable', str, { type: 'string', nullable: true }, ['NULLABLE_ADDED:FS'], ['NULLABLE_REMOVED:BS']);
one('nullable written two ways is the same', { type: 'string', nullable: true }, { type: ['null', 'string'] }, []);
both('integer → number', int, { type: 'number' }, ['TYPE_WIDENED:FS'], ['TYPE_NARROWED:BS']);
one('string → integer', str, int, ['TYPE_CHANGED:BFS']);
both('any → string', {}, str, ['TYPE_NARROWED:BS'], ['TYPE_WIDENED:FS']);
one('integer swapped for null', { type: ['string', 'integer'] }, { type: ['string', 'null'] }, ['NULLABLE_ADDED:FS', 'TYPE_NARROWED:BS']);
one('integer beside number is redundant', { type: ['number', 'integer'] }, { type: 'number' }, []);

// Enums and const.
both('enum value removed', { enum: ['a', 'b'] }, { enum: ['a'] }, ['ENUM_VALUE_REMOVED:BS'], ['ENUM_VALUE_ADDED:F']);
one('enum order does not matter', { enum: ['a', 'b', { x: 1, y: 2 }] }, { enum: [{ y: 2, x: 1 }, 'b', 'a'] }, []);
one('const changed', { const: 'v1' }, { const: 'v2' }, ['CONST_CHANGED:BFS']);
both('const widened to an enum', { const: 'a' }, { enum: ['a', 'b'] }, ['ENUM_VALUE_ADDED:F'], ['ENUM_VALUE_REMOVED:BS']);
both('enum restriction added', str, { type: 'string', enum: ['a', 'b'] }, ['ENUM_CONSTRAINT_ADDED:BS'], ['ENUM_CONSTRAINT_REMOVED:FS']);
one('generated enum names changed', { enum: [1, 2], 'x-enum-varnames': ['One', 'Two'] }, { enum: [1, 2], 'x-enum-varnames': ['First', 'Second'] }, ['ENUM_NAMES_CHANGED:S']);

// Strings.
both('maxLength lowered', { type: 'string', maxLength: 10 }, { type: 'string', maxLength: 5 }, ['STRING_LENGTH_TIGHTENED:B'], ['STRING_LENGTH_RELAXED:F']);
one('minLength 0 added changes nothing', str, { type: 'string', minLength: 0 }, []);
both('pattern added', str, { type: 'string', pattern: '^[a-z]+$' }, ['PATTERN_ADDED:B'], ['PATTERN_REMOVED:F']);
one('pattern changed', { pattern: '^[a-z]+$' }, { pattern: '^[a-z0-9]+$' }, ['PATTERN_CHANGED:BF']);
both('format date-time added', str, { type: 'string', format: 'date-time' }, ['FORMAT_CHANGED:BS'], ['FORMAT_CHANGED:FS']);
one('format email → idn-email', { type: 'string', format: 'email' }, { type: 'string', format: 'idn-email' }, ['FORMAT_CHANGED:BF']);

// Numbers.
both('minimum raised', { type: 'number', minimum: 0 }, { type: 'number', minimum: 1 }, ['NUMBER_RANGE_TIGHTENED:B'], ['NUMBER_RANGE_RELAXED:F']);
both('draft-04 exclusiveMinimum: true', { minimum: 0 }, { minimum: 0, exclusiveMinimum: true }, ['NUMBER_RANGE_TIGHTENED:B'], ['NUMBER_RANGE_RELAXED:F']);
one('exclusiveMaximum 10 → maximum 10', { exclusiveMaximum: 10 }, { maximum: 10 }, ['NUMBER_RANGE_RELAXED:F']);
one('draft-04 exclusive bound → draft-06 exclusive bound', { minimum: 5, exclusiveMinimum: true }, { exclusiveMinimum: 5 }, []);
both('multipleOf made coarser', { multipleOf: 2 }, { multipleOf: 4 }, ['NUMBER_RANGE_TIGHTENED:B'], ['NUMBER_RANGE_RELAXED:F']);
one('multipleOf neither coarser nor finer', { multipleOf: 4 }, { multipleOf: 6 }, ['NUMBER_RANGE_TIGHTENED:B', 'NUMBER_RANGE_RELAXED:F']);

// Arrays.
one('items type changed', { type: 'array', items: str }, { type: 'array', items: int }, ['TYPE_CHANGED:BFS'], { paths: ['/items/type'] });
both('minItems raised', { type: 'array', minItems: 0 }, { type: 'array', minItems: 1 }, ['ARRAY_COUNT_TIGHTENED:BS'], ['ARRAY_COUNT_RELAXED:FS']);
both('uniqueItems added', { type: 'array' }, { type: 'array', uniqueItems: true }, ['UNIQUE_ITEMS_ADDED:B'], ['UNIQUE_ITEMS_REMOVED:F']);
both('tuple position added', { prefixItems: [str] }, { prefixItems: [str, int] }, ['TUPLE_ITEM_ADDED:BS'], ['TUPLE_ITEM_REMOVED:FS']);
one('draft-07 items array → 2020-12 prefixItems', { items: [str], additionalItems: false }, { prefixItems: [str], items: false }, []);
one('minContains 1 beside contains is the default', { contains: str }, { contains: str, minContains: 1 }, []);
both('contains added', { type: 'array' }, { type: 'array', contains: { const: 'admin' } }, ['CONTAINS_ADDED:B'], ['CONTAINS_REMOVED:F']);
both('items become false', { type: 'array', items: str }, { type: 'array', items: false }, ['FALSE_SCHEMA_ADDED:BS'], ['FALSE_SCHEMA_REMOVED:FS']);

// Composition.
both('union branch added', { anyOf: [str, int] }, { anyOf: [str, int, { type: 'boolean' }] }, ['UNION_BRANCH_ADDED:FS'], ['UNION_BRANCH_REMOVED:BS']);
both('plain type lifted into a nullable union', str, { anyOf: [str, { type: 'null' }] }, ['UNION_BRANCH_ADDED:FS'], ['UNION_BRANCH_REMOVED:BS']);
one('lifted union keeps the change inside the matching branch', { type: 'string', description: 'Name.' }, { description: 'Name.', anyOf: [{ type: 'string', maxLength: 5 }, { type: 'null' }] }, [
  'STRING_LENGTH_TIGHTENED:B',
  'UNION_BRANCH_ADDED:FS',
]);
one('anyOf → oneOf', { anyOf: [str, int] }, { oneOf: [str, int] }, ['COMBINATOR_CHANGED:BFS']);
both('allOf member added', { allOf: [obj({ a: str })] }, { allOf: [obj({ a: str }), { required: ['a'] }] }, ['ALLOF_CONJUNCT_ADDED:BS'], ['ALLOF_CONJUNCT_REMOVED:FS']);
both('oneOf added beside other constraints', obj({ a: str, b: str }), obj({ a: str, b: str }, { oneOf: [{ required: ['a'] }, { required: ['b'] }] }), ['COMBINATOR_ADDED:BS'], ['COMBINATOR_REMOVED:FS']);
both('not added', {}, { not: { type: 'null' } }, ['NOT_ADDED:B'], ['NOT_REMOVED:F']);
both('schema under not widened', { not: str }, { not: { type: ['string', 'null'] } }, ['NOT_CHANGED:B'], ['NOT_CHANGED:F']);
one('if condition changed', { if: obj({ a: { const: 1 } }), then: { required: ['b'] } }, { if: obj({ a: { const: 2 } }), then: { required: ['b'] } }, ['CONDITION_CHANGED:BF']);
both('then tightened under the same if', { if: obj({ a: { const: 1 } }), then: {} }, { if: obj({ a: { const: 1 } }), then: { required: ['b'] } }, ['REQUIRED_ADDED:BS'], ['REQUIRED_REMOVED:FS']);
one('discriminator property renamed', { oneOf: [str], discriminator: { propertyName: 'kind' } }, { oneOf: [str], discriminator: { propertyName: 'type' } }, ['DISCRIMINATOR_CHANGED:BFS']);
one(
  'reordered oneOf branches matched by their constant tag',
  { oneOf: [obj({ kind: { const: 'a' }, x: str }), obj({ kind: { const: 'b' }, y: str })] },
  { oneOf: [obj({ kind: { const: 'b' }, y: str }), obj({ kind: { const: 'a' }, x: int })] },
  ['TYPE_CHANGED:BFS'],
  { paths: ['/oneOf/1/properties/x/type'] },
);

// References and definitions.
const defs = (definitions: Record<string, JsonSchema>, root: Record<string, unknown>): JsonSchema => ({ ...root, definitions });
one(
  '$ref retargeted to an equal definition',
  defs({ a: str, b: str }, obj({ p: { $ref: '#/definitions/a' } })),
  defs({ a: str, b: str }, obj({ p: { $ref: '#/definitions/b' } })),
  ['REF_RETARGETED:S'],
  { paths: ['/properties/p/$ref'] },
);
one(
  '$ref retargeted to a different definition',
  defs({ a: str, b: int }, obj({ p: { $ref: '#/definitions/a' } })),
  defs({ a: str, b: int }, obj({ p: { $ref: '#/definitions/b' } })),
  ['REF_RETARGETED:S', 'TYPE_CHANGED:BFS'],
);
one(
  'a definition referenced twice reports its change once',
  defs({ id: str }, obj({ a: { $ref: '#/definitions/id' }, b: { $ref: '#/definitions/id' } })),
  defs({ id: int }, obj({ a: { $ref: '#/definitions/id' }, b: { $ref: '#/definitions/id' } })),
  ['TYPE_CHANGED:BFS'],
  { paths: ['/definitions/id/type'] },
);
one('inline schema extracted into an equal definition', obj({ p: { type: 'string', maxLength: 3 } }), defs({ code: { type: 'string', maxLength: 3 } }, obj({ p: { $ref: '#/definitions/code' } })), [
  'DEFINITION_ADDED:',
]);
one(
  'definitions moved to $defs',
  defs({ a: str }, obj({ p: { $ref: '#/definitions/a' } })),
  { ...(obj({ p: { $ref: '#/$defs/a' } }) as object), $defs: { a: str } },
  [],
);
one(
  'definition renamed with every reference',
  defs({ addr: obj({ city: str }) }, obj({ home: { $ref: '#/definitions/addr' }, work: { $ref: '#/definitions/addr' } })),
  defs({ address: obj({ city: str }) }, obj({ home: { $ref: '#/definitions/address' }, work: { $ref: '#/definitions/address' } })),
  ['DEFINITION_RENAMED:S'],
);
both('definition removed', defs({ a: str, b: int }, obj({})), defs({ a: str }, obj({})), ['DEFINITION_REMOVED:S'], ['DEFINITION_ADDED:']);
one(
  'JSON pointer with ~1 and percent escapes',
  defs({ 'a/b': str, 'c d': str }, obj({ p: { $ref: '#/definitions/a~1b' }, q: { $ref: '#/definitions/c%20d' } })),
  defs({ 'a/b': int, 'c d': { type: 'string', maxLength: 1 } }, obj({ p: { $ref: '#/definitions/a~1b' }, q: { $ref: '#/definitions/c%20d' } })),
  ['TYPE_CHANGED:BFS', 'STRING_LENGTH_TIGHTENED:B'],
  { paths: ['/definitions/a~1b/type', '/definitions/c d/maxLength'] },
);
one('$ref beside a changed description', defs({ a: str }, obj({ p: { $ref: '#/definitions/a', description: 'Old.' } })), defs({ a: str }, obj({ p: { $ref: '#/definitions/a', description: 'New.' } })), [
  'ANNOTATION_CHANGED:',
]);
one('$ref added beside other keywords', defs({ base: obj({ id: str }) }, obj({ a: str })), defs({ base: obj({ id: str }) }, { ...(obj({ a: str }) as object), $ref: '#/definitions/base' }), [
  'ALLOF_CONJUNCT_ADDED:BS',
]);

// Equivalent rewrites: schemas that accept the same instances are not changes (annotations beside them still are).
const L = obj({ x: str });
both(
  '$ref ↔ the same $ref as the only allOf member, with a description',
  defs({ L }, obj({ p: { $ref: '#/definitions/L' } })),
  defs({ L }, obj({ p: { description: 'x', allOf: [{ $ref: '#/definitions/L' }] } })),
  ['ANNOTATION_CHANGED:'],
  ['ANNOTATION_CHANGED:'],
  undefined,
  { paths: ['/properties/p/description'] },
);
both('inline schema ↔ the same schema as the only allOf member', obj({ p: { type: 'string', maxLength: 3 } }), obj({ p: { allOf: [{ type: 'string', maxLength: 3 }] } }), [], []);
both('inline schema ↔ the same schema as the only oneOf branch', obj({ p: str }), obj({ p: { oneOf: [str] } }), [], []);
both('type list ↔ anyOf of one-type branches', { type: ['integer', 'null'] }, { anyOf: [int, { type: 'null' }] }, [], []);
both('type list ↔ oneOf of one-type branches', { type: ['string', 'integer'] }, { oneOf: [str, int] }, [], []);
both('type list with string keywords ↔ anyOf where only the string branch has them', { type: ['string', 'null'], maxLength: 5 }, { anyOf: [{ type: 'string', maxLength: 5 }, { type: 'null' }] }, [], []);
both('nullable enum as a type list ↔ anyOf of the string enum and null', { type: ['string', 'null'], enum: ['a', 'b', null] }, { anyOf: [{ type: 'string', enum: ['a', 'b'] }, { type: 'null' }] }, [], []);
one('enum values of a type the schema rejects change nothing', { type: 'string', enum: ['a', 1] }, { type: 'string', enum: ['a'] }, []);
one('an enum value removed inside a type-list rewrite points into the enum', { type: ['string', 'null'], enum: ['a', 'b', null] }, { anyOf: [{ type: 'string', enum: ['a'] }, { type: 'null' }] }, ['ENUM_VALUE_REMOVED:BS'], {
  paths: ['/anyOf/0/enum'],
});
both('nullable $ref as a type list ↔ anyOf of the $ref and null', defs({ L }, obj({ p: { anyOf: [{ $ref: '#/definitions/L' }, { type: 'null' }] } })), defs({ L }, obj({ p: { type: ['object', 'null'], properties: { x: str } } })), [], []);
one('a real change through a type-list rewrite is still found', { type: ['integer', 'null'] }, { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'null' }] }, ['NUMBER_RANGE_TIGHTENED:B'], {
  paths: ['/anyOf/0/minimum'],
});
both('type list ↔ anyOf missing a type', { type: ['integer', 'null', 'string'] }, { anyOf: [int, { type: 'null' }] }, ['UNION_BRANCH_REMOVED:BS'], ['UNION_BRANCH_ADDED:FS']);
both('type list ↔ a one-branch anyOf without null', { type: ['integer', 'null'] }, { anyOf: [int] }, ['NULLABLE_REMOVED:BS'], ['NULLABLE_ADDED:FS']);

// Findings point where the change is: a use site rewritten inline is reported there, not in the definition it used.
const X = { type: 'string', description: 'An id.' };
const uses = (q: JsonSchema) => ({ title: 'Order', ...obj({ p: { $ref: '#/definitions/X' }, q }), definitions: { X } });
both('a use of a definition rewritten inline', uses({ $ref: '#/definitions/X' }), uses({}), ['TYPE_WIDENED:FS', 'ANNOTATION_CHANGED:'], ['TYPE_NARROWED:BS', 'ANNOTATION_CHANGED:'], undefined, {
  paths: ['/properties/q/type', '/properties/q/description'],
});
one('a use rewritten inline with a maxLength added', uses({ $ref: '#/definitions/X' }), uses({ type: 'string', maxLength: 9, description: 'An id.' }), ['STRING_LENGTH_TIGHTENED:B'], { paths: ['/properties/q/maxLength'] });

// Recursive schemas.
const tree = (value: JsonSchema): JsonSchema => defs({ node: obj({ value, children: { type: 'array', items: { $ref: '#/definitions/node' } } }) }, { $ref: '#/definitions/node' });
one('self-referencing tree: a change inside', tree(str), tree(int), ['TYPE_CHANGED:BFS'], { paths: ['/definitions/node/properties/value/type'] });
one('self-referencing tree: unchanged', tree(str), tree(str), []);
const rootTree = (extra: Record<string, unknown>): JsonSchema => obj({ name: str, parent: { $ref: '#' } }, extra);
one('root recursion through "#"', rootTree({}), rootTree({ required: ['name'] }), ['REQUIRED_ADDED:BS']);
const mutual = (leaf: JsonSchema): JsonSchema =>
  defs(
    { a: obj({ b: { $ref: '#/definitions/b' } }), b: obj({ a: { $ref: '#/definitions/a' }, leaf }) },
    { $ref: '#/definitions/a' },
  );
one('mutually recursive definitions', mutual(str), mutual({ type: ['string', 'null'] }), ['NULLABLE_ADDED:FS'], { paths: ['/definitions/b/properties/leaf/type'] });
one(
  'recursive reference one side, inline unrolling the other',
  obj({ next: { $ref: '#' }, v: str }),
  obj({ next: obj({ v: str }), v: str }),
  ['PROPERTY_REMOVED_OPEN:S'],
  { paths: ['/properties/next/properties/next'] },
);
both('boolean root true → false', true, false, ['FALSE_SCHEMA_ADDED:BS'], ['FALSE_SCHEMA_REMOVED:FS']);

// Annotations and identity.
one('description changed', { type: 'string', description: 'A.' }, { type: 'string', description: 'B.' }, ['ANNOTATION_CHANGED:']);
one('title changed', { title: 'User', type: 'object' }, { title: 'Account', type: 'object' }, ['TYPE_NAME_CHANGED:S']);
one('default changed', { type: 'integer', default: 10 }, { type: 'integer', default: 20 }, ['DEFAULT_CHANGED:'], { messages: ['`default` 10 → 20'] });
one('null default removed', { type: 'string', default: null }, str, ['DEFAULT_CHANGED:'], { messages: ['`default` null → (none)'] });
one('null default added', str, { type: 'string', default: null }, ['DEFAULT_CHANGED:'], { messages: ['`default` (none) → null'] });
one('the string "absent" as a default', { type: 'string', default: 'absent' }, str, ['DEFAULT_CHANGED:'], { messages: ['`default` "absent" → (none)'] });
one('pattern removed', { pattern: '^a' }, {}, ['PATTERN_REMOVED:F'], { messages: ['pattern "^a" → (none)'] });
both('deprecated added', str, { type: 'string', deprecated: true }, ['DEPRECATED_ADDED:'], ['DEPRECATED_REMOVED:']);
both('readOnly added', str, { type: 'string', readOnly: true }, ['READ_WRITE_ONLY_CHANGED:B'], ['READ_WRITE_ONLY_CHANGED:']);
one('writeOnly added', str, { type: 'string', writeOnly: true }, ['READ_WRITE_ONLY_CHANGED:F']);
one('vendor extension changed', { type: 'string', 'x-internal': false }, { type: 'string', 'x-internal': true }, ['EXTENSION_CHANGED:']);
one(
  '$id and $schema changed',
  { $schema: 'http://json-schema.org/draft-07/schema#', $id: 'https://example.com/a.json' },
  { $schema: 'https://json-schema.org/draft/2020-12/schema', $id: 'https://example.com/b.json' },
  ['ID_CHANGED:', 'DIALECT_CHANGED:'],
);

describe('rules table', () => {
  it('has at least 45 before/after pairs', () => {
    expect(cases.length).toBeGreaterThanOrEqual(45);
  });

  it.each(cases)('$name', ({ before, after, expected, options, paths, messages }) => {
    const changes = diffSchemas(before, after, options);
    expect(changes.map(summary).sort()).toEqual([...expected].sort());
    expect(changes.flatMap(catalogProblems)).toEqual([]);
    for (const path of paths ?? []) expect(changes.map((c) => c.path)).toContain(path);
    for (const message of messages ?? []) expect(changes.map((c) => c.message)).toContain(message);
  });

  it('exercises every rule of the catalog', () => {
    const used = new Set(cases.flatMap((c) => c.expected.map((e) => e.split(':')[0])));
    expect(Object.keys(RULES).filter((id) => !used.has(id))).toEqual([]);
  });
});
