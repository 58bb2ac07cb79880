/**
 * Finds where a schema allows no value at all in the way quicktype fails on ("Trying to make an empty union"): an
 * object whose own `properties` and its `allOf` members' `properties` give one property `type`s with nothing in
 * common (`{"allOf":[{"properties":{"a":{"type":"string"}}}],"properties":{"a":{"type":"boolean"}}}`), or a schema
 * whose own `type` and its `allOf` members' have nothing in common. Such a schema is valid, but no instance has that
 * property (or is that schema), and quicktype cannot express a type without values. Local `$ref`s
 * (`#/definitions/x`, `#/$defs/x`, as in a bundle) are followed one step into `allOf` members.
 */
import { isObjectSchema } from 'metarepo/plugin';

type Schema = Record<string, unknown>;

/** JSON types, with `integer` also a `number` (a number type admits integers). */
function typesOf(schema: unknown): Set<string> | undefined {
  if (!isObjectSchema(schema)) return undefined;
  const t = schema.type;
  const list = typeof t === 'string' ? [t] : Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string') : undefined;
  return list ? new Set(list) : undefined;
}

function intersect(a: Set<string>, b: Set<string>): Set<string> {
  const out = new Set<string>();
  for (const t of a) {
    if (b.has(t)) out.add(t);
    else if (t === 'integer' && b.has('number')) out.add('integer');
    else if (t === 'number' && b.has('integer')) out.add('integer');
  }
  return out;
}

/**
 * The JSON pointer of the first subschema (document order) that allows no value as described above, with the
 * conflicting types; undefined when there is none.
 * @param root - a bundled schema (only local references).
 */
export function findImpossible(root: Schema): { pointer: string; types: string[] } | undefined {
  const resolve = (node: unknown): unknown => {
    if (!isObjectSchema(node) || typeof node.$ref !== 'string') return node;
    const m = /^#\/(definitions|\$defs)\/([^/]+)$/.exec(node.$ref);
    const defs = m ? root[m[1]!] : undefined;
    return m && isObjectSchema(defs) ? defs[decodeURIComponent(m[2]!).replace(/~1/g, '/').replace(/~0/g, '~')] : node;
  };
  const seen = new Set<unknown>();
  const walk = (node: unknown, pointer: string): { pointer: string; types: string[] } | undefined => {
    if (!isObjectSchema(node) || seen.has(node)) return undefined;
    seen.add(node);
    const members = Array.isArray(node.allOf) ? node.allOf.map(resolve) : [];
    const parts = [node, ...members];
    const conflict = conflictOf(parts.map(typesOf));
    if (conflict) return { pointer, types: conflict };
    const names = new Set(parts.flatMap((p) => (isObjectSchema(p) && isObjectSchema(p.properties) ? Object.keys(p.properties) : [])));
    for (const name of names) {
      const schemas = parts.map((p) => (isObjectSchema(p) && isObjectSchema(p.properties) ? resolve(p.properties[name]) : undefined));
      const found = conflictOf(schemas.map(typesOf));
      if (found) return { pointer: `${pointer}/properties/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`, types: found };
    }
    for (const [key, value] of Object.entries(node)) {
      const at = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (Array.isArray(value)) {
        for (const [i, v] of value.entries()) {
          const r = walk(v, `${at}/${i}`);
          if (r) return r;
        }
      } else if (isObjectSchema(value)) {
        const r = walk(value, at);
        if (r) return r;
      }
    }
    return undefined;
  };
  return walk(root, '');
}

/** The declared type sets when together they admit no type, else undefined. */
function conflictOf(sets: Array<Set<string> | undefined>): string[] | undefined {
  const declared = sets.filter((s): s is Set<string> => s !== undefined);
  if (declared.length < 2) return undefined;
  let common = declared[0]!;
  for (const s of declared.slice(1)) common = intersect(common, s);
  return common.size === 0 ? [...new Set(declared.flatMap((s) => [...s]))] : undefined;
}
