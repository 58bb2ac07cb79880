/**
 * The deterministic rules applied after quicktype's inference, each decided from every sample value that reaches
 * a schema node: `required`, `format`, `enum`. See docs/model-infer.md ("Inference rules").
 */
import { createRequire } from 'node:module';
import type { Sample } from './samples.js';
import { refName, type Schema, type Shape } from './shape.js';

const require = createRequire(import.meta.url);

/**
 * When a string property becomes an `enum`: at most `maxDistinct` distinct values, each seen at least
 * `minOccurrences` times, in at least `minSamples` sample documents. Below that the samples are too few to tell a
 * closed set from free text (three samples with `"status": "paid"`, `"paid"`, `"open"` stay a string: `open` was
 * seen once).
 */
export const ENUM_RULE = { maxDistinct: 8, minOccurrences: 2, minSamples: 3 } as const;

/** Formats a string node gets when every value seen there matches (ajv-formats' full mode), tried in this order. */
export const INFERRED_FORMATS = ['date-time', 'date', 'uuid', 'email', 'uri'] as const;

/** What the samples put at one schema node. */
export interface NodeStats {
  /** How many values reached the node. */
  seen: number;
  /** Indexes of the sample documents that reached it. */
  samples: Set<number>;
  /** The values that reached it, in order (for an `anyOf` node, those reach its branches too). */
  values: unknown[];
  /** For an object node: in how many of its values each property is present. */
  present: Map<string, number>;
}

/**
 * Walks every sample through the schema (following local `$ref`s, taking the first `anyOf` branch whose `type`
 * admits the value) and records what reaches each node.
 * @returns stats per schema node, by object identity.
 */
export function collectStats(shape: Shape, samples: Sample[]): Map<Schema, NodeStats> {
  const stats = new Map<Schema, NodeStats>();
  const walk = (start: Schema, value: unknown, sample: number): void => {
    const node = resolve(shape, start);
    if (!node) return;
    let s = stats.get(node);
    if (!s) stats.set(node, (s = { seen: 0, samples: new Set(), values: [], present: new Map() }));
    s.seen++;
    s.samples.add(sample);
    s.values.push(value);
    if (Array.isArray(node.anyOf)) {
      const branch = (node.anyOf as Schema[]).find((b) => admits(resolve(shape, b), value));
      if (branch) walk(branch, value, sample);
      return;
    }
    if (Array.isArray(value)) {
      if (isSchema(node.items)) for (const item of value) walk(node.items, item, sample);
    } else if (value && typeof value === 'object') {
      const props = (node.properties ?? {}) as Record<string, Schema>;
      for (const [key, v] of Object.entries(value)) {
        if (Object.hasOwn(props, key)) {
          s.present.set(key, (s.present.get(key) ?? 0) + 1);
          walk(props[key], v, sample);
        } else if (isSchema(node.additionalProperties)) walk(node.additionalProperties, v, sample);
      }
    }
  };
  samples.forEach((sample, i) => walk(shape.root, sample.value, i));
  return stats;
}

/**
 * Applies the rules to the nodes the samples reached, in place: `required` lists exactly the properties present
 * in every value of an object node; a string node (`type: "string"`) gets the first of {@link INFERRED_FORMATS}
 * every value matches, else an `enum` (sorted) when {@link ENUM_RULE} holds.
 */
export function applyRules(stats: Map<Schema, NodeStats>): void {
  for (const [node, s] of stats) {
    if (node.type === 'object' && node.properties && typeof node.properties === 'object') {
      const required = Object.keys(node.properties).filter((p) => s.present.get(p) === s.seen);
      if (required.length) node.required = required;
      else delete node.required;
      // ajv reports an own `__proto__` key as undeclared in a closed object, declared or not: such an object stays
      // open, or no sample having the key would validate.
      if (Object.hasOwn(node.properties, '__proto__') && node.additionalProperties === false) delete node.additionalProperties;
    }
    const strings = s.values.filter((v): v is string => typeof v === 'string');
    if (node.type !== 'string' || strings.length === 0) continue;
    const format = INFERRED_FORMATS.find((f) => strings.every((v) => matchesFormat(f, v)));
    if (format) node.format = format;
    else {
      const values = closedSet(strings, s.samples.size);
      if (values) node.enum = values;
    }
  }
}

/** The distinct values when {@link ENUM_RULE} holds for them, sorted; else undefined. */
function closedSet(strings: string[], samples: number): string[] | undefined {
  const counts = new Map<string, number>();
  for (const v of strings) counts.set(v, (counts.get(v) ?? 0) + 1);
  if (counts.size > ENUM_RULE.maxDistinct || samples < ENUM_RULE.minSamples) return undefined;
  if ([...counts.values()].some((n) => n < ENUM_RULE.minOccurrences)) return undefined;
  return [...counts.keys()].sort();
}

type FormatCheck = RegExp | ((v: string) => boolean) | { validate: RegExp | ((v: string) => boolean) };
let formats: Record<string, FormatCheck> | undefined;

/** Whether `value` matches format `name` as ajv-formats' full mode checks it (what ajv asserts with ajv-formats). */
export function matchesFormat(name: string, value: string): boolean {
  formats ??= (require('ajv-formats/dist/formats.js') as { fullFormats: Record<string, FormatCheck> }).fullFormats;
  const f = formats[name];
  const check = f && typeof f === 'object' && 'validate' in f ? f.validate : f;
  if (check instanceof RegExp) return check.test(value);
  return typeof check === 'function' ? check(value) : false;
}

/** The node itself, or the definition (or root) its local `$ref` names; undefined for a ref to nothing. */
export function resolve(shape: Shape, node: Schema): Schema | undefined {
  const name = refName(node);
  if (name === undefined) return node;
  return name === '#' ? shape.root : shape.defs[name];
}

/** Whether a node's `type` (absent: any) admits the value; `integer` admits integral numbers only. */
function admits(node: Schema | undefined, value: unknown): boolean {
  if (!node) return false;
  const types = node.type === undefined ? undefined : ([] as unknown[]).concat(node.type);
  if (!types) return true;
  const t = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  if (t === 'number') return types.includes('number') || (types.includes('integer') && Number.isInteger(value));
  return types.includes(t);
}

function isSchema(v: unknown): v is Schema {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}
