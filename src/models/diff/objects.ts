/**
 * Rules on objects: properties added, removed, renamed or reserved, `required`, open and closed
 * content (`additionalProperties`, `unevaluatedProperties`, `patternProperties`), `propertyNames`,
 * property counts and dependencies.
 *
 * An undeclared key is validated by the first `patternProperties` entry that matches it, else by
 * `additionalProperties` (else `unevaluatedProperties`, read the same way here), else by nothing:
 * that schema decides whether adding or removing a property is read against a closed (`false`),
 * an open (accepts anything) or a partially open object, after Confluent Schema Registry's content
 * models (confluentinc/schema-registry, `Difference.Type`; the 24 add/remove combinations of
 * PR #4292). For partially open objects the impacts come from comparing the property's schema
 * with the schema that covers its key on the other side.
 */
import { joinPointer } from '../../core/pointer.js';
import { compareCount } from './bounds.js';
import { at, keysOf, kw, located, sub, type DiffContext, type Side } from './context.js';
import { dependencyParts, names } from './equal.js';
import { pairRenames } from './renames.js';
import { acceptsAll } from './vocabulary.js';

type Openness = 'closed' | 'open' | 'partial';

const compiled = new Map<string, RegExp | null>();

/** Whether an ECMA-262 `patternProperties` pattern matches a key; a pattern that does not compile matches nothing. */
function matches(pattern: string, key: string): boolean {
  let re = compiled.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      try {
        re = new RegExp(pattern);
      } catch {
        re = null;
      }
    }
    compiled.set(pattern, re);
  }
  return re !== null && re.test(key);
}

/**
 * The schema of a side's undeclared keys: `additionalProperties`, else `unevaluatedProperties`
 * (read the same way, ignoring what `allOf` members evaluate), else a virtual `true`.
 */
function additional(side: Side): Side {
  const keyword = closureKeyword(side);
  return keyword ? sub(side, keyword) : { node: true, ptr: undefined };
}

function closureKeyword(side: Side): string | undefined {
  return ['additionalProperties', 'unevaluatedProperties'].find((k) => kw(side, k) !== undefined);
}

/** The schema that validates `key` when it is not under `properties`. */
function fallback(side: Side, key: string): { schema: Side; pattern?: string } {
  for (const pattern of keysOf(side, 'patternProperties')) {
    if (matches(pattern, key)) return { schema: sub(side, 'patternProperties', pattern), pattern };
  }
  return { schema: additional(side) };
}

function openness(schema: Side): Openness {
  return schema.node === false ? 'closed' : acceptsAll(schema.node) ? 'open' : 'partial';
}

const code = (name: string) => `\`${name}\``;

/** Compares the object keywords of two sides. */
export function compareObjects(ctx: DiffContext, o: Side, n: Side): void {
  const before = keysOf(o, 'properties');
  const after = keysOf(n, 'properties');
  const afterSet = new Set(after);
  const beforeSet = new Set(before);
  const removed = before.filter((k) => !afterSet.has(k));
  const added = after.filter((k) => !beforeSet.has(k));
  const requiredBefore = new Set(names(kw(o, 'required')));
  const requiredAfter = new Set(names(kw(n, 'required')));
  const renamed = ctx.options.detectRenames ? renames(ctx, o, n, removed, added, requiredBefore, requiredAfter) : new Map<string, string>();
  const renamedTo = new Set(renamed.values());

  for (const key of before) if (afterSet.has(key)) compareProperty(ctx, o, n, key);
  for (const key of removed) {
    if (!renamed.has(key)) propertyRemoved(ctx, o, n, key, requiredBefore.has(key) && !requiredAfter.has(key));
  }
  for (const key of added) {
    if (!renamedTo.has(key)) propertyAdded(ctx, o, n, key, requiredAfter.has(key) && !requiredBefore.has(key));
  }
  for (const [from, to] of renamed) {
    // A rename breaks what removing the one and adding the other breaks (open or closed content, requiredness), and generated code.
    const { impacts } = ctx.probe(() => {
      propertyRemoved(ctx, o, n, from, requiredBefore.has(from) && !requiredAfter.has(from));
      propertyAdded(ctx, o, n, to, requiredAfter.has(to) && !requiredBefore.has(to));
    });
    ctx.emit({
      rule: 'PROPERTY_RENAMED',
      old: at(o, 'properties', from),
      new: at(n, 'properties', to),
      message: `property ${code(from)} renamed to ${code(to)} (removed and added with an equal schema)`,
      impacts: { ...impacts, source: true },
      before: from,
      after: to,
    });
  }
  compareRequired(ctx, o, n, new Set([...removed, ...added]));
  compareContent(ctx, o, n);
  ctx.walk(sub(o, 'propertyNames'), sub(n, 'propertyNames'));
  const counts = { tightened: 'PROPERTY_COUNT_TIGHTENED', relaxed: 'PROPERTY_COUNT_RELAXED', source: false } as const;
  compareCount(ctx, o, n, 'minProperties', counts);
  compareCount(ctx, o, n, 'maxProperties', counts);
  compareDependencies(ctx, o, n);
}

