/**
 * Breaks the reference cycles that send quicktype into unbounded recursion: a schema that reaches itself through
 * `$ref`, `anyOf`, `oneOf` and `allOf` alone, without an object property, array item or other keyword that nests
 * the instance one level deeper in between ("unguarded": `{"oneOf":[{"$ref":"#"},{"type":"string"}]}`, or
 * `a = oneOf[$ref b, string]` with `b = oneOf[$ref a, integer]`). quicktype resolves such unions by expanding their
 * members, which never ends: it overflows any stack (measured: at 4 MB in a worker, at 16 MB raw; at 64 MB it runs
 * out of time instead). Cycles through `properties` or `items` are ordinary recursive types and are left alone.
 *
 * The rewrite follows the least fixed point, the only reading under which an unguarded cycle describes anything (a
 * validator following it would itself recurse without end): `a = anyOf[a, B]` is `B`. Each schema on an unguarded
 * cycle gets its members that refer into the cycle inlined, except a reference back to a schema being inlined on the
 * current path, which adds no instances and is dropped (an `allOf` member so dropped only widens). `oneOf` keeps its
 * keyword, but quicktype types it as a union anyway. Inlining repeats the cycle's members once per path; past
 * {@link INLINE_BUDGET} inlines in one schema the remaining in-cycle references become `{}` (any value), which widens
 * the type instead of growing the document further.
 */
import { isObjectSchema } from 'metarepo/plugin';

type Schema = Record<string, unknown>;

const UNIONS = ['anyOf', 'oneOf', 'allOf'] as const;
/** Most inlines per rewritten schema; real cycles of this kind span a few schemas, so this is only a backstop. */
const INLINE_BUDGET = 2000;
const ROOT = '#';

/**
 * `schema` with every unguarded cycle broken as described in the module comment; the same object when it has none.
 * @param schema - a bundled schema: `$ref`s are `#` or `#/definitions/<name>` (others are left as they are).
 */
export function breakUnguardedCycles(schema: Schema): Schema {
  const definitions = isObjectSchema(schema.definitions) ? (schema.definitions as Record<string, unknown>) : {};
  const schemaOf = (key: string): Schema | undefined => {
    const s = key === ROOT ? schema : definitions[key];
    return isObjectSchema(s) ? s : undefined;
  };
  const edges = new Map<string, Set<string>>();
  for (const key of [ROOT, ...Object.keys(definitions)]) edges.set(key, unguardedTargets(schemaOf(key)));
  const reach = reachability(edges);
  const cyclic = [...edges.keys()].filter((k) => reach(k).has(k));
  if (cyclic.length === 0) return schema;

  const sameCycle = (a: string, b: string): boolean => reach(a).has(b) && reach(b).has(a);
  const rewrite = (key: string): Schema => {
    let budget = INLINE_BUDGET;
    const expand = (node: Schema, stack: string[]): Schema => {
      const out: Schema = {};
      for (const [keyword, value] of Object.entries(node)) {
        if (keyword === '$ref' && typeof value === 'string') continue;
        if ((UNIONS as readonly string[]).includes(keyword) && Array.isArray(value)) {
          const members = value.flatMap((m): unknown[] => {
            if (!isObjectSchema(m)) return [m];
            const target = targetOf(m);
            if (target !== undefined && stack.includes(target) && Object.keys(m).length === 1) return []; // back to the path
            return [expand(m, stack)];
          });
          if (members.length > 0) out[keyword] = members;
          continue;
        }
        out[keyword] = value;
      }
      const target = targetOf(node);
      if (target === undefined) {
        if (typeof node.$ref === 'string') out.$ref = node.$ref;
        return out;
      }
      if (!sameCycle(key, target)) {
        out.$ref = node.$ref;
        return out;
      }
      if (stack.includes(target) || budget-- <= 0) return out; // a reference back, or past the budget: widened
      const { definitions: _definitions, $schema: _schema, ...inlined } = schemaOf(target) ?? {};
      const body = expand(inlined, [...stack, target]);
      out.allOf = [...(Array.isArray(out.allOf) ? out.allOf : []), body];
      return out;
    };
    const { definitions: own, ...rest } = schemaOf(key)!;
    const rewritten = expand(rest, [key]);
    return own === undefined ? rewritten : { ...rewritten, definitions: own };
  };

  const rewritten = new Map(cyclic.map((k) => [k, rewrite(k)]));
  const out: Schema = rewritten.get(ROOT) ?? { ...schema };
  if (isObjectSchema(schema.definitions)) {
    out.definitions = Object.fromEntries(Object.entries(definitions).map(([name, d]) => [name, rewritten.get(name) ?? d]));
  }
  return out;
}

/** `#` for the root, the definition name for `#/definitions/<name>`, undefined for any other or no `$ref`. */
function targetOf(node: Schema): string | undefined {
  const ref = node.$ref;
  if (typeof ref !== 'string') return undefined;
  if (ref === ROOT) return ROOT;
  const m = /^#\/definitions\/([^/]+)$/.exec(ref);
  return m ? decodeURIComponent(m[1]!).replace(/~1/g, '/').replace(/~0/g, '~') : undefined;
}

/** The schemas `node` refers to through `$ref` and union members only (not through properties, items, ...). */
function unguardedTargets(node: Schema | undefined): Set<string> {
  const out = new Set<string>();
  const walk = (n: unknown): void => {
    if (!isObjectSchema(n)) return;
    const target = targetOf(n);
    if (target !== undefined) out.add(target);
    for (const keyword of UNIONS) if (Array.isArray(n[keyword])) for (const m of n[keyword]) walk(m);
  };
  walk(node);
  return out;
}

/** Memoised transitive successors (excluding the start unless it is on a cycle) of each node of `edges`. */
function reachability(edges: Map<string, Set<string>>): (key: string) => Set<string> {
  const memo = new Map<string, Set<string>>();
  return (key) => {
    let seen = memo.get(key);
    if (seen) return seen;
    seen = new Set<string>();
    const todo = [...(edges.get(key) ?? [])];
    while (todo.length > 0) {
      const k = todo.pop()!;
      if (seen.has(k)) continue;
      seen.add(k);
      todo.push(...(edges.get(k) ?? []));
    }
    memo.set(key, seen);
    return seen;
  };
}
