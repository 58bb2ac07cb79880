/**
 * The built-in language for JavaScript and TypeScript (`.js .mjs .cjs .jsx .ts .mts .cts .tsx`, `.d.ts` included):
 * parses with the TypeScript compiler API (ts-morph's re-exported `ts`, loaded on first use) and walks raw `ts`
 * nodes — ts-morph's wrappers are about 15× slower for a full walk (measured in
 * `../shared/reference/pattern-detection.md`, stage 0).
 *
 * The tree mirrors the AST: one node per AST node, one list node per `NodeArray` (statements, members, arguments,
 * properties, elements, JSX children…) whose elements are wrapped with their separator in a {@link LIST_ITEM} —
 * except property-access / call chains, which become one flat list of links (see {@link CHAIN}).
 * Tokens between child nodes (keywords, punctuation) are scanned from the gaps, so every character of the file
 * belongs to exactly one token or its leading trivia.
 */
import type { ts } from 'ts-morph';
import type { PatternLanguage, PatternNode, PatternToken, PatternTree } from '../../plugins/api.js';
import { LIST_ITEM } from '../syntax.js';

type TS = typeof ts;

/** File name endings of the language. `.d.ts` and friends end in `.ts`. */
export const TYPESCRIPT_EXTENSIONS = ['.js', '.mjs', '.cjs', '.jsx', '.ts', '.mts', '.cts', '.tsx'];

/** Kind of the node standing for a `NodeArray`. */
export const LIST = 'List';

/** Kind of a flattened property-access / call chain: its children are the head and a {@link CHAIN_LINKS} list. */
export const CHAIN = 'Chain';
/** Kind of the list of a chain's links, each wrapped in a {@link LIST_ITEM}. */
export const CHAIN_LINKS = 'ChainLinks';
/** Kind of one link of a chain: an access (`.ep`, `[k]`) with the calls and `!` right after it. */
export const CHAIN_LINK = 'ChainLink';

/**
 * Creates the JavaScript/TypeScript language. Loads ts-morph (and with it the TypeScript compiler).
 * `parse` throws when the tokens it produced do not add up to the file (a file the walk cannot cover exactly),
 * so the caller falls back to plain-text tokens.
 */
export async function createTypeScriptLanguage(): Promise<PatternLanguage> {
  const { ts } = await import('ts-morph');
  const names = kindNames(ts);
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false);
  const kinds = kindSets(ts);
  return {
    name: 'typescript',
    extensions: TYPESCRIPT_EXTENSIONS,
    parse(text, file) {
      const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, scriptKind(ts, file));
      const root = new Walker(ts, names, scanner, sf, kinds).root();
      if (root.length !== text.length) {
        throw new Error(`the syntax tree of ${file} covers ${root.length} of ${text.length} characters`);
      }
      return root.node;
    },
  };
}

function scriptKind(t: TS, file: string): ts.ScriptKind {
  if (/\.tsx$/i.test(file)) return t.ScriptKind.TSX;
  if (/\.[mc]?ts$/i.test(file)) return t.ScriptKind.TS;
  if (/\.jsx$/i.test(file)) return t.ScriptKind.JSX;
  return t.ScriptKind.JS;
}

/** `SyntaxKind` value → name, the first name where several share a value (`VariableStatement`, not `FirstStatement`). */
function kindNames(t: TS): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(t.SyntaxKind)) {
    if (typeof value === 'number' && out[value] === undefined) out[value] = name;
  }
  return out;
}

/** Kinds the walk treats specially: single-token leaves (names, literals, template parts, JSX text) and trivia. */
interface KindSets {
  leaf: Set<number>;
  trivia: Set<number>;
  /** Expressions a call chain is made of: accesses, calls, `!`. */
  chain: Set<number>;
}

function kindSets(t: TS): KindSets {
  const k = t.SyntaxKind;
  return {
    leaf: new Set([
      k.Identifier, k.PrivateIdentifier, k.StringLiteral, k.NumericLiteral, k.BigIntLiteral, k.NoSubstitutionTemplateLiteral,
      k.RegularExpressionLiteral, k.TemplateHead, k.TemplateMiddle, k.TemplateTail, k.JsxText,
    ]),
    trivia: new Set([k.WhitespaceTrivia, k.NewLineTrivia, k.SingleLineCommentTrivia, k.MultiLineCommentTrivia, k.ShebangTrivia, k.ConflictMarkerTrivia]),
    chain: new Set([k.PropertyAccessExpression, k.ElementAccessExpression, k.CallExpression, k.NonNullExpression]),
  };
}

/** Walks one source file into a {@link PatternNode} tree. */
class Walker {
  private readonly text: string;
  /** Trivia scanned since the last token: pieces with whether each is a line break. */
  private pending: Array<{ text: string; newline: boolean }> = [];
  /** The last token made, which receives trailing trivia. */
  private last: PatternToken | undefined;
  /** Characters covered so far; checked against the file length at the end. */
  length = 0;

