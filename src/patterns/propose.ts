/**
 * One family from classes to a verified proposal: anti-unification (`anti-unify.ts`), variables (`variables.ts`),
 * Handlebars source (`emit.ts`), verification (`verify.ts`). Members that do not render back byte for byte are
 * ejected and the rest generalised once more, so sections only they needed disappear; a proposal needs at least
 * `minMembers` verified members.
 */
import path from 'node:path';
import { antiUnify, type FamilyClass, type GNode } from './anti-unify.js';
import { emitPath, emitTemplate } from './emit.js';
import { safeGeneratorName } from './names.js';
import type { ShapeClass } from './fingerprint.js';
import { savings } from './rank.js';
import { commonAffixes } from './words.js';
import { textOf } from './syntax.js';
import type { Unit } from './units.js';
import { factorVariables, ROOT_SCOPE, type Factoring, type FamilyMember, type TemplateVariable } from './variables.js';
import { verifyMembers, type MemberCheck } from './verify.js';

/** A variable as proposals show it. */
export interface PatternVariable {
  name: string;
  /** `name` (names the member), `data`, `flag` (an optional section), `list` (a repeated section). */
  kind: TemplateVariable['kind'];
  /** The list whose items hold this variable; absent for top-level variables. */
  list?: string;
  /** Flags that must be set for the variable to be used. */
  requires: string[];
  /** For a list: its items are strings rather than objects. */
  stringItems?: boolean;
  description: string;
}

/** One member of a proposal. */
export interface PatternMember {
  /** File path relative to the detection root. */
  path: string;
  /** File name without extensions, or the declared name. */
  key: string;
  bytes: number;
  /**
   * For declaration and member units (not whole files): where the unit is in its file, as UTF-16 offsets into the
   * file's text (`text.slice(start, end)` is the member, leading trivia included), so `patterns adopt` can take
   * the member's real bytes for its snapshots.
   */
  span?: { start: number; end: number };
}

/** A proposed template with the answers that reproduce each verified member. */
export interface PatternProposal {
  /** Unique in a detection run, stable for the same input: the name, numbered when it repeats. */
  id: string;
  /** A kebab-case name for the family (and the generator `patterns adopt` writes). */
  name: string;
  description: string;
  /** Unit kind (`file`, `declaration`, `member`…). */
  unit: string;
  language: string;
  template: string;
  /** Where a member goes, as a template (file units only). */
  pathTemplate?: string;
  variables: PatternVariable[];
  /** Verified members (byte-exact), in path order. */
  members: PatternMember[];
  /** Answers per member, in the order of `members`. */
  answers: Array<Record<string, unknown>>;
  /** Members of the candidate family that did not render back byte for byte. */
  ejected: Array<{ path: string; key: string; status: 'ast-equal' | 'failed'; detail: string }>;
  /** Members before verification. */
  candidates: number;
  /** Verified members / candidates. */
  coverage: number;
  /** Members that came back with equal tokens but different bytes (counted in `ejected`). */
  astEqual: number;
  /** See `rank.ts`. */
  savings: number;
  /** Exact shape classes the template covers. */
  shapes: number;
  sections: { optional: number; repeated: number };
}

/** What {@link propose} needs besides the classes. */
export interface ProposeContext {
  unitKind: string;
  minMembers: number;
  /** Tokens of a text without trivia, for the AST-equal comparison (by member file, for its language). */
  tokensOf(text: string, file: string): string[];
}

/** The text of a unit. */
export function unitText(u: Unit): string {
  return textOf(u.file.tokens, u.first, u.count);
}

const tokenOffsets = new WeakMap<Unit['file'], Uint32Array>();

/** Where a unit is in its file's text: UTF-16 offsets of its first character and past its last. */
export function unitSpan(u: Unit): { start: number; end: number } {
  let offsets = tokenOffsets.get(u.file);
  if (!offsets) {
    // One pass per file: offsets[i] is where token i's leading trivia starts.
    const { trivia, texts, trailing } = u.file.tokens;
    offsets = new Uint32Array(texts.length + 1);
    for (let i = 0; i < texts.length; i++) offsets[i + 1] = offsets[i] + trivia[i].length + texts[i].length + trailing[i].length;
    tokenOffsets.set(u.file, offsets);
  }
  return { start: offsets[u.first], end: offsets[u.first + u.count] };
}

