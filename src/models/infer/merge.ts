/**
 * Refinement: widening an existing schema so that it also accepts newly inferred data, without narrowing it. What
 * the existing schema says stays (titles, descriptions, constraints, its definitions' names) unless the new data
 * contradicts it; then only the contradicted part is widened. See docs/model-infer.md ("Refining a model").
 */
import { isDeepStrictEqual } from 'node:util';
import { ENUM_RULE } from './rules.js';
import type { NodeStats } from './rules.js';
import { refName, setOwn, type Schema, type Shape } from './shape.js';
import { instanceAjv } from './verify.js';
import type { Draft } from '../meta-schema.js';

/** Assertion keywords kept from the existing schema only while every new value at the node satisfies them. */
const CHECKED_KEYWORDS = ['format', 'const', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties'];

/**
 * Widens `old` to accept what `fresh` describes. Node by node, following the structure of both:
 * - equal nodes stay; two nodes of one type merge: an object keeps every property of both (merged where both have
 *   it), `required` keeps only properties both require, a closed object stays closed; an array merges `items`;
 * - a scalar keeps its `enum` while the new values are in it, else the new values join it while the set stays within
 *   {@link ENUM_RULE}`.maxDistinct` (else `enum` goes); `format`, `pattern`, bounds and the like stay while every
 *   new value satisfies them (checked with ajv);
 * - `integer` meeting `number` becomes `number`; other scalar types join the `type` list; any other two types
 *   become an `anyOf` of both;
 * - definitions are matched by name: a `$ref` on either side reaches the definition, which is merged in place, so
 *   the existing names stay.
 * @param stats - what the new samples put at each node of `fresh` (from `collectStats`); absent for a schema from
 *   a TypeScript type, whose enums and formats then merge keyword by keyword.
 * @param draft - the draft of `old` (the ajv class that checks kept keywords).
 * @returns a new shape; neither input is changed.
 */
export function widen(old: Shape, fresh: Shape, stats: Map<Schema, NodeStats> | undefined, draft: Draft): Shape {
  return new Widener(old, fresh, stats, draft).run();
}

class Widener {
  private readonly defs: Record<string, Schema>;
  /** Definitions being merged, with the incoming nodes in progress (a recursive type meets itself). */
  private readonly busy = new Map<string, Set<Schema>>();

  constructor(
    private readonly old: Shape,
    private readonly fresh: Shape,
    private readonly stats: Map<Schema, NodeStats> | undefined,
    private readonly draft: Draft,
  ) {
    this.defs = { ...old.defs };
  }

  run(): Shape {
    const root = this.merge(this.old.root, this.fresh.root);
    return { root, defs: this.defs };
  }

  private merge(a: Schema, b: Schema): Schema {
    // Equal nodes stay, unless they hold references: the definitions named alike may differ.
    if (isDeepStrictEqual(a, b) && !hasRef(b)) return a;
    const an = refName(a);
    const bn = refName(b);
    if (an === '#' && bn === '#') return a;
    if (an !== undefined && an !== '#') {
      this.mergeDef(an, bn === undefined ? b : bn === '#' ? this.fresh.root : this.fresh.defs[bn]);
      return a;
    }
    if (bn !== undefined && an === undefined && bn !== '#') {
      const target = this.fresh.defs[bn];
      // An inline node meeting a reference: merged with what it names, unless that is already in progress.
      return target && !this.isBusy(`inline:${bn}`, target) ? this.during(`inline:${bn}`, target, () => this.merge(a, target)) : this.union(a, b);
    }
    if (an !== undefined || bn !== undefined) return this.union(a, b); // the root met inline, or a ref met the root
    if (Array.isArray(a.anyOf)) return this.intoUnion(a, b);
    if (Array.isArray(b.anyOf)) return (b.anyOf as Schema[]).reduce((acc, branch) => this.merge(acc, branch), a);
    const ta = types(a);
    const tb = types(b);
    if (!ta) return a; // no type: any value
    if (!tb) return this.union(a, b);
    const single = ta.length === 1 && tb.length === 1 ? (ta[0] === tb[0] ? ta[0] : undefined) : undefined;
    if (single === 'object') return this.mergeObject(a, b);
    if (single === 'array') return this.mergeArray(a, b);
    if (tb.every((t) => ta.includes(t) || (t === 'integer' && ta.includes('number'))) || tb.every((t) => SCALARS.has(t)) && ta.every((t) => SCALARS.has(t))) {
      return this.mergeScalar(a, b, tb);
    }
    return this.union(a, b);
  }

  /** Merges an incoming node into definition `name` of the result (copying it in when `old` has no such name). */
  private mergeDef(name: string, incoming: Schema | undefined): void {
    if (!incoming || this.isBusy(name, incoming)) return;
    this.during(name, incoming, () => {
      const current = this.defs[name];
      this.defs[name] = current ? this.merge(current, incoming) : this.adopt(incoming);
    });
  }

  private isBusy(key: string, node: Schema): boolean {
    return this.busy.get(key)?.has(node) ?? false;
  }

  private during<T>(key: string, node: Schema, fn: () => T): T {
    const set = this.busy.get(key) ?? new Set<Schema>();
    this.busy.set(key, set.add(node));
    try {
      return fn();
    } finally {
      set.delete(node);
    }
  }

  /**
   * A node of `fresh` taken as it is: each definition it references joins the result's definition of that name (so
   * a name `old` uses for something else is widened to accept both).
   */
  private adopt(node: Schema): Schema {
    const visit = (n: unknown): void => {
      if (Array.isArray(n)) return n.forEach(visit);
      if (!n || typeof n !== 'object') return;
      const name = refName(n as Schema);
      if (name !== undefined && name !== '#') this.mergeDef(name, this.fresh.defs[name]);
      for (const [k, v] of Object.entries(n)) if (k !== 'enum' && k !== 'const' && k !== 'default' && k !== 'examples') visit(v);
    };
    visit(node);
    return node;
  }

  /**
   * `anyOf` of both. The annotations of `a` that name or identify it (`$id`, `title`, `description`, `$comment`) stay
   * on the union, so a root keeps its `$id` and the generated type its name; `b`'s title goes (it named the type
   * only in the new inference).
   */
  private union(a: Schema, b: Schema): Schema {
    const kept = Object.fromEntries(Object.entries(a).filter(([k]) => IDENTIFYING.includes(k)));
    const rest = Object.fromEntries(Object.entries(a).filter(([k]) => !IDENTIFYING.includes(k)));
    const { title: _title, ...other } = this.adopt(b);
    return { ...kept, anyOf: [rest, other] };
  }

  /** Adds `b` to the `anyOf` of `a`: merged into the branch of the same single type, else as a new branch. */
  private intoUnion(a: Schema, b: Schema): Schema {
    const branches = a.anyOf as Schema[];
    if (branches.some((x) => isDeepStrictEqual(x, b))) return a;
    const tb = types(this.resolveFresh(b));
    const i = tb?.length === 1 ? branches.findIndex((x) => isDeepStrictEqual(types(this.resolveOld(x)), tb)) : -1;
    const next = i < 0 ? [...branches, this.adopt(b)] : branches.map((x, j) => (j === i ? this.merge(x, b) : x));
    return { ...a, anyOf: next };
  }

  private mergeObject(a: Schema, b: Schema): Schema {
    const pa = (a.properties ?? {}) as Record<string, Schema>;
    const pb = (b.properties ?? {}) as Record<string, Schema>;
    const properties: Record<string, Schema> = { ...pa };
    for (const [p, s] of Object.entries(pb)) setOwn(properties, p, Object.hasOwn(pa, p) ? this.merge(pa[p], s) : this.adopt(s));
    const rb = new Set((b.required ?? []) as string[]);
    const required = ((a.required ?? []) as string[]).filter((p) => rb.has(p));
    const out: Schema = { ...a, ...(Object.keys(properties).length ? { properties } : {}) };
    if (required.length) out.required = required;
    else delete out.required;
    const [xa, xb] = [a.additionalProperties, b.additionalProperties];
    if (isObject(xb)) out.additionalProperties = isObject(xa) ? this.merge(xa, xb) : xa === false ? this.adopt(xb) : xa;
    return this.keepChecked(out, b);
  }

  private mergeArray(a: Schema, b: Schema): Schema {
    if (a.items === undefined) return a;
    if (!isObject(a.items) || !isObject(b.items)) return this.union(a, b);
    return this.keepChecked({ ...a, items: this.merge(a.items, b.items) }, b);
  }

  private mergeScalar(a: Schema, b: Schema, tb: string[]): Schema {
    const ta = types(a)!;
    const wider = [...ta, ...tb.filter((t) => !ta.includes(t) && !(t === 'integer' && ta.includes('number')))];
    const merged = wider.includes('number') ? wider.filter((t) => t !== 'integer') : wider;
    const out: Schema = { ...a, type: merged.length === 1 ? merged[0] : merged };
    if (Array.isArray(a.enum)) {
      const incoming = this.values(b) ?? (Array.isArray(b.enum) ? b.enum : undefined);
      const extra = incoming ? [...new Set(incoming)].filter((v) => !(a.enum as unknown[]).some((e) => isDeepStrictEqual(e, v))) : undefined;
      const all = extra ? [...(a.enum as unknown[]), ...extra] : undefined;
      if (all && all.length <= ENUM_RULE.maxDistinct) out.enum = all;
      else delete out.enum;
    }
    return this.keepChecked(out, b);
  }

  /**
   * Drops each of {@link CHECKED_KEYWORDS} of the merged node that a new value at `b` violates (ajv decides). Without
   * sample values (a TypeScript type), a keyword stays only when `b` has the same one.
   */
  private keepChecked(out: Schema, b: Schema): Schema {
    const values = this.values(b);
    for (const k of CHECKED_KEYWORDS) {
      if (!(k in out)) continue;
      const keep = values ? values.every((v) => this.satisfies({ [k]: out[k] }, v)) : isDeepStrictEqual(out[k], b[k]);
      if (!keep) delete out[k];
    }
    return out;
  }

  private ajv: ReturnType<typeof instanceAjv> | undefined;

  private satisfies(schema: Schema, value: unknown): boolean {
    this.ajv ??= instanceAjv(this.draft);
    return this.ajv.validate(schema, value) as boolean;
  }

  /** The new sample values that reached `b` (or what it references), if samples were given. */
  private values(b: Schema): unknown[] | undefined {
    return this.stats?.get(this.resolveFresh(b))?.values;
  }

  private resolveFresh(n: Schema): Schema {
    const name = refName(n);
    return name === undefined ? n : (name === '#' ? this.fresh.root : this.fresh.defs[name]) ?? n;
  }

  private resolveOld(n: Schema): Schema {
    const name = refName(n);
    return name === undefined ? n : (name === '#' ? this.old.root : this.defs[name]) ?? n;
  }
}

const IDENTIFYING = ['$id', 'title', 'description', '$comment'];

const SCALARS = new Set(['string', 'number', 'integer', 'boolean', 'null']);

/** A node's `type` as a list; undefined when it has none. */
function types(n: Schema | undefined): string[] | undefined {
  return n?.type === undefined ? undefined : ([] as string[]).concat(n.type as string | string[]);
}

/** Whether a node holds a `$ref` anywhere (outside data keywords). */
function hasRef(n: unknown): boolean {
  if (Array.isArray(n)) return n.some(hasRef);
  if (!n || typeof n !== 'object') return false;
  return Object.entries(n).some(([k, v]) => k === '$ref' || (k !== 'enum' && k !== 'const' && k !== 'default' && k !== 'examples' && hasRef(v)));
}

function isObject(v: unknown): v is Schema {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

