/**
 * The structural walker: compares two schemas node by node, hands each node pair to the rule
 * modules, resolves references, and keeps recursion finite.
 *
 * Pairs of reference targets are memoised by (old pointer, new pointer): each pair is compared
 * once, and a pair met again while it is being compared (a recursive schema) adds nothing, so
 * changes inside a definition are reported once, at the definition's own pointers. Probes (what
 * would a comparison report, without reporting it) serve the rules whose impacts come from
 * comparing two other subschemas (`not`, partially open objects, tuples).
 */
import { compareAnnotations } from './annotations.js';
import { compareArrays } from './arrays.js';
import { compareNumbers } from './bounds.js';
import { compareComposition, compareLifted, liftable } from './composition.js';
import { at, kw, located, sub, unionKeys, type DiffContext, type Emission, type Side, type Tally, type WalkOptions } from './context.js';
import { planDefinitions, reportDefinitions, type DefinitionPlan } from './definitions.js';
import type { Located, SchemaDocument } from './document.js';
import { StructuralEquality } from './equal.js';
import { compareObjects } from './objects.js';
import { compareEnumNames, compareStrings, compareTypes, compareValues } from './scalars.js';
import type { DiffOptions, Impacts, SchemaChange } from './types.js';
import { ENUM_NAME_KEYWORDS, GROUP_BIT, GROUP_BITS, REF_KEYWORDS, isPureRef, refOf, wrappedMember, type KeywordGroup } from './vocabulary.js';

const noImpacts = (): Impacts => ({ backward: false, forward: false, source: false });

/** One comparison of an old and a new document; {@link run} returns the changes in walk order. */
export class Differ implements DiffContext {
  readonly equality: StructuralEquality;
  readonly sameShape: StructuralEquality;
  private readonly changes: SchemaChange[] = [];
  /** Tallies of the pairs and probes under way, innermost last. */
  private readonly stack: Tally[] = [];
  private probing = 0;
  /** Pairs whose changes were reported, with what they found. */
  private readonly reported = new Map<string, Tally>();
  /** Pairs compared only inside probes. */
  private readonly probed = new Map<string, Tally>();
  private readonly active = new Set<string>();
  /** Pairs of a reference's view and the other side under comparison. */
  private readonly viewing = new Set<string>();
  /** Where the node pairs under comparison are shown, innermost last (see {@link Frame}). */
  private readonly frames: Frame[] = [];
  private plan?: DefinitionPlan;
  private readonly rename = (name: string) => this.plan?.renames.get(name) ?? name;

  constructor(
    readonly oldDoc: SchemaDocument,
    readonly newDoc: SchemaDocument,
    readonly options: Required<DiffOptions>,
  ) {
    this.equality = new StructuralEquality(oldDoc, newDoc);
    this.sameShape = new StructuralEquality(oldDoc, newDoc, (side, pointer) => (side === 'old' ? oldDoc.identity(pointer, this.rename) : newDoc.identity(pointer)));
  }

  /** Compares the roots, then every pair of matching definitions, then reports definitions added, removed or renamed. */
  run(): SchemaChange[] {
    this.plan = planDefinitions(this.oldDoc, this.newDoc, this.equality, this.options.detectRenames);
    this.walkPair({ node: this.oldDoc.root, pointer: '' }, { node: this.newDoc.root, pointer: '' });
    for (const pair of this.plan.pairs) this.walkPair(pair.old, pair.new);
    reportDefinitions(this, this.plan);
    return this.changes;
  }

  emit(e: Emission): void {
    const impacts = { backward: e.impacts?.backward === true, forward: e.impacts?.forward === true, source: e.impacts?.source === true };
    this.record({ count: 1, impacts });
    if (this.probing === 0) this.changes.push(this.toChange(e, impacts));
  }

  probe(fn: () => void): Tally {
    const tally: Tally = { count: 0, impacts: noImpacts() };
    this.stack.push(tally);
    this.probing++;
    try {
      fn();
    } finally {
      this.probing--;
      this.stack.pop();
    }
    return tally;
  }

