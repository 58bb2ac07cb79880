/**
 * Stage 4: variables. Turns the holes of a generalised tree into few named variables and builds every member's
 * answers (the values that render the template back into the member).
 *
 * Holes are visited in template order. A hole is first matched against the variables made so far: it renders as
 * `prefix + helper(variable) + suffix` when one such rendering reproduces its value at every occurrence (helpers:
 * the value as it is, then metarepo's case helpers; see `words.ts`). Otherwise it makes a new variable whose value
 * is the hole's value without the prefix and suffix all its values share on word boundaries. So the seven
 * spellings of an AWS command name (`SendMessageCommand`, `deserializeAws_querySendMessageCommand`, …) become one
 * variable, and an acronym that a case helper would lower (`EnableVolumeIO`) keeps its raw spelling because the
 * as-is rendering is tried first (`../shared/reference/pattern-detection.md`, stage 4).
 *
 * Optional sections become boolean flags (flags set for the same instances are merged), repeated sections lists
 * of items whose holes are item fields. Variables whose words name the member (its file or declared name) are
 * `name` variables; the rest are `data`.
 */
import type { FamilyClass, GHole, GNode } from './anti-unify.js';
import { CASE_HELPERS } from '../templates/handlebars.js';
import type { SyntaxTree } from './syntax.js';
import type { Unit } from './units.js';
import { applyHelper, HELPER_ORDER, MAX_WORDY_LENGTH, variableAffixes, words } from './words.js';

/** Where a variable lives: the top level of the answers, or the items of a repeated section (its id). */
export const ROOT_SCOPE = -1;

/** A variable of a template. */
export interface TemplateVariable {
  /** Handlebars identifier, unique in the template. */
  name: string;
  kind: 'name' | 'data' | 'flag' | 'list';
  /** {@link ROOT_SCOPE} or the id of the repeated section whose items hold it. */
  scope: number;
  /** For a list: its items are plain strings (the section has one string field), not objects. */
  stringItems?: boolean;
  /** The single field of a list of strings: the item itself, rendered as `this`. */
  isItem?: boolean;
  /** Names of the flags that must all be set for the variable to have a value (it sits in optional sections). */
  requires: string[];
  /** A hint from the syntax, for naming. */
  label: string;
}

/** How a hole renders: `prefix`, then `helper(variable)`, then `suffix`. */
export interface HoleRendering {
  variable: TemplateVariable;
  /** A case helper of metarepo's Handlebars environment, or `null` for the value as it is. */
  helper: string | null;
  prefix: string;
  suffix: string;
}

/** The result of {@link factorVariables}. */
export interface Factoring {
  variables: TemplateVariable[];
  /** By hole id ({@link PATH_HOLE} for the file path). */
  holes: Map<number, HoleRendering>;
  /** Flag of each optional section, by section id. */
  flags: Map<number, TemplateVariable>;
  /** List of each repeated section, by section id. */
  lists: Map<number, TemplateVariable>;
  /** Per member (in the order given), the answers that render it. */
  answers: Array<Record<string, unknown>>;
}

/** Id of the pseudo-hole holding each member's file path (its file name when {@link FOLDER_HOLE} is used). */
export const PATH_HOLE = -1;

/** Id of the pseudo-hole holding each member's folder, when members are spread over folders. */
export const FOLDER_HOLE = -2;

/** One member as the factoring sees it. */
export interface FamilyMember {
  unit: Unit;
  cls: FamilyClass;
  /** Index of the unit in `cls.members`. */
  k: number;
  /** The member's path template value (its file path), matched like a hole; omitted for non-file units. */
  path?: string;
}

/** The holes, flags and lists of one scope instance (a member's top level, or one item of a repeated section). */
interface Scope {
  member: number;
  holes: Map<number, string>;
  flags: Map<number, boolean>;
  lists: Map<number, Scope[]>;
}

/** Static facts about the generalised tree: each hole's, flag's and list's scope, and the flags around a hole. */
interface Layout {
  holeScope: Map<number, number>;
  holeSource: Map<number, GHole['source']>;
  holeFlags: Map<number, number[]>;
  holeLabel: Map<number, string>;
  optScope: Map<number, number>;
  optFlags: Map<number, number[]>;
  optLabel: Map<number, string>;
  eachScope: Map<number, number>;
  eachFlags: Map<number, number[]>;
  eachLabel: Map<number, string>;
  /** Holes, flags and lists in template order. */
  order: Array<['hole' | 'opt' | 'each', number]>;
}

