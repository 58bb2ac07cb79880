/**
 * Rules on composition: `anyOf`/`oneOf` branches, `allOf` conjuncts, the switch between `anyOf`
 * and `oneOf`, `not` (whose inner changes count in the opposite direction), `if`/`then`/`else`
 * and the OpenAPI `discriminator`.
 *
 * Branches are matched before they are compared: first references to the same definition, then
 * structurally equal schemas, then a unique descriptive key (`title`, a property with a single
 * constant value — the usual discriminator — or the `type` set), and the rest by position when
 * both sides have as many left. A schema that gains a union while keeping nothing else beside it
 * (`{"type":"string"}` → `{"anyOf":[{"type":"string"},{"type":"null"}]}`) is compared as a
 * one-branch union, so the change reads as a branch added, not as a rewrite.
 */
import { joinPointer } from '../../core/pointer.js';
import { at, compareToggle, kw, located, members, sub, type DiffContext, type Side } from './context.js';
import type { SchemaDocument } from './document.js';
import type { RuleId } from './rules.js';
import type { JsonSchema } from './types.js';
import { canonicalKey, deepEqual, typeSet, valueSet } from './values.js';
import { ASSERTIONS, KEYWORD_GROUPS, acceptsAll, refOf } from './vocabulary.js';

const UNIONS = ['anyOf', 'oneOf'] as const;

/** The rules for members of one kind of list. */
interface ListRules {
  added: RuleId;
  removed: RuleId;
  noun: string;
}
const UNION_RULES: ListRules = { added: 'UNION_BRANCH_ADDED', removed: 'UNION_BRANCH_REMOVED', noun: 'branch' };
const ALLOF_RULES: ListRules = { added: 'ALLOF_CONJUNCT_ADDED', removed: 'ALLOF_CONJUNCT_REMOVED', noun: 'allOf member' };

/** The union keyword of a side that holds a union and nothing else that asserts, or `undefined`. */
function onlyUnion(side: Side): 'anyOf' | 'oneOf' | undefined {
  if (typeof side.node === 'boolean') return undefined;
  const present = UNIONS.filter((k) => Array.isArray(kw(side, k)));
  if (present.length !== 1) return undefined;
  for (const key in side.node) if (ASSERTIONS.has(key) && key !== present[0]) return undefined;
  return present[0];
}

function hasComposition(side: Side): boolean {
  return ['anyOf', 'oneOf', 'allOf'].some((k) => kw(side, k) !== undefined);
}

/**
 * When one side is a bare union and the other a plain schema with constraints, the keyword of the
 * union and which side holds it; such pairs are compared by {@link compareLifted}.
 */
export function liftable(o: Side, n: Side): { side: 'old' | 'new'; keyword: 'anyOf' | 'oneOf' } | undefined {
  const un = onlyUnion(n);
  if (un && !hasComposition(o) && o.node !== false && !acceptsAll(o.node)) return { side: 'new', keyword: un };
  const uo = onlyUnion(o);
  if (uo && !hasComposition(n) && n.node !== false && !acceptsAll(n.node)) return { side: 'old', keyword: uo };
  return undefined;
}

/**
 * Compares a plain schema with a bare union as a union of one branch per type of its `type` list (annotations stay
 * with the outer nodes): `{"type": ["integer", "null"]}` accepts what `{"anyOf": [{"type": "integer"}, {"type":
 * "null"}]}` does, so the two compare equal, and a change inside one type's branch is reported there.
 */
export function compareLifted(ctx: DiffContext, o: Side, n: Side, lift: { side: 'old' | 'new'; keyword: 'anyOf' | 'oneOf' }): void {
  const olds = lift.side === 'old' ? members(o, lift.keyword)! : byType(o);
  const news = lift.side === 'new' ? members(n, lift.keyword)! : byType(n);
  compareLists(ctx, olds, news, UNION_RULES, { old: at(o, lift.keyword) ?? o.ptr, new: at(n, lift.keyword) ?? n.ptr }, true);
}

/** The instance type each type-specific keyword group applies to (validators ignore the keywords for other types). */
const GROUP_TYPE: ReadonlyMap<string, string> = new Map([
  ...KEYWORD_GROUPS.strings.filter((k) => k !== 'format').map((k) => [k, 'string'] as const),
  ...KEYWORD_GROUPS.numbers.map((k) => [k, 'number'] as const),
  ...KEYWORD_GROUPS.arrays.map((k) => [k, 'array'] as const),
  ...KEYWORD_GROUPS.objects.map((k) => [k, 'object'] as const),
]);

/**
 * A plain schema with several types as one branch per type: `{"type": [A, B], …}` accepts what
 * `{"anyOf": [{"type": A, …}, {"type": B, …}]}` does (`type` is a disjunction and the other keywords distribute over
 * it), and each branch keeps only the keywords that apply to its type (`maxLength` to strings, `format` to anything
 * but null and booleans; an `enum` counts only its values of that type, see `valueSet`, and is dropped from the
 * null branch when it allows null). The branches keep the side's pointer, so a change in one points at the plain
 * schema.
 */
