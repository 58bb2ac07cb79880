/**
 * Stage 3: anti-unification of a candidate family into one generalised tree (the template before variables are
 * named) — Plotkin's and Reynolds' least general generalisation (1970) where members agree, extended to hedges
 * (Kutsia, Levy & Villaret, JAR 2014) where their child sequences differ:
 *
 * - Instances of one shape are generalised position by position: equal texts stay literal, the rest become holes.
 * - Instances of one node kind but different shapes are aligned child by child against the medoid (the instance
 *   whose shape class has the most members; see `sections.ts`). A medoid child missing from some instances becomes
 *   an **optional** section; children of other instances between two aligned children become an optional section
 *   when every instance has at most one there, else a **repeated** section whose items are generalised together.
 *   Aligning against the medoid only keeps the cost linear in the number of instances (Getafix, by contrast,
 *   clusters pairwise — fine inside a family, too costly across a code base).
 * - Anything else (different kinds) becomes one hole over the instances' whole text.
 *
 * The walk visits one tree per shape class (its representative); a member's values are read from its own tokens
 * at the same positions, since units of one shape have identical trees.
 */
import { alignChildren, type ChildKeys } from './sections.js';
import type { PatternToken } from '../plugins/api.js';
import { isToken, LIST_ITEM, textOf, type SyntaxNode, type SyntaxTree } from './syntax.js';
import type { Unit } from './units.js';
import { segments, words } from './words.js';

/** One shape class of a family: the tree the walk follows and the members it stands for. */
export interface FamilyClass {
  /** Tree of `rep` (a unit of the class's shape that kept its tree). */
  tree: SyntaxNode;
  /** The unit whose token positions `tree` holds. */
  rep: Unit;
  /** Members of the family with this shape, in unit order. */
  members: Unit[];
}

/** A node of the generalised tree. */
export type GNode = GText | GHole | GSpan | GSeq | GOpt | GEach;

/** Literal text, the same in every instance. */
export interface GText {
  type: 'text';
  text: string;
}

/** A position whose text differs between instances. */
export interface GHole {
  type: 'hole';
  /** Unique within the family. */
  id: number;
  /** A name hint from the surrounding syntax (the nearest declaration, property or call whose name all agree on). */
  label: string;
  /**
   * What the hole holds: a token of a class (`name`, `string`, `number`, `text`), `token` for another token, `node` for
   * a whole subtree, `trivia` for whitespace and comments. Names make the best variable values, trivia the worst.
   */
  source: NonNullable<PatternToken['class']> | 'token' | 'node' | 'trivia';
  /** Per instance tree, the text of every member of its class (indexed like {@link FamilyClass.members}). */
  values: Map<SyntaxTree, string[]>;
}

/** One token, or one whole subtree when the instances disagree on its kind: leading trivia, text, trailing trivia. */
export interface GSpan {
  type: 'span';
  trivia: GText | GHole;
  body: GText | GHole;
  trailing: GText | GHole;
}

/** A node's children, generalised part by part. */
export interface GSeq {
  type: 'seq';
  parts: GNode[];
  /**
   * For one instance, the children that each part stands for: one child for a plain part, none or one for an
   * optional part, any number for a repeated part.
   */
  assign(t: SyntaxTree): SyntaxTree[][];
}

/** An optional section: rendered when its flag is set (the instance has the child). */
export interface GOpt {
  type: 'opt';
  id: number;
  label: string;
  body: GNode;
}

/** A repeated section: the body once per item. */
export interface GEach {
  type: 'each';
  id: number;
  label: string;
  body: GNode;
}

/** A tree of some class, during the walk. */
interface Inst {
  t: SyntaxTree;
  c: FamilyClass;
}

/**
 * Generalises the members of a family (see the module comment). Deterministic: classes are walked in the given
 * order and ties are broken by position.
 * @returns the generalised tree, whose root assigns each class's tree to itself.
 */
export function antiUnify(classes: FamilyClass[]): GNode {
  return gen(classes.map((c) => ({ t: c.tree, c })), 'value', { next: 0, texts: new Map(), textIds: new Map(), words: new Map() });
}