  constructor(
    private readonly t: TS,
    private readonly names: string[],
    private readonly scanner: ts.Scanner,
    private readonly sf: ts.SourceFile,
    private readonly kinds: KindSets,
  ) {
    this.text = sf.text;
  }

  /** Makes a token: the pending trivia up to the first line break trails the previous token, the rest leads this one. */
  private token(kind: number, text: string): PatternToken {
    const br = this.pending.findIndex((p) => p.newline);
    if (br >= 0 && this.last) {
      this.last.trailing = (this.last.trailing ?? '') + this.pending.slice(0, br + 1).map((p) => p.text).join('');
      this.pending = this.pending.slice(br + 1);
    }
    const token: PatternToken = { kind: this.names[kind], trivia: this.pending.map((p) => p.text).join(''), text, ...tokenClass(this.t, kind) };
    this.pending = [];
    this.last = token;
    return token;
  }

  root(): { node: PatternNode; length: number } {
    const node = this.node(this.sf);
    return { node, length: this.length };
  }

  private node(n: ts.Node): PatternNode {
    const k = this.t.SyntaxKind;
    const children: PatternTree[] = [];
    const out: PatternNode = { kind: this.names[n.kind], children };
    if (this.kinds.leaf.has(n.kind) || (n.kind >= k.FirstToken && n.kind <= k.LastToken)) {
      children.push(this.leaf(n));
      return out;
    }
    if (this.kinds.chain.has(n.kind)) {
      const chain = this.chain(n);
      if (chain) return chain;
    }
    this.walkChildren(n, n.pos, children);
    this.describe(n, out);
    return out;
  }

  /** Appends the tokens and child trees of `n` from `pos` on, leaving out the child `skip` (already walked). */
  private walkChildren(n: ts.Node, pos: number, into: PatternTree[], skip?: ts.Node): void {
    this.t.forEachChild(
      n,
      (c) => {
        if (c === skip) return;
        this.gap(pos, c.pos, into);
        into.push(this.child(c));
        pos = c.end;
      },
      (arr) => {
        this.gap(pos, arr.pos, into);
        into.push(this.list(arr));
        pos = arr.end;
      },
    );
    this.gap(pos, n.end, into);
  }

