/**
 * Rules on arrays. A tuple prefix is `prefixItems` (2020-12) or an `items` array (draft-04..2019-09);
 * the items after it are validated by `items` (2020-12) or `additionalItems` (earlier drafts),
 * else `unevaluatedItems`, else anything. Prefix positions are compared pairwise; a position only
 * one side has is compared with the schema that covers it on the other side.
 */
import { compareCount } from './bounds.js';
import { compareToggle, kw, members, sub, type DiffContext, type Side } from './context.js';

interface ArrayShape {
  prefix: Side[];
  rest: Side;
}

function restOf(side: Side, keywords: string[]): Side {
  const keyword = keywords.find((k) => kw(side, k) !== undefined);
  return keyword ? sub(side, keyword) : { node: true, ptr: undefined };
}

function shape(side: Side): ArrayShape {
  const prefixItems = members(side, 'prefixItems');
  if (prefixItems) return { prefix: prefixItems, rest: restOf(side, ['items', 'unevaluatedItems']) };
  const tuple = members(side, 'items');
  if (tuple) return { prefix: tuple, rest: restOf(side, ['additionalItems', 'unevaluatedItems']) };
  return { prefix: [], rest: restOf(side, ['items', 'unevaluatedItems']) };
}

/** Compares the array keywords of two sides. */
export function compareArrays(ctx: DiffContext, o: Side, n: Side): void {
  const a = shape(o);
  const b = shape(n);
  const common = Math.min(a.prefix.length, b.prefix.length);
  for (let i = 0; i < common; i++) ctx.walk(a.prefix[i]!, b.prefix[i]!);
  for (let i = common; i < b.prefix.length; i++) {
    const item = b.prefix[i]!;
    const { impacts } = ctx.probe(() => ctx.walk(a.rest, item));
    ctx.emit({ rule: 'TUPLE_ITEM_ADDED', old: a.rest.ptr, new: item.ptr, message: `tuple position ${i} added`, impacts: { ...impacts, source: true } });
  }
  for (let i = common; i < a.prefix.length; i++) {
    const item = a.prefix[i]!;
    const { impacts } = ctx.probe(() => ctx.walk(item, b.rest));
    ctx.emit({ rule: 'TUPLE_ITEM_REMOVED', old: item.ptr, new: b.rest.ptr, message: `tuple position ${i} removed`, impacts: { ...impacts, source: true } });
  }
  ctx.walk(a.rest, b.rest);

  const items = { tightened: 'ARRAY_COUNT_TIGHTENED', relaxed: 'ARRAY_COUNT_RELAXED', source: true } as const;
  compareCount(ctx, o, n, 'minItems', items);
  compareCount(ctx, o, n, 'maxItems', items);
  const contains = { ...items, source: false };
  compareCount(ctx, o, n, 'minContains', contains);
  compareCount(ctx, o, n, 'maxContains', contains);

  compareToggle(ctx, o, n, 'uniqueItems', {
    added: 'UNIQUE_ITEMS_ADDED',
    removed: 'UNIQUE_ITEMS_REMOVED',
    present: (v) => v === true,
    messages: ['items must now be unique', 'items need no longer be unique'],
  });
  if (compareToggle(ctx, o, n, 'contains', { added: 'CONTAINS_ADDED', removed: 'CONTAINS_REMOVED' })) ctx.walk(sub(o, 'contains'), sub(n, 'contains'));
}