/** State of one anti-unification: the next section or hole id, and interned texts for alignment. */
interface Walk {
  next: number;
  texts: Map<string, number>;
  /** Text id per tree (a tree is aligned against the medoid again at every level above it). */
  textIds: Map<SyntaxTree, number>;
  /** Word multiset per tree, for similarity. */
  words: Map<SyntaxTree, Map<string, number>>;
}

function gen(insts: Inst[], label: string, ids: Walk): GNode {
  const first = insts[0].t;
  if (insts.every((i) => i.t.shape === first.shape)) {
    if (isToken(first)) return span(insts, label, ids);
    const node = first as SyntaxNode;
    const childLabel = agreedName(insts) ?? label;
    const parts = node.children.map((_, k) => gen(insts.map((i) => ({ t: (i.t as SyntaxNode).children[k], c: i.c })), childLabel, ids));
    // All literal: one text (most of a family's template is, and the walk over members then skips it).
    if (parts.every((p) => p.type === 'text')) return { type: 'text', text: parts.map((p) => (p as GText).text).join('') };
    return { type: 'seq', parts, assign: (t) => (t as SyntaxNode).children.map((child) => [child]) };
  }
  if (insts.every((i) => !isToken(i.t) && i.t.kind === first.kind)) return aligned(insts, agreedName(insts) ?? label, ids);
  return span(insts, label, ids);
}

/** The name every instance's node declares, when they agree. */
function agreedName(insts: Inst[]): string | undefined {
  const name = isToken(insts[0].t) ? undefined : (insts[0].t as SyntaxNode).name;
  return name !== undefined && insts.every((i) => (i.t as SyntaxNode).name === name) ? name : undefined;
}

/** Hedge step: children aligned against the medoid's children (see the module comment). */
function aligned(insts: Inst[], label: string, ids: Walk): GSeq {
  const uniform = uniformList(insts, ids);
  if (uniform) return uniform;
  const medoid = insts.reduce((best, i) => (i.c.members.length > best.c.members.length ? i : best), insts[0]);
  const mChildren = (medoid.t as SyntaxNode).children;
  const n = mChildren.length;
  // slots[j]: instances having a child aligned with medoid child j; gaps[g]: per instance, children before medoid child g.
  const slots: Array<Map<SyntaxTree, SyntaxTree>> = mChildren.map(() => new Map());
  const gaps: Array<Map<SyntaxTree, SyntaxTree[]>> = Array.from({ length: n + 1 }, () => new Map());
  for (const inst of insts) {
    const children = (inst.t as SyntaxNode).children;
    const keys = childKeys(ids, (side) => (side === 0 ? medoid : inst).c.rep);
    const matches = inst === medoid ? children.map((_, k): [number, number] => [k, k]) : alignChildren(mChildren, children, keys);
    let next = 0;
    const pending: SyntaxTree[] = [];
    const flush = (g: number) => {
      if (pending.length > 0) gaps[g].set(inst.t, pending.splice(0));
    };
    for (const [mj, oi] of matches) {
      while (next < oi) pending.push(children[next++]);
      flush(mj);
      slots[mj].set(inst.t, children[oi]);
      next = oi + 1;
    }
    while (next < children.length) pending.push(children[next++]);
    flush(n);
  }
  const parts: GNode[] = [];
  const pickers: Array<(t: SyntaxTree) => SyntaxTree[]> = [];
  for (let g = 0; g <= n; g++) {
    const gap = gaps[g];
    if (gap.size > 0) {
      const items = insts.flatMap((i) => (gap.get(i.t) ?? []).map((t) => ({ t, c: i.c })));
      const repeated = [...gap.values()].some((list) => list.length > 1);
      const body = gen(items, label, ids);
      parts.push(repeated ? { type: 'each', id: ids.next++, label, body } : { type: 'opt', id: ids.next++, label, body });
      pickers.push((t) => gap.get(t) ?? []);
    }
    if (g < n) {
      const slot = slots[g];
      const present = insts.filter((i) => slot.has(i.t)).map((i) => ({ t: slot.get(i.t)!, c: i.c }));
      const body = gen(present, label, ids);
      parts.push(present.length < insts.length ? { type: 'opt', id: ids.next++, label, body } : body);
      pickers.push((t) => (slot.has(t) ? [slot.get(t)!] : []));
    }
  }
  return { type: 'seq', parts, assign: (t) => pickers.map((pick) => pick(t)) };
}