  refIdentity(side: Side, which: 'old' | 'new'): string | undefined {
    if (!isPureRef(side.node)) return undefined;
    const doc = which === 'old' ? this.oldDoc : this.newDoc;
    const target = doc.resolve(refOf(side.node)!.ref, side.ptr);
    return which === 'old' ? doc.identity(target.pointer, this.rename) : doc.identity(target.pointer);
  }

  walk(before: Side, after: Side, opts: WalkOptions = {}): void {
    if (typeof before.node === 'boolean' && before.node === after.node) return;
    this.frames.push(frame(opts.targets ? undefined : this.frames.at(-1), before, after));
    try {
      this.compare(unwrap(before, after), unwrap(after, before), opts);
    } finally {
      this.frames.pop();
    }
  }

  /** {@link walk} once the pair is framed and wrappers are unwrapped. */
  private compare(o: Side, n: Side, opts: WalkOptions): void {
    const pureOld = isPureRef(o.node);
    const pureNew = isPureRef(n.node);
    if (pureOld && pureNew) {
      if (opts.annotations !== false) compareAnnotations(this, o, n, unionKeys(o, n));
      this.compareRefs(o, n);
      return;
    }
    if (pureOld || pureNew) {
      const a = pureOld ? this.view(this.oldDoc, o) : o;
      const b = pureNew ? this.view(this.newDoc, n) : n;
      // A reference whose target unwraps to the reference again (`{"allOf": [{"$ref": "#"}]}` at the root) ends here.
      const key = `${a.ptr}\u0000${b.ptr}`;
      if (this.viewing.has(key)) return;
      this.viewing.add(key);
      try {
        this.walk(a, b, opts);
      } finally {
        this.viewing.delete(key);
      }
      return;
    }
    if (o.node === false || n.node === false) {
      if (o.node === n.node) return;
      const added = n.node === false;
      this.emit({
        rule: added ? 'FALSE_SCHEMA_ADDED' : 'FALSE_SCHEMA_REMOVED',
        old: o.ptr,
        new: n.ptr,
        message: added ? 'the schema is now false: nothing validates here' : 'the schema is no longer false',
        impacts: added ? { backward: true, source: true } : { forward: true, source: true },
      });
      return;
    }
    const a: Side = o.node === true ? { ...o, node: {} } : o;
    const b: Side = n.node === true ? { ...n, node: {} } : n;
    const keys = unionKeys(a, b);
    let groups = 0;
    for (const key of keys) groups |= GROUP_BITS.get(key) ?? 0;
    const has = (group: KeywordGroup) => (groups & GROUP_BIT[group]) !== 0;
    if (opts.annotations !== false) {
      compareAnnotations(this, a, b, keys);
      if (ENUM_NAME_KEYWORDS.some((k) => keys.has(k))) compareEnumNames(this, a, b);
    }
    const lift = (keys.has('anyOf') || keys.has('oneOf')) && liftable(a, b);
    if (lift) {
      compareLifted(this, a, b, lift);
      return;
    }
    if (REF_KEYWORDS.some((k) => keys.has(k))) this.compareRefConjuncts(a, b);
    // Each module runs only when one of its keywords is present: most nodes use few.
    if (has('types')) compareTypes(this, a, b);
    if (has('values')) compareValues(this, a, b);
    if (has('strings')) compareStrings(this, a, b);
    if (has('numbers')) compareNumbers(this, a, b);
    if (has('arrays')) compareArrays(this, a, b);
    if (has('objects')) compareObjects(this, a, b);
    if (has('composition')) compareComposition(this, a, b);
  }

