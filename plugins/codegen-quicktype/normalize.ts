/**
 * Rewrites a bundled JSON Schema before quicktype sees it, so that quicktype accepts real-world
 * schemas and its types accept every instance the schema accepts. Each rule only widens the type.
 * Checked against quicktype-core 26:
 * - `format` values that quicktype turns into their own types (`date`, `time`, `date-time`, `uuid`,
 *   `uri`, `integer`, `boolean`; its `transformedStringTypeTargetTypeKinds`) are removed, so those
 *   strings stay strings. quicktype does not intersect such a type with a plain string: `allOf` of
 *   `{ type: string, format: date-time }` and `{ type: string }` (octokit's `committer.date` inside
 *   the `status` event's `author`) made an empty union ("Trying to make an empty union"). Its
 *   converters also reject strings outside the format, which draft-07 leaves optional to assert.
 * - boolean subschemas become `{}`, except under `additionalProperties`/`additionalItems` where
 *   quicktype reads `false`; quicktype rejects `false` ("Schema "false" is not supported").
 * - `const` becomes a one-value `enum`, which quicktype types for every JSON scalar (a lone
 *   `const: null` made an empty union);
 * - an `enum` holding an object or array, and an empty `enum` or `type` list, are removed: quicktype
 *   cannot type them and fails instead;
 * - reference cycles through `$ref`/`anyOf`/`oneOf`/`allOf` alone, on which quicktype recursed until the stack
 *   overflowed, are broken ({@link breakUnguardedCycles}).
 */
import { isObjectSchema, keywordKind } from 'metarepo/plugin';
import { breakUnguardedCycles } from './cycles.js';

type Schema = Record<string, unknown>;

/** JSON Schema formats quicktype maps to non-string types (quicktype-core src/Type/TransformedStringType.ts). */
const TRANSFORMED_FORMATS = new Set(['date', 'time', 'date-time', 'uuid', 'uri', 'integer', 'boolean']);
/** Keywords whose boolean value quicktype understands. */
const BOOLEAN_KEPT = new Set(['additionalProperties', 'additionalItems']);

/** Returns a normalised copy of `schema` (the input is not changed). */
export function normalizeForQuicktype(schema: unknown): Schema {
  return breakUnguardedCycles(visit(schema));
}

function visit(node: unknown): Schema {
  if (typeof node === 'boolean') return {};
  if (!isObjectSchema(node)) return node as Schema; // not a schema; quicktype reports it
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'format' && typeof value === 'string' && TRANSFORMED_FORMATS.has(value)) continue;
    if ((key === 'enum' || key === 'type') && Array.isArray(value) && value.length === 0) continue;
    out[key] = visitKeyword(key, value);
  }
  if ('const' in out) {
    // `enum` next to `const` can only list more values: keeping it is wider, hence still sound.
    if (!('enum' in out)) out.enum = [out.const];
    delete out.const;
  }
  if (Array.isArray(out.enum) && out.enum.some((v) => typeof v === 'object' && v !== null)) delete out.enum;
  return out;
}

/** The value of one keyword with its subschemas normalised. */
function visitKeyword(key: string, value: unknown): unknown {
  switch (keywordKind(key, value)) {
    case 'single':
      return typeof value === 'boolean' && BOOLEAN_KEPT.has(key) ? value : visit(value);
    case 'array':
      return (value as unknown[]).map(visit);
    case 'map':
      // Draft-07 `dependencies` values may be property-name arrays, which are not schemas.
      return Object.fromEntries(Object.entries(value as Schema).map(([name, v]) => [name, Array.isArray(v) ? v : visit(v)]));
    case 'none':
      return value;
  }
}
