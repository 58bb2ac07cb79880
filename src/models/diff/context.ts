/**
 * What the rule modules share: the two sides being compared and the walker they report to.
 * Each rule module (objects, scalars, arrays, composition, annotations) is a function of
 * `(ctx, old side, new side)` that emits changes and recurses through `ctx.walk`.
 */
import { joinPointer } from '../../core/pointer.js';
import type { Located, SchemaDocument } from './document.js';
import type { StructuralEquality } from './equal.js';
import type { RuleId } from './rules.js';
import type { DiffOptions, Impacts, JsonSchema } from './types.js';

/**
 * One side of a comparison: a subschema and its pointer, `undefined` for a virtual node (an
 * absent keyword read as its default, e.g. `additionalProperties` absent = `true`).
 */
export interface Side {
  node: JsonSchema;
  ptr: string | undefined;
  /**
   * For a schema merged with annotations written around it (beside the `$ref` that names it, or
   * on a one-member wrapper): each such keyword → the pointer of the node it lives in.
   */
  over?: ReadonlyMap<string, string | undefined>;
  /**
   * For a reference target compared in place of the reference (the other side is written inline): the
   * reference's pointer, where the changes found inside are shown.
   */
  site?: string;
}

/** A change as a rule reports it; the walker adds the type name and files it. */
export interface Emission {
  rule: RuleId;
  old?: string;
  new?: string;
  /** Display pointer when it is neither `new` nor `old` (required changes show the property). */
  path?: string;
  message: string;
  /** Impacts that hold; the others are false. */
  impacts?: Partial<Impacts>;
  before?: unknown;
  after?: unknown;
}

/** What a probe saw: how many changes, and the union of their impacts. */
export interface Tally {
  count: number;
  impacts: Impacts;
}

/** Options of one comparison. */
export interface WalkOptions {
  /**
   * Compare annotations, identifiers and extensions of the two top nodes (default true); false
   * where one side is a schema lifted into a union branch, whose annotations stay outside.
   */
  annotations?: boolean;
  /** The two nodes are reference targets, compared once for all their uses: shown where they are (default false). */
  targets?: boolean;
}

/** The walker, as the rule modules see it. */
export interface DiffContext {
  readonly options: Required<DiffOptions>;
  readonly oldDoc: SchemaDocument;
  readonly newDoc: SchemaDocument;
  /** Deep structural equality (references followed). */
  readonly equality: StructuralEquality;
  /** Shallow structural equality: references equal when they name the same definition. */
  readonly sameShape: StructuralEquality;
  /** Reports a change (counted, and kept unless probing). */
  emit(e: Emission): void;
  /** Compares two subschemas, reporting what differs. */
  walk(o: Side, n: Side, opts?: WalkOptions): void;
  /** Runs `fn` without keeping what it reports; returns what it would have reported. */
  probe(fn: () => void): Tally;
  /**
   * The target of a pure-reference side, in a form equal on both sides for the same definition
   * (definitions renamed between the versions count as the same); `undefined` for other nodes.
   */
  refIdentity(side: Side, which: 'old' | 'new'): string | undefined;
}

/** The value of a keyword of a side (`undefined` for boolean schemas). */
export function kw(side: Side, keyword: string): unknown {
  return typeof side.node === 'boolean' ? undefined : side.node[keyword];
}

/**
 * The pointer of a keyword (and names or indices under it) of a side; `undefined` when the node
 * has no value there, or lies below a virtual node.
 */
export function at(side: Side, keyword: string, ...rest: string[]): string | undefined {
  if (valueAt(side, keyword, rest) === undefined) return undefined;
  const base = side.over?.has(keyword) ? side.over.get(keyword) : side.ptr;
  return base === undefined ? undefined : joinPointer(base, keyword, ...rest);
}

function valueAt(side: Side, keyword: string, rest: readonly string[]): unknown {
  let value = kw(side, keyword);
  for (const key of rest) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

/** The subschema under a keyword (and names or indices under it); absent or not a schema → virtual `true`. */
export function sub(side: Side, keyword: string, ...rest: string[]): Side {
  const value = valueAt(side, keyword, rest);
  const isSchema = typeof value === 'boolean' || (value !== null && typeof value === 'object' && !Array.isArray(value));
  return isSchema ? { node: value as JsonSchema, ptr: at(side, keyword, ...rest) } : { node: true, ptr: undefined };
}

/** The members of an array-of-schemas keyword as sides; `undefined` when the keyword is absent or not an array. */
export function members(side: Side, keyword: string): Side[] | undefined {
  const value = kw(side, keyword);
  return Array.isArray(value) ? value.map((_, i) => sub(side, keyword, String(i))) : undefined;
}

/** A side as a located node, for the document helpers (a virtual node gets the root pointer, never resolved). */
export function located(side: Side): Located {
  return { node: side.node, pointer: side.ptr ?? '' };
}

/** The keys of an object-valued keyword (`properties`, `patternProperties`), in source order. */
export function keysOf(side: Side, keyword: string): string[] {
  const value = kw(side, keyword);
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
}

/** The keys of two nodes together (none for boolean schemas). */
export function unionKeys(a: Side, b: Side): Set<string> {
  const keys = new Set<string>();
  if (typeof a.node !== 'boolean') for (const k in a.node) keys.add(k);
  if (typeof b.node !== 'boolean') for (const k in b.node) keys.add(k);
  return keys;
}

/** How {@link compareToggle} reports a constraint keyword present on one side only. */
export interface Toggle {
  added: RuleId;
  removed: RuleId;
  /** Whether a value counts as present (default: defined). */
  present?: (value: unknown) => boolean;
  /** Whether adding or removing it also breaks generated code. */
  source?: boolean;
  /** Messages for added and removed (default `` `keyword` added `` / `` removed ``). */
  messages?: [string, string];
}

/**
 * Compares the presence of a constraint keyword: on one side only, it is reported as added
 * (BACKWARD: the constraint narrows) or removed (FORWARD).
 * @returns whether both sides have it, for the caller to compare the values.
 */
export function compareToggle(ctx: DiffContext, o: Side, n: Side, keyword: string, toggle: Toggle): boolean {
  const present = toggle.present ?? ((v: unknown) => v !== undefined);
  const before = present(kw(o, keyword));
  const after = present(kw(n, keyword));
  if (before === after) return before;
  const [added, removed] = toggle.messages ?? [`\`${keyword}\` added`, `\`${keyword}\` removed`];
  const source = toggle.source ?? false;
  ctx.emit({
    rule: after ? toggle.added : toggle.removed,
    old: at(o, keyword),
    new: at(n, keyword),
    message: after ? added : removed,
    impacts: after ? { backward: true, source } : { forward: true, source },
  });
  return false;
}