/** The order in which top-level holes make variables (see {@link factorVariables}). */
const SOURCE_ORDER: Array<GHole['source']> = ['name', 'string', 'number', 'text', 'token', 'node', 'trivia'];

/** Reserved words a variable may not be called: Handlebars built-ins, metarepo's and plop's helpers, literals. */
const RESERVED = new Set([
  ...Object.keys(CASE_HELPERS),
  'json', 'pkg', 'if', 'unless', 'each', 'with', 'lookup', 'log', 'this', 'else', 'true', 'false', 'null', 'undefined',
  'helperMissing', 'blockHelperMissing',
  // Handlebars refuses to read inherited properties, so a missing `toString` answer would warn instead of failing.
  ...Object.getOwnPropertyNames(Object.prototype),
]);

/**
 * Factors the holes of `g` into variables and builds each member's answers (see the module comment).
 * Deterministic for a given tree and member order.
 */
export function factorVariables(g: GNode, members: FamilyMember[]): Factoring {
  const layout = scan(g);
  const roots = members.map((m, i) => {
    const scope = newScope(i);
    collect(g, m.cls.tree, m, scope);
    if (m.path !== undefined) scope.holes.set(PATH_HOLE, m.path);
    return scope;
  });
  const occurrences = holeOccurrences(roots);
  const f = new Factorer(layout, roots, members);
  // Holes every member has come first, so the variables they make are there for the optional and repeated parts;
  // among them names first, trivia last, so a variable takes the spelling of a name rather than of a comment.
  const total = (id: number) => layout.holeScope.get(id) === ROOT_SCOPE && (occurrences.get(id)?.length ?? 0) === roots.length;
  const totals = layout.order.filter(([type, id]) => type === 'hole' && total(id)).map(([, id]) => id);
  const rank = (id: number) => SOURCE_ORDER.indexOf(layout.holeSource.get(id)!);
  for (const id of totals.sort((a, b) => rank(a) - rank(b) || totals.indexOf(a) - totals.indexOf(b))) f.hole(id, occurrences.get(id)!);
  if (members.some((m) => m.path !== undefined)) f.path(occurrences.get(PATH_HOLE) ?? []);
  for (const [type, id] of layout.order) {
    if (type === 'hole') {
      if (!total(id)) f.hole(id, occurrences.get(id) ?? []);
    } else if (type === 'opt') f.flag(id);
    else f.list(id);
  }
  return f.finish();
}

function newScope(member: number): Scope {
  return { member, holes: new Map(), flags: new Map(), lists: new Map() };
}

function scan(g: GNode): Layout {
  const l: Layout = {
    holeScope: new Map(), holeSource: new Map(), holeFlags: new Map(), holeLabel: new Map(),
    optScope: new Map(), optFlags: new Map(), optLabel: new Map(),
    eachScope: new Map(), eachFlags: new Map(), eachLabel: new Map(), order: [],
  };
  const visit = (n: GNode, scope: number, flags: number[]): void => {
    switch (n.type) {
      case 'hole':
        l.holeScope.set(n.id, scope);
        l.holeSource.set(n.id, n.source);
        l.holeFlags.set(n.id, flags);
        l.holeLabel.set(n.id, n.label);
        l.order.push(['hole', n.id]);
        break;
      case 'span':
        visit(n.trivia, scope, flags);
        visit(n.body, scope, flags);
        visit(n.trailing, scope, flags);
        break;
      case 'seq':
        for (const p of n.parts) visit(p, scope, flags);
        break;
      case 'opt':
        l.optScope.set(n.id, scope);
        l.optFlags.set(n.id, flags);
        l.optLabel.set(n.id, optionLabel(n.body) ?? n.label);
        l.order.push(['opt', n.id]);
        visit(n.body, scope, [...flags, n.id]);
        break;
      case 'each':
        l.eachScope.set(n.id, scope);
        l.eachFlags.set(n.id, flags);
        l.eachLabel.set(n.id, optionLabel(n.body) ?? n.label);
        l.order.push(['each', n.id]);
        visit(n.body, n.id, []);
        break;
      case 'text':
        break;
    }
  };
  visit(g, ROOT_SCOPE, []);
  return l;
}

