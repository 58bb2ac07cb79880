/**
 * Rules on instance types and values: `type` (with `nullable`), `enum`/`const`, generated enum
 * member names, and the string keywords `minLength`, `maxLength`, `pattern`, `format`.
 */
import { compareCount } from './bounds.js';
import { at, kw, type DiffContext, type Side } from './context.js';
import { deepEqual, isConst, show, typeSet, valueSet } from './values.js';
import { ENUM_NAME_KEYWORDS } from './vocabulary.js';

/**
 * Formats that code generators map to their own types, so changing them changes generated code:
 * quicktype's transformed string types (date-time, date, time, uuid, uri) and OpenAPI Generator's
 * type mappings (int32, int64, float, double, byte, binary, decimal).
 */
const TYPED_FORMATS = new Set(['date-time', 'date', 'time', 'uuid', 'uri', 'int32', 'int64', 'float', 'double', 'byte', 'binary', 'decimal']);

/** Whether a type list covers `t` (`number` covers `integer`). */
function covers(types: readonly string[], t: string): boolean {
  return types.includes(t) || (t === 'integer' && types.includes('number'));
}

const showTypes = (types: readonly string[] | undefined) => (types ? types.join(' | ') || 'nothing' : 'any');

/** `type` and OpenAPI `nullable`: nullability has its own rules, the other types narrow, widen or change. */
export function compareTypes(ctx: DiffContext, o: Side, n: Side): void {
  const a = typeSet(o.node);
  const b = typeSet(n.node);
  if (showTypes(a) === showTypes(b)) return;
  const ptrs = { old: at(o, 'type'), new: at(n, 'type') };
  const values = { before: a ?? 'any', after: b ?? 'any' };
  const message = `type ${showTypes(a)} → ${showTypes(b)}`;
  if (a === undefined || b === undefined) {
    const narrowed = a === undefined;
    ctx.emit({ rule: narrowed ? 'TYPE_NARROWED' : 'TYPE_WIDENED', ...ptrs, ...values, message, impacts: narrowed ? { backward: true, source: true } : { forward: true, source: true } });
    return;
  }
  const nullBefore = a.includes('null');
  const nullAfter = b.includes('null');
  if (nullBefore !== nullAfter) {
    const viaFlag = kw(o, 'nullable') !== kw(n, 'nullable');
    ctx.emit({
      rule: nullAfter ? 'NULLABLE_ADDED' : 'NULLABLE_REMOVED',
      old: viaFlag ? at(o, 'nullable') : ptrs.old,
      new: viaFlag ? at(n, 'nullable') : ptrs.new,
      ...values,
      message: nullAfter ? `null is now allowed (${message})` : `null is no longer allowed (${message})`,
      impacts: nullAfter ? { forward: true, source: true } : { backward: true, source: true },
    });
  }
  const restA = a.filter((t) => t !== 'null');
  const restB = b.filter((t) => t !== 'null');
  const lost = restA.filter((t) => !covers(restB, t));
  const gained = restB.filter((t) => !covers(restA, t));
  if (lost.length === 0 && gained.length === 0) return;
  const rule = lost.length && gained.length ? 'TYPE_CHANGED' : lost.length ? 'TYPE_NARROWED' : 'TYPE_WIDENED';
  ctx.emit({ rule, ...ptrs, ...values, message, impacts: { backward: lost.length > 0, forward: gained.length > 0, source: true } });
}