/** A property on both sides: compared, except that a schema turned `false` reserves the name. */
function compareProperty(ctx: DiffContext, o: Side, n: Side, key: string): void {
  const a = sub(o, 'properties', key);
  const b = sub(n, 'properties', key);
  if (a.node !== false && b.node === false) {
    ctx.emit({
      rule: 'PROPERTY_RESERVED',
      old: a.ptr,
      new: b.ptr,
      message: `property ${code(key)} reserved (its schema is now false)`,
      impacts: { backward: true, source: true },
    });
    return;
  }
  ctx.walk(a, b);
}

function propertyRemoved(ctx: DiffContext, o: Side, n: Side, key: string, requiredLost: boolean): void {
  const schema = sub(o, 'properties', key);
  const { schema: cover, pattern } = fallback(n, key);
  const kind = openness(cover);
  const wasReserved = schema.node === false;
  if (wasReserved && kind === 'closed') return; // a reserved name dropped from a closed object: nothing changes
  // Shown where the property would be in the new schema, which may differ from its old pointer (a reference unrolled inline).
  const base = { old: schema.ptr, path: n.ptr === undefined ? undefined : joinPointer(n.ptr, 'properties', key), source: !wasReserved };
  if (kind === 'closed') {
    ctx.emit({ rule: 'PROPERTY_REMOVED_CLOSED', old: base.old, path: base.path, message: `property ${code(key)} removed from a closed object`, impacts: { backward: true, forward: requiredLost, source: base.source } });
  } else if (kind === 'open') {
    const strict = ctx.options.openContent === 'strict';
    ctx.emit({
      rule: 'PROPERTY_REMOVED_OPEN',
      old: base.old,
      path: base.path,
      message: `property ${code(key)} removed from an open object`,
      impacts: { forward: requiredLost || (strict ? !acceptsAll(schema.node) : wasReserved), source: base.source },
    });
  } else {
    const tally = ctx.probe(() => ctx.walk(schema, cover));
    ctx.emit({
      rule: 'PROPERTY_REMOVED_PARTIALLY_OPEN',
      old: base.old,
      new: cover.ptr,
      path: base.path,
      message: `property ${code(key)} removed; its key now falls under ${pattern === undefined ? 'additionalProperties' : `patternProperties ${code(pattern)}`}`,
      impacts: { backward: tally.impacts.backward, forward: tally.impacts.forward || requiredLost, source: base.source },
    });
  }
}

