/**
 * The catalog of schema-change rules: every rule id {@link diffSchemas} can emit, with a doc line,
 * an example, its usual impacts, a default severity and the kind of change it is.
 *
 * Sources: the 42-rule proposal in the metarepo design notes, itself drawn from Buf's breaking
 * rules (buf.build/docs/breaking/rules), Confluent Schema Registry's JSON Schema `Difference.Type`
 * list and compatibility policies (confluentinc/schema-registry, PRs #3930 and #4292 for the
 * lenient policy), oasdiff's checks (github.com/oasdiff/oasdiff, docs/BREAKING-CHANGES.md) and
 * Zalando Nakadi's schema evolution rules (nakadi.io, "Schema evolution"). Departures from the
 * proposal: nullability, enum restriction, patterns and tuples have their own ids; a reserved
 * property (`"b": false`) is BACKWARD-breaking (validators reject old data that still carries
 * `b`); adding an enum value or widening `additionalProperties` is not SOURCE-breaking (like Buf,
 * which allows new enum values; generated literal unions and index signatures only grow).
 */
import type { Impacts } from './types.js';

/** What a rule's change does, for changelog sections and the semver bump. */
export type RuleKind = 'addition' | 'removal' | 'change' | 'annotation';

/** Default severity of a rule, for reports; policies decide what actually fails. */
export type Severity = 'error' | 'warn' | 'info';

/** One rule of the catalog. */
export interface RuleInfo {
  /** Stable id, `SCREAMING_SNAKE_CASE`. */
  id: string;
  /** One line: what the rule detects. */
  doc: string;
  /** A minimal before → after example. */
  example: string;
  /**
   * The impacts the rule always has. A change carries its own impacts, which may add those in
   * `varies` (e.g. `PROPERTY_ADDED_OPTIONAL_OPEN` is BACKWARD-breaking only under `openContent: 'strict'`).
   */
  impacts: Impacts;
  /** Impacts that depend on the case (direction, openness, the compared subschemas). */
  varies: Array<keyof Impacts>;
  severity: Severity;
  kind: RuleKind;
  /** The closest rule of Confluent (`C:`), Buf (`Buf:`), oasdiff or Nakadi, when there is one. */
  analogue?: string;
}

/**
 * Impacts as letters: `B`/`F`/`S` always (backward, forward, source); `b`/`f`/`s` depending on the
 * case (see {@link RuleInfo.varies}).
 */
type ImpactLetters = string;

interface Spec {
  kind: RuleKind;
  severity: Severity;
  impacts: ImpactLetters;
  doc: string;
  example: string;
  analogue?: string;
}