  /**
   * A property-access / call chain (`$Command.classBuilder().ep({…}).m(…).build()`) as a {@link CHAIN}: the head
   * (`$Command`), then a {@link CHAIN_LINKS} list with one {@link LIST_ITEM} per link — a property or element access
   * with the calls and `!` right after it (`.ep({…})`). The compiler nests such a chain inside out, one level per
   * link, so two chains that differ by one link differ at every level; as a sequence they differ by one item, which
   * the alignment makes an optional or repeated section (the "call chains" of hedge anti-unification's sequences,
   * Kutsia, Levy & Villaret, JAR 2014). Calls before the first access stay in the head (`f(x).then(…)`: head
   * `f(x)`). Returns undefined when `n` holds no access (a plain call `f(x)`).
   */
  private chain(n: ts.Node): PatternNode | undefined {
    const t = this.t;
    const spine: ts.Node[] = [];
    for (let cur: ts.Node = n; this.kinds.chain.has(cur.kind); cur = (cur as ts.Node & { expression: ts.Node }).expression) spine.unshift(cur);
    const first = spine.findIndex((s) => t.isPropertyAccessExpression(s) || t.isElementAccessExpression(s));
    if (first < 0) return undefined;
    const head = (spine[first] as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression;
    const headTree = this.child(head);
    const links: PatternNode[] = [];
    let link: PatternNode = { kind: CHAIN_LINK, children: [] };
    let name: string | undefined;
    let pos = head.end;
    for (const s of spine.slice(first)) {
      if (t.isPropertyAccessExpression(s) || t.isElementAccessExpression(s)) {
        link = { kind: CHAIN_LINK, children: [] };
        name = t.isPropertyAccessExpression(s) && (t.isIdentifier(s.name) || t.isPrivateIdentifier(s.name)) ? s.name.text : undefined;
        if (name !== undefined) link.name = name;
        links.push({ kind: LIST_ITEM, children: [link] });
      }
      // The link's own tokens: everything of `s` after its expression (the previous link, or the head).
      this.walkChildren(s, pos, link.children, (s as ts.Node & { expression: ts.Node }).expression);
      pos = s.end;
    }
    const out: PatternNode = { kind: CHAIN, children: [headTree, { kind: CHAIN_LINKS, children: links }] };
    // Named like the outermost access or call it replaces (`this.router.post(…)` → `post`), for hole labels.
    if (name !== undefined) out.name = name;
    return out;
  }

  /** A child node; single-token nodes become the token itself (one level less to align). */
  private child(c: ts.Node): PatternTree {
    const node = this.node(c);
    return node.children.length === 1 && node.name === undefined && this.isTokenTree(node.children[0]) ? node.children[0] : node;
  }

  private isTokenTree(t: PatternTree): t is PatternToken {
    return (t as PatternToken).text !== undefined;
  }

  /** A `NodeArray`: each element with the separator tokens after it (up to the next element) as one list item. */
  private list(arr: ts.NodeArray<ts.Node>): PatternNode {
    const items: PatternTree[] = [];
    let pos = arr.pos;
    const leading: PatternTree[] = [];
    for (let i = 0; i < arr.length; i++) {
      const el = arr[i];
      this.gap(pos, el.pos, i === 0 ? leading : (items[items.length - 1] as PatternNode).children);
      const item: PatternNode = { kind: LIST_ITEM, children: [this.child(el)] };
      items.push(item);
      pos = el.end;
    }
    this.gap(pos, arr.end, items.length > 0 ? (items[items.length - 1] as PatternNode).children : leading);
    return { kind: LIST, children: [...leading, ...items] };
  }

  /** A token node or a literal: one token, its trivia split off (JSX text has none: its spaces are content). */
  private leaf(n: ts.Node): PatternToken {
    const start = n.kind === this.t.SyntaxKind.JsxText ? n.pos : n.getStart(this.sf);
    this.gap(n.pos, start, []);
    this.length += n.end - start;
    return this.token(n.kind, this.text.slice(start, n.end));
  }

  /** Scans the characters between two children: punctuation and keywords become tokens, the rest trivia. */
  private gap(from: number, to: number, into: PatternTree[]): void {
    if (to <= from) return;
    const k = this.t.SyntaxKind;
    this.scanner.setText(this.text, from, to - from);
    for (let kind = this.scanner.scan(); kind !== k.EndOfFileToken; kind = this.scanner.scan()) {
      const text = this.scanner.getTokenText();
      this.length += text.length;
      if (this.kinds.trivia.has(kind)) this.pending.push({ text, newline: kind === k.NewLineTrivia });
      else into.push(this.token(kind, text));
    }
  }

  /** Names and roles: top-level statements are declarations, class and interface elements are members. */
  private describe(n: ts.Node, out: PatternNode): void {
    const k = this.t.SyntaxKind;
    const name = this.declaredName(n);
    if (name !== undefined) out.name = name;
    let role: PatternNode['role'];
    let list: PatternNode | undefined;
    if (n.kind === k.SourceFile) {
      role = 'declaration';
      list = out.children[0] as PatternNode;
    } else if (n.kind === k.ClassDeclaration || n.kind === k.ClassExpression || n.kind === k.InterfaceDeclaration || n.kind === k.TypeLiteral) {
      // The members are the last list among the children (after modifiers, type parameters, heritage clauses).
      role = 'member';
      list = out.children.filter((c): c is PatternNode => !this.isTokenTree(c) && c.kind === LIST).pop();
    }
    for (const item of list?.children ?? []) {
      const el = !this.isTokenTree(item) && item.kind === LIST_ITEM ? item.children[0] : undefined;
      if (el && !this.isTokenTree(el)) el.role = role;
    }
  }

  /** The name a declaration, property, attribute or call declares or calls, when it is a plain name. */
  private declaredName(n: ts.Node): string | undefined {
    const t = this.t;
    let name: ts.Node | undefined;
    if (t.isCallExpression(n)) name = t.isPropertyAccessExpression(n.expression) ? n.expression.name : n.expression;
    else if (t.isExportAssignment(n)) return 'default';
    else if (t.isVariableStatement(n)) name = n.declarationList.declarations[0]?.name;
    else name = (n as ts.Node & { name?: ts.Node }).name;
    if (!name) return undefined;
    if (t.isIdentifier(name) || t.isPrivateIdentifier(name) || t.isStringLiteral(name) || t.isNumericLiteral(name)) return name.text;
    return undefined;
  }
}

/** The abstraction class of a token kind (see {@link PatternToken.class}). */
function tokenClass(t: TS, kind: number): Pick<PatternToken, 'class'> {
  const k = t.SyntaxKind;
  switch (kind) {
    case k.Identifier:
    case k.PrivateIdentifier:
      return { class: 'name' };
    case k.StringLiteral:
    case k.NoSubstitutionTemplateLiteral:
    case k.TemplateHead:
    case k.TemplateMiddle:
    case k.TemplateTail:
    case k.RegularExpressionLiteral:
      return { class: 'string' };
    case k.NumericLiteral:
    case k.BigIntLiteral:
      return { class: 'number' };
    case k.JsxText:
      return { class: 'text' };
    default:
      return {};
  }
}
