/**
 * The syntax trees pattern detection works on: a language's {@link PatternNode} tree annotated in one pass with
 * exact structural shapes (hash-consed ids, so equal ids mean equal structure: no hash collisions), coarse keys
 * for alignment, and token ranges into the file's flat token arrays.
 *
 * The shape abstracts identifiers, strings, numbers and free text by class (Type-2 clones, as in CloneDR's
 * "identifier-blind" subtree hash, Baxter et al. 1998, and PMD CPD's `--ignore-identifiers --ignore-literals`).
 */
import type { PatternNode, PatternToken, PatternTree } from '../plugins/api.js';
import { fmix32 } from './minhash.js';

/** A token of an annotated tree. */
export interface SyntaxToken extends PatternToken {
  /** Index of the token in its file's {@link FileTokens}. */
  index: number;
  /** Shape id: equal for tokens of the same kind, or of the same class. */
  shape: number;
}

/** An inner node of an annotated tree. */
export interface SyntaxNode extends PatternNode {
  children: SyntaxTree[];
  /** Index of the node's first token in its file's {@link FileTokens}. */
  first: number;
  /** Number of tokens the node spans (trivia excluded from none: each token carries its leading trivia). */
  count: number;
  /** Shape id: equal ids mean the same kinds in the same structure, names and literals aside. */
  shape: number;
  /** Coarse alignment key: the node kind (for a list element wrapper, the element's kind). */
  coarse: number;
}

/** A node or a token of an annotated tree. */
export type SyntaxTree = SyntaxNode | SyntaxToken;

/** A file's tokens as parallel arrays (text = concatenation of `trivia[i] + texts[i] + trailing[i]`). */
export interface FileTokens {
  trivia: string[];
  texts: string[];
  trailing: string[];
  /** Shape id per token (class-abstracted kind). */
  shapes: number[];
}

/** True for a token. */
export function isToken(t: PatternTree | SyntaxTree): t is SyntaxToken {
  return (t as PatternToken).text !== undefined;
}

/**
 * Interns structures to small integers (hash-consing), one table per detection run shared by all files, so a shape
 * id means the same structure in every file of the run. A structure is keyed by a 53-bit hash of its kind and its
 * children's ids (two 32-bit murmur3 finalisers, kept to 53 bits so the key is an exact JavaScript number): numeric
 * keys are several times cheaper than string keys, and with a million distinct structures the chance of any
 * collision is about n²/2⁵⁴ ≈ 10⁻⁴.
 */
export class ShapeTable {
  private readonly ids = new Map<number, number>();
  private readonly kinds = new Map<string, number>();
  private readonly tokens = new Map<string, number>();
  private readonly starts = new Map<string, number>();
  private readonly labels = new Map<string, number>();
  private readonly items = new Map<string, number>();

  /** The id of a token of kind or class `label`. */
  token(label: string): number {
    let id = this.tokens.get(label);
    if (id === undefined) this.tokens.set(label, (id = this.id(hashStart(this.kindId(`t:${label}`)), 0)));
    return id;
  }

  /** The id of a structure: `state` from {@link ShapeTable.begin}, fed with each child's id by {@link ShapeTable.add}. */
  id(state: number, length: number): number {
    const key = finish(state, length);
    let id = this.ids.get(key);
    if (id === undefined) this.ids.set(key, (id = this.ids.size));
    return id;
  }

  /** A hash state for a node of `kind`. */
  begin(kind: string): number {
    let state = this.starts.get(kind);
    if (state === undefined) this.starts.set(kind, (state = hashStart(this.kindId(`n:${kind}`))));
    return state;
  }

  /** The id of a coarse alignment key (a label). */
  label(label: string): number {
    let id = this.labels.get(label);
    if (id === undefined) this.labels.set(label, (id = this.id(hashStart(this.kindId(`c:${label}`)), 1)));
    return id;
  }

  /** The coarse key of a list item whose element is of kind `kind` (cached apart: no string is built per item). */
  itemLabel(kind: string): number {
    let id = this.items.get(kind);
    if (id === undefined) this.items.set(kind, (id = this.label(`${LIST_ITEM}:${kind}`)));
    return id;
  }

  private kindId(kind: string): number {
    let id = this.kinds.get(kind);
    if (id === undefined) this.kinds.set(kind, (id = this.kinds.size + 1));
    return id;
  }

  /** Number of distinct structures seen. */
  get size(): number {
    return this.ids.size;
  }
}

// Two independent 32-bit lanes packed in one float: lane A in the high bits, lane B in the low 21 bits.
function hashStart(kind: number): number {
  return fmix32(kind ^ 0x2545f491) * 0x200000 + (fmix32(kind ^ 0x6a09e667) & 0x1fffff);
}

/** Folds a child id into a hash state. */
export function hashAdd(state: number, child: number): number {
  const a = Math.floor(state / 0x200000);
  const b = state % 0x200000;
  return fmix32((a ^ child) + 0x9e3779b9) * 0x200000 + (fmix32(Math.imul(b + 1, 0x85ebca6b) ^ child) & 0x1fffff);
}

function finish(state: number, length: number): number {
  return hashAdd(state, length ^ 0x5bd1e995);
}

/**
 * Annotates a language's tree in place (it becomes a {@link SyntaxNode}) and appends its tokens to `tokens`.
 * Post-order: a node's shape is interned from its kind and its children's shapes.
 */
export function annotate(root: PatternNode, table: ShapeTable, tokens: FileTokens): SyntaxNode {
  const visit = (t: PatternTree): number => {
    if (isToken(t)) {
      const tok = t as SyntaxToken;
      tok.index = tokens.texts.length;
      tok.shape = table.token(tok.class ?? tok.kind);
      tokens.trivia.push(tok.trivia);
      tokens.texts.push(tok.text);
      tokens.trailing.push(tok.trailing ?? '');
      tokens.shapes.push(tok.shape);
      return tok.shape;
    }
    const node = t as SyntaxNode;
    node.first = tokens.texts.length;
    let state = table.begin(node.kind);
    for (const c of node.children) state = hashAdd(state, visit(c));
    node.count = tokens.texts.length - node.first;
    node.shape = table.id(state, node.children.length);
    const element = node.kind === LIST_ITEM && node.children.length > 0 ? node.children[0] : undefined;
    node.coarse = element ? table.itemLabel(element.kind) : table.label(node.kind);
    return node.shape;
  };
  visit(root);
  return root as SyntaxNode;
}

/**
 * Kind of the wrapper node languages put around each element of a separated list together with its separator
 * (`a,`), so that elements and their commas are aligned, made optional or repeated as one.
 */
export const LIST_ITEM = 'ListItem';

/**
 * The text of tokens `first … first + count − 1`: every token's trivia, text and trailing trivia, except the first
 * token's leading trivia when `leading` is false and the last token's trailing trivia when `trailing` is false.
 */
export function textOf(tokens: FileTokens, first: number, count: number, leading = true, trailing = true): string {
  let out = '';
  const end = first + count;
  for (let i = first; i < end; i++) {
    if (i > first || leading) out += tokens.trivia[i];
    out += tokens.texts[i];
    if (i < end - 1 || trailing) out += tokens.trailing[i];
  }
  return out;
}

/** Pre-order walk over the inner nodes of a tree. */
export function forEachNode(root: SyntaxNode, fn: (node: SyntaxNode) => void): void {
  fn(root);
  for (const c of root.children) if (!isToken(c)) forEachNode(c, fn);
}