const SPECS = {
  // Objects
  PROPERTY_REMOVED_CLOSED: {
    kind: 'removal', severity: 'error', impacts: 'BfS',
    doc: 'A property was removed from a closed object: old data that carries it is rejected (FORWARD too when it was required).',
    example: '{"properties":{"a":{},"b":{}},"additionalProperties":false} → {"properties":{"a":{}},"additionalProperties":false}',
    analogue: 'C: PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL; Buf: FIELD_NO_DELETE',
  },
  PROPERTY_REMOVED_OPEN: {
    kind: 'removal', severity: 'warn', impacts: 'fs',
    doc: 'A property was removed from an open object: the key may now hold anything (FORWARD under strict open content, or when it was required).',
    example: '{"properties":{"a":{},"b":{"type":"string"}}} → {"properties":{"a":{}}}',
    analogue: 'C: PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL',
  },
  PROPERTY_REMOVED_PARTIALLY_OPEN: {
    kind: 'removal', severity: 'warn', impacts: 'bfs',
    doc: 'A property was removed and its key now falls under patternProperties or an additionalProperties schema; impacts compare the two schemas.',
    example: '{"properties":{"b":{"type":"string"}},"additionalProperties":{"type":"string"}} → {"additionalProperties":{"type":"string"}}',
    analogue: 'C: PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  },
  PROPERTY_RESERVED: {
    kind: 'removal', severity: 'warn', impacts: 'Bs',
    doc: 'A property schema became `false` (the name is reserved): old readers are safe, old data that carries the key is rejected.',
    example: '{"properties":{"b":{"type":"string"}}} → {"properties":{"b":false}}',
    analogue: 'C: PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL; Buf: FIELD_NO_DELETE_UNLESS_NAME_RESERVED',
  },
  PROPERTY_ADDED_OPTIONAL_OPEN: {
    kind: 'addition', severity: 'info', impacts: 'b',
    doc: 'An optional property was added to an open object (BACKWARD only under strict open content: the key could have held anything).',
    example: '{"properties":{"a":{}}} → {"properties":{"a":{},"b":{"type":"string"}}}',
    analogue: 'C: OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
  },
  PROPERTY_ADDED_OPTIONAL_CLOSED: {
    kind: 'addition', severity: 'warn', impacts: 'F',
    doc: 'An optional property was added to a closed object: old readers reject data that carries it.',
    example: '{"properties":{"a":{}},"additionalProperties":false} → {"properties":{"a":{},"b":{}},"additionalProperties":false}',
    analogue: 'C: OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
  },
  PROPERTY_ADDED_OPTIONAL_PARTIALLY_OPEN: {
    kind: 'addition', severity: 'warn', impacts: 'bf',
    doc: 'An optional property was added whose key was covered by patternProperties or an additionalProperties schema; impacts compare the two schemas.',
    example: '{"additionalProperties":{"type":"string"}} → {"properties":{"b":{"type":"integer"}},"additionalProperties":{"type":"string"}}',
    analogue: 'C: PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  },
  PROPERTY_ADDED_REQUIRED: {
    kind: 'addition', severity: 'error', impacts: 'BfS',
    doc: 'A required property without a default was added: old data lacks it (FORWARD too for a closed object).',
    example: '{"properties":{"a":{}}} → {"properties":{"a":{},"b":{}},"required":["b"]}',
    analogue: 'C: REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
  },
  PROPERTY_ADDED_REQUIRED_WITH_DEFAULT: {
    kind: 'addition', severity: 'warn', impacts: 'BfS',
    doc: 'A required property with a `default` was added: old data lacks it unless readers apply defaults.',
    example: '{} → {"properties":{"b":{"default":1}},"required":["b"]}',
    analogue: 'C: REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL; oasdiff: new-required-request-property-with-default',
  },
  PROPERTY_RENAMED: {
    kind: 'change', severity: 'error', impacts: 'bfS',
    doc: 'A property was removed and another with an equal schema and requiredness added (heuristic, reported once), with the impacts of that removal and addition (open or closed content, requiredness): generated code renames the field.',
    example: '{"properties":{"userName":{"type":"string"}}} → {"properties":{"username":{"type":"string"}}}',
    analogue: 'Buf: FIELD_SAME_NAME / FIELD_SAME_JSON_NAME',
  },
  REQUIRED_ADDED: {
    kind: 'change', severity: 'error', impacts: 'BS',
    doc: 'An existing property became required: old data may lack it; generated `a?` becomes `a`.',
    example: '{"properties":{"a":{}}} → {"properties":{"a":{}},"required":["a"]}',
    analogue: 'C: REQUIRED_ATTRIBUTE_ADDED',
  },
  REQUIRED_REMOVED: {
    kind: 'change', severity: 'error', impacts: 'FS',
    doc: 'A property became optional: old readers may miss it; generated `a` becomes `a?`.',
    example: '{"properties":{"a":{}},"required":["a"]} → {"properties":{"a":{}}}',
    analogue: 'C: REQUIRED_ATTRIBUTE_REMOVED',
  },
  ADDITIONAL_PROPERTIES_NARROWED: {
    kind: 'change', severity: 'error', impacts: 'BS',
    doc: '`additionalProperties` (or `unevaluatedProperties`) became `false`: undeclared keys are rejected; the index signature goes.',
    example: '{"additionalProperties":true} → {"additionalProperties":false}',
    analogue: 'C: ADDITIONAL_PROPERTIES_REMOVED / ADDITIONAL_PROPERTIES_NARROWED',
  },
  ADDITIONAL_PROPERTIES_WIDENED: {
    kind: 'change', severity: 'warn', impacts: 'F',
    doc: '`additionalProperties` (or `unevaluatedProperties`) is no longer `false`: old readers of a closed object get unknown keys.',
    example: '{"additionalProperties":false} → {"additionalProperties":true}',
    analogue: 'C: ADDITIONAL_PROPERTIES_ADDED / ADDITIONAL_PROPERTIES_EXTENDED',
  },
  PATTERN_PROPERTY_ADDED: {
    kind: 'change', severity: 'warn', impacts: 'bfS',
    doc: 'A `patternProperties` entry was added: keys it matches move from the additionalProperties schema to it; impacts compare the two.',
    example: '{} → {"patternProperties":{"^x-":{"type":"string"}}}',
    analogue: 'C: PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  },
  PATTERN_PROPERTY_REMOVED: {
    kind: 'change', severity: 'warn', impacts: 'bfS',
    doc: 'A `patternProperties` entry was removed: keys it matched fall back to the additionalProperties schema; impacts compare the two.',
    example: '{"patternProperties":{"^x-":{"type":"string"}}} → {}',
    analogue: 'C: PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  },
  PROPERTY_COUNT_TIGHTENED: {
    kind: 'change', severity: 'error', impacts: 'B',
    doc: '`minProperties` went up or `maxProperties` down (or was added).',
    example: '{"maxProperties":5} → {"maxProperties":3}',
    analogue: 'C: MIN_PROPERTIES_INCREASED / MAX_PROPERTIES_DECREASED',
  },
  PROPERTY_COUNT_RELAXED: {
    kind: 'change', severity: 'info', impacts: 'F',
    doc: '`minProperties` went down or `maxProperties` up (or was removed).',
    example: '{"maxProperties":3} → {"maxProperties":5}',
    analogue: 'C: MIN_PROPERTIES_DECREASED / MAX_PROPERTIES_INCREASED',
  },
  DEPENDENCY_ADDED: {
    kind: 'change', severity: 'error', impacts: 'B',
    doc: 'A `dependentRequired` (draft-07 `dependencies` array) entry or name was added.',
    example: '{} → {"dependentRequired":{"card":["billingAddress"]}}',
    analogue: 'C: DEPENDENCY_ARRAY_ADDED / DEPENDENCY_ARRAY_EXTENDED',
  },
  DEPENDENCY_REMOVED: {
    kind: 'change', severity: 'info', impacts: 'F',
    doc: 'A `dependentRequired` (draft-07 `dependencies` array) entry or name was removed.',
    example: '{"dependentRequired":{"card":["billingAddress"]}} → {}',
    analogue: 'C: DEPENDENCY_ARRAY_REMOVED / DEPENDENCY_ARRAY_NARROWED',
  },

  // Types, enums, const
  TYPE_NARROWED: {
    kind: 'change', severity: 'error', impacts: 'BS',
    doc: 'The `type` set lost members (`number` → `integer`, any → `string`).',
    example: '{"type":["string","integer"]} → {"type":"string"}',
    analogue: 'C: TYPE_NARROWED; Buf: FIELD_SAME_TYPE',
  },
  TYPE_WIDENED: {
    kind: 'change', severity: 'error', impacts: 'FS',
    doc: 'The `type` set gained members (`integer` → `number`: int becomes float in generated code).',
    example: '{"type":"integer"} → {"type":"number"}',
    analogue: 'C: TYPE_EXTENDED; Buf: FIELD_WIRE_JSON_COMPATIBLE_TYPE',
  },
  TYPE_CHANGED: {
    kind: 'change', severity: 'error', impacts: 'BFS',
    doc: 'The `type` set both lost and gained members.',
    example: '{"type":"string"} → {"type":"integer"}',
    analogue: 'C: TYPE_CHANGED; Buf: FIELD_SAME_TYPE',
  },
  NULLABLE_ADDED: {
    kind: 'change', severity: 'error', impacts: 'FS',
    doc: '`null` became allowed (`type` array or OpenAPI `nullable: true`): `T` becomes `T | null`.',
    example: '{"type":"string"} → {"type":["string","null"]}',
    analogue: 'C: TYPE_EXTENDED; oasdiff: response-property-became-nullable',
  },
  NULLABLE_REMOVED: {
    kind: 'change', severity: 'error', impacts: 'BS',
    doc: '`null` is no longer allowed: `T | null` becomes `T`.',
    example: '{"type":"string","nullable":true} → {"type":"string"}',
    analogue: 'C: TYPE_NARROWED; oasdiff: request-property-became-not-nullable',
  },
  ENUM_VALUE_ADDED: {
    kind: 'addition', severity: 'warn', impacts: 'F',
    doc: 'An `enum` value was added (or a `const` widened to an enum): exhaustive readers may not handle it.',
    example: '{"enum":["a"]} → {"enum":["a","b"]}',
    analogue: 'C: ENUM_ARRAY_EXTENDED; oasdiff: response-property-enum-value-added',
  },
  ENUM_VALUE_REMOVED: {
    kind: 'removal', severity: 'error', impacts: 'BS',
    doc: 'An `enum` value was removed: old data holding it is rejected; the literal leaves the generated union.',
    example: '{"enum":["a","b"]} → {"enum":["a"]}',
    analogue: 'C: ENUM_ARRAY_NARROWED; Buf: ENUM_VALUE_NO_DELETE',
  },
  ENUM_CONSTRAINT_ADDED: {
    kind: 'change', severity: 'error', impacts: 'BS',
    doc: 'An `enum` or `const` restriction was added where any value of the type was allowed.',
    example: '{"type":"string"} → {"type":"string","enum":["a","b"]}',
    analogue: 'C: ENUM_ARRAY_NARROWED',
  },
  ENUM_CONSTRAINT_REMOVED: {
    kind: 'change', severity: 'warn', impacts: 'FS',
    doc: 'An `enum` or `const` restriction was removed: any value of the type is allowed.',
    example: '{"enum":["a","b"]} → {"type":"string"}',
    analogue: 'C: ENUM_ARRAY_EXTENDED',
  },
  ENUM_NAMES_CHANGED: {
    kind: 'change', severity: 'error', impacts: 'S',
    doc: 'Generated enum member names changed (`tsEnumNames`, `x-enum-varnames`, `x-enumNames`, `x-enum-names`).',
    example: '{"enum":[1],"x-enum-varnames":["One"]} → {"enum":[1],"x-enum-varnames":["First"]}',
    analogue: 'Buf: ENUM_VALUE_SAME_NAME',
  },
  CONST_CHANGED: {
    kind: 'change', severity: 'error', impacts: 'BFS',
    doc: 'A `const` value changed.',
    example: '{"const":"v1"} → {"const":"v2"}',
    analogue: 'C: ENUM_ARRAY_CHANGED',
  },

  // Strings and numbers
  STRING_LENGTH_TIGHTENED: {
    kind: 'change', severity: 'error', impacts: 'B',
    doc: '`minLength` went up or `maxLength` down (or was added).',
    example: '{"maxLength":10} → {"maxLength":5}',
    analogue: 'C: MAX_LENGTH_DECREASED / MIN_LENGTH_INCREASED',
  },
  STRING_LENGTH_RELAXED: {
    kind: 'change', severity: 'info', impacts: 'F',
    doc: '`minLength` went down or `maxLength` up (or was removed).',
    example: '{"maxLength":5} → {"maxLength":10}',
    analogue: 'C: MAX_LENGTH_INCREASED / MIN_LENGTH_DECREASED',
  },
  PATTERN_ADDED: {
    kind: 'change', severity: 'error', impacts: 'B',
    doc: 'A `pattern` was added.',
    example: '{"type":"string"} → {"type":"string","pattern":"^[a-z]+$"}',
    analogue: 'C: PATTERN_ADDED',
  },
  PATTERN_REMOVED: {
    kind: 'change', severity: 'info', impacts: 'F',
    doc: 'A `pattern` was removed.',
    example: '{"pattern":"^[a-z]+$"} → {}',
    analogue: 'C: PATTERN_REMOVED',
  },
  PATTERN_CHANGED: {
    kind: 'change', severity: 'error', impacts: 'BF',
    doc: 'A `pattern` changed (regular expressions are not compared for inclusion, so both directions are assumed).',
    example: '{"pattern":"^[a-z]+$"} → {"pattern":"^[a-z0-9]+$"}',
    analogue: 'C: PATTERN_CHANGED',
  },
  FORMAT_CHANGED: {
    kind: 'change', severity: 'warn', impacts: 'bfs',
    doc: '`format` was added (BACKWARD), removed (FORWARD) or changed (both); SOURCE when a generator maps either format to its own type (date-time, uuid, int64...).',
    example: '{"type":"string"} → {"type":"string","format":"date-time"}',
    analogue: 'oasdiff: request-property-format-changed',
  },
  NUMBER_RANGE_TIGHTENED: {
    kind: 'change', severity: 'error', impacts: 'B',
    doc: 'A numeric bound tightened: `minimum`/`exclusiveMinimum` up, `maximum`/`exclusiveMaximum` down, `multipleOf` added or made coarser.',
    example: '{"minimum":0} → {"minimum":1}',
    analogue: 'C: MINIMUM_INCREASED / MAXIMUM_DECREASED / MULTIPLE_OF_EXPANDED',
  },
  NUMBER_RANGE_RELAXED: {
    kind: 'change', severity: 'info', impacts: 'F',
    doc: 'A numeric bound relaxed: the reverse of NUMBER_RANGE_TIGHTENED.',
    example: '{"maximum":10} → {"maximum":100}',
    analogue: 'C: MINIMUM_DECREASED / MAXIMUM_INCREASED / MULTIPLE_OF_REDUCED',
  },

  // Arrays
  ARRAY_COUNT_TIGHTENED: {
    kind: 'change', severity: 'error', impacts: 'Bs',
    doc: '`minItems`/`minContains` went up or `maxItems`/`maxContains` down; SOURCE for min/maxItems, which json-schema-to-typescript turns into tuple types.',
    example: '{"minItems":0} → {"minItems":1}',
    analogue: 'C: MIN_ITEMS_INCREASED / MAX_ITEMS_DECREASED',
  },
  ARRAY_COUNT_RELAXED: {
    kind: 'change', severity: 'info', impacts: 'Fs',
    doc: 'The reverse of ARRAY_COUNT_TIGHTENED.',
    example: '{"maxItems":3} → {"maxItems":10}',
    analogue: 'C: MIN_ITEMS_DECREASED / MAX_ITEMS_INCREASED',
  },
  UNIQUE_ITEMS_ADDED: {
    kind: 'change', severity: 'error', impacts: 'B',
    doc: '`uniqueItems: true` was added.',
    example: '{"type":"array"} → {"type":"array","uniqueItems":true}',
    analogue: 'C: UNIQUE_ITEMS_ADDED',
  },
  UNIQUE_ITEMS_REMOVED: {
    kind: 'change', severity: 'info', impacts: 'F',
    doc: '`uniqueItems: true` was removed.',
    example: '{"uniqueItems":true} → {}',
    analogue: 'C: UNIQUE_ITEMS_REMOVED',
  },
  TUPLE_ITEM_ADDED: {
    kind: 'change', severity: 'warn', impacts: 'bfS',
    doc: 'A `prefixItems` (draft-07 `items` array) position was added; impacts compare it with the schema that covered the position before.',
    example: '{"prefixItems":[{"type":"string"}]} → {"prefixItems":[{"type":"string"},{"type":"integer"}]}',
    analogue: 'C: ITEM_ADDED_TO_OPEN_CONTENT_MODEL / ITEM_ADDED_TO_CLOSED_CONTENT_MODEL',
  },
  TUPLE_ITEM_REMOVED: {
    kind: 'change', severity: 'warn', impacts: 'bfS',
    doc: 'A `prefixItems` position was removed; impacts compare it with the schema that covers the position now.',
    example: '{"prefixItems":[{"type":"string"},{"type":"integer"}]} → {"prefixItems":[{"type":"string"}]}',
    analogue: 'C: ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL / ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL',
  },
  CONTAINS_ADDED: {
    kind: 'change', severity: 'error', impacts: 'B',
    doc: 'A `contains` constraint was added.',
    example: '{"type":"array"} → {"type":"array","contains":{"const":"admin"}}',
  },
  CONTAINS_REMOVED: {
    kind: 'change', severity: 'info', impacts: 'F',
    doc: 'A `contains` constraint was removed.',
    example: '{"contains":{"const":"admin"}} → {}',
  },

  // Composition
  UNION_BRANCH_ADDED: {
    kind: 'addition', severity: 'warn', impacts: 'FS',
    doc: 'A `oneOf`/`anyOf` branch was added: old readers get a variant they do not know; the generated union grows.',
    example: '{"anyOf":[{"type":"string"}]} → {"anyOf":[{"type":"string"},{"type":"null"}]}',
    analogue: 'C: SUM_TYPE_EXTENDED',
  },
  UNION_BRANCH_REMOVED: {
    kind: 'removal', severity: 'error', impacts: 'BS',
    doc: 'A `oneOf`/`anyOf` branch was removed.',
    example: '{"oneOf":[{"$ref":"#/definitions/a"},{"$ref":"#/definitions/b"}]} → {"oneOf":[{"$ref":"#/definitions/a"}]}',
    analogue: 'C: SUM_TYPE_NARROWED; Buf: ONEOF_NO_DELETE',
  },
  ALLOF_CONJUNCT_ADDED: {
    kind: 'change', severity: 'error', impacts: 'BS',
    doc: 'An `allOf` member (or a `$ref` beside other keywords) was added.',
    example: '{"allOf":[{"$ref":"#/definitions/a"}]} → {"allOf":[{"$ref":"#/definitions/a"},{"$ref":"#/definitions/b"}]}',
    analogue: 'C: PRODUCT_TYPE_EXTENDED',
  },
  ALLOF_CONJUNCT_REMOVED: {
    kind: 'change', severity: 'warn', impacts: 'FS',
    doc: 'An `allOf` member (or a `$ref` beside other keywords) was removed.',
    example: '{"allOf":[{"$ref":"#/definitions/a"},{"$ref":"#/definitions/b"}]} → {"allOf":[{"$ref":"#/definitions/a"}]}',
    analogue: 'C: PRODUCT_TYPE_NARROWED',
  },
  COMBINATOR_ADDED: {
    kind: 'change', severity: 'error', impacts: 'BS',
    doc: 'A `oneOf`/`anyOf` was added to a schema that had none and keeps other constraints.',
    example: '{"type":"object"} → {"type":"object","oneOf":[{"required":["a"]},{"required":["b"]}]}',
    analogue: 'C: COMBINED_TYPE_EXTENDED',
  },
  COMBINATOR_REMOVED: {
    kind: 'change', severity: 'warn', impacts: 'FS',
    doc: 'A `oneOf`/`anyOf` was removed from a schema that keeps other constraints.',
    example: '{"type":"object","oneOf":[{"required":["a"]},{"required":["b"]}]} → {"type":"object"}',
    analogue: 'C: COMBINED_TYPE_SUBSCHEMAS_CHANGED',
  },
  COMBINATOR_CHANGED: {
    kind: 'change', severity: 'error', impacts: 'BFS',
    doc: '`anyOf` became `oneOf` or the reverse (branches are then compared as usual).',
    example: '{"anyOf":[{"type":"string"},{"type":"integer"}]} → {"oneOf":[{"type":"string"},{"type":"integer"}]}',
    analogue: 'C: COMBINED_TYPE_CHANGED',
  },
  DISCRIMINATOR_CHANGED: {
    kind: 'change', severity: 'error', impacts: 'BFS',
    doc: 'The OpenAPI `discriminator` (property name or mapping) changed.',
    example: '{"discriminator":{"propertyName":"kind"}} → {"discriminator":{"propertyName":"type"}}',
    analogue: 'oasdiff: request-body-discriminator-changed',
  },
  NOT_ADDED: {
    kind: 'change', severity: 'error', impacts: 'B',
    doc: 'A `not` was added.',
    example: '{} → {"not":{"type":"null"}}',
    analogue: 'C: NOT_TYPE_NARROWED',
  },
  NOT_REMOVED: {
    kind: 'change', severity: 'info', impacts: 'F',
    doc: 'A `not` was removed.',
    example: '{"not":{"type":"null"}} → {}',
    analogue: 'C: NOT_TYPE_EXTENDED',
  },
  NOT_CHANGED: {
    kind: 'change', severity: 'warn', impacts: 'bf',
    doc: 'The schema under `not` changed; its impacts are those of the inner change with directions swapped.',
    example: '{"not":{"type":"string"}} → {"not":{"type":["string","null"]}}',
    analogue: 'C: NOT_TYPE_NARROWED / NOT_TYPE_EXTENDED',
  },
  CONDITION_CHANGED: {
    kind: 'change', severity: 'error', impacts: 'bf',
    doc: 'An `if` was added (BACKWARD), removed (FORWARD) or changed (both); `then`/`else` are compared as usual.',
    example: '{"if":{"properties":{"a":{"const":1}}},"then":{"required":["b"]}} → {"if":{"properties":{"a":{"const":2}}},"then":{"required":["b"]}}',
    analogue: 'C: COMBINED_TYPE_CHANGED',
  },
  FALSE_SCHEMA_ADDED: {
    kind: 'change', severity: 'error', impacts: 'BS',
    doc: 'A subschema became `false`: nothing validates there any more.',
    example: '{"items":{"type":"string"}} → {"items":false}',
  },
  FALSE_SCHEMA_REMOVED: {
    kind: 'change', severity: 'warn', impacts: 'FS',
    doc: 'A `false` subschema became something that accepts values.',
    example: '{"items":false} → {"items":{"type":"string"}}',
  },

  // Definitions, references, identity
  DEFINITION_ADDED: {
    kind: 'addition', severity: 'info', impacts: '',
    doc: 'A `definitions`/`$defs` entry was added (a new generated type).',
    example: '{"definitions":{}} → {"definitions":{"address":{"type":"object"}}}',
  },
  DEFINITION_REMOVED: {
    kind: 'removal', severity: 'error', impacts: 'S',
    doc: 'A `definitions`/`$defs` entry was removed: its generated type goes (data changes show where it was referenced).',
    example: '{"definitions":{"address":{"type":"object"}}} → {"definitions":{}}',
    analogue: 'Buf: MESSAGE_NO_DELETE',
  },
  DEFINITION_RENAMED: {
    kind: 'change', severity: 'error', impacts: 'S',
    doc: 'A `definitions`/`$defs` entry was removed and one with an equal schema added (heuristic): the generated type is renamed.',
    example: '{"definitions":{"addr":{"type":"object"}}} → {"definitions":{"address":{"type":"object"}}}',
    analogue: 'Buf: MESSAGE_NO_DELETE + MESSAGE added',
  },
  TYPE_NAME_CHANGED: {
    kind: 'change', severity: 'error', impacts: 'S',
    doc: 'A `title` was added, removed or changed: json-schema-to-typescript names types by `title`, so the generated name changes.',
    example: '{"title":"User"} → {"title":"Account"}',
  },
  REF_RETARGETED: {
    kind: 'change', severity: 'warn', impacts: 'S',
    doc: 'A `$ref` points at another definition: the generated type name changes; differences between the targets are reported inside them.',
    example: '{"$ref":"#/definitions/a"} → {"$ref":"#/definitions/b"}',
  },
  ID_CHANGED: {
    kind: 'change', severity: 'warn', impacts: '',
    doc: '`$id` (draft-04 `id`) or an anchor changed: schemas that refer to it by URI must follow.',
    example: '{"$id":"https://example.com/user.json"} → {"$id":"https://example.com/account.json"}',
    analogue: 'C: ID_CHANGED',
  },
  DIALECT_CHANGED: {
    kind: 'change', severity: 'warn', impacts: '',
    doc: '`$schema` changed: keywords may be read by another draft\'s rules.',
    example: '{"$schema":"http://json-schema.org/draft-07/schema#"} → {"$schema":"https://json-schema.org/draft/2020-12/schema"}',
  },

  // Annotations
  DEFAULT_CHANGED: {
    kind: 'change', severity: 'warn', impacts: '',
    doc: '`default` was added, removed or changed: behaviour of readers that apply defaults changes.',
    example: '{"default":10} → {"default":20}',
    analogue: 'C: DEFAULT_CHANGED; Buf: FIELD_SAME_DEFAULT',
  },
  READ_WRITE_ONLY_CHANGED: {
    kind: 'change', severity: 'warn', impacts: 'bf',
    doc: '`readOnly` added (writers may no longer send it: BACKWARD) or `writeOnly` added (readers no longer get it: FORWARD), or either removed.',
    example: '{"type":"string"} → {"type":"string","readOnly":true}',
    analogue: 'oasdiff: request-property-became-read-only',
  },
  DEPRECATED_ADDED: {
    kind: 'annotation', severity: 'info', impacts: '',
    doc: '`deprecated: true` was added.',
    example: '{} → {"deprecated":true}',
  },
  DEPRECATED_REMOVED: {
    kind: 'annotation', severity: 'info', impacts: '',
    doc: '`deprecated: true` was removed.',
    example: '{"deprecated":true} → {}',
  },
  ANNOTATION_CHANGED: {
    kind: 'annotation', severity: 'info', impacts: '',
    doc: '`description`, `examples`, `$comment` or a content annotation changed.',
    example: '{"description":"A user."} → {"description":"A person."}',
    analogue: 'C: DESCRIPTION_CHANGED; Nakadi: PATCH',
  },
  EXTENSION_CHANGED: {
    kind: 'annotation', severity: 'info', impacts: '',
    doc: 'A vendor extension (`x-*`) or a keyword outside JSON Schema and OpenAPI changed.',
    example: '{"x-internal":false} → {"x-internal":true}',
  },
} satisfies Record<string, Spec>;

/** Every rule id. */
export type RuleId = keyof typeof SPECS;

function info(id: string, spec: Spec): RuleInfo {
  const letters = spec.impacts;
  const varies = (['backward', 'forward', 'source'] as const).filter((_, i) => letters.includes('bfs'[i]!));
  const has = (i: number) => letters.includes('BFS'[i]!);
  const { impacts: _letters, ...rest } = spec;
  return { id, ...rest, impacts: { backward: has(0), forward: has(1), source: has(2) }, varies };
}

/** The rules catalog, by id, in catalog order (objects, types, scalars, arrays, composition, definitions, annotations). */
export const RULES: Readonly<Record<RuleId, Readonly<RuleInfo>>> = Object.freeze(
  Object.fromEntries(Object.entries(SPECS).map(([id, spec]) => [id, Object.freeze(info(id, spec))])) as Record<RuleId, RuleInfo>,
);

/** Whether `id` names a rule of {@link RULES}. */
export function isRuleId(id: string): id is RuleId {
  return Object.prototype.hasOwnProperty.call(RULES, id);
}
