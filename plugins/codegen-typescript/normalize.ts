/**
 * Rewrites a bundled JSON Schema before json-schema-to-typescript sees it, so that the generated
 * types accept every instance the schema accepts (soundness). It fixes what that library narrows by
 * default (checked against json-schema-to-typescript 16):
 * - a schema that constrains no type (`{}`, `{ description }`, `{ minLength }` without `type`, `true`)
 *   becomes `unknown` instead of an object type with an index signature;
 * - tuple `items: [...]` without `additionalItems` allows further elements (draft-07 §9.3.1.2:
 *   absent `additionalItems` means any), instead of a closed tuple;
 * - 2020-12 `prefixItems` (+ `items` for the rest) become draft-07 `items` + `additionalItems`,
 *   which the library understands;
 * - `patternProperties` without `additionalProperties` keep the object open to other keys instead of
 *   typing every key like the pattern's values.
 * Open objects for absent `additionalProperties` are the library option `additionalProperties: true`.
 * Known looseness kept on purpose: object keywords without `type` (`{ properties }`) still give an
 * object type, as authors mean, although such a schema also accepts non-objects.
 */

type Schema = Record<string, unknown>;

/** Keywords whose value is one subschema. */
const SINGLE = ['additionalProperties', 'additionalItems', 'items', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems'];
/** Keywords whose value is an array of subschemas. */
const ARRAY = ['allOf', 'anyOf', 'oneOf', 'items', 'prefixItems'];
/** Keywords whose value maps names to subschemas. */
const MAP = ['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas', 'dependencies'];
/** Keywords for which a boolean schema means "allowed or not" to the library; they stay booleans. */
const BOOLEAN_KEPT = new Set(['additionalProperties', 'additionalItems', 'unevaluatedProperties', 'unevaluatedItems']);
/** Keywords that give json-schema-to-typescript a type to emit; a schema with none of them is `unknown`. */
const SHAPING = ['type', 'enum', 'const', '$ref', 'tsType', 'extends', 'properties', 'patternProperties', 'additionalProperties', 'items', 'additionalItems', 'prefixItems', 'allOf', 'anyOf', 'oneOf'];

/**
 * Returns a normalised copy of `schema` (the input is not changed).
 * @param unknownType - the TypeScript type for "any JSON value": `unknown` (default) or `any`.
 */
export function normalizeForTypescript(schema: unknown, unknownType: 'unknown' | 'any' = 'unknown'): Schema {
  return visit(schema, unknownType);
}

function visit(node: unknown, unknownType: string): Schema {
  if (node === true) return { tsType: unknownType };
  if (node === false) return { tsType: 'never' };
  if (!isObject(node)) return node as Schema; // not a schema; the library reports it
  const out: Schema = { ...node };
  for (const key of SINGLE) {
    const value = out[key];
    if (isObject(value) || (typeof value === 'boolean' && !BOOLEAN_KEPT.has(key))) out[key] = visit(value, unknownType);
  }
  for (const key of ARRAY) {
    const value = out[key];
    if (Array.isArray(value)) out[key] = value.map((v) => visit(v, unknownType));
  }
  for (const key of MAP) {
    const value = out[key];
    // `dependencies` values may be property-name arrays (draft-07), which are not schemas.
    if (isObject(value)) out[key] = mapValues(value, (v) => (Array.isArray(v) ? v : visit(v, unknownType)));
  }
  if (Array.isArray(out.prefixItems)) {
    out.additionalItems = out.items ?? true;
    out.items = out.prefixItems;
    delete out.prefixItems;
  } else if (Array.isArray(out.items) && !('additionalItems' in out)) {
    out.additionalItems = true;
  }
  if (isObject(out.patternProperties) && !('additionalProperties' in out)) out.additionalProperties = true;
  if (!SHAPING.some((key) => key in out)) out.tsType = unknownType;
  return out;
}

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mapValues(record: Schema, fn: (value: unknown) => unknown): Schema {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v)]));
}