function byType(side: Side): Side[] {
  const types = typeSet(side.node);
  if (typeof side.node === 'boolean' || !types || types.length < 2) return [side];
  const node = side.node;
  return types.map((type) => {
    const branch: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      const owner = GROUP_TYPE.get(key);
      const applies = owner === undefined ? key !== 'nullable' && (key !== 'format' || (type !== 'null' && type !== 'boolean')) : owner === type || (owner === 'number' && type === 'integer');
      if (applies) branch[key] = value;
    }
    branch.type = type;
    // The null branch's enum can only hold null, which the type allows anyway.
    if (type === 'null' && valueSet(branch)?.has('null')) {
      delete branch.enum;
      delete branch.const;
    }
    return { ...side, node: branch };
  });
}

/** Compares `anyOf`, `oneOf`, `allOf`, `not`, `if`/`then`/`else` and `discriminator`. */
export function compareComposition(ctx: DiffContext, o: Side, n: Side): void {
  compareUnions(ctx, o, n);
  const allOfOld = members(o, 'allOf');
  const allOfNew = members(n, 'allOf');
  if (allOfOld || allOfNew) compareLists(ctx, allOfOld ?? [], allOfNew ?? [], ALLOF_RULES, { old: at(o, 'allOf'), new: at(n, 'allOf') }, false);
  compareNot(ctx, o, n);
  compareCondition(ctx, o, n);
  const before = kw(o, 'discriminator');
  const after = kw(n, 'discriminator');
  if (!deepEqual(before, after)) {
    ctx.emit({
      rule: 'DISCRIMINATOR_CHANGED',
      old: at(o, 'discriminator'),
      new: at(n, 'discriminator'),
      message: 'discriminator changed',
      impacts: { backward: true, forward: true, source: true },
      before,
      after,
    });
  }
}

function compareUnions(ctx: DiffContext, o: Side, n: Side): void {
  const has = (s: Side, k: string) => Array.isArray(kw(s, k));
  // anyOf ↔ oneOf: report the switch, then compare the branches across keywords.
  for (const [from, to] of [['anyOf', 'oneOf'], ['oneOf', 'anyOf']] as const) {
    if (has(o, from) && !has(o, to) && has(n, to) && !has(n, from)) {
      ctx.emit({
        rule: 'COMBINATOR_CHANGED',
        old: at(o, from),
        new: at(n, to),
        message: `\`${from}\` became \`${to}\``,
        impacts: { backward: true, forward: true, source: true },
        before: from,
        after: to,
      });
      compareLists(ctx, members(o, from)!, members(n, to)!, UNION_RULES, { old: at(o, from), new: at(n, to) }, false);
      return;
    }
  }
  for (const keyword of UNIONS) {
    const toggle = { added: 'COMBINATOR_ADDED', removed: 'COMBINATOR_REMOVED', present: Array.isArray, source: true } as const;
    if (compareToggle(ctx, o, n, keyword, toggle)) compareLists(ctx, members(o, keyword)!, members(n, keyword)!, UNION_RULES, { old: at(o, keyword), new: at(n, keyword) }, false);
  }
}

/**
 * Matches two lists of subschemas, compares the pairs and reports the rest as added or removed.
 * @param lists - pointers of the two list keywords, for members only one side has.
 * @param lifted - whether one list is a lifted plain schema, whose annotations are not compared.
 */
function compareLists(ctx: DiffContext, olds: Side[], news: Side[], rules: ListRules, lists: { old?: string; new?: string }, lifted: boolean): void {
  const { pairs, oldOnly, newOnly } = matchMembers(ctx, olds, news);
  for (const [i, j] of pairs) ctx.walk(olds[i]!, news[j]!, { annotations: !lifted });
  for (const i of oldOnly) {
    ctx.emit({ rule: rules.removed, old: olds[i]!.ptr, new: lists.new, message: `${rules.noun} ${i}${describeMember(olds[i]!)} removed`, impacts: removedImpacts(rules) });
  }
  for (const j of newOnly) {
    ctx.emit({ rule: rules.added, old: lists.old, new: news[j]!.ptr, message: `${rules.noun} ${j}${describeMember(news[j]!)} added`, impacts: addedImpacts(rules) });
  }
}

const removedImpacts = (rules: ListRules) => (rules === UNION_RULES ? { backward: true, source: true } : { forward: true, source: true });
const addedImpacts = (rules: ListRules) => (rules === UNION_RULES ? { forward: true, source: true } : { backward: true, source: true });

