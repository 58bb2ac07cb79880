import { createHash } from 'node:crypto';
import { isObjectSchema, isSchema } from '../keywords.js';
import { joinPointer } from '../../core/pointer.js';
import { enterWrappers, type Located, type SchemaDocument } from './document.js';
import type { JsonSchema } from './types.js';
import { canonicalKey, deepEqual, typeSet, valueSet } from './values.js';
import { ASSERTIONS, REF_KEYWORDS, acceptsAll, isPureRef, refOf } from './vocabulary.js';

/** Keywords holding one schema, where absence means `true`. */
const SINGLE_DEFAULT_TRUE = ['items', 'additionalItems', 'additionalProperties', 'unevaluatedItems', 'unevaluatedProperties', 'propertyNames', 'then', 'else'];
/** Keywords holding one schema, where absence is not the same as `true`. */
const SINGLE_STRICT = ['not', 'if', 'contains'];
/** Keywords holding arrays of schemas, compared position by position. */
const ARRAYS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
/** Keywords holding name → schema maps. */
const MAPS = ['properties', 'patternProperties'];
/** Keywords compared by their JSON value. */
const PLAIN = ['minLength', 'maxLength', 'pattern', 'format', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minItems', 'maxItems', 'minContains', 'maxContains', 'minProperties', 'maxProperties', 'discriminator'];
/** Marks a shape key that is a digest. */
const DIGEST = '#';

/** How {@link StructuralEquality} shape keys read each assertion keyword (others are annotations, left out). */
const SHAPE_KINDS: ReadonlyMap<string, string> = new Map([
  ...PLAIN.map((k) => [k, 'plain'] as const),
  ...[...SINGLE_DEFAULT_TRUE, ...SINGLE_STRICT, 'items'].map((k) => [k, 'single'] as const),
  ...ARRAYS.map((k) => [k, 'list'] as const),
  ...MAPS.map((k) => [k, 'map'] as const),
  ...['dependentRequired', 'dependentSchemas', 'dependencies'].map((k) => [k, 'dependencies'] as const),
  ...REF_KEYWORDS.map((k) => [k, 'ref'] as const),
  ['enum', 'values'],
  ['const', 'values'],
  ['required', 'required'],
  ['uniqueItems', 'unique'],
]);

/**
 * Structural equality of subschemas across the old and the new document: equal when they accept
 * the same instances by the same keywords, annotations (`title`, `description`, `default`,
 * extensions...) ignored. `type` and `required` compare as sets, `enum`/`const` as value sets,
 * pure references are followed, and recursion terminates by co-induction: a pair of pointers
 * already under comparison is assumed equal (the greatest-fixed-point reading of bisimulation), and
 * the assumptions are kept only if the whole comparison succeeds.
 *
 * The shallow variant (given `targetKey`) does not enter references: two references are equal
 * when they name the same definition. It is what matching union members and renamed properties
 * needs, at the cost of the inline parts only.
 */
export class StructuralEquality {
  private readonly equalPairs = new Set<string>();
  private readonly unequalPairs = new Set<string>();
  private assumed = new Set<string>();
  /** Shape keys already computed, per side, by node. */
  private readonly keys = { old: new WeakMap<object, string>(), new: new WeakMap<object, string>() };

  /**
   * @param targetKey - makes the comparison shallow: a name for a reference target (by pointer) of
   *   the old or the new document, equal on both sides for the same definition.
   */
  constructor(
    private readonly oldDoc: SchemaDocument,
    private readonly newDoc: SchemaDocument,
    private readonly targetKey?: (side: 'old' | 'new', pointer: string) => string,
  ) {}

  /** Whether {@link bucketKey} is exact: equal keys only for equal schemas (the shallow variant). */
  get exact(): boolean {
    return this.targetKey !== undefined;
  }

  /**
   * Whether two schemas with this {@link bucketKey} still need {@link equal} to be known equal: when the key is
   * coarse, or a digest of a long shape (a digest collision is improbable, not impossible).
   */
  needsCheck(key: string): boolean {
    return !this.exact || key.startsWith(DIGEST);
  }

  /** Whether `a` (in the old document) and `b` (in the new one) are structurally equal. */
  equal(a: Located, b: Located): boolean {
    this.assumed = new Set();
    const result = this.eq(a, b);
    if (result) for (const key of this.assumed) this.equalPairs.add(key);
    this.assumed = new Set();
    return result;
  }

  /**
   * A key that is the same for equal schemas, to bucket candidates before {@link equal}. The shallow
   * variant gives a normalised shape (see {@link shapeKey}), different for unequal schemas too
   * ({@link exact}); the deep one, which follows references, only the keywords present, the `type`
   * set and the property names after following references at the top.
   */
  bucketKey(side: 'old' | 'new', at: Located): string {
    if (this.targetKey) return this.shapeKey(side, at);
    const { node } = (side === 'old' ? this.oldDoc : this.newDoc).follow(at, true);
    if (typeof node === 'boolean' || acceptsAll(node)) return acceptsAll(node) ? 'true' : 'false';
    const keys = Object.keys(node).filter((k) => ASSERTIONS.has(k) && k !== 'nullable' && k !== 'type').sort();
    const properties = node.properties !== null && typeof node.properties === 'object' ? Object.keys(node.properties).sort().join(',') : '';
    return `${keys.join(',')}|${typeSet(node)?.join(',') ?? '*'}|${properties}`;
  }

  /**
   * The normalised shape of a subschema, read the way {@link equal} reads it in the shallow variant: wrappers
   * entered, annotations dropped, `type`, `required` and `enum` as sorted sets, keywords that default to `true`
   * left out when they accept everything, maps by sorted key, references by their target's key. Long parts are
   * replaced by their SHA-1 digest, so a key stays short however big the subschema; computed once per node.
   */
  private shapeKey(side: 'old' | 'new', at: Located): string {
    const { node, pointer } = enterWrappers(at);
    if (typeof node === 'boolean' || acceptsAll(node)) return acceptsAll(node) ? 'T' : 'F';
    const cache = this.keys[side];
    const known = cache.get(node);
    if (known !== undefined) return known;
    const child = (value: unknown, ...path: string[]) => this.shapeKey(side, { node: value as JsonSchema, pointer: joinPointer(pointer, ...path) });
    const parts: string[] = [`type:${typeSet(node)?.join(',') ?? '*'}`];
    let dependencies = false;
    // One pass over the node's own keys (most nodes have few), then the parts sorted: key order does not matter.
    for (const k in node) {
      const value = node[k];
      switch (SHAPE_KINDS.get(k)) {
        case 'plain':
          if (value !== undefined) parts.push(`${k}=${canonicalKey(value)}`);
          break;
        case 'values':
          if (k === 'enum' || !Array.isArray(node.enum)) parts.push(`values:${[...valueSet(node)!.keys()].sort().join(',')}`);
          break;
        case 'required':
          parts.push(`required:${names(value).join(',')}`);
          break;
        case 'unique':
          if (value === true) parts.push('uniqueItems');
          break;
        case 'single':
          if (Array.isArray(value)) parts.push(`${k}:[${value.map((m, i) => child(m, k, String(i))).join(',')}]`);
          else if (isSchema(value) && (SINGLE_STRICT.includes(k) || !acceptsAll(value))) parts.push(`${k}:${child(value, k)}`);
          break;
        case 'list':
          if (Array.isArray(value)) parts.push(`${k}:[${value.map((m, i) => child(m, k, String(i))).join(',')}]`);
          break;
        case 'map':
          if (isObjectSchema(value)) parts.push(`${k}:{${Object.keys(value).sort().map((name) => `${JSON.stringify(name)}:${child(value[name], k, name)}`).join(',')}}`);
          break;
        case 'dependencies':
          dependencies = true;
          break;
        case 'ref':
          if (k === refOf(node)!.keyword) parts.push(`ref:${this.targetKey!(side, (side === 'old' ? this.oldDoc : this.newDoc).resolve(String(value), pointer).pointer)}`);
          break;
      }
    }
    if (dependencies) {
      const read = dependencyParts({ node, pointer });
      parts.push(`dependentRequired:${canonicalKey(read.required)}`);
      for (const name of Object.keys(read.schemas)) parts.push(`dependentSchemas:${JSON.stringify(name)}:${this.shapeKey(side, read.schemas[name]!)}`);
    }
    parts.sort();
    const text = parts.join('|');
    const key = text.length > 64 ? DIGEST + createHash('sha1').update(text).digest('base64') : text;
    cache.set(node, key);
    return key;
  }

  private eq(a: Located, b: Located): boolean {
    if (!this.targetKey) {
      a = this.oldDoc.follow(a, true);
      b = this.newDoc.follow(b, true);
    } else {
      a = enterWrappers(a);
      b = enterWrappers(b);
      if (isPureRef(a.node) || isPureRef(b.node)) return isPureRef(a.node) && isPureRef(b.node) && this.refsMatch(a, b);
    }
    const key = `${a.pointer}\u0000${b.pointer}`;
    if (this.equalPairs.has(key) || this.assumed.has(key)) return true;
    if (this.unequalPairs.has(key)) return false;
    this.assumed.add(key);
    const result = this.nodes(a, b);
    // A negative found under optimistic assumptions is final; a positive waits for the whole comparison.
    if (!result) this.unequalPairs.add(key);
    return result;
  }

  private nodes(a: Located, b: Located): boolean {
    const x = a.node;
    const y = b.node;
    if (typeof x === 'boolean' || typeof y === 'boolean') return acceptsAll(x) === acceptsAll(y) && (acceptsAll(x) || x === y);
    const child = (loc: Located, keyword: string, ...rest: string[]): Located => {
      const node = (loc.node as Record<string, unknown>)[keyword];
      const value = rest.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], node);
      return { node: (value ?? true) as JsonSchema, pointer: joinPointer(loc.pointer, keyword, ...rest) };
    };
    if (!sameList(typeSet(x), typeSet(y))) return false;
    const vx = valueSet(x);
    const vy = valueSet(y);
    if ((vx === undefined) !== (vy === undefined) || (vx && !sameList([...vx.keys()].sort(), [...vy!.keys()].sort()))) return false;
    if (!sameList(names(x.required), names(y.required))) return false;
    if ((x.uniqueItems === true) !== (y.uniqueItems === true)) return false;
    if (!PLAIN.every((k) => deepEqual(x[k], y[k]))) return false;
    if (!SINGLE_DEFAULT_TRUE.every((k) => Array.isArray(x[k]) === Array.isArray(y[k]) && (Array.isArray(x[k]) || this.eq(child(a, k), child(b, k))))) return false;
    if (!SINGLE_STRICT.every((k) => (x[k] === undefined) === (y[k] === undefined) && (x[k] === undefined || this.eq(child(a, k), child(b, k))))) return false;
    for (const k of [...ARRAYS, 'items']) {
      const xs = x[k];
      const ys = y[k];
      if (!Array.isArray(xs) && !Array.isArray(ys)) continue;
      if (!Array.isArray(xs) || !Array.isArray(ys) || xs.length !== ys.length) return false;
      if (!xs.every((_, i) => this.eq(child(a, k, String(i)), child(b, k, String(i))))) return false;
    }
    for (const k of MAPS) {
      const xm = (x[k] ?? {}) as Record<string, unknown>;
      const ym = (y[k] ?? {}) as Record<string, unknown>;
      const keys = Object.keys(xm).sort();
      if (!sameList(keys, Object.keys(ym).sort())) return false;
      if (!keys.every((name) => this.eq(child(a, k, name), child(b, k, name)))) return false;
    }
    if (!this.dependencies(a, b)) return false;
    const rx = refOf(x);
    const ry = refOf(y);
    if (!rx || !ry) return !rx && !ry;
    return this.targetKey ? this.refsMatch(a, b) : this.eq(this.oldDoc.resolve(rx.ref, a.pointer), this.newDoc.resolve(ry.ref, b.pointer));
  }

  /** Shallow mode: whether two nodes' references name the same definition. */
  private refsMatch(a: Located, b: Located): boolean {
    const from = this.oldDoc.resolve(refOf(a.node)!.ref, a.pointer);
    const to = this.newDoc.resolve(refOf(b.node)!.ref, b.pointer);
    return this.targetKey!('old', from.pointer) === this.targetKey!('new', to.pointer);
  }

  /** `dependentRequired` and draft-07 `dependencies` (arrays as required names, schemas as dependent schemas). */
  private dependencies(a: Located, b: Located): boolean {
    const x = dependencyParts(a);
    const y = dependencyParts(b);
    if (canonicalKey(x.required) !== canonicalKey(y.required)) return false;
    const keys = Object.keys(x.schemas).sort();
    if (!sameList(keys, Object.keys(y.schemas).sort())) return false;
    return keys.every((k) => this.eq(x.schemas[k]!, y.schemas[k]!));
  }
}

