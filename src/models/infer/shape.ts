/**
 * The neutral form an inferred schema is worked on in: a root schema and named definitions, every local `$ref`
 * written `#/$defs/<name>` (or `#` for the root), whatever the draft. {@link toDocument} writes it in a draft.
 */
import { SUPPORTED_SCHEMA_URIS, type Draft } from '../meta-schema.js';

/** A JSON Schema node (objects only: inference never writes boolean schemas). */
export type Schema = Record<string, unknown>;

/** A schema as a root plus named definitions. */
export interface Shape {
  root: Schema;
  defs: Record<string, Schema>;
}

const DEFS_PREFIX = '#/$defs/';

/** The definition a local `$ref` names (`#/$defs/X` in the neutral form), `#` for the root, else undefined. */
export function refName(node: Schema): string | undefined {
  const ref = node.$ref;
  if (typeof ref !== 'string') return undefined;
  if (ref === '#') return '#';
  return ref.startsWith(DEFS_PREFIX) ? decodeURIComponent(ref.slice(DEFS_PREFIX.length)).replace(/~1/g, '/').replace(/~0/g, '~') : undefined;
}

/**
 * Reads a schema document into the neutral form: `definitions` and `$defs` become `defs`, their refs
 * `#/$defs/…`; a root that is only a `$ref` to a definition (as quicktype writes it) becomes that definition, and
 * references to it `#`.
 * @param title - the title the root gets when it has none.
 */
export function fromDocument(doc: Schema, title: string): Shape {
  const { $schema: _s, definitions, $defs, ...rest } = doc;
  const defs: Record<string, Schema> = { ...(definitions as Record<string, Schema> | undefined), ...($defs as Record<string, Schema> | undefined) };
  const rename = (ref: string): string => ref.replace(/^#\/definitions\//, DEFS_PREFIX);
  let root: Schema = rest;
  let rootName: string | undefined;
  const only = refName({ $ref: typeof rest.$ref === 'string' ? rename(rest.$ref) : undefined });
  if (only && only !== '#' && Object.keys(rest).length === 1 && defs[only]) {
    rootName = only;
    root = defs[only];
    delete defs[only];
  }
  const fix = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(fix);
    if (!node || typeof node !== 'object') return node;
    const out: Schema = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') {
        const r = rename(v);
        out.$ref = rootName && refName({ $ref: r }) === rootName ? '#' : r;
      } else setOwn(out, k, k === 'enum' || k === 'const' || k === 'default' || k === 'examples' ? v : fix(v));
    }
    return out;
  };
  const fixed = fix(root) as Schema;
  return { root: { title, ...fixed }, defs: Object.fromEntries(Object.entries(defs).map(([k, v]) => [k, fix(v) as Schema])) };
}

/** The order keywords are written in; others follow in their own order. */
const KEY_ORDER = ['$schema', '$id', 'title', 'description', '$ref', 'type', 'format', 'enum', 'const', 'properties', 'required', 'additionalProperties', 'items', 'anyOf', 'oneOf', 'allOf'];

/**
 * Writes the neutral form as a document of `draft`: `$schema` first, keywords in a fixed order, definitions sorted
 * by name under `$defs` (2019-09, 2020-12) or `definitions` (earlier drafts), refs rewritten to match. Definitions
 * no `$ref` reaches are dropped.
 */
export function toDocument(shape: Shape, draft: Draft, extra: Schema = {}): Schema {
  const keyword = draft === '2019-09' || draft === '2020-12' ? '$defs' : 'definitions';
  const used = reachable(shape);
  const write = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(write);
    if (!node || typeof node !== 'object') return node;
    const out: Schema = {};
    const keys = Object.keys(node).sort((a, b) => rank(a) - rank(b));
    for (const k of keys) {
      const v = (node as Schema)[k];
      if (k === '$ref' && typeof v === 'string' && v.startsWith(DEFS_PREFIX)) out.$ref = `#/${keyword}/${v.slice(DEFS_PREFIX.length)}`;
      else if (k === 'properties' && v && typeof v === 'object') out[k] = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, write(s)]));
      else setOwn(out, k, k === 'enum' || k === 'const' || k === 'default' || k === 'examples' ? v : write(v));
    }
    return out;
  };
  const doc = write({ ...extra, ...shape.root }) as Schema;
  const defs = Object.keys(shape.defs).filter((k) => used.has(k)).sort();
  return { $schema: SUPPORTED_SCHEMA_URIS[draft], ...doc, ...(defs.length ? { [keyword]: Object.fromEntries(defs.map((k) => [k, write(shape.defs[k])])) } : {}) };
}

/**
 * Sets an own property: keys come from samples, and `out[k] = v` with k `__proto__` would set the prototype instead
 * (`Object.fromEntries` and spreads define own properties already).
 */
export function setOwn(out: Schema, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

function rank(key: string): number {
  const i = KEY_ORDER.indexOf(key);
  return i < 0 ? KEY_ORDER.length : i;
}

/** The names of the definitions reachable from the root through `$ref`s. */
export function reachable(shape: Shape): Set<string> {
  const seen = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const name = refName(node as Schema);
    if (name && name !== '#' && !seen.has(name) && shape.defs[name]) {
      seen.add(name);
      visit(shape.defs[name]);
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'enum' && k !== 'const' && k !== 'default' && k !== 'examples') visit(v);
  };
  visit(shape.root);
  return seen;
}