/** `enum` and `const`, compared as value sets (`const` is a one-value enum). */
export function compareValues(ctx: DiffContext, o: Side, n: Side): void {
  const a = valueSet(o.node);
  const b = valueSet(n.node);
  if (!a && !b) return;
  const keyword = (s: Side) => (isConst(s.node) ? 'const' : 'enum');
  if (!a || !b) {
    const added = !a;
    const values = [...(a ?? b)!.values()];
    ctx.emit({
      rule: added ? 'ENUM_CONSTRAINT_ADDED' : 'ENUM_CONSTRAINT_REMOVED',
      old: a && at(o, keyword(o)),
      new: b && at(n, keyword(n)),
      message: `${added ? 'values restricted to' : 'no longer restricted to'} ${show(values)}`,
      impacts: added ? { backward: true, source: true } : { forward: true, source: true },
      ...(added ? { after: values } : { before: values }),
    });
    return;
  }
  if (isConst(o.node) && isConst(n.node)) {
    if (!deepEqual(kw(o, 'const'), kw(n, 'const'))) {
      const before = kw(o, 'const');
      const after = kw(n, 'const');
      ctx.emit({ rule: 'CONST_CHANGED', old: at(o, 'const'), new: at(n, 'const'), message: `const ${show(before)} → ${show(after)}`, impacts: { backward: true, forward: true, source: true }, before, after });
    }
    return;
  }
  // Pointers name the member: `/enum/<index>` (or `/const`) on the side that has it.
  const memberAt = (s: Side, value: unknown): string | undefined => {
    if (isConst(s.node)) return at(s, 'const');
    const index = (kw(s, 'enum') as unknown[]).findIndex((v) => deepEqual(v, value));
    return at(s, 'enum', String(index));
  };
  for (const [key, value] of a) {
    if (!b.has(key)) {
      ctx.emit({ rule: 'ENUM_VALUE_REMOVED', old: memberAt(o, value), new: at(n, keyword(n)), message: `enum value ${show(value)} removed`, impacts: { backward: true, source: true }, before: value });
    }
  }
  for (const [key, value] of b) {
    if (!a.has(key)) {
      ctx.emit({ rule: 'ENUM_VALUE_ADDED', old: at(o, keyword(o)), new: memberAt(n, value), message: `enum value ${show(value)} added`, impacts: { forward: true }, after: value });
    }
  }
}

/** Extensions that name generated enum members. */
export function compareEnumNames(ctx: DiffContext, o: Side, n: Side): void {
  for (const keyword of ENUM_NAME_KEYWORDS) {
    const before = kw(o, keyword);
    const after = kw(n, keyword);
    if (deepEqual(before, after)) continue;
    ctx.emit({ rule: 'ENUM_NAMES_CHANGED', old: at(o, keyword), new: at(n, keyword), message: `\`${keyword}\` ${show(before)} → ${show(after)}`, impacts: { source: true }, before, after });
  }
}

/** `minLength`, `maxLength`, `pattern` and `format`. */
export function compareStrings(ctx: DiffContext, o: Side, n: Side): void {
  const lengths = { tightened: 'STRING_LENGTH_TIGHTENED', relaxed: 'STRING_LENGTH_RELAXED', source: false } as const;
  compareCount(ctx, o, n, 'minLength', lengths);
  compareCount(ctx, o, n, 'maxLength', lengths);
  const pa = kw(o, 'pattern');
  const pb = kw(n, 'pattern');
  if (pa !== pb) {
    const rule = pa === undefined ? 'PATTERN_ADDED' : pb === undefined ? 'PATTERN_REMOVED' : 'PATTERN_CHANGED';
    ctx.emit({
      rule,
      old: at(o, 'pattern'),
      new: at(n, 'pattern'),
      message: `pattern ${show(pa)} → ${show(pb)}`,
      impacts: { backward: pb !== undefined, forward: pa !== undefined },
      before: pa,
      after: pb,
    });
  }
  const fa = kw(o, 'format');
  const fb = kw(n, 'format');
  if (fa !== fb) {
    ctx.emit({
      rule: 'FORMAT_CHANGED',
      old: at(o, 'format'),
      new: at(n, 'format'),
      message: `format ${show(fa)} → ${show(fb)}`,
      impacts: { backward: fb !== undefined, forward: fa !== undefined, source: TYPED_FORMATS.has(fa as string) || TYPED_FORMATS.has(fb as string) },
      before: fa,
      after: fb,
    });
  }
}