/** The first word of a section's literal text, to name its flag or list (`getSsecPlugin(config)` → `getSsecPlugin`). */
function optionLabel(n: GNode): string | undefined {
  let text = '';
  const visit = (x: GNode): boolean => {
    if (x.type === 'text') text += x.text;
    else if (x.type === 'seq') return x.parts.every(visit);
    else if (x.type === 'span') {
      if (x.trivia.type === 'text') text += x.trivia.text;
      return x.body.type === 'text' ? ((text += x.body.text), true) : false;
    } else return false;
    return text.length < 80;
  };
  visit(n);
  const code = text.replace(/\/\*[^]*?\*\/|\/\/.*$/gm, '');
  return /[A-Za-z_][A-Za-z0-9_]*/.exec(code)?.[0] ?? PUNCTUATION[code.trim()];
}

/** Names of sections that hold a lone punctuation mark (a trailing comma that some members have). */
const PUNCTUATION: Record<string, string> = { ',': 'comma', ';': 'semicolon', '.': 'dot', ':': 'colon' };

/** Records what one member's instance tree puts in each hole, flag and list. */
function collect(n: GNode, t: SyntaxTree, m: FamilyMember, scope: Scope): void {
  switch (n.type) {
    case 'hole':
      scope.holes.set(n.id, n.values.get(t)![m.k]);
      return;
    case 'span':
      for (const part of [n.trivia, n.body, n.trailing]) if (part.type === 'hole') collect(part, t, m, scope);
      return;
    case 'seq': {
      const assigned = n.assign(t);
      n.parts.forEach((p, i) => {
        const children = assigned[i];
        if (p.type === 'opt') {
          scope.flags.set(p.id, children.length > 0);
          if (children.length > 0) collect(p.body, children[0], m, scope);
        } else if (p.type === 'each') {
          scope.lists.set(p.id, children.map((child) => {
            const item = newScope(scope.member);
            collect(p.body, child, m, item);
            return item;
          }));
        } else if (p.type !== 'text') collect(p, children[0], m, scope);
      });
      return;
    }
    default:
      return;
  }
}

interface Occurrence {
  scope: Scope;
  value: string;
}

function holeOccurrences(roots: Scope[]): Map<number, Occurrence[]> {
  const out = new Map<number, Occurrence[]>();
  const visit = (scope: Scope) => {
    for (const [id, value] of scope.holes) {
      let list = out.get(id);
      if (!list) out.set(id, (list = []));
      list.push({ scope, value });
    }
    for (const items of scope.lists.values()) items.forEach(visit);
  };
  roots.forEach(visit);
  return out;
}

/** A variable during factoring, with its values per scope instance. */
interface Pending {
  v: TemplateVariable;
  values: Map<Scope, string | boolean | Scope[]>;
}

class Factorer {
  private readonly vars: Pending[] = [];
  private readonly holes = new Map<number, HoleRendering>();
  private readonly flags = new Map<number, Pending>();
  private readonly lists = new Map<number, Pending>();
  private scopes: Map<number, Scope[]> | undefined;
  private byScope: Map<number, Pending[]> | undefined;

  constructor(
    private readonly layout: Layout,
    private readonly roots: Scope[],
    private readonly members: FamilyMember[],
  ) {}

  /**
   * The members' paths: rendered from an existing variable when one fits the whole path; else, when members are
   * spread over folders (`outline/BellIcon.js`, `solid/BellIcon.js`), the folder and the file name are two holes —
   * the folder a variable of its own (`folder`), the file name rendered from the name where it fits — so no path
   * variable repeats the name.
   */
  path(occ: Occurrence[]): void {
    if (this.reuse(PATH_HOLE, occ, ROOT_SCOPE)) return;
    const folders = occ.map((o) => o.value.slice(0, Math.max(0, o.value.lastIndexOf('/'))));
    if (new Set(folders).size < 2) {
      this.hole(PATH_HOLE, occ, 'path');
      return;
    }
    this.hole(FOLDER_HOLE, occ.map((o, i) => ({ scope: o.scope, value: folders[i] })), 'folder');
    this.hole(PATH_HOLE, occ.map((o, i) => ({ scope: o.scope, value: o.value.slice(folders[i].length + 1) })), 'path');
  }

  /** Renders hole `id` from an existing variable that fits every occurrence; whether one did. */
  private reuse(id: number, occ: Occurrence[], scope: number): boolean {
    for (const p of this.vars) {
      if (p.v.kind === 'flag' || p.v.kind === 'list' || (p.v.scope !== ROOT_SCOPE && p.v.scope !== scope)) continue;
      const rendering = this.fit(p, occ);
      if (rendering) {
        this.holes.set(id, rendering);
        return true;
      }
    }
    return false;
  }