function propertyAdded(ctx: DiffContext, o: Side, n: Side, key: string, requiredGained: boolean): void {
  const schema = sub(n, 'properties', key);
  const { schema: cover, pattern } = fallback(o, key);
  const kind = openness(cover);
  if (schema.node === false) {
    if (kind !== 'closed') {
      ctx.emit({ rule: 'PROPERTY_RESERVED', new: schema.ptr, message: `property ${code(key)} declared false (reserved)`, impacts: { backward: true } });
    }
    return;
  }
  const where = kind === 'closed' ? 'a closed object' : kind === 'open' ? 'an open object' : pattern === undefined ? 'additionalProperties' : `patternProperties ${code(pattern)}`;
  const covered = kind === 'partial' ? ctx.probe(() => ctx.walk(cover, schema)).impacts : undefined;
  if (requiredGained) {
    const withDefault = hasDefault(ctx, schema);
    ctx.emit({
      rule: withDefault ? 'PROPERTY_ADDED_REQUIRED_WITH_DEFAULT' : 'PROPERTY_ADDED_REQUIRED',
      new: schema.ptr,
      message: `required property ${code(key)}${withDefault ? ' (with a default)' : ''} added to ${kind === 'partial' ? `a key covered by ${where}` : where}`,
      impacts: { backward: true, forward: kind === 'closed' || (covered?.forward ?? false), source: true },
    });
  } else if (kind === 'closed') {
    ctx.emit({ rule: 'PROPERTY_ADDED_OPTIONAL_CLOSED', new: schema.ptr, message: `optional property ${code(key)} added to a closed object`, impacts: { forward: true } });
  } else if (kind === 'open') {
    const strict = ctx.options.openContent === 'strict';
    ctx.emit({ rule: 'PROPERTY_ADDED_OPTIONAL_OPEN', new: schema.ptr, message: `optional property ${code(key)} added to an open object`, impacts: { backward: strict && !acceptsAll(schema.node) } });
  } else {
    ctx.emit({
      rule: 'PROPERTY_ADDED_OPTIONAL_PARTIALLY_OPEN',
      old: cover.ptr,
      new: schema.ptr,
      message: `optional property ${code(key)} added; its key was covered by ${where}`,
      impacts: { backward: covered!.backward, forward: covered!.forward },
    });
  }
}

/** Whether a property schema has a `default`, beside a `$ref` or in the schema it refers to. */
function hasDefault(ctx: DiffContext, schema: Side): boolean {
  if (kw(schema, 'default') !== undefined) return true;
  const target = ctx.newDoc.follow(located(schema)).node;
  return typeof target !== 'boolean' && target.default !== undefined;
}

/**
 * Pairs removed and added properties whose schemas are structurally equal (and not trivially
 * `{}`) with the same requiredness, when the pairing is unique both ways; a heuristic, so
 * ambiguous candidates stay plain removals and additions. Bucketed by shape (see {@link pairRenames}).
 */
function renames(ctx: DiffContext, o: Side, n: Side, removed: string[], added: string[], reqBefore: Set<string>, reqAfter: Set<string>): Map<string, string> {
  return pairRenames({
    removed,
    added,
    exact: ctx.sameShape.exact,
    verify: (key) => ctx.sameShape.needsCheck(key),
    key: (name, side) => {
      const schema = sub(side === 'old' ? o : n, 'properties', name);
      if (acceptsAll(schema.node) || schema.node === false) return undefined;
      const required = side === 'old' ? reqBefore.has(name) : reqAfter.has(name);
      return `${ctx.sameShape.bucketKey(side, located(schema))} ${required ? 'required' : 'optional'}`;
    },
    equal: (from, to) => ctx.sameShape.equal(located(sub(o, 'properties', from)), located(sub(n, 'properties', to))),
  });
}

/** `required` for properties present (or absent) on both sides; additions and removals are reported with the property. */
function compareRequired(ctx: DiffContext, o: Side, n: Side, skip: Set<string>): void {
  const before = names(kw(o, 'required'));
  const after = names(kw(n, 'required'));
  const beforeSet = new Set(before);
  const afterSet = new Set(after);
  const index = (side: Side, key: string) => String((kw(side, 'required') as unknown[]).indexOf(key));
  for (const key of before) {
    if (skip.has(key) || afterSet.has(key)) continue;
    const property = at(n, 'properties', key);
    ctx.emit({
      rule: 'REQUIRED_REMOVED',
      old: at(o, 'required', index(o, key)),
      new: property,
      path: property ?? at(o, 'properties', key),
      message: `property ${code(key)} is no longer required`,
      impacts: { forward: true, source: true },
    });
  }
  for (const key of after) {
    if (skip.has(key) || beforeSet.has(key)) continue;
    const property = at(o, 'properties', key);
    ctx.emit({
      rule: 'REQUIRED_ADDED',
      old: property,
      new: at(n, 'required', index(n, key)),
      path: at(n, 'properties', key) ?? property,
      message: `property ${code(key)} is now required`,
      impacts: { backward: true, source: true },
    });
  }
}

