/**
 * Rewrites a bundled JSON Schema before json-schema-to-typescript sees it, so that the generated
 * types accept every instance the schema accepts (soundness) and the library's own checks only ever
 * see schema keywords. Checked against json-schema-to-typescript 16:
 * - a schema that constrains no type (`{}`, `{ description }`, `{ minLength }` without `type`, `true`)
 *   becomes `unknown` instead of an object type with an index signature;
 * - tuple `items: [...]` without `additionalItems` allows further elements (draft-07 §9.3.1.2:
 *   absent `additionalItems` means any), instead of a closed tuple;
 * - 2020-12 `prefixItems` (+ `items` for the rest) become draft-07 `items` + `additionalItems`,
 *   which the library understands;
 * - `patternProperties` without `additionalProperties` keep the object open to other keys instead of
 *   typing every key like the pattern's values;
 * - `if`/`then`/`else` with both branches becomes `anyOf: [then, else]` (an instance that passes
 *   `if` and `then`, or fails `if` and passes `else`, passes one of the two), so OpenAPI 3.1's
 *   `parameter-or-reference` types as `Reference | Parameter` instead of `unknown`;
 * - keywords the library does not turn into types but still walks are removed: assertion-only
 *   applicators (`not`, a lone `then`/`else`, `dependentSchemas`, ...; dropping an assertion only
 *   widens the type) and any other keyword holding an object or array. The library's validator reads
 *   such values as schemas, so e.g. `then: { properties: { deprecated: {...} } }` failed with
 *   "deprecated must be a boolean": a *property named* `deprecated` taken for the keyword;
 * - `deprecated` that is not a boolean (an annotation) is removed, and `const` becomes a one-value
 *   `enum` (what the library does itself, but after its validator has walked the value).
 * Open objects for absent `additionalProperties` are the library option `additionalProperties: true`.
 * Known looseness kept on purpose: object keywords without `type` (`{ properties }`) still give an
 * object type, as authors mean, although such a schema also accepts non-objects.
 */
import { isObjectSchema, keywordKind } from 'metarepo/plugin';

type Schema = Record<string, unknown>;

/** Subschema keywords the library does not type: they only narrow, so the type may ignore them. */
const ASSERTION_ONLY = new Set([
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'dependencies',
  'dependentSchemas',
  'dependentRequired',
  'unevaluatedProperties',
  'unevaluatedItems',
  'contentSchema',
]);
/** Keywords whose object or array value the library reads (everything else of that shape is dropped). */
const STRUCTURED_KEPT = new Set([
  'properties',
  'patternProperties',
  'additionalProperties',
  'items',
  'additionalItems',
  'prefixItems',
  'allOf',
  'anyOf',
  'oneOf',
  'definitions',
  '$defs',
  'required',
  'type',
  'enum',
  'const',
  'default',
  'extends',
  'tsEnumNames',
]);
/** Keywords for which a boolean schema means "allowed or not" to the library; they stay booleans. */
const BOOLEAN_KEPT = new Set(['additionalProperties', 'additionalItems']);
/** Keywords that give json-schema-to-typescript a type to emit; a schema with none of them is `unknown`. */
const SHAPING = ['type', 'enum', '$ref', 'tsType', 'extends', 'properties', 'patternProperties', 'additionalProperties', 'items', 'additionalItems', 'allOf', 'anyOf', 'oneOf'];

/**
 * Returns a normalised copy of `schema` (the input is not changed). Recurses once per nesting level: callers pass
 * bundles of registry models, whose nesting the registry bounds.
 * @param unknownType - the TypeScript type for "any JSON value": `unknown` (default) or `any`.
 */
export function normalizeForTypescript(schema: unknown, unknownType: 'unknown' | 'any' = 'unknown'): Schema {
  const out = visit(schema, unknownType);
  if (isObjectSchema(out) && refsOnlyToDefinitions(out)) flagRequiredProperties(out, new WeakSet());
  return out;
}

/**
 * Speed, same output: json-schema-to-typescript decides whether a property is required with a linear search of the
 * parent's `required` array, once per property, which is quadratic in wide objects (110k properties of which 15k
 * required: seconds). It reads the draft-3 form first, `required: true` on the property's own schema, and then only
 * searches the parent's array when that is not `true`. So each required property whose schema can carry the flag
 * gets it and leaves its parent's array; the array keeps the others. A schema can carry the flag when:
 * - it has no `$ref` (the library's ref resolver would merge a sibling into a copy of the target, a new type);
 * - it is not OpenAPI `nullable` (the library moves every other keyword, the flag too, into an `anyOf` member);
 * - its own `required` array, if any, emptied completely (`true` then stands for it: its own properties are
 *   required only where flagged, which they all are);
 * - the name is not also a `patternProperties` key (the library asks the pattern too, under that name).
 * Done only when every `$ref` is `#` or `#/definitions/<name>` (`$defs`), as in a registry bundle: a reference into a
 * property's schema would carry the flag elsewhere.
 * @param emptied - schemas whose own `required` array emptied (or that have none): they may carry the flag.
 */
