/**
 * Which JSON Schema keywords hold subschemas, so walks over a schema are keyword-aware: the keys
 * under `properties`, `definitions`, `patternProperties`, `dependencies`, ... are names, and values
 * under `enum`, `const`, `default`, `examples` or unknown keywords are data, never schemas.
 * Source: the applicator and core vocabularies of JSON Schema 2020-12 (json-schema.org,
 * "JSON Schema Core" §8 and §10) plus the draft-04..07 forms of the same keywords.
 */

/** Keywords whose value is one schema. `items` is also an array of schemas in drafts before 2020-12. */
const SINGLE = new Set([
  'additionalItems',
  'additionalProperties',
  'contains',
  'contentSchema',
  'else',
  'if',
  'items',
  'not',
  'propertyNames',
  'then',
  'unevaluatedItems',
  'unevaluatedProperties',
]);

/** Keywords whose value is an array of schemas. */
const ARRAY = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items']);

/**
 * Keywords whose value maps names to schemas. Draft-07 `dependencies` values may also be arrays of
 * property names, which are skipped.
 */
const MAP = new Set(['$defs', 'definitions', 'dependentSchemas', 'dependencies', 'patternProperties', 'properties']);

/** Keywords that hold reusable schemas rather than apply to the instance. */
export const DEFINITION_CONTAINERS = ['definitions', '$defs'] as const;

/** A schema value: an object schema or a boolean schema. */
export function isSchema(value: unknown): value is Record<string, unknown> | boolean {
  return typeof value === 'boolean' || (value !== null && typeof value === 'object' && !Array.isArray(value));
}

/** An object schema (the only kind that has keywords). */
export function isObjectSchema(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** How a keyword's value holds subschemas: `single`, `array`, `map`, or `none` (data or unknown). */
export function keywordKind(keyword: string, value: unknown): 'single' | 'array' | 'map' | 'none' {
  if (Array.isArray(value)) return ARRAY.has(keyword) ? 'array' : 'none';
  if (MAP.has(keyword)) return isObjectSchema(value) ? 'map' : 'none';
  return SINGLE.has(keyword) && isSchema(value) ? 'single' : 'none';
}

/**
 * Calls `visit` for every direct subschema of `schema`, in source key order.
 * @param visit - receives the subschema and its path segments relative to `schema`
 *   (`['properties', 'name']`, `['items', '0']`, `['not']`).
 */
export function forEachSubschema(
  schema: Record<string, unknown>,
  visit: (sub: Record<string, unknown> | boolean, segments: string[]) => void,
): void {
  for (const [keyword, value] of Object.entries(schema)) {
    const kind = keywordKind(keyword, value);
    if (kind === 'single') visit(value as Record<string, unknown> | boolean, [keyword]);
    else if (kind === 'array') (value as unknown[]).forEach((v, i) => isSchema(v) && visit(v, [keyword, String(i)]));
    else if (kind === 'map') {
      for (const [name, v] of Object.entries(value as Record<string, unknown>)) if (isSchema(v)) visit(v, [keyword, name]);
    }
  }
}
