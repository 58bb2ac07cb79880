/**
 * Branch coverage of templates: which `{{#if}}` / `{{#unless}}` / `{{#with}}` branches (then, else) and
 * `{{#each}}` branches (non-empty, empty) the fixtures never rendered. Blocks are found in the template files'
 * ASTs; renders record the branches they take through wrapped block helpers, which see their block's file and
 * position as `options.loc` (Handlebars ≥ 4.6 passes it; the file comes from `srcName`, see `parseTemplate`).
 * The files counted are the template folder's and every other file the renders read (a generator may render
 * another template's files, as `node-service` renders `ts-library`'s).
 * An `{{#if}}` without `{{else}}` still has an else branch: rendering nothing is a case too.
 */
import path from 'node:path';
import type { HandlebarsEnv, TemplateAst } from './handlebars.js';

/** The block helpers whose branches are counted. */
export const COVERED_HELPERS = ['if', 'unless', 'each', 'with'] as const;
type CoveredHelper = (typeof COVERED_HELPERS)[number];

/** `then`/`else` for if, unless and with; `non-empty`/`empty` for each. */
export type BranchKind = 'then' | 'else' | 'non-empty' | 'empty';

/** One branch of one block. */
export interface Branch {
  /** Template file, relative to the template's home (`templates/widget/files/a.ts.hbs`). */
  file: string;
  /** 1-based line and column of the block's opening `{{#`. */
  line: number;
  column: number;
  helper: CoveredHelper;
  branch: BranchKind;
}

/** Coverage of one template. */
export interface CoverageReport {
  template: string;
  /** Number of branches in the template's files. */
  branches: number;
  covered: number;
  /** Branches no fixture rendered, sorted by file, line, column. */
  missed: Branch[];
}

interface Loc {
  source?: string;
  start: { line: number; column: number };
}

type Node = { type: string; loc?: Loc; [k: string]: unknown };

function branchesOf(helper: CoveredHelper): [BranchKind, BranchKind] {
  return helper === 'each' ? ['non-empty', 'empty'] : ['then', 'else'];
}

/** Every covered block in an AST, with its 0-based position (as Handlebars reports it). */
export function coveredBlocks(ast: TemplateAst): Array<{ helper: CoveredHelper; line: number; column: number }> {
  const out: Array<{ helper: CoveredHelper; line: number; column: number }> = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const n = node as Node;
    if (n.type === 'BlockStatement' && n.loc) {
      const p = n.path as Node & { original?: unknown };
      if (p.type === 'PathExpression' && (COVERED_HELPERS as readonly string[]).includes(String(p.original))) {
        out.push({ helper: p.original as CoveredHelper, line: n.loc.start.line, column: n.loc.start.column });
      }
    }
    for (const key of ['body', 'program', 'inverse']) if (key in n) visit(n[key]);
  };
  visit(ast);
  return out;
}

/**
 * Records the branches renders take. Pass {@link BranchCoverage.instrument} as `renderFixture`'s `handlebars`
 * option for every fixture, then {@link BranchCoverage.report} per template.
 */
export class BranchCoverage {
  /** `<absolute file>:<line>:<column0>` → branches taken. */
  private readonly hits = new Map<string, Set<BranchKind>>();
  /** Absolute paths of every template file the renders parsed, wherever it lives (another template's folder too). */
  private readonly parsed = new Set<string>();

  /** @param home - folder the renders' template paths are relative to (the template's home). */
  constructor(private readonly home: string) {}

  /**
   * Wraps the environment's `if`, `unless`, `each` and `with` so each call records the branch it renders, and its
   * `parse` so every template file a render reads is recorded (see {@link BranchCoverage.renderedFiles}).
   */
  readonly instrument = (hb: HandlebarsEnv): void => {
    const parse = hb.parse;
    // Template files are parsed with their path as `srcName` (see `parseTemplate`); file names and action paths are not.
    hb.parse = ((input: Parameters<typeof parse>[0], options?: { srcName?: string }) => {
      if (options?.srcName) this.parsed.add(path.resolve(this.home, options.srcName));
      return parse(input, options as never);
    }) as typeof parse;
    for (const helper of COVERED_HELPERS) {
      const original = hb.helpers[helper] as (...args: unknown[]) => unknown;
      const [yes, no] = branchesOf(helper);
      const record = this.record.bind(this);
      const home = this.home;
      hb.registerHelper(helper, function (this: unknown, ...args: unknown[]) {
        const options = args[args.length - 1] as { loc?: Loc; fn: (...a: unknown[]) => unknown; inverse: (...a: unknown[]) => unknown };
        // Calls without a file (file-name templates, `unless` delegating to `if`) are not counted.
        if (!options?.loc?.source) return original.apply(this, args);
        const key = `${path.resolve(home, options.loc.source)}:${options.loc.start.line}:${options.loc.start.column}`;
        const wrapped = {
          ...options,
          fn: (...a: unknown[]) => (record(key, yes), options.fn(...a)),
          inverse: (...a: unknown[]) => (record(key, no), options.inverse(...a)),
        };
        return original.apply(this, [...args.slice(0, -1), wrapped]);
      } as never);
    }
  };

  /** Absolute paths of the template files the instrumented renders parsed so far, sorted. */
  renderedFiles(): string[] {
    return [...this.parsed].sort();
  }

  private record(key: string, branch: BranchKind): void {
    let set = this.hits.get(key);
    if (!set) this.hits.set(key, (set = new Set()));
    set.add(branch);
  }

  /**
   * The coverage of one template's files.
   * @param files - the template's files as absolute path → AST: those of its folder and the others its renders read
   *   ({@link BranchCoverage.renderedFiles}); files that do not parse are left out by the caller.
   */
  report(template: string, files: Map<string, TemplateAst>): CoverageReport {
    let branches = 0;
    const missed: Branch[] = [];
    for (const [abs, ast] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      for (const block of coveredBlocks(ast)) {
        const taken = this.hits.get(`${abs}:${block.line}:${block.column}`);
        for (const branch of branchesOf(block.helper)) {
          branches++;
          if (!taken?.has(branch)) {
            const file = path.relative(this.home, abs).split(path.sep).join('/');
            missed.push({ file, line: block.line, column: block.column + 1, helper: block.helper, branch });
          }
        }
      }
    }
    return { template, branches, covered: branches - missed.length, missed };
  }
}