/** Index pairs of matched members, and the unmatched indices of each side (ascending). */
export function matchMembers(ctx: DiffContext, olds: Side[], news: Side[]): { pairs: Array<[number, number]>; oldOnly: number[]; newOnly: number[] } {
  const pairs: Array<[number, number]> = [];
  const freeOld = new Set(olds.keys());
  const freeNew = new Set(news.keys());
  const pair = (i: number, j: number) => {
    pairs.push([i, j]);
    freeOld.delete(i);
    freeNew.delete(j);
  };
  const byUniqueKey = (keyOld: (s: Side) => string | undefined, keyNew: (s: Side) => string | undefined) => {
    const index = (free: Set<number>, list: Side[], key: (s: Side) => string | undefined) => {
      const map = new Map<string, number[]>();
      for (const i of free) {
        const k = key(list[i]!);
        if (k !== undefined) map.set(k, [...(map.get(k) ?? []), i]);
      }
      return map;
    };
    const a = index(freeOld, olds, keyOld);
    const b = index(freeNew, news, keyNew);
    for (const [k, is] of a) {
      const js = b.get(k);
      if (is.length === 1 && js?.length === 1) pair(is[0]!, js[0]!);
    }
  };
  byUniqueKey((s) => ctx.refIdentity(s, 'old'), (s) => ctx.refIdentity(s, 'new'));
  // Members written identically at the same index pair at once (the common, unchanged case: no structural comparison).
  for (const i of [...freeOld]) if (freeNew.has(i) && deepEqual(olds[i]!.node, news[i]!.node)) pair(i, i);
  // Equal members: the one at the same index first, then any with the same shape.
  const signatures = new Map([...freeNew].map((j) => [j, ctx.sameShape.bucketKey('new', located(news[j]!))]));
  const equalAt = (i: number, j: number, signature: string) =>
    freeNew.has(j) && signatures.get(j) === signature && ctx.sameShape.equal(located(olds[i]!), located(news[j]!));
  for (const i of [...freeOld]) {
    const signature = ctx.sameShape.bucketKey('old', located(olds[i]!));
    const j = equalAt(i, i, signature) ? i : [...freeNew].find((j) => equalAt(i, j, signature));
    if (j !== undefined) pair(i, j);
  }
  byUniqueKey((s) => branchKey(ctx.oldDoc, s), (s) => branchKey(ctx.newDoc, s));
  if (freeOld.size === freeNew.size) {
    const rest = [...freeNew];
    [...freeOld].forEach((i, k) => pair(i, rest[k]!));
  }
  pairs.sort((x, y) => x[0] - y[0]);
  return { pairs, oldOnly: [...freeOld].sort((x, y) => x - y), newOnly: [...freeNew].sort((x, y) => x - y) };
}

/** A descriptive key of a member: its `title`, a property with one constant value, or its `type` set. */
function branchKey(doc: SchemaDocument, side: Side): string | undefined {
  const target = doc.follow(located(side));
  const node = target.node;
  if (typeof node === 'boolean') return undefined;
  if (typeof node.title === 'string') return `title:${node.title}`;
  const properties = node.properties;
  if (properties !== null && typeof properties === 'object' && !Array.isArray(properties)) {
    for (const name of Object.keys(properties).sort()) {
      const value = (properties as Record<string, unknown>)[name];
      if (typeof value !== 'boolean' && (value === null || typeof value !== 'object')) continue;
      const property = doc.follow({ node: value as JsonSchema, pointer: joinPointer(target.pointer, 'properties', name) }).node;
      const values = valueSet(property);
      if (values?.size === 1) return `tag:${name}=${canonicalKey([...values.values()][0])}`;
    }
  }
  return `type:${typeSet(node)?.join('|') ?? '*'}`;
}

/** A few words that tell a member apart in a message: its reference, title or type. */
function describeMember(side: Side): string {
  const ref = refOf(side.node);
  if (ref) return ` (${ref.ref})`;
  if (typeof side.node === 'boolean') return ` (${side.node})`;
  if (typeof side.node.title === 'string') return ` (${side.node.title})`;
  const types = typeSet(side.node);
  return types ? ` (${types.join(' | ')})` : '';
}

/** `not`: added narrows, removed widens, and a change inside counts in the opposite direction. */
function compareNot(ctx: DiffContext, o: Side, n: Side): void {
  if (!compareToggle(ctx, o, n, 'not', { added: 'NOT_ADDED', removed: 'NOT_REMOVED' })) return;
  const { impacts } = ctx.probe(() => ctx.walk(sub(o, 'not'), sub(n, 'not')));
  if (impacts.backward || impacts.forward) {
    ctx.emit({ rule: 'NOT_CHANGED', old: at(o, 'not'), new: at(n, 'not'), message: 'the schema under `not` changed', impacts: { backward: impacts.forward, forward: impacts.backward } });
  }
}

/** `if`/`then`/`else`: a changed condition may move instances either way; `then`/`else` compare as usual under the same `if`. */
function compareCondition(ctx: DiffContext, o: Side, n: Side): void {
  if (!compareToggle(ctx, o, n, 'if', { added: 'CONDITION_CHANGED', removed: 'CONDITION_CHANGED' })) return;
  const { impacts } = ctx.probe(() => ctx.walk(sub(o, 'if'), sub(n, 'if')));
  if (impacts.backward || impacts.forward) {
    ctx.emit({ rule: 'CONDITION_CHANGED', old: at(o, 'if'), new: at(n, 'if'), message: 'the `if` condition changed', impacts: { backward: true, forward: true } });
  }
  ctx.walk(sub(o, 'then'), sub(n, 'then'));
  ctx.walk(sub(o, 'else'), sub(n, 'else'));
}
