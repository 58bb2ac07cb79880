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
 * - object and array keywords without `type` apply only to objects and arrays: `{ properties }` becomes a union of
 *   the object type and every other kind of JSON value (see onlyForTheirKinds); `additionalItems` without an
 *   `items` array is dropped (it applies to nothing);
 * - keywords beside `$ref` are dropped in draft-07 and before and joined through `allOf` from 2019-09 on (the
 *   library merged them into a copy of the target); `required` names missing from `properties` become properties
 *   of type unknown; `enum` values and `default`s holding a `$ref` key stay data; optional properties named after
 *   `Object.prototype` members also admit `Function` (TypeScript compares them with the inherited member).
 * Open objects for absent `additionalProperties` are the library option `additionalProperties: true`.
 * Measured on the JSON Schema Test Suite by tests/unit/codegen/suite-soundness.test.ts and bench/soundness.mjs.
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
  const draft = isObjectSchema(schema) && typeof schema.$schema === 'string' ? schema.$schema : '';
  const out = visit(schema, { unknownType, refSiblingsApply: /\/draft\/20(19-09|20-12)\//.test(draft) });
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

/** How to read the document being normalised. */
interface Context {
  /** The TypeScript type for "any JSON value": `unknown` or `any`. */
  unknownType: string;
  /**
   * Whether keywords beside `$ref` apply (2019-09 and 2020-12, where `$ref` is one applicator among others) or
   * are ignored (draft-07 and before, §8.3: "All other properties in a "$ref" object MUST be ignored").
   */
  refSiblingsApply: boolean;
}

function visit(node: unknown, ctx: Context): Schema {
  if (node === true) return { tsType: ctx.unknownType };
  if (node === false) return { tsType: 'never' };
  if (!isObjectSchema(node)) return node as Schema; // not a schema; the library reports it
  let out: Schema = {};
  for (const key in node) {
    const value = node[key];
    if (ASSERTION_ONLY.has(key) || (key === 'deprecated' && typeof value !== 'boolean')) continue;
    if (typeof value === 'object' && value !== null && !STRUCTURED_KEPT.has(key)) continue;
    out[key] = visitKeyword(key, value, ctx);
  }
  if ('const' in out) {
    // `enum` next to `const` can only list more values: keeping it is wider, hence still sound.
    if (!('enum' in out)) out.enum = [out.const];
    delete out.const;
  }
  hideRefsInData(out);
  if ('then' in node && 'else' in node) {
    const branches = [visit(node.then, ctx), visit(node.else, ctx)];
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
  } else if (!Array.isArray(out.items)) {
    delete out.additionalItems; // applies only beside an array of `items` (draft-07 §9.3.1.2)
  }
  if (isObjectSchema(out.patternProperties) && !('additionalProperties' in out)) out.additionalProperties = true;
  declareRequiredNames(out, ctx);
  if (isObjectSchema(out.properties)) admitInheritedMembers(out.properties, out.required);
  if (typeof out.$ref === 'string') out = withRefSiblings(out, ctx);
  else out = onlyForTheirKinds(out, ctx);
  if (!SHAPING.some((key) => key in out)) out.tsType = ctx.unknownType;
  return out;
}

/**
 * Keywords json-schema-to-typescript types as an object, and the ones it types as an array (`minItems` and
 * `maxItems` as tuples up to its `maxItems` option, 20).
 */
const OBJECT_KEYWORDS = ['properties', 'patternProperties', 'additionalProperties', 'required'];
const ARRAY_KEYWORDS = ['items', 'additionalItems', 'minItems', 'maxItems'];

/**
 * Object keywords apply only to objects, array keywords only to arrays (draft-07 §6.5, §6.4): without `type`, a
 * schema with `properties` also accepts `12` and `[]`. The library would type it as an object all the same, so the
 * keywords move into union members of their own type, beside one for every other kind of JSON value:
 * `{ properties }` becomes `anyOf: [{ type: object, properties }, { tsType: string | number | boolean | null |
 * unknown[] }]`. A schema with `type`, `enum` or a `tsType` already says which kinds it accepts; one whose
 * `allOf`, `anyOf` or `oneOf` also shape it keeps them, joined with the new union through `allOf`. (`$ref` beside
 * these keywords is {@link withRefSiblings}'s.) Mutates and returns `out`.
 */
function onlyForTheirKinds(out: Schema, ctx: Context): Schema {
  // `required: true` is the draft-03 flag of a property (see flagRequiredProperties), not an object keyword.
  const objectKeys = OBJECT_KEYWORDS.filter((key) => key in out && (key !== 'required' || Array.isArray(out.required)));
  const arrayKeys = ARRAY_KEYWORDS.filter((key) => key in out);
  if ('type' in out || 'enum' in out || 'tsType' in out) return out;
  if (objectKeys.length === 0 && arrayKeys.length === 0) return out;
  const members: Schema[] = [];
  if (objectKeys.length > 0) members.push({ type: 'object', ...take(out, objectKeys) });
  if (arrayKeys.length > 0) members.push({ type: 'array', ...take(out, arrayKeys) });
  const others = ['string', 'number', 'boolean', 'null'];
  if (objectKeys.length === 0) others.push(`{ [k: string]: ${ctx.unknownType} }`);
  if (arrayKeys.length === 0) others.push(`${ctx.unknownType}[]`);
  members.push({ tsType: others.join(' | ') });
  if (['allOf', 'anyOf', 'oneOf'].some((key) => key in out)) out.allOf = [...(Array.isArray(out.allOf) ? out.allOf : []), { anyOf: members }];
  else out.anyOf = members;
  return out;
}

/** Removes `keys` from `schema` and returns them with their values. */
function take(schema: Schema, keys: string[]): Schema {
  const taken: Schema = {};
  for (const key of keys) {
    if (!(key in schema)) continue;
    taken[key] = schema[key];
    delete schema[key];
  }
  return taken;
}

/** Keywords beside `$ref` that never change a type: they stay beside it in every draft. */
const REF_COMPANIONS = new Set(['$ref', 'title', 'description', 'definitions', '$defs', '$schema', 'default', 'deprecated', 'readOnly', 'writeOnly']);

/**
 * A schema with `$ref` and other keywords. Draft-07 and before ignore the others; the library would instead merge
 * them into a copy of the target (e.g. `maxItems: 2` turned a referenced array type into a tuple of at most two),
 * so they are dropped. From 2019-09 on they apply beside the reference: they move into `allOf` with it.
 */
function withRefSiblings(out: Schema, ctx: Context): Schema {
  const siblings = Object.keys(out).filter((key) => !REF_COMPANIONS.has(key));
  if (siblings.length === 0) return out;
  const applied = take(out, siblings);
  if (!ctx.refSiblingsApply) return out;
  const { $ref, ...kept } = out;
  const rest = onlyForTheirKinds(applied, ctx);
  if (!SHAPING.some((key) => key in rest)) return out; // only assertions the type cannot express
  return { ...kept, allOf: [{ $ref }, rest] };
}

/**
 * A `required` name that `properties` does not list is still a key every object instance has; the library ignores
 * it, so it becomes a property of type unknown (e.g. `{ $ref: L, required: [x] }` in 2020-12 types `x` as
 * required). Only where no `patternProperties` or `additionalProperties` schema constrains that key's value.
 */
function declareRequiredNames(out: Schema, ctx: Context): void {
  const { required, patternProperties, additionalProperties } = out;
  if (!Array.isArray(required) || patternProperties !== undefined || (additionalProperties !== undefined && additionalProperties !== true)) return;
  const properties = isObjectSchema(out.properties) ? out.properties : {};
  for (const name of required) {
    if (typeof name === 'string' && !Object.hasOwn(properties, name)) setOwn(properties, name, { tsType: ctx.unknownType });
  }
  if (Object.keys(properties).length > 0) out.properties = properties;
}

/**
 * Names of `Object.prototype`'s members. TypeScript compares an object literal's inherited members with optional
 * properties of those names (`{}` has a `toString` whose `length` is a number), so such a property also admits
 * `Function`: JSON has no functions, so no instance gains anything by it.
 */
const INHERITED = new Set(['constructor', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', 'toString', 'valueOf']);

/** Wraps the optional ones among `properties` named in {@link INHERITED} as `anyOf: [schema, Function]`, in place. */
function admitInheritedMembers(properties: Schema, required: unknown): void {
  for (const name of Object.keys(properties)) {
    if (!INHERITED.has(name) || (Array.isArray(required) && required.includes(name))) continue;
    const schema = properties[name] as Schema;
    if (schema.tsType === 'unknown' || schema.tsType === 'any') continue;
    properties[name] = { anyOf: [schema, { tsType: 'Function' }] };
  }
}

/**
 * The library's reference resolver follows every `$ref` key in the document, data included: an `enum` value
 * `{"$ref": "#/definitions/a"}` was replaced by that definition (or failed as a missing pointer). Such an enum
 * becomes the union of its values' literal types (as the library writes them: JSON text), and such a `default`
 * (an annotation) is dropped.
 */
function hideRefsInData(out: Schema): void {
  if (Array.isArray(out.enum) && out.enum.some(holdsRef)) {
    out.tsType = `(${out.enum.map((value) => JSON.stringify(value)).join(' | ')})`;
    delete out.enum;
  }
  if (holdsRef(out.default)) delete out.default;
}

/** Whether a JSON value holds an object with a `$ref` key, at any depth. */
function holdsRef(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(holdsRef);
  if (value === null || typeof value !== 'object') return false;
  return '$ref' in value || Object.values(value).some(holdsRef);
}

/** The value of one keyword with its subschemas normalised. */
function visitKeyword(key: string, value: unknown, ctx: Context): unknown {
  switch (keywordKind(key, value)) {
    case 'single':
      return typeof value === 'boolean' && BOOLEAN_KEPT.has(key) ? value : visit(value, ctx);
    case 'array':
      return (value as unknown[]).map((v) => visit(v, ctx));
    case 'map': {
      const map: Schema = {};
      for (const name in value as Schema) setOwn(map, name, visit((value as Schema)[name], ctx));
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