  /** Two references: a new target (other than a renamed definition) is REF_RETARGETED; unequal targets are compared. */
  private compareRefs(o: Side, n: Side): void {
    const before = refOf(o.node)!;
    const after = refOf(n.node)!;
    const from = this.oldDoc.resolve(before.ref, o.ptr);
    const to = this.newDoc.resolve(after.ref, n.ptr);
    if (this.oldDoc.identity(from.pointer, this.rename) !== this.newDoc.identity(to.pointer)) {
      const equal = this.equality.equal(from, to);
      this.emit({
        rule: 'REF_RETARGETED',
        old: at(o, before.keyword),
        new: at(n, after.keyword),
        message: `reference ${before.ref} → ${after.ref}${equal ? ' (structurally equal)' : ''}`,
        impacts: { source: true },
        before: before.ref,
        after: after.ref,
      });
      if (equal) return;
    }
    this.walkPair(from, to);
  }

  /** A `$ref` beside assertions acts as one more `allOf` member. */
  private compareRefConjuncts(o: Side, n: Side): void {
    const before = refOf(o.node);
    const after = refOf(n.node);
    if (before && after) this.compareRefs(o, n);
    else if (before || after) {
      this.emit({
        rule: after ? 'ALLOF_CONJUNCT_ADDED' : 'ALLOF_CONJUNCT_REMOVED',
        old: before && at(o, before.keyword),
        new: after && at(n, after.keyword),
        message: `reference ${(after ?? before)!.ref} ${after ? 'added' : 'removed'} beside other keywords`,
        impacts: after ? { backward: true, source: true } : { forward: true, source: true },
      });
    }
  }

  /**
   * Compares two reference targets once. A pair under comparison (a cycle) adds nothing; a pair
   * already compared adds its tally without reporting again.
   */
  private walkPair(a: Located, b: Located): void {
    const key = `${a.pointer}\u0000${b.pointer}`;
    if (this.active.has(key)) return;
    const known = this.reported.get(key) ?? (this.probing > 0 ? this.probed.get(key) : undefined);
    if (known) {
      this.record(known);
      return;
    }
    const tally: Tally = { count: 0, impacts: noImpacts() };
    this.active.add(key);
    this.stack.push(tally);
    try {
      this.walk({ node: a.node, ptr: a.pointer }, { node: b.node, ptr: b.pointer }, { targets: true });
    } finally {
      this.stack.pop();
      this.active.delete(key);
    }
    (this.probing > 0 ? this.probed : this.reported).set(key, tally);
    this.record(tally);
  }

  /** A pure reference as the schema it names, with the annotations written beside it laid over. */
  private view(doc: SchemaDocument, side: Side): Side {
    const target = doc.follow(located(side));
    return { ...layOver({ node: target.node, ptr: target.pointer }, side, REF_KEYWORDS), site: side.ptr };
  }

  private record(t: Tally): void {
    const top = this.stack.at(-1);
    if (!top) return;
    top.count += t.count;
    top.impacts.backward ||= t.impacts.backward;
    top.impacts.forward ||= t.impacts.forward;
    top.impacts.source ||= t.impacts.source;
  }

  private toChange(e: Emission, impacts: Impacts): SchemaChange {
    const shownNew = e.new !== undefined ? (this.shown(e.new, 'new', 'new') ?? { pointer: e.new }) : undefined;
    const shownOld = e.old !== undefined ? (this.shown(e.old, 'old', 'old') ?? { pointer: e.old }) : undefined;
    const explicit = e.path !== undefined ? (this.shown(e.path, 'new', 'new') ?? this.shown(e.path, 'old', 'new') ?? { pointer: e.path }) : undefined;
    const path = explicit?.pointer ?? shownNew?.pointer ?? (e.old !== undefined ? (this.shown(e.old, 'old', 'new')?.pointer ?? e.old) : '');
    const via = (explicit ?? shownNew ?? shownOld)?.via ?? shownOld?.via;
    const newName = shownNew ? this.newDoc.typeNameAt(shownNew.pointer) : undefined;
    const oldName = shownOld ? this.oldDoc.typeNameAt(shownOld.pointer) : undefined;
    const typeName = newName ?? oldName ?? this.newDoc.typeNameAt(path);
    return {
      rule: e.rule,
      path,
      ...(e.old !== undefined ? { oldPointer: e.old } : {}),
      ...(e.new !== undefined ? { newPointer: e.new } : {}),
      message: e.message,
      ...(e.before !== undefined ? { before: e.before } : {}),
      ...(e.after !== undefined ? { after: e.after } : {}),
      impacts,
      ...(typeName !== undefined ? { typeName } : {}),
      ...(oldName !== undefined && oldName !== typeName ? { oldTypeName: oldName } : {}),
      ...(via !== undefined ? { via } : {}),
    };
  }

