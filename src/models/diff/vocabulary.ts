/**
 * How the diff reads keywords: which ones assert (change the set of valid instances), which are
 * annotations, and which hold references. Sources: JSON Schema 2020-12 Core and Validation
 * (json-schema.org), draft-04..07 for `dependencies`, `additionalItems` and boolean
 * `exclusiveMinimum`, and OpenAPI 3.0 for `nullable` and `discriminator`.
 */
import { isSchema } from '../keywords.js';
import type { JsonSchema } from './types.js';

/** Reference keywords, read statically: `$dynamicRef` and 2019-09 `$recursiveRef` like `$ref`. */
export const REF_KEYWORDS = ['$ref', '$dynamicRef', '$recursiveRef'] as const;

/** The assertion keywords each rule module reads; a module runs only when one of its keywords is present. */
export const KEYWORD_GROUPS = {
  types: ['type', 'nullable'],
  values: ['enum', 'const'],
  strings: ['minLength', 'maxLength', 'pattern', 'format'],
  numbers: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  arrays: ['items', 'prefixItems', 'additionalItems', 'unevaluatedItems', 'minItems', 'maxItems', 'uniqueItems', 'contains', 'minContains', 'maxContains'],
  objects: [
    'properties', 'required', 'additionalProperties', 'patternProperties', 'unevaluatedProperties', 'propertyNames',
    'minProperties', 'maxProperties', 'dependentRequired', 'dependentSchemas', 'dependencies',
  ],
  composition: ['allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', 'discriminator'],
} as const;

/** A group of {@link KEYWORD_GROUPS}. */
export type KeywordGroup = keyof typeof KEYWORD_GROUPS;

/** One bit per keyword group. */
export const GROUP_BIT = Object.fromEntries(Object.keys(KEYWORD_GROUPS).map((g, i) => [g, 1 << i])) as Record<KeywordGroup, number>;

/** The group bit of each keyword, to find the groups a node uses in one pass over its keys. */
export const GROUP_BITS: ReadonlyMap<string, number> = new Map(
  Object.entries(KEYWORD_GROUPS).flatMap(([group, keywords]) => keywords.map((k) => [k, GROUP_BIT[group as KeywordGroup]] as const)),
);

/** Keywords that constrain instances. A node with a `$ref` and none of these is a pure reference. */
export const ASSERTIONS: ReadonlySet<string> = new Set(Object.values(KEYWORD_GROUPS).flat());

/** Keywords compared as plain annotations (`ANNOTATION_CHANGED`). */
export const PLAIN_ANNOTATIONS = ['description', '$comment', 'examples', 'example', 'contentMediaType', 'contentEncoding', 'contentSchema'];

/** Keywords that name a resource or a location in it (`ID_CHANGED`). */
export const IDENTIFIERS = ['$id', 'id', '$anchor', '$dynamicAnchor'];

/** Extensions that name generated enum members (json-schema-to-typescript, OpenAPI Generator, NSwag). */
export const ENUM_NAME_KEYWORDS = ['tsEnumNames', 'x-enum-varnames', 'x-enumNames', 'x-enum-names'];

/**
 * Every keyword some rule reads; any other keyword (and `x-*` beyond the enum names) is an
 * extension. `$vocabulary` and `$recursiveAnchor` only steer validators and are not compared.
 */
export const HANDLED = new Set([
  ...ASSERTIONS, ...REF_KEYWORDS, ...PLAIN_ANNOTATIONS, ...IDENTIFIERS, ...ENUM_NAME_KEYWORDS,
  '$schema', 'title', 'default', 'deprecated', 'readOnly', 'writeOnly', 'definitions', '$defs',
  '$vocabulary', '$recursiveAnchor',
]);

/** The reference a node holds (`$ref`, else `$dynamicRef`, else `$recursiveRef`), with its keyword. */
export function refOf(node: JsonSchema): { keyword: string; ref: string } | undefined {
  if (typeof node === 'boolean') return undefined;
  for (const keyword of REF_KEYWORDS) {
    const ref = node[keyword];
    if (typeof ref === 'string') return { keyword, ref };
  }
  return undefined;
}

/** Whether a node is only a reference: a `$ref` beside annotations, no assertion of its own. */
export function isPureRef(node: JsonSchema): boolean {
  if (!refOf(node)) return false;
  for (const key in node as Record<string, unknown>) if (ASSERTIONS.has(key)) return false;
  return true;
}

/** Whether a schema accepts everything: `true`, or an object schema without assertions or references. */
export function acceptsAll(node: JsonSchema): boolean {
  if (typeof node === 'boolean') return node;
  for (const key in node) if (ASSERTIONS.has(key) || (REF_KEYWORDS as readonly string[]).includes(key)) return false;
  return true;
}

/** The composition keywords a one-member wrapper may use. */
export type WrapperKeyword = 'allOf' | 'anyOf' | 'oneOf';

/**
 * Where the one schema a wrapper stands for sits: a node with no assertion but `allOf`, `anyOf` or `oneOf` (and no
 * reference), whose list has exactly one member (for `allOf`: one member that asserts something; members that
 * accept everything change nothing in a conjunction). Such a node accepts exactly what that member accepts
 * (JSON Schema 2020-12 Core §10.2.1), so `{"description": "x", "allOf": [{"$ref": "#/$defs/L"}]}` is `#/$defs/L`
 * with a description. `undefined` for any other node.
 */
export function wrappedMember(node: JsonSchema): { keyword: WrapperKeyword; index: number } | undefined {
  if (typeof node === 'boolean') return undefined;
  let found: { keyword: WrapperKeyword; index: number } | undefined;
  for (const key in node) {
    if (!ASSERTIONS.has(key)) continue;
    if (found || (key !== 'allOf' && key !== 'anyOf' && key !== 'oneOf')) return undefined;
    if (refOf(node)) return undefined;
    const list = node[key];
    if (!Array.isArray(list)) return undefined;
    const asserting = key === 'allOf' ? list.flatMap((m, i) => (isSchema(m) && acceptsAll(m) ? [] : [i])) : list.map((_, i) => i);
    if (asserting.length !== 1 || !isSchema(list[asserting[0]!])) return undefined;
    found = { keyword: key, index: asserting[0]! };
  }
  return found;
}