function flagRequiredProperties(node: Schema, emptied: WeakSet<Schema>): void {
  for (const [key, value] of Object.entries(node)) {
    const kind = keywordKind(key, value);
    if (kind === 'single' && isObjectSchema(value)) flagRequiredProperties(value, emptied);
    else if (kind === 'array') for (const v of value as unknown[]) isObjectSchema(v) && flagRequiredProperties(v, emptied);
    else if (kind === 'map') for (const v of Object.values(value as Schema)) isObjectSchema(v) && flagRequiredProperties(v, emptied);
  }
  const { required, properties, patternProperties } = node;
  if (Array.isArray(required) && isObjectSchema(properties)) {
    const rest: unknown[] = [];
    for (const name of required) {
      const child = typeof name === 'string' && Object.hasOwn(properties, name) ? properties[name] : undefined;
      const pattern = isObjectSchema(patternProperties) && typeof name === 'string' && Object.hasOwn(patternProperties, name);
      if (isObjectSchema(child) && emptied.has(child) && !pattern) child.required = true;
      else rest.push(name);
    }
    node.required = rest;
  }
  const own = node.required;
  if (!('$ref' in node) && node.nullable !== true && (own === undefined || (Array.isArray(own) && own.length === 0))) emptied.add(node);
}

/** Whether every `$ref` in `schema` is `#` or `#/definitions/<name>` / `#/$defs/<name>` (one segment). */
function refsOnlyToDefinitions(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.every(refsOnlyToDefinitions);
  if (!isObjectSchema(schema)) return true;
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$ref' && typeof value === 'string') {
      if (!/^#(\/(definitions|\$defs)\/[^/]+)?$/.test(value)) return false;
    } else if (typeof value === 'object' && value !== null && !refsOnlyToDefinitions(value)) {
      return false;
    }
  }
  return true;
}

function visit(node: unknown, unknownType: string): Schema {
  if (node === true) return { tsType: unknownType };
  if (node === false) return { tsType: 'never' };
  if (!isObjectSchema(node)) return node as Schema; // not a schema; the library reports it
  const out: Schema = {};
  for (const key in node) {
    const value = node[key];
    if (ASSERTION_ONLY.has(key) || (key === 'deprecated' && typeof value !== 'boolean')) continue;
    if (typeof value === 'object' && value !== null && !STRUCTURED_KEPT.has(key)) continue;
    out[key] = visitKeyword(key, value, unknownType);
  }
  if ('const' in out) {
    // `enum` next to `const` can only list more values: keeping it is wider, hence still sound.
    if (!('enum' in out)) out.enum = [out.const];
    delete out.const;
  }
  if ('then' in node && 'else' in node) {
    const branches = [visit(node.then, unknownType), visit(node.else, unknownType)];
    // A schema with its own anyOf must match both: the branches join through allOf then.
    if (Array.isArray(out.anyOf)) out.allOf = [...(Array.isArray(out.allOf) ? out.allOf : []), { anyOf: branches }];
    else out.anyOf = branches;
  }
  if (Array.isArray(out.prefixItems)) {
    out.additionalItems = out.items ?? true;
    out.items = out.prefixItems;
    delete out.prefixItems;
  } else if (Array.isArray(out.items) && !('additionalItems' in out)) {
    out.additionalItems = true;
  }
  if (isObjectSchema(out.patternProperties) && !('additionalProperties' in out)) out.additionalProperties = true;
  if (!SHAPING.some((key) => key in out)) out.tsType = unknownType;
  return out;
}

/** The value of one keyword with its subschemas normalised. */
function visitKeyword(key: string, value: unknown, unknownType: string): unknown {
  switch (keywordKind(key, value)) {
    case 'single':
      return typeof value === 'boolean' && BOOLEAN_KEPT.has(key) ? value : visit(value, unknownType);
    case 'array':
      return (value as unknown[]).map((v) => visit(v, unknownType));
    case 'map': {
      const map: Schema = {};
      for (const name in value as Schema) setOwn(map, name, visit((value as Schema)[name], unknownType));
      return map;
    }
    case 'none':
      return value;
  }
}

/** `target[key] = value` as an own property even for `__proto__` (a property may have that name). */
function setOwn(target: Schema, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
