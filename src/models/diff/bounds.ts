/**
 * Bounds: counts (`minLength`, `maxItems`, `minProperties`...) and numeric ranges (`minimum`,
 * `exclusiveMaximum` in both its draft-04 boolean and draft-06+ numeric forms, `multipleOf`).
 */
import { at, kw, type DiffContext, type Side } from './context.js';
import type { RuleId } from './rules.js';
import { show } from './values.js';

/** The rules and wording of one family of counts. */
export interface CountFamily {
  tightened: RuleId;
  relaxed: RuleId;
  /** Whether a change breaks generated code (json-schema-to-typescript turns min/maxItems into tuples). */
  source: boolean;
}

/**
 * Compares one count keyword. A minimum defaults to 0 (`minContains` to 1) and a maximum to
 * unbounded, so adding `minLength: 0` changes nothing while adding `maxLength: 5` tightens.
 */
export function compareCount(ctx: DiffContext, o: Side, n: Side, keyword: string, family: CountFamily): void {
  const isMin = keyword.startsWith('min');
  const neutral = keyword === 'minContains' ? 1 : isMin ? 0 : Number.POSITIVE_INFINITY;
  const before = kw(o, keyword);
  const after = kw(n, keyword);
  const a = typeof before === 'number' ? before : neutral;
  const b = typeof after === 'number' ? after : neutral;
  if (a === b) return;
  const tighter = isMin ? b > a : b < a;
  ctx.emit({
    rule: tighter ? family.tightened : family.relaxed,
    old: at(o, keyword),
    new: at(n, keyword),
    message: `\`${keyword}\` ${show(before)} → ${show(after)}`,
    impacts: tighter ? { backward: true, source: family.source } : { forward: true, source: family.source },
    before,
    after,
  });
}

/** A numeric bound: its value, whether it is exclusive, and the keyword that sets it. */
interface Bound {
  value: number;
  exclusive: boolean;
  keyword: string;
}

/**
 * The effective lower (or upper) bound of a node: the tighter of `minimum` and a numeric
 * `exclusiveMinimum`, or `minimum` made exclusive by a draft-04 `exclusiveMinimum: true`.
 */
function bound(side: Side, lower: boolean): Bound | undefined {
  const inclusiveKey = lower ? 'minimum' : 'maximum';
  const exclusiveKey = lower ? 'exclusiveMinimum' : 'exclusiveMaximum';
  const inclusive = kw(side, inclusiveKey);
  const exclusive = kw(side, exclusiveKey);
  const candidates: Bound[] = [];
  if (typeof inclusive === 'number') candidates.push({ value: inclusive, exclusive: exclusive === true, keyword: inclusiveKey });
  if (typeof exclusive === 'number') candidates.push({ value: exclusive, exclusive: true, keyword: exclusiveKey });
  return candidates.reduce<Bound | undefined>((best, c) => (best === undefined || tightness(c, best, lower) > 0 ? c : best), undefined);
}

/** > 0 when `a` is tighter than `b`, < 0 when looser, 0 when the same; an absent bound is the loosest. */
function tightness(a: Bound | undefined, b: Bound | undefined, lower: boolean): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  if (a.value !== b.value) return (a.value > b.value) === lower ? 1 : -1;
  return a.exclusive === b.exclusive ? 0 : a.exclusive ? 1 : -1;
}

function showBound(b: Bound | undefined, lower: boolean): string {
  if (!b) return 'unbounded';
  return `${lower ? '>' : '<'}${b.exclusive ? '' : '='} ${b.value}`;
}

/** Compares `minimum`/`maximum` (with their exclusive forms) and `multipleOf`. */
export function compareNumbers(ctx: DiffContext, o: Side, n: Side): void {
  for (const lower of [true, false]) {
    const a = bound(o, lower);
    const b = bound(n, lower);
    const t = tightness(b, a, lower);
    if (t === 0) continue;
    const before = showBound(a, lower);
    const after = showBound(b, lower);
    ctx.emit({
      rule: t > 0 ? 'NUMBER_RANGE_TIGHTENED' : 'NUMBER_RANGE_RELAXED',
      old: a && at(o, a.keyword),
      new: b && at(n, b.keyword),
      message: `${lower ? 'lower' : 'upper'} bound ${before} → ${after}`,
      impacts: t > 0 ? { backward: true } : { forward: true },
      before,
      after,
    });
  }
  compareMultipleOf(ctx, o, n);
}

/** `multipleOf`: a multiple of the old step tightens, a divisor of it relaxes, anything else does both. */
function compareMultipleOf(ctx: DiffContext, o: Side, n: Side): void {
  const before = kw(o, 'multipleOf');
  const after = kw(n, 'multipleOf');
  const a = typeof before === 'number' && before > 0 ? before : undefined;
  const b = typeof after === 'number' && after > 0 ? after : undefined;
  if (a === b) return;
  const divides = (x: number, y: number) => Math.abs(y / x - Math.round(y / x)) < 1e-9;
  const tightens = b !== undefined && (a === undefined || divides(a, b));
  const relaxes = a !== undefined && (b === undefined || divides(b, a));
  const both = !tightens && !relaxes;
  const base = { old: at(o, 'multipleOf'), new: at(n, 'multipleOf'), message: `\`multipleOf\` ${show(a)} → ${show(b)}`, before: a, after: b };
  if (tightens || both) ctx.emit({ ...base, rule: 'NUMBER_RANGE_TIGHTENED', impacts: { backward: true } });
  if (relaxes || both) ctx.emit({ ...base, rule: 'NUMBER_RANGE_RELAXED', impacts: { forward: true } });
}
