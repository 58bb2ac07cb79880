/**
 * How a reference page words a schema: its type as the TypeScript generator writes it, and its constraints in
 * plain English. Both read one (bundled) subschema; neither follows `$ref`s, which stay named types.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/**
 * json-schema-to-typescript's own identifier rule (the name it gives a titled schema or a definition), taken from
 * the library rather than copied, so the page's type names are the generated code's names.
 */
const { toSafeString } = require('json-schema-to-typescript/dist/src/utils.js') as { toSafeString: (name: string) => string };

type Schema = Record<string, unknown>;

const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The definition a local `$ref` names (`#/definitions/address` → `address`), or undefined for any other reference. */
export function refName(ref: unknown): string | undefined {
  if (typeof ref !== 'string') return undefined;
  const match = /^#\/(?:definitions|\$defs)\/([^/]+)$/.exec(ref);
  return match ? decodeURIComponent(match[1]!.replace(/~1/g, '/').replace(/~0/g, '~')) : undefined;
}

/**
 * The TypeScript name json-schema-to-typescript gives a definition: its `title`, else its key, made an
 * identifier (`user-profile` → `UserProfile`).
 */
export function typeNameOf(key: string, schema: unknown): string {
  const title = isSchema(schema) && typeof schema.title === 'string' ? schema.title : key;
  return toSafeString(title) || 'NoName';
}

/**
 * The type of `schema` written as the TypeScript generator writes it: `string`, `number` (for `integer` too),
 * `"a" | "b"` for an enum, `Address` for a reference to definition `address` (named by {@link typeNameOf}),
 * `T[]`, unions for `anyOf`/`oneOf`/type lists, `{ [k: string]: T }` for maps, `unknown` for an open schema.
 * @param definitions - the bundle's `definitions`, to name referenced types by their title.
 */
export function typeText(schema: unknown, definitions: Schema = {}): string {
  if (schema === true || (isSchema(schema) && Object.keys(schema).length === 0)) return 'unknown';
  if (schema === false) return 'never';
  if (!isSchema(schema)) return 'unknown';
  if (schema.$ref === '#') return typeof schema.title === 'string' ? toSafeString(schema.title) : 'Root';
  const ref = refName(schema.$ref);
  if (ref !== undefined) return typeNameOf(ref, definitions[ref]);
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  for (const key of ['oneOf', 'anyOf'] as const) {
    if (Array.isArray(schema[key])) return union((schema[key] as unknown[]).map((s) => typeText(s, definitions)));
  }
  if (Array.isArray(schema.allOf)) return (schema.allOf as unknown[]).map((s) => typeText(s, definitions)).join(' & ');
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : inferredTypes(schema);
  if (types.length === 0) return 'unknown';
  return union(types.map((t) => oneType(t, schema, definitions)));
}

function inferredTypes(schema: Schema): string[] {
  if (isSchema(schema.properties) || isSchema(schema.additionalProperties)) return ['object'];
  if ('items' in schema || 'prefixItems' in schema) return ['array'];
  return [];
}

function oneType(type: string, schema: Schema, definitions: Schema): string {
  switch (type) {
    case 'integer':
    case 'number':
      return 'number';
    case 'string':
    case 'boolean':
    case 'null':
      return type;
    case 'array': {
      const items = schema.items;
      if (Array.isArray(items)) return `[${items.map((s) => typeText(s, definitions)).join(', ')}]`;
      const item = items === undefined ? 'unknown' : typeText(items, definitions);
      return /[|& ]/.test(item) ? `(${item})[]` : `${item}[]`;
    }
    case 'object': {
      if (typeof schema.title === 'string') return toSafeString(schema.title);
      if (isSchema(schema.properties) && Object.keys(schema.properties).length > 0) return '{ … }';
      const extra = schema.additionalProperties;
      return `{ [k: string]: ${isSchema(extra) ? typeText(extra, definitions) : 'unknown'} }`;
    }
    default:
      return 'unknown';
  }
}

function union(parts: string[]): string {
  return [...new Set(parts)].join(' | ');
}

/** Keyword → its constraint in words; the value is the keyword's value. Order is the page's order. */
const CONSTRAINTS: Array<[string, (v: unknown) => string]> = [
  ['minLength', (v) => `at least ${v} character${v === 1 ? '' : 's'}`],
  ['maxLength', (v) => `at most ${v} character${v === 1 ? '' : 's'}`],
  ['pattern', (v) => `matches \`${String(v)}\``],
  ['format', (v) => `format ${String(v)}`],
  ['minimum', (v) => `≥ ${v}`],
  ['exclusiveMinimum', (v) => (typeof v === 'number' ? `> ${v}` : '')],
  ['maximum', (v) => `≤ ${v}`],
  ['exclusiveMaximum', (v) => (typeof v === 'number' ? `< ${v}` : '')],
  ['multipleOf', (v) => `a multiple of ${v}`],
  ['minItems', (v) => `at least ${v} item${v === 1 ? '' : 's'}`],
  ['maxItems', (v) => `at most ${v} item${v === 1 ? '' : 's'}`],
  ['uniqueItems', (v) => (v === true ? 'items unique' : '')],
  ['minProperties', (v) => `at least ${v} propert${v === 1 ? 'y' : 'ies'}`],
  ['maxProperties', (v) => `at most ${v} propert${v === 1 ? 'y' : 'ies'}`],
  ['additionalProperties', (v) => (v === false ? 'no other properties' : '')],
  ['deprecated', (v) => (v === true ? 'deprecated' : '')],
  ['readOnly', (v) => (v === true ? 'read-only' : '')],
  ['writeOnly', (v) => (v === true ? 'write-only' : '')],
];

/**
 * The validation keywords of `schema` in words, e.g. `["at least 1 character", "format email"]`; for an array the
 * item's constraints follow with "each item: ". Draft-04's boolean `exclusiveMinimum`/`exclusiveMaximum` turn the
 * bound strict.
 */
export function constraintWords(schema: unknown): string[] {
  if (!isSchema(schema)) return [];
  const out: string[] = [];
  for (const [keyword, word] of CONSTRAINTS) {
    if (!(keyword in schema)) continue;
    let text = word(schema[keyword]);
    if (keyword === 'minimum' && schema.exclusiveMinimum === true) text = `> ${schema.minimum}`;
    if (keyword === 'maximum' && schema.exclusiveMaximum === true) text = `< ${schema.maximum}`;
    if (text) out.push(text);
  }
  if (isSchema(schema.items)) {
    const inner = constraintWords(schema.items);
    if (inner.length) out.push(`each item: ${inner.join(', ')}`);
  }
  return out;
}