/** What `dependentRequired`, `dependentSchemas` and draft-07 `dependencies` require, by property name. */
export interface DependencyParts {
  /** Names each property requires (sorted, unique). */
  required: Record<string, string[]>;
  /** Pointer of the list each property's names come from (the first keyword holding one). */
  requiredAt: Record<string, string>;
  /** The dependent schema of each property. */
  schemas: Record<string, Located>;
}

/** Reads the dependency keywords of a node; draft-07 `dependencies` arrays count as required names, its schemas as dependent schemas. */
export function dependencyParts(at: Located): DependencyParts {
  const parts: DependencyParts = { required: {}, requiredAt: {}, schemas: {} };
  const node = at.node;
  if (typeof node === 'boolean') return parts;
  for (const keyword of ['dependentRequired', 'dependentSchemas', 'dependencies']) {
    const map = node[keyword];
    if (!isObjectSchema(map)) continue;
    for (const [name, value] of Object.entries(map)) {
      const pointer = joinPointer(at.pointer, keyword, name);
      if (Array.isArray(value) && keyword !== 'dependentSchemas') {
        parts.required[name] = [...new Set([...(parts.required[name] ?? []), ...names(value)])].sort();
        parts.requiredAt[name] ??= pointer;
      } else if (keyword !== 'dependentRequired' && isSchema(value) && !parts.schemas[name]) {
        parts.schemas[name] = { node: value, pointer };
      }
    }
  }
  return parts;
}

/** The strings of an array value, sorted and unique (`required`, dependency lists). */
export function names(value: unknown): string[] {
  return Array.isArray(value) ? [...new Set(value.filter((v): v is string => typeof v === 'string'))].sort() : [];
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
