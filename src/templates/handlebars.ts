/**
 * The Handlebars environment every metarepo template renders with: an isolated instance (helpers
 * registered here never leak into the global `handlebars` module other code may use), no HTML
 * escaping (templates produce source code, not HTML), and the case helpers plop users know.
 */
import { createRequire } from 'node:module';
import {
  camelCase,
  capitalCase,
  constantCase,
  dotCase,
  kebabCase,
  pascalCase,
  pathCase,
  sentenceCase,
  snakeCase,
} from 'change-case';
import { titleCase } from 'title-case';
import { MetarepoError, type SourceLocation } from '../core/errors.js';
import { HANDLEBARS_MODULE } from './hbs-module.js';

// Required, not imported: an ES import of a CommonJS file first scans its 200 KB for export names.
const Handlebars = createRequire(import.meta.url)(HANDLEBARS_MODULE) as typeof import('handlebars');

/** An isolated Handlebars environment (what `Handlebars.create()` returns). */
export type HandlebarsEnv = ReturnType<typeof Handlebars.create>;

/** Wraps a string transform as a helper that names itself when its argument is missing. */
function caseHelper(name: string, fn: (s: string) => string): (value: unknown) => string {
  return (value: unknown) => {
    // Handlebars passes its options object as the last argument; a bare `{{kebabCase}}` sends only that.
    if (value === undefined || value === null || (typeof value === 'object' && 'hash' in value)) {
      throw new Error(`Helper "${name}" needs a value, e.g. {{${name} name}}; the variable is missing.`);
    }
    return fn(String(value));
  };
}

/** change-case's options that make a case function independent of the process locale (plain toLowerCase/toUpperCase). */
const NO_LOCALE = { locale: false } as const;

/** A change-case function with {@link NO_LOCALE}. */
const fixed = (fn: (s: string, options: typeof NO_LOCALE) => string) => (s: string) => fn(s, NO_LOCALE);

/**
 * The string helpers, by name. The names and behaviour match node-plop's baked-in helpers
 * (node-plop 0.32 `src/baked-in-helpers.js`: change-case for the cases, the `title-case` package for
 * `titleCase`, aliases `dashCase`/`kabobCase` = kebab, `properCase` = pascal), so existing
 * plopfile templates render the same — except that they ignore the process locale, which plop's follow
 * (`LANG=tr_TR` would turn `Istanbul` into `ıstanbul`): output depends on the answers only. `titleCase`
 * upper-cases as the `en` locale does. `capitalCase` is an addition from change-case.
 */
export const CASE_HELPERS: Readonly<Record<string, (s: string) => string>> = {
  camelCase: fixed(camelCase),
  capitalCase: fixed(capitalCase),
  constantCase: fixed(constantCase),
  dashCase: fixed(kebabCase),
  dotCase: fixed(dotCase),
  kabobCase: fixed(kebabCase),
  kebabCase: fixed(kebabCase),
  lowerCase: (s) => s.toLowerCase(),
  pascalCase: fixed(pascalCase),
  pathCase: fixed(pathCase),
  properCase: fixed(pascalCase),
  sentenceCase: fixed(sentenceCase),
  snakeCase: fixed(snakeCase),
  titleCase: (s) => titleCase(s, { locale: 'en' }),
  upperCase: (s) => s.toUpperCase(),
};

/**
 * Creates an isolated Handlebars environment with {@link CASE_HELPERS}, `json`
 * (`{{json value}}` → `JSON.stringify(value)`, for safe string literals in JSON and code templates) and
 * `raw`, the block helper of Handlebars raw blocks: `{{{{raw}}}} {{kept}} {{{{/raw}}}}` outputs its content
 * unrendered (for templates that emit Handlebars or JSX). Compile with {@link renderTemplate}, which sets
 * `noEscape` and strict lookups.
 */
export function createHandlebars(): HandlebarsEnv {
  const hb = Handlebars.create();
  for (const [name, fn] of Object.entries(CASE_HELPERS)) hb.registerHelper(name, caseHelper(name, fn));
  hb.registerHelper('json', (value: unknown) => JSON.stringify(value));
  hb.registerHelper('raw', (options: { fn: () => string }) => options.fn());
  return hb;
}

/** Where a template comes from, for error messages. */
export interface TemplateOrigin {
  /** Template file path as shown to the user; absent for inline templates. */
  file?: string;
  /** What the template is, when there is no file (e.g. `path of action "add" #2`). */
  label?: string;
}

