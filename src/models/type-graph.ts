/**
 * Which generated types contain which: a change inside `Address` also changes the shape of `User` when `User`
 * holds an `Address`, so code that imports only `User` is reached by it. Built from a bundled schema (every `$ref`
 * local) the way json-schema-to-typescript names types: a root definition (`definitions` / `$defs`) becomes a type
 * named after its `title`, else its key; the root becomes the root type.
 */
import { parsePointer } from '../core/pointer.js';
import { MAX_BUNDLED_DEPTH, assertDepthWithinLimit } from './limits.js';

const CONTAINERS = ['definitions', '$defs'] as const;

/**
 * The type names whose generated code a change to `typeName` reaches: the type itself and every type that refers
 * to it, directly or through others (the root type included when the root reaches it). Names compare as written.
 * @param schemas - the bundled schemas of both sides of a diff (a removed type is found on the old side).
 * @param rootType - the name the root schema's type gets (its `title`, else the model name).
 * @returns a lookup; an unknown name returns just itself.
 * @throws MetarepoError (exit 2) for a schema nested deeper than {@link MAX_BUNDLED_DEPTH} levels (the walk recurses
 *   once per level; bundles of registry models never are).
 */
export function typesReaching(schemas: unknown[], rootType: string): (typeName: string) => string[] {
  const referrers = new Map<string, Set<string>>(); // type → the types that refer to it directly
  for (const schema of schemas) {
    if (!isObject(schema)) continue;
    assertDepthWithinLimit(schema, 'A bundled schema');
    const names = definitionNames(schema);
    const add = (from: string, node: unknown) => {
      for (const to of localRefs(node, names)) {
        if (to === from) continue;
        if (!referrers.has(to)) referrers.set(to, new Set());
        referrers.get(to)!.add(from);
      }
    };
    const { definitions: _d, $defs: _defs, ...rootOwn } = schema;
    add(rootType, rootOwn);
    for (const container of CONTAINERS) {
      const defs = schema[container];
      if (!isObject(defs)) continue;
      for (const [key, node] of Object.entries(defs)) add(names.get(`${container}/${key}`)!, node);
    }
  }
  return (typeName) => {
    const seen = new Set([typeName]);
    const queue = [typeName];
    while (queue.length > 0) {
      for (const from of referrers.get(queue.pop()!) ?? []) {
        if (seen.has(from)) continue;
        seen.add(from);
        queue.push(from);
      }
    }
    return [...seen];
  };
}

/** `definitions/<key>` or `$defs/<key>` → the generated type's name (its title, else the key). */
function definitionNames(schema: Record<string, unknown>): Map<string, string> {
  const names = new Map<string, string>();
  for (const container of CONTAINERS) {
    const defs = schema[container];
    if (!isObject(defs)) continue;
    for (const [key, node] of Object.entries(defs)) names.set(`${container}/${key}`, isObject(node) && typeof node.title === 'string' ? node.title : key);
  }
  return names;
}

/** The root definitions a subtree refers to by local `$ref` (`#/definitions/<key>…`, `#/$defs/<key>…`). */
function localRefs(node: unknown, names: Map<string, string>): Set<string> {
  const out = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!isObject(value)) return;
    const ref = value.$ref;
    if (typeof ref === 'string' && ref.startsWith('#/')) {
      const [container, key] = parsePointer(decodeFragment(ref.slice(1)));
      const name = names.get(`${container}/${key}`);
      if (name !== undefined) out.add(name);
    }
    for (const child of Object.values(value)) visit(child);
  };
  visit(node);
  return out;
}

/** A URI fragment's percent-encoding undone (`#/definitions/a%20b`); left as it is when malformed. */
function decodeFragment(fragment: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