/** Family classes from shape classes (optionally only some members of each). */
export function familyClasses(classes: ShapeClass[], keep: (u: Unit) => boolean = () => true): FamilyClass[] {
  return classes
    .map((c) => ({ tree: c.units[0].node!, rep: c.units[0], members: c.units.filter(keep) }))
    .filter((c) => c.members.length > 0);
}

/** A first generalisation of a candidate family, to decide how to split it before proposing. */
export interface Draft {
  classes: FamilyClass[];
  members: FamilyMember[];
  g: GNode;
  factoring: Factoring;
}

/** Generalises and factors a family without verifying it. */
export function draft(classes: FamilyClass[], withPaths: boolean): Draft {
  const g = antiUnify(classes);
  const members = classes
    .flatMap((cls) => cls.members.map((unit, k): FamilyMember => ({ unit, cls, k, ...(withPaths ? { path: unit.file.path } : {}) })))
    .sort((a, b) => a.unit.index - b.unit.index);
  return { classes, members, g, factoring: factorVariables(g, members) };
}

/**
 * The proposal for a family, or why there is none (fewer than `minMembers` verified members).
 * @param first - a draft of exactly these classes, when the caller made one already.
 */
export function propose(classes: FamilyClass[], ctx: ProposeContext, first?: Draft): PatternProposal | { rejected: string; members: string[] } {
  const withPaths = ctx.unitKind === 'file';
  const candidates = classes.reduce((n, c) => n + c.members.length, 0);
  let d = first ?? draft(classes, withPaths);
  let checked = check(d, ctx);
  const ejected: PatternProposal['ejected'] = [];
  const failed = (checks: MemberCheck[]) => d.members.filter((_, i) => checks[i].status !== 'exact');
  if (failed(checked.checks).length > 0) {
    const out = new Set(failed(checked.checks).map((m) => m.unit));
    d.members.forEach((m, i) => {
      if (out.has(m.unit)) ejected.push(ejectedEntry(m.unit, checked.checks[i]));
    });
    const rest = classes.map((c) => ({ ...c, members: c.members.filter((u) => !out.has(u)) })).filter((c) => c.members.length > 0);
    if (candidates - out.size < ctx.minMembers) return rejected(classes, `${candidates - out.size} of ${candidates} members render back exactly`);
    d = draft(rest, withPaths);
    checked = check(d, ctx);
    const still = new Set(failed(checked.checks).map((m) => m.unit));
    d.members.forEach((m, i) => {
      if (still.has(m.unit)) ejected.push(ejectedEntry(m.unit, checked.checks[i]));
    });
    if (still.size > 0) d = { ...d, members: d.members.filter((m) => !still.has(m.unit)), factoring: { ...d.factoring, answers: d.factoring.answers.filter((_, i) => !still.has(d.members[i].unit)) } };
  }
  if (d.members.length < ctx.minMembers) return rejected(classes, `${d.members.length} of ${candidates} members render back exactly`);
  const { template, pathTemplate } = checked;
  const memberBytes = d.members.reduce((n, m) => n + Buffer.byteLength(unitText(m.unit)), 0);
  const name = familyName(d, pathTemplate, ctx.unitKind);
  return {
    id: name,
    name,
    description: `${d.members.length} ${ctx.unitKind === 'file' ? 'files' : `${ctx.unitKind}s`} like ${d.members[0].unit.file.path}${ctx.unitKind === 'file' ? '' : ` (${d.members[0].unit.key})`}`,
    unit: ctx.unitKind,
    language: d.members[0].unit.file.language,
    template,
    ...(pathTemplate !== undefined ? { pathTemplate } : {}),
    variables: publicVariables(d.factoring),
    members: d.members.map((m) => ({ path: m.unit.file.path, key: m.unit.key, bytes: Buffer.byteLength(unitText(m.unit)), ...(withPaths ? {} : { span: unitSpan(m.unit) }) })),
    answers: d.factoring.answers,
    ejected,
    candidates,
    coverage: d.members.length / candidates,
    astEqual: ejected.filter((e) => e.status === 'ast-equal').length,
    savings: savings(Buffer.byteLength(template) + Buffer.byteLength(pathTemplate ?? ''), d.factoring.answers, memberBytes),
    shapes: d.classes.length,
    sections: countSections(d.g),
  };
}