/**
 * Compiles and renders a template with `noEscape: true`.
 * @param strict - when true (the default) a missing variable (`{{name}}` with no `name`) is an error
 *   instead of an empty string; `{{#if x}}` / `{{#each x}}` on a missing `x` still render as false/empty.
 * @throws MetarepoError (exit 2) for a parse error or a render error, with the template file, line
 *   and column where Handlebars reports them.
 */
export function renderTemplate(
  hb: HandlebarsEnv,
  source: string,
  data: unknown,
  origin: TemplateOrigin = {},
  strict = true,
): string {
  const ast = parseTemplate(hb, source, origin);
  try {
    return hb.compile(ast, { noEscape: true, strict })(data);
  } catch (err) {
    throw templateError(hb, err, origin, 'render');
  }
}

/** A parsed template (Handlebars' AST root, `hbs.AST.Program`). */
export type TemplateAst = ReturnType<HandlebarsEnv['parse']>;

/**
 * Parses a template. With `origin.file` set, every node's `loc.source` is that file, which block helpers
 * see as `options.loc` (branch coverage relies on it).
 * @throws MetarepoError (exit 2) for a syntax error, with the template's file, line and column.
 */
export function parseTemplate(hb: HandlebarsEnv, source: string, origin: TemplateOrigin = {}): TemplateAst {
  try {
    return hb.parse(source, origin.file ? { srcName: origin.file } : undefined);
  } catch (err) {
    throw templateError(hb, err, origin, 'parse');
  }
}

/**
 * Checks that a template compiles (parses and precompiles) without rendering it.
 * @throws MetarepoError (exit 2) with the template's file, line and column.
 */
export function checkTemplate(hb: HandlebarsEnv, source: string, origin: TemplateOrigin = {}): void {
  const ast = parseTemplate(hb, source, origin);
  try {
    hb.precompile(ast, { noEscape: true });
  } catch (err) {
    throw templateError(hb, err, origin, 'parse');
  }
}

/**
 * Where a Handlebars exception points in its template source: 1-based line and column, each when known.
 * Call it right after the failing parse: a Jison parse error's column is read from the lexer, which the next parse
 * moves on.
 */
export function errorPosition(hb: HandlebarsEnv, err: unknown): { line?: number; column?: number } {
  const e = err as { message?: string; lineNumber?: number; column?: number };
  if (typeof e.lineNumber === 'number') {
    // Handlebars.Exception: 1-based line, 0-based column.
    return { line: e.lineNumber, column: typeof e.column === 'number' ? e.column + 1 : undefined };
  }
  // Jison parse errors only say "Parse error on line N"; the shared lexer still holds the position
  // of the offending token (first_column is 0-based).
  const m = /Parse error on line (\d+)/.exec(String(e.message ?? err));
  if (!m) return {};
  const line = Number(m[1]);
  const loc = (hb as unknown as { Parser?: { lexer?: { yylloc?: { first_line: number; first_column: number } } } }).Parser?.lexer?.yylloc;
  return { line, column: loc && loc.first_line === line ? loc.first_column + 1 : undefined };
}

/** Converts a Handlebars exception into a MetarepoError with the best location available. */
function templateError(hb: HandlebarsEnv, err: unknown, origin: TemplateOrigin, phase: 'parse' | 'render'): MetarepoError {
  const raw = String((err as { message?: string }).message ?? err);
  const { line, column } = errorPosition(hb, err);
  // Handlebars appends " - line:col" to exception messages; the location carries that already.
  const reason = raw.replace(/ - \d+:\d+$/, '').split('\n')[0];
  const what = origin.file ? `template "${origin.file}"` : (origin.label ?? 'an inline template');
  const location: SourceLocation | undefined = origin.file ? { file: origin.file, line, column } : undefined;
  const at = !origin.file && line !== undefined ? ` (line ${line}${column !== undefined ? `, column ${column}` : ''})` : '';
  return new MetarepoError(`Cannot ${phase} ${what}${at}: ${reason}`, {
    location,
    hint:
      phase === 'parse'
        ? 'Fix the Handlebars syntax at that position (unclosed {{#block}}, a stray "}", a mismatched {{/block}}).'
        : 'Check that every variable the template uses has an answer (pass it with --set name=value) and every helper and partial exists.',
    details: raw.includes('\n') ? raw.split('\n').slice(1) : [],
    cause: err,
  });
}