  /** A hole: rendered from an existing variable if one fits every occurrence, else a new variable. */
  hole(id: number, occ: Occurrence[], label = this.layout.holeLabel.get(id) ?? 'value'): void {
    if (occ.length === 0) return;
    const pseudo = id === PATH_HOLE || id === FOLDER_HOLE;
    const scope = pseudo ? ROOT_SCOPE : this.layout.holeScope.get(id)!;
    if (this.reuse(id, occ, scope)) return;
    const { prefix, suffix } = variableAffixes(occ.map((o) => o.value));
    // A label that is one of the values (a call or property name that differs between members) names nothing.
    if (occ.some((o) => o.value.includes(label))) label = 'value';
    if (this.layout.holeSource.get(id) === 'trivia') label = occ.some((o) => /\/\/|\/\*|#/.test(o.value)) ? 'comment' : 'spacing';
    const values = new Map<Scope, string>();
    for (const o of occ) values.set(this.owner(o.scope, scope), o.value.slice(prefix.length, o.value.length - suffix.length));
    const requires = pseudo ? [] : (this.layout.holeFlags.get(id) ?? []);
    const p: Pending = { v: { name: '', kind: 'data', scope, requires: requires.map(String), label }, values };
    this.vars.push(p);
    this.holes.set(id, { variable: p.v, helper: null, prefix, suffix });
  }

  /** The scope instance a variable of `scope` keeps a hole occurrence's value in. */
  private owner(s: Scope, scope: number): Scope {
    return scope === ROOT_SCOPE ? this.roots[s.member] : s;
  }

  /** A rendering of `p` that reproduces every occurrence: `prefix + helper(value) + suffix`, or undefined. */
  private fit(p: Pending, occ: Occurrence[]): HoleRendering | undefined {
    const source = (o: Occurrence) => p.values.get(this.owner(o.scope, p.v.scope)) as string | undefined;
    const first = source(occ[0]);
    if (first === undefined || first === '' || occ.some((o) => source(o) === undefined)) return undefined;
    for (const helper of HELPER_ORDER) {
      const x = applyHelper(helper, first);
      const at = x === '' ? -1 : occ[0].value.indexOf(x);
      if (at < 0) continue;
      const prefix = occ[0].value.slice(0, at);
      const suffix = occ[0].value.slice(at + x.length);
      if (occ.every((o) => o.value === prefix + applyHelper(helper, source(o)!) + suffix)) return { variable: p.v, helper, prefix, suffix };
    }
    return undefined;
  }

  /** An optional section's flag, merged with an earlier flag of the same scope set for the same instances. */
  flag(id: number): void {
    const scope = this.layout.optScope.get(id)!;
    const values = new Map<Scope, boolean>();
    this.forEachScope(scope, (s) => {
      const v = s.flags.get(id);
      if (v !== undefined) values.set(s, v);
    });
    const same = [...this.flags.values()].find((p) => p.v.scope === scope && sameMap(p.values, values));
    if (same) {
      this.flags.set(id, same);
      return;
    }
    const requires = (this.layout.optFlags.get(id) ?? []).map(String);
    const p: Pending = { v: { name: '', kind: 'flag', scope, requires, label: this.layout.optLabel.get(id) ?? 'section' }, values };
    this.vars.push(p);
    this.flags.set(id, p);
  }

  /** A repeated section's list. */
  list(id: number): void {
    const scope = this.layout.eachScope.get(id)!;
    const values = new Map<Scope, Scope[]>();
    this.forEachScope(scope, (s) => {
      const items = s.lists.get(id);
      if (items) values.set(s, items);
    });
    const requires = (this.layout.eachFlags.get(id) ?? []).map(String);
    const p: Pending = { v: { name: '', kind: 'list', scope, requires, label: this.layout.eachLabel.get(id) ?? 'item' }, values };
    this.vars.push(p);
    this.lists.set(id, p);
  }

  private forEachScope(scope: number, fn: (s: Scope) => void): void {
    if (!this.scopes) {
      // Every scope instance by the section that holds it, collected once (flags and lists each need one scope).
      const by = new Map<number, Scope[]>();
      const visit = (s: Scope, here: number) => {
        let list = by.get(here);
        if (!list) by.set(here, (list = []));
        list.push(s);
        for (const [each, items] of s.lists) for (const item of items) visit(item, each);
      };
      for (const r of this.roots) visit(r, ROOT_SCOPE);
      this.scopes = by;
    }
    for (const s of this.scopes.get(scope) ?? []) fn(s);
  }

  finish(): Factoring {
    this.classify();
    this.name();
    // Flags are kept as section ids until names exist; now they become names.
    const byId = new Map<string, string>();
    for (const [id, p] of this.flags) byId.set(String(id), p.v.name);
    for (const p of this.vars) p.v.requires = [...new Set(p.v.requires.map((r) => byId.get(r) ?? r))];
    for (const p of this.lists.values()) {
      const fields = this.vars.filter((q) => q.v.scope === this.idOf(p));
      p.v.stringItems = fields.length === 1 && fields[0].v.kind !== 'flag' && fields[0].v.kind !== 'list';
      if (p.v.stringItems) fields[0].v.isItem = true;
    }
    return {
      variables: this.vars.map((p) => p.v),
      holes: this.holes,
      flags: new Map([...this.flags].map(([id, p]) => [id, p.v])),
      lists: new Map([...this.lists].map(([id, p]) => [id, p.v])),
      answers: this.roots.map((r) => this.answersOf(r, ROOT_SCOPE) as Record<string, unknown>),
    };
  }

  private idOf(p: Pending): number {
    for (const [id, q] of this.lists) if (q === p) return id;
    return ROOT_SCOPE;
  }

  /** `name` when every member has the variable and its words are a run of the member key's words for 80 % of them; else `data`. */
  private classify(): void {
    for (const p of this.vars) {
      if (p.v.kind !== 'data' || p.v.scope !== ROOT_SCOPE) continue;
      let named = 0;
      let total = 0;
      for (const [s, value] of p.values) {
        if (typeof value !== 'string' || value.length > MAX_WORDY_LENGTH) continue;
        total++;
        const w = words(value);
        if (w.length > 0 && isRun(w, words(this.members[s.member].unit.key))) named++;
      }
      // A name names every member: defined for all of them, and their key's words for nearly all.
      if (total === this.roots.length && total === p.values.size && named >= 0.8 * total) p.v.kind = 'name';
    }
  }

  /** Deterministic names: `name`, `name2`… for names, the syntax label for data, `has…` for flags, plurals for lists. */
  private name(): void {
    const taken = new Set<string>();
    const unique = (base: string) => {
      let name = identifier(base);
      for (let n = 2; taken.has(name) || RESERVED.has(name); n++) name = `${identifier(base)}${n}`;
      taken.add(name);
      return name;
    };
    for (const p of this.vars) if (p.v.kind === 'name') p.v.name = unique('name');
    for (const p of this.vars) {
      if (p.v.kind === 'name') continue;
      if (p.v.kind === 'flag') p.v.name = unique(`has ${p.v.label}`);
      else if (p.v.kind === 'list') p.v.name = unique(`${p.v.label} list`);
      else p.v.name = unique(p.v.label);
    }
  }

  /** The answers of one scope instance: its variables' values, items as objects (or strings). */
  private answersOf(s: Scope, scope: number): Record<string, unknown> | string {
    const out: Record<string, unknown> = {};
    if (!this.byScope) {
      this.byScope = new Map();
      for (const p of this.vars) this.byScope.set(p.v.scope, [...(this.byScope.get(p.v.scope) ?? []), p]);
    }
    for (const p of this.byScope.get(scope) ?? []) {
      const value = p.values.get(s);
      if (value === undefined) continue;
      if (p.v.kind === 'list') {
        const id = this.idOf(p);
        const items = (value as Scope[]).map((item) => this.answersOf(item, id));
        out[p.v.name] = p.v.stringItems ? items.map((i) => Object.values(i as Record<string, unknown>)[0]) : items;
      } else out[p.v.name] = value;
    }
    return out;
  }
}

function sameMap<K, V>(a: Map<K, unknown>, b: Map<K, V>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of b) if (a.get(k) !== v) return false;
  return true;
}

/** Whether `w` occurs as a contiguous run in `key`. */
function isRun(w: string[], key: string[]): boolean {
  for (let i = 0; i + w.length <= key.length; i++) if (w.every((x, j) => key[i + j] === x)) return true;
  return false;
}

/** A Handlebars-safe camelCase identifier from a label (`has getSsecPlugin` → `hasGetSsecPlugin`). */
function identifier(label: string): string {
  const ws = words(label).slice(0, 4);
  const id = ws.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');
  return /^[A-Za-z_]/.test(id) ? id : `v${id}`;
}

export { RESERVED as RESERVED_NAMES };