/** Emits a draft's templates and verifies every member against them. */
function check(d: Draft, ctx: ProposeContext): { template: string; pathTemplate: string | undefined; checks: MemberCheck[] } {
  const template = emitTemplate(d.g, d.factoring);
  const pathTemplate = emitPath(d.factoring);
  const checks = verifyMembers(
    template,
    pathTemplate,
    d.members.map((m, i) => ({ text: unitText(m.unit), answers: d.factoring.answers[i], ...(m.path !== undefined ? { path: m.path } : {}) })),
    (text) => ctx.tokensOf(text, d.members[0].unit.file.path),
  );
  return { template, pathTemplate, checks };
}

function ejectedEntry(u: Unit, c: MemberCheck): PatternProposal['ejected'][number] {
  return { path: u.file.path, key: u.key, status: c.status === 'ast-equal' ? 'ast-equal' : 'failed', detail: c.detail ?? '' };
}

function rejected(classes: FamilyClass[], reason: string): { rejected: string; members: string[] } {
  return { rejected: reason, members: classes.flatMap((c) => c.members.map((u) => u.file.path)) };
}

function publicVariables(f: Factoring): PatternVariable[] {
  const listName = new Map([...f.lists].map(([id, v]) => [id, v.name]));
  return f.variables.map((v) => ({
    name: v.name,
    kind: v.kind,
    ...(v.scope === ROOT_SCOPE ? {} : { list: listName.get(v.scope)! }),
    requires: v.requires,
    ...(v.stringItems ? { stringItems: true } : {}),
    description: describeVariable(v),
  }));
}

function describeVariable(v: TemplateVariable): string {
  switch (v.kind) {
    case 'name':
      return 'The name of the new member (its file or declared name holds it).';
    case 'flag':
      return `Whether the optional section starting with "${v.label}" is present.`;
    case 'list':
      return `Items of the repeated section starting with "${v.label}".`;
    default:
      return `Value at "${v.label}".`;
  }
}

function countSections(g: GNode): { optional: number; repeated: number } {
  const out = { optional: 0, repeated: 0 };
  const visit = (n: GNode): void => {
    if (n.type === 'seq') n.parts.forEach(visit);
    else if (n.type === 'opt') {
      out.optional++;
      visit(n.body);
    } else if (n.type === 'each') {
      out.repeated++;
      visit(n.body);
    }
  };
  visit(g);
  return out;
}

/**
 * A kebab-case family name: the literal words of the path template's file name (`{{name}}Command.ts` →
 * `command`) — for declarations and members the words their names share (`validateEmail`, `validatePhone` →
 * `validate`) —, else the folder of the first member; declarations and members add the unit kind.
 */
function familyName(d: Draft, pathTemplate: string | undefined, unitKind: string): string {
  const keys = commonAffixes(d.members.map((m) => m.unit.key));
  const file = pathTemplate ? path.posix.basename(pathTemplate).replace(/\{\{[^}]*\}\}/g, ' ').replace(/\..*$/, '') : `${keys.prefix} ${keys.suffix}`;
  const folder = path.posix.basename(path.posix.dirname(d.members[0].unit.file.path));
  // Scanned names become file names and command words: only their safe form (see names.ts) is taken.
  const base = safeGeneratorName(file) ?? safeGeneratorName(folder) ?? 'pattern';
  return unitKind === 'file' ? base : (safeGeneratorName(`${base}-${unitKind}`) ?? base);
}
