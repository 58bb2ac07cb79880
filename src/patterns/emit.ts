/**
 * Stage 5: the Handlebars source of a template, for metarepo's environment (`src/templates/handlebars.ts`:
 * `noEscape`, strict lookups, the change-case helpers). Optional sections are `{{#if flag}}…{{/if}}`, repeated ones
 * `{{#each list}}…{{/each}}`; inside an `#each`, top-level variables are `@root.name` and a list of strings is
 * `this`.
 *
 * Literal text must come back unchanged, which takes care at three places of Handlebars' grammar:
 * - **Lexer.** `{{` in text is written `\{{` (date-fns locales hold `{{count}}`, JSX holds `style={{…}}`);
 *   backslashes right before a tag are doubled; what content cannot express — a backslash run right before a
 *   literal `{{`, a `{` right before a tag (it would make `{{{`), a `}` right after one (`}}}`) — is written as a
 *   helper call on a string literal, `{{lowerCase "{"}}`, which renders the string unchanged.
 * - **Standalone lines.** Handlebars drops the line of a block tag that stands alone on its line, whitespace and
 *   newline included (the "standalone" rule of its `WhitespaceControl` visitor, mirrored in
 *   {@link standaloneBlocks}). Where a tag would be standalone, an empty mustache (`{{lowerCase ""}}`) is put next
 *   to it, which makes it not standalone.
 */
import type { GNode } from './anti-unify.js';
import { FOLDER_HOLE, PATH_HOLE, ROOT_SCOPE, type Factoring, type HoleRendering, type TemplateVariable } from './variables.js';
import { createHandlebars } from '../templates/handlebars.js';

/** A template statement before serialisation. */
type Stmt =
  | { t: 'text'; s: string }
  | { t: 'tag'; s: string }
  | { t: 'block'; helper: 'if' | 'each'; ref: string; body: Stmt[]; guardBefore?: boolean; guardEnd?: boolean };

/** An empty mustache: breaks a standalone line and renders nothing. */
const GUARD = '{{lowerCase ""}}';

/** The template source of a generalised tree with its variables. */
export function emitTemplate(g: GNode, f: Factoring): string {
  const root: Stmt[] = [];
  const visit = (n: GNode, scope: number, out: Stmt[]): void => {
    switch (n.type) {
      case 'text':
        out.push({ t: 'text', s: n.text });
        return;
      case 'hole':
        rendering(f.holes.get(n.id)!, scope, out);
        return;
      case 'span':
        visit(n.trivia, scope, out);
        visit(n.body, scope, out);
        visit(n.trailing, scope, out);
        return;
      case 'seq':
        for (const p of n.parts) visit(p, scope, out);
        return;
      case 'opt':
      case 'each': {
        const body: Stmt[] = [];
        const v = n.type === 'opt' ? f.flags.get(n.id)! : f.lists.get(n.id)!;
        visit(n.body, n.type === 'opt' ? scope : n.id, body);
        out.push({ t: 'block', helper: n.type === 'opt' ? 'if' : 'each', ref: reference(v, scope), body });
        return;
      }
    }
  };
  visit(g, ROOT_SCOPE, root);
  const program = merge(root);
  const source = serialize(program);
  const standalone = standaloneBlocks(source);
  if (standalone.length === 0) return source;
  blocksOf(program).forEach((b, i) => {
    b.guardBefore = standalone[i]?.open;
    b.guardEnd = standalone[i]?.close;
  });
  return serialize(program);
}

/**
 * The path template of a file family (`src/commands/{{name}}Command.ts`, or with a folder variable
 * `icons/{{folder}}/{{name}}Icon.js`), when the family has paths.
 */
export function emitPath(f: Factoring): string | undefined {
  const r = f.holes.get(PATH_HOLE);
  if (!r) return undefined;
  const out: Stmt[] = [];
  const folder = f.holes.get(FOLDER_HOLE);
  if (folder) {
    rendering(folder, ROOT_SCOPE, out);
    out.push({ t: 'text', s: '/' });
  }
  rendering(r, ROOT_SCOPE, out);
  return serialize(merge(out));
}

function rendering(r: HoleRendering, scope: number, out: Stmt[]): void {
  const ref = reference(r.variable, scope);
  out.push({ t: 'text', s: r.prefix }, { t: 'tag', s: r.helper ? `{{${r.helper} ${ref}}}` : `{{${ref}}}` }, { t: 'text', s: r.suffix });
}

/** How a variable is named from inside `scope`. */
function reference(v: TemplateVariable, scope: number): string {
  if (v.scope === ROOT_SCOPE) return scope === ROOT_SCOPE ? v.name : `@root.${v.name}`;
  return v.isItem ? 'this' : v.name;
}

/** Joins adjacent texts and drops empty ones (Handlebars sees one content statement per run). */
function merge(stmts: Stmt[]): Stmt[] {
  const out: Stmt[] = [];
  for (const s of stmts) {
    if (s.t === 'block') out.push({ ...s, body: merge(s.body) });
    else if (s.t === 'text') {
      if (s.s === '') continue;
      const prev = out[out.length - 1];
      if (prev?.t === 'text') out[out.length - 1] = { t: 'text', s: prev.s + s.s };
      else out.push(s);
    } else out.push(s);
  }
  return out;
}

