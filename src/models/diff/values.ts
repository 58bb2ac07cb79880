/**
 * Value helpers of the diff: JSON equality, canonical keys for enum members, and the normalised
 * `type` set (with OpenAPI 3.0 `nullable` folded in).
 */
import type { JsonSchema } from './types.js';

/** JSON equality: same primitives, same array items in order, same object keys in any order. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** A string that is equal for JSON-equal values (object keys sorted): the identity of an enum member. */
export function canonicalKey(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonicalKey).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalKey((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/**
 * The instance types a schema allows by its `type` keyword, sorted; `undefined` means any type.
 * `nullable: true` (OpenAPI 3.0) adds `null` to a present `type`; `integer` is dropped beside
 * `number`, which includes it.
 */
export function typeSet(node: JsonSchema): string[] | undefined {
  if (typeof node === 'boolean') return undefined;
  const raw = node.type;
  if (typeof raw === 'string' && node.nullable !== true) return [raw]; // the common case, without the set
  const list = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw.filter((t): t is string => typeof t === 'string') : undefined;
  if (!list) return undefined;
  const set = new Set(list);
  if (node.nullable === true) set.add('null');
  if (set.has('number')) set.delete('integer');
  return [...set].sort();
}

/**
 * The values a schema allows by `enum` or `const`, keyed by {@link canonicalKey}; `undefined`
 * when it has neither. `const` counts as a one-value enum; with both, the values in both. Values
 * of a type the node's `type` rejects are left out: they validate nowhere, so
 * `{"type": "string", "enum": ["a", null]}` allows what `{"type": "string", "enum": ["a"]}` does.
 */
export function valueSet(node: JsonSchema): Map<string, unknown> | undefined {
  if (typeof node === 'boolean') return undefined;
  const hasConst = Object.prototype.hasOwnProperty.call(node, 'const');
  const types = typeSet(node);
  const allowed = (v: unknown) => types === undefined || types.includes(jsonType(v)) || (jsonType(v) === 'integer' && types.includes('number'));
  const fromEnum = Array.isArray(node.enum) ? new Map(node.enum.filter(allowed).map((v) => [canonicalKey(v), v] as const)) : undefined;
  if (!hasConst) return fromEnum;
  const key = canonicalKey(node.const);
  if ((fromEnum && !fromEnum.has(key)) || !allowed(node.const)) return new Map();
  return new Map([[key, node.const]]);
}

/** The JSON Schema type of a JSON value (`integer` for whole numbers, as validators read them). */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Whether a node restricts values with `const` alone (not `enum`). */
export function isConst(node: JsonSchema): boolean {
  return typeof node !== 'boolean' && Object.prototype.hasOwnProperty.call(node, 'const') && !Array.isArray(node.enum);
}

/**
 * A short rendering of a JSON value for messages, cut at `max` characters: JSON (`null`, `"absent"`, `[1,2]`), and
 * `(none)` for a keyword that is not there (`undefined`), so an absent value never reads as a string.
 */
export function show(value: unknown, max = 60): string {
  if (value === undefined) return '(none)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