/** `additionalProperties` / `unevaluatedProperties` and `patternProperties`. */
function compareContent(ctx: DiffContext, o: Side, n: Side): void {
  // The closure of each side, by whichever keyword sets it (so `additionalProperties: false` → `unevaluatedProperties: false` is no change).
  const a = additional(o);
  const b = additional(n);
  if ((a.node === false) === (b.node === false)) ctx.walk(a, b);
  else {
    const narrowed = b.node === false;
    const keyword = narrowed ? closureKeyword(n) : closureKeyword(o);
    ctx.emit({
      rule: narrowed ? 'ADDITIONAL_PROPERTIES_NARROWED' : 'ADDITIONAL_PROPERTIES_WIDENED',
      old: a.ptr,
      new: b.ptr,
      message: narrowed ? `\`${keyword}\` is now false: undeclared keys are rejected` : `\`${keyword}\` is no longer false: undeclared keys are accepted`,
      impacts: narrowed ? { backward: true, source: true } : { forward: true },
    });
  }
  const before = keysOf(o, 'patternProperties');
  const after = keysOf(n, 'patternProperties');
  for (const pattern of before) {
    const a = sub(o, 'patternProperties', pattern);
    if (after.includes(pattern)) {
      ctx.walk(a, sub(n, 'patternProperties', pattern));
      continue;
    }
    const cover = additional(n);
    const { impacts } = ctx.probe(() => ctx.walk(a, cover));
    ctx.emit({ rule: 'PATTERN_PROPERTY_REMOVED', old: a.ptr, message: `patternProperties ${code(pattern)} removed`, impacts: { ...impacts, source: true } });
  }
  for (const pattern of after) {
    if (before.includes(pattern)) continue;
    const b = sub(n, 'patternProperties', pattern);
    const { impacts } = ctx.probe(() => ctx.walk(additional(o), b));
    ctx.emit({ rule: 'PATTERN_PROPERTY_ADDED', new: b.ptr, message: `patternProperties ${code(pattern)} added`, impacts: { ...impacts, source: true } });
  }
}

/** `dependentRequired`, `dependentSchemas` and draft-07 `dependencies`. */
function compareDependencies(ctx: DiffContext, o: Side, n: Side): void {
  const a = dependencyParts(located(o));
  const b = dependencyParts(located(n));
  for (const key of [...new Set([...Object.keys(a.required), ...Object.keys(b.required)])].sort()) {
    const x = a.required[key] ?? [];
    const y = b.required[key] ?? [];
    const gained = y.filter((name) => !x.includes(name));
    const lost = x.filter((name) => !y.includes(name));
    const ptrs = { old: a.requiredAt[key], new: b.requiredAt[key] };
    if (gained.length > 0) {
      ctx.emit({ rule: 'DEPENDENCY_ADDED', ...ptrs, message: `when ${code(key)} is present, ${gained.map(code).join(', ')} must be too`, impacts: { backward: true }, after: gained });
    }
    if (lost.length > 0) {
      ctx.emit({ rule: 'DEPENDENCY_REMOVED', ...ptrs, message: `when ${code(key)} is present, ${lost.map(code).join(', ')} need no longer be`, impacts: { forward: true }, before: lost });
    }
  }
  for (const key of [...new Set([...Object.keys(a.schemas), ...Object.keys(b.schemas)])].sort()) {
    const x = a.schemas[key];
    const y = b.schemas[key];
    ctx.walk(x ? { node: x.node, ptr: x.pointer } : { node: true, ptr: undefined }, y ? { node: y.node, ptr: y.pointer } : { node: true, ptr: undefined });
  }
}