/**
 * A list whose items are all of one kind, whose length varies, and of which no item is the same in every instance
 * (so nothing would anchor an alignment): one repeated section over all items, as a person would write it
 * (`{{#each routes}}…{{/each}}`, the paths of an icon). Lists with items every instance shares are aligned instead,
 * so the shared items stay literal.
 */
function uniformList(insts: Inst[], ids: Walk): GSeq | undefined {
  const items = (t: SyntaxTree) => (t as SyntaxNode).children;
  const all = insts.flatMap((i) => items(i.t).map((t) => ({ t, c: i.c })));
  if (all.length === 0 || all.some((i) => isToken(i.t) || i.t.kind !== LIST_ITEM || (i.t as SyntaxNode).coarse !== (all[0].t as SyntaxNode).coarse)) return undefined;
  if (insts.every((i) => items(i.t).length === items(insts[0].t).length)) return undefined;
  // Items that only differ by the member's own name (`de_PutObjectCommand` / `de_GetObjectCommand`) count as shared.
  const texts = insts.map((i) => new Set(items(i.t).map((t) => withoutKey(textOf(i.c.rep.file.tokens, (t as SyntaxNode).first, (t as SyntaxNode).count), i.c.rep.key))));
  if ([...texts[0]].some((text) => texts.every((set) => set.has(text)))) return undefined;
  const label = agreedName(all) ?? 'item';
  return { type: 'seq', parts: [{ type: 'each', id: ids.next++, label, body: gen(all, label, ids) }], assign: (t) => [items(t)] };
}

/**
 * Alignment keys of children (see `sections.ts`), cached per tree: the text without the member's own name, so
 * `import { de_PutObjectCommand }` meets `import { de_GetObjectCommand }`, and the words of that text (long
 * literals count as one word, so data does not decide).
 */
function childKeys(ids: Walk, repOf: (side: 0 | 1) => Unit): ChildKeys {
  return {
    text(t, side) {
      let id = ids.textIds.get(t);
      if (id === undefined) {
        const rep = repOf(side);
        const text = withoutKey(isToken(t) ? textOf(rep.file.tokens, t.index, 1) : textOf(rep.file.tokens, t.first, t.count), rep.key);
        id = ids.texts.get(text);
        if (id === undefined) ids.texts.set(text, (id = ids.texts.size));
        ids.textIds.set(t, id);
      }
      return id;
    },
    words(t, side) {
      let bag = ids.words.get(t);
      if (!bag) {
        const rep = repOf(side);
        const tokens = rep.file.tokens;
        const [first, count] = isToken(t) ? [t.index, 1] : [t.first, t.count];
        bag = new Map();
        for (let i = first; i < first + count; i++) {
          const text = tokens.texts[i];
          for (const w of text.length > 40 ? ['…'] : words(withoutKey(text, rep.key))) bag.set(w, (bag.get(w) ?? 0) + 1);
        }
        ids.words.set(t, bag);
      }
      return bag;
    },
  };
}

const keyPatterns = new Map<string, RegExp | null>();