  /**
   * Where a pointer into one document is shown: below the innermost frame whose node on that side holds it, moved
   * to that frame's place in the `as` document's coordinates (the new side's place, else the old side's, for an old
   * pointer shown in the new document); `undefined` when no frame holds it.
   */
  private shown(pointer: string, side: 'old' | 'new', as: 'old' | 'new'): { pointer: string; via?: string } | undefined {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i]!;
      const base = side === 'old' ? f.old : f.new;
      const place = as === 'old' ? f.shownOld : (f.shownNew ?? f.shownOld);
      if (base === undefined || place === undefined || !isUnder(pointer, base)) continue;
      return { pointer: place + pointer.slice(base.length), ...(f.via !== undefined ? { via: f.via } : {}) };
    }
    return undefined;
  }
}

/**
 * A pair of nodes under comparison, and where its changes are shown: a node reached through a reference that the
 * other side writes inline (a view) is shown at the reference, its use site, not in the definition, which did not
 * change; nodes below a frame are shown below its place; a pair of reference targets (compared once for all their
 * uses) is shown where it is.
 */
interface Frame {
  old?: string;
  new?: string;
  shownOld?: string;
  shownNew?: string;
  /** The definition a view brought in, for the changes shown at its use site. */
  via?: string;
}

function frame(parent: Frame | undefined, o: Side, n: Side): Frame {
  const place = (side: Side, which: 'old' | 'new'): { at?: string; inherited: boolean } => {
    const at = side.site !== undefined ? side.site : side.ptr;
    const base = parent?.[which];
    const shown = which === 'old' ? parent?.shownOld : parent?.shownNew;
    if (at === undefined || base === undefined || shown === undefined || !isUnder(at, base)) return { at, inherited: false };
    return { at: shown + at.slice(base.length), inherited: true };
  };
  const a = place(o, 'old');
  const b = place(n, 'new');
  const via = o.site !== undefined ? o.ptr : n.site !== undefined ? n.ptr : a.inherited || b.inherited ? parent?.via : undefined;
  return { old: o.ptr, new: n.ptr, shownOld: a.at, shownNew: b.at, ...(via !== undefined ? { via } : {}) };
}

/** Whether `pointer` is `base` or below it. */
function isUnder(pointer: string, base: string): boolean {
  return pointer === base || (pointer.startsWith(base) && pointer[base.length] === '/') || base === '';
}

/**
 * A one-member wrapper (see {@link wrappedMember}) as the member it stands for, with the wrapper's annotations laid
 * over, unless the other side uses the same keyword: then the two lists are matched member by member as usual.
 */
function unwrap(side: Side, other: Side): Side {
  let current = side;
  for (let member = wrappedMember(current.node); member; member = wrappedMember(current.node)) {
    if (Array.isArray(kw(other, member.keyword))) break;
    current = layOver(sub(current, member.keyword, String(member.index)), current, [member.keyword]);
  }
  return current;
}

/**
 * `inner` with the keywords of `outer` (but `skip`) laid over it, each remembered with the pointer of the node it
 * lives in, so annotations written around a schema compare and point where they are written.
 */
function layOver(inner: Side, outer: Side, skip: readonly string[]): Side {
  const node = outer.node as Record<string, unknown>;
  const keys = Object.keys(node).filter((k) => !skip.includes(k));
  if (keys.length === 0 || inner.node === false) return inner;
  const merged: Record<string, unknown> = inner.node === true ? {} : { ...inner.node };
  const over = new Map(inner.over);
  for (const key of keys) {
    merged[key] = node[key];
    over.set(key, outer.over?.has(key) ? outer.over.get(key) : outer.ptr);
  }
  return { node: merged, ptr: inner.ptr, over };
}