function blocksOf(program: Stmt[]): Array<Extract<Stmt, { t: 'block' }>> {
  return program.flatMap((s) => (s.t === 'block' ? [s, ...blocksOf(s.body)] : []));
}

/** Writes statements as Handlebars source, escaping each text for the tags around it. */
function serialize(program: Stmt[]): string {
  const pieces: Array<{ text: string } | { tag: string }> = [];
  const walk = (stmts: Stmt[]) => {
    for (const s of stmts) {
      if (s.t === 'text') pieces.push({ text: s.s });
      else if (s.t === 'tag') pieces.push({ tag: s.s });
      else {
        if (s.guardBefore) pieces.push({ tag: GUARD });
        pieces.push({ tag: `{{#${s.helper} ${s.ref}}}` });
        walk(s.body);
        if (s.guardEnd) pieces.push({ tag: GUARD });
        pieces.push({ tag: `{{/${s.helper}}}` });
      }
    }
  };
  walk(program);
  let out = '';
  pieces.forEach((p, i) => {
    if ('tag' in p) out += p.tag;
    else out += escapeLiteral(p.text, i > 0 && 'tag' in pieces[i - 1], i < pieces.length - 1 && 'tag' in pieces[i + 1]);
  });
  return out;
}

/**
 * Escapes literal text for Handlebars' lexer (see the module comment).
 * @param afterTag - a tag precedes the text (a leading `}` would close it as `}}}`).
 * @param beforeTag - a tag follows the text (a trailing `{` would open it as `{{{`, a trailing `\` would escape it).
 */
export function escapeLiteral(text: string, afterTag: boolean, beforeTag: boolean): string {
  const lead = afterTag ? (/^\}+/.exec(text)?.[0] ?? '') : '';
  const trail = beforeTag ? (/\{+$/.exec(text.slice(lead.length))?.[0] ?? '') : '';
  let middle = text.slice(lead.length, text.length - trail.length);
  // A backslash run before `{{` goes into a literal tag with the braces around it (so no `{{{` or `}}}` forms).
  middle = middle.replace(/(\{*)(\\*)\{\{(\}*)/g, (m, pre: string, backslashes: string, post: string) =>
    backslashes === '' ? `${pre}\\{{${post}` : literalTag(m),
  );
  // A backslash run right before a tag escapes it; Handlebars reads `\\{{` as one backslash and a tag.
  if ((beforeTag || trail !== '') && middle.endsWith('\\')) middle += '\\';
  return (lead ? literalTag(lead) : '') + middle + (trail ? literalTag(trail) : '');
}

/** A mustache that renders `s` as it is (`s` holds no `"` and no letters, so `lowerCase` keeps it). */
function literalTag(s: string): string {
  return `{{lowerCase "${s}"}}`;
}

let parser: ReturnType<typeof createHandlebars> | undefined;

/** The Handlebars AST nodes this module looks at. */
interface HbNode {
  type: string;
  original?: string;
  program?: { body: HbNode[] };
  inverse?: { body: HbNode[] };
}

/**
 * For each block of `source` in pre-order, whether Handlebars treats its opening and its closing tag as standalone
 * (port of `isPrevWhitespace` / `isNextWhitespace` of handlebars 4.7 `compiler/whitespace-control.js`, for blocks
 * without `else` or `~`). Parsed with Handlebars itself, so content boundaries are exactly its own.
 */
export function standaloneBlocks(source: string): Array<{ open: boolean; close: boolean }> {
  const ast = (parser ??= createHandlebars()).parse(source) as unknown as { body: HbNode[] };
  const out: Array<{ open: boolean; close: boolean }> = [];
  const visit = (body: HbNode[], isRoot: boolean) => {
    body.forEach((node, i) => {
      if (node.type !== 'BlockStatement' || !node.program) return;
      const inner = node.program.body;
      const entry = {
        open: !!isNextWhitespace(inner, -1, false) && !!isPrevWhitespace(body, i, isRoot),
        close: !!isPrevWhitespace(inner, inner.length, false) && !!isNextWhitespace(body, i, isRoot),
      };
      out.push(entry);
      visit(inner, false);
    });
  };
  visit(ast.body, true);
  return out;
}

function isPrevWhitespace(body: HbNode[], i: number, isRoot: boolean): boolean | undefined {
  const prev = body[i - 1];
  const sibling = body[i - 2];
  if (!prev) return isRoot;
  if (prev.type === 'ContentStatement') {
    return (sibling || !isRoot ? /(?:^|\S)[^\S\n]*\n\s*$/ : /^\s*$|(?:^|\S)[^\S\n]*\n\s*$/).test(prev.original ?? '');
  }
  return undefined;
}

function isNextWhitespace(body: HbNode[], i: number, isRoot: boolean): boolean | undefined {
  const next = body[i + 1];
  const sibling = body[i + 2];
  if (!next) return isRoot;
  if (next.type === 'ContentStatement') return (sibling || !isRoot ? /^\s*?\r?\n/ : /^\s*?(\r?\n|$)/).test(next.original ?? '');
  return undefined;
}