/** `text` with every run of the key's words (`PutObject`, `Object` of `PutObjectCommand`) replaced by `#`. */
function withoutKey(text: string, key: string): string {
  let pattern = keyPatterns.get(key);
  if (pattern === undefined) {
    const parts = segments(key).filter((x) => /[\p{L}\p{N}]/u.test(x));
    const runs: string[] = [];
    for (let a = 0; a < parts.length; a++) for (let b = a + 1; b <= parts.length; b++) runs.push(parts.slice(a, b).join(''));
    const usable = [...new Set(runs.filter((r) => r.length >= 3))].sort((x, y) => y.length - x.length);
    // One alternation, longest first, so a whole key is replaced before its parts.
    pattern = usable.length ? new RegExp(usable.map((r) => r.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g') : null;
    keyPatterns.set(key, pattern);
  }
  return pattern && text.length >= 3 ? text.replace(pattern, '#') : text;
}

/** A token or a whole subtree: leading trivia, text and trailing trivia, each literal when every member agrees. */
function span(insts: Inst[], label: string, ids: Walk): GNode {
  const trivia = sameInEveryClass(insts, 'trivia') ?? column(insts, label, ids, 'trivia', (u, at) => u.file.tokens.trivia[at]);
  const body = sameInEveryClass(insts, 'texts') ?? column(insts, label, ids, undefined, (u, at, t) => (isToken(t) ? u.file.tokens.texts[at] : textOf(u.file.tokens, at, t.count, false, false)));
  const trailing = sameInEveryClass(insts, 'trailing') ?? column(insts, label, ids, 'trivia', (u, at, t) => u.file.tokens.trailing[isToken(t) ? at : at + t.count - 1]);
  if (trivia.type === 'text' && body.type === 'text' && trailing.type === 'text') return { type: 'text', text: trivia.text + body.text + trailing.text };
  return { type: 'span', trivia, body, trailing };
}

type Part = 'trivia' | 'texts' | 'trailing';
const constantParts = new WeakMap<FamilyClass, Record<Part, Uint8Array>>();

/**
 * Per token position of a class, whether every member has the representative's trivia, text and trailing trivia
 * there. Computed once per class with comparisons only, so literal positions — most of a family — cost no value
 * arrays when the walk meets them.
 */
function constantsOf(c: FamilyClass): Record<Part, Uint8Array> {
  let out = constantParts.get(c);
  if (out) return out;
  const rep = c.rep.file.tokens;
  const count = c.tree.count;
  out = { trivia: new Uint8Array(count).fill(1), texts: new Uint8Array(count).fill(1), trailing: new Uint8Array(count).fill(1) };
  for (const part of ['trivia', 'texts', 'trailing'] as const) {
    const flags = out[part];
    const want = rep[part];
    for (const u of c.members) {
      const have = u.file.tokens[part];
      for (let rel = 0; rel < count; rel++) if (flags[rel] && have[u.first + rel] !== want[c.rep.first + rel]) flags[rel] = 0;
    }
  }
  constantParts.set(c, out);
  return out;
}

/** Literal text when every instance is a token whose `part` is the same in all members of all classes, else undefined. */
function sameInEveryClass(insts: Inst[], part: Part): GText | undefined {
  let same: string | undefined;
  for (const { t, c } of insts) {
    if (!isToken(t)) return undefined;
    const rel = t.index - c.rep.first;
    if (!constantsOf(c)[part][rel]) return undefined;
    const v = c.rep.file.tokens[part][t.index];
    if (same === undefined) same = v;
    else if (v !== same) return undefined;
  }
  return { type: 'text', text: same ?? '' };
}

/** The values of one position over every member of every instance's class; literal when they all agree. */
function column(insts: Inst[], label: string, ids: Walk, source: GHole['source'] | undefined, read: (u: Unit, at: number, t: SyntaxTree) => string): GText | GHole {
  const values = new Map<SyntaxTree, string[]>();
  let same: string | undefined;
  let constant = true;
  for (const { t, c } of insts) {
    const start = isToken(t) ? t.index : t.first;
    const count = isToken(t) ? 1 : t.count;
    const offset = start - c.rep.first;
    const list = c.members.map((u) => (count === 0 ? '' : read(u, u.first + offset, t)));
    for (const v of list) {
      if (same === undefined) same = v;
      else if (v !== same) constant = false;
    }
    values.set(t, list);
  }
  if (constant) return { type: 'text', text: same ?? '' };
  const first = insts[0].t;
  return { type: 'hole', id: ids.next++, label, source: source ?? (isToken(first) ? (first.class ?? 'token') : 'node'), values };
}
