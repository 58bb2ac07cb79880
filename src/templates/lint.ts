/**
 * Template lint (`metarepo template lint`, and the `templates-lint` check of checks-core): problems a render
 * with one fixture may not show. Rules, by name:
 * - `manifest`, `fixture`, `generator`: template.yaml breaks the meta-model, a fixture breaks the variables
 *   schema, the generator it names cannot be found or loaded;
 * - `syntax`: a Handlebars syntax error;
 * - `undefined-variable`: a template uses a variable that is neither a variable, a `data` entry, a prompt of the
 *   generator nor a key of its actions' `data` (plop renders it as an empty string without a word);
 * - `unused-variable`: a variable no template, file name, action path or `data.from` uses;
 * - `unknown-helper`, `missing-partial`: a helper or partial the generator's Handlebars does not have;
 * - `unsafe-path`: a file name or action path that a fixture renders to an absolute path, `..`, an empty
 *   segment or characters file systems refuse; `empty-path`: one whose variable may be empty per the schema;
 * - `jsx-braces`: in a `.tsx`/`.jsx` template, a mustache that looks like a JSX object (`style={{ color: 'red' }}`):
 *   one finding, which stands for whatever Handlebars makes of it (an unknown helper, an undefined variable, a
 *   syntax error) and is then an error, else a warning;
 * - `undeclared-prompt`: a prompt of the generator that `variables` does not declare.
 * Positions: a finding in a template file points into it; one about a file name points at that file, line 1, with
 * the column inside the name the message quotes (its path in the template folder), so an editor opens the file to
 * rename; one about an action path points at the string in the generator's source (the plopfile, or metarepo's
 * `generators/*.ts` for built-ins), or names that file without a line when the string is computed there.
 * Variables are looked up as Handlebars resolves them: names inside `{{#each}}`/`{{#with}}` blocks (and
 * Mustache-style sections) refer to the new context unless written `../name` or `@root.name`; block params are local.
 */
import fs from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { MetarepoError, formatLocation } from '../core/errors.js';
import type { Finding } from '../plugins/api.js';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { readTemplateFiles, type TemplateCatalog, type TemplateFile, type TemplateGenerator, type TemplateLocation } from './catalog.js';
import { createHandlebars, errorPosition, parseTemplate, renderTemplate, type HandlebarsEnv, type TemplateAst } from './handlebars.js';
import { displayPath, TEMPLATE_MANIFEST, validateFixtures, type TemplateManifest } from './manifest.js';

/** One lint finding: a plugin-API {@link Finding} with the rule that produced it. */
export interface LintFinding extends Finding {
  severity: 'error' | 'warning';
  rule: string;
  /** Relative to the template's home (the workspace, or metarepo's package for built-ins). */
  file: string;
}

/** A name a template refers to, with its 1-based position. */
interface Reference {
  name: string;
  line?: number;
  column?: number;
}

/** What one template (a file, a file name or an action string) refers to. */
interface References {
  variables: Reference[];
  helpers: Reference[];
  partials: Reference[];
  /** Partials the template defines itself with `{{#*inline "name"}}`. */
  inline: Set<string>;
}

type Node = { type: string; loc?: { start: { line: number; column: number } }; [k: string]: unknown };
type PathNode = Node & { original: string; parts: string[]; depth: number; data: boolean };

/** One block level while walking: whether it changes the context (`each`, `with`, sections) and its block params. */
interface Frame {
  context: boolean;
  params: string[];
}

/** Block helpers whose body renders with another context than the block's. */
const CONTEXT_HELPERS = new Set(['each', 'with']);

function position(node: Node): Pick<Reference, 'line' | 'column'> {
  return node.loc ? { line: node.loc.start.line, column: node.loc.start.column + 1 } : {};
}

/**
 * Collects the variables, helpers and partials a parsed template refers to.
 * @param helpers - helper names of the environment (a bare `{{name}}` is a helper call when `name` is one).
 */
export function collectReferences(ast: TemplateAst, helpers: Set<string>): References {
  const refs: References = { variables: [], helpers: [], partials: [], inline: new Set() };

  const variable = (p: PathNode, frames: Frame[]): void => {
    if (p.data) {
      if (p.parts[0] === 'root' && p.parts.length > 1) refs.variables.push({ name: p.parts[1], ...position(p) });
      return;
    }
    if (p.parts.length === 0) return; // `this`, `..`
    const scoped = /^(this\b|\.\/|\.\.\/)/.test(p.original);
    if (!scoped && p.depth === 0 && frames.some((f) => f.params.includes(p.parts[0]))) return;
    // `../` climbs context changes only (Handlebars 4): the root context is reached after as many as there are.
    const changes = frames.filter((f) => f.context).length;
    if (p.depth >= changes) refs.variables.push({ name: p.parts[0], ...position(p) });
  };

  const expression = (e: unknown, frames: Frame[]): void => {
    const n = e as Node;
    if (n?.type === 'PathExpression') variable(n as PathNode, frames);
    else if (n?.type === 'SubExpression') call(n, frames, true);
  };

  const args = (n: Node, frames: Frame[]): void => {
    for (const p of (n.params as unknown[]) ?? []) expression(p, frames);
    for (const pair of ((n.hash as { pairs?: Array<{ value: unknown }> })?.pairs ?? [])) expression(pair.value, frames);
  };

  /** A mustache, block or subexpression: returns whether it is a helper call (else a variable or section). */
  const call = (n: Node, frames: Frame[], forced = false): boolean => {
    const p = n.path as PathNode;
    args(n, frames);
    if (p?.type !== 'PathExpression') return false;
    const hasArgs = ((n.params as unknown[]) ?? []).length > 0 || ((n.hash as { pairs?: unknown[] })?.pairs ?? []).length > 0;
    const simple = !p.data && p.depth === 0 && p.parts.length === 1 && !/^(this\b|\.)/.test(p.original);
    if (simple && helpers.has(p.original)) return true;
    if (hasArgs || forced) {
      refs.helpers.push({ name: p.original, ...position(p) });
      return true;
    }
    variable(p, frames);
    return false;
  };

  const visit = (node: unknown, frames: Frame[]): void => {
    if (Array.isArray(node)) return node.forEach((x) => visit(x, frames));
    const n = node as Node;
    if (!n || typeof n !== 'object') return;
    switch (n.type) {
      case 'Program':
        return visit(n.body, frames);
      case 'MustacheStatement':
        call(n, frames);
        return;
      case 'BlockStatement': {
        const p = n.path as PathNode;
        const helper = call(n, frames);
        const params = ((n.program as { blockParams?: string[] } | undefined)?.blockParams ?? []).slice();
        const context = helper ? CONTEXT_HELPERS.has(p.original) : true; // a section renders with its value as context
        visit(n.program, [...frames, { context, params }]);
        visit(n.inverse, frames);
        return;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement': {
        const name = n.name as Node & { original?: string };
        if (name?.type === 'SubExpression') call(name, frames, true);
        else if (n.type === 'PartialStatement' && name?.original !== undefined && !String(name.original).startsWith('@')) {
          refs.partials.push({ name: String(name.original), ...position(n) });
        }
        args(n, frames);
        visit(n.program, frames);
        return;
      }
      case 'DecoratorBlock': {
        const first = ((n.params as Array<{ type: string; value?: unknown }>) ?? [])[0];
        if ((n.path as PathNode).original === 'inline' && first?.type === 'StringLiteral') refs.inline.add(String(first.value));
        visit(n.program, frames);
        return;
      }
      default:
        return;
    }
  };
  visit(ast, []);
  return refs;
}

/** Characters Windows or POSIX file systems refuse (or that change a path's meaning) in a path segment. */
const UNSAFE_CHARS = /[\u0000-\u001f<>:"|?*\\]/;

/** Why a rendered relative path is unsafe, or `undefined` when it is fine. */
export function unsafePathReason(rendered: string): string | undefined {
  if (rendered.trim() === '') return 'is empty';
  if (rendered.startsWith('/') || /^[A-Za-z]:/.test(rendered)) return 'is absolute';
  const segments = rendered.split('/');
  if (segments.some((s) => s === '..')) return 'leaves its folder ("..")';
  if (segments.some((s) => s === '')) return 'has an empty folder or file name';
  const bad = segments.find((s) => UNSAFE_CHARS.test(s));
  if (bad !== undefined) return `has a character file systems refuse in "${bad}"`;
  return undefined;
}

/** Whether a variable may render empty: optional without a default, or "" satisfies its schema. */
function mayBeEmpty(manifest: TemplateManifest, name: string): boolean {
  const schema = manifest.variables.properties[name];
  if (!schema) return false;
  if (!(manifest.variables.required ?? []).includes(name) && schema.default === undefined) return true;
  const types = ([] as unknown[]).concat(schema.type ?? []);
  if (types.length > 0 && !types.includes('string')) return false;
  if (Array.isArray(schema.enum)) return schema.enum.includes('');
  if (schema.const !== undefined) return schema.const === '';
  if (typeof schema.minLength === 'number' && schema.minLength > 0) return false;
  if (typeof schema.pattern !== 'string') return true;
  try {
    return new RegExp(schema.pattern, 'u').test('');
  } catch {
    return false;
  }
}

/** 1-based line and column of offset `index` in `text`. */
function lineColumn(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  return { line: before.split('\n').length, column: index - before.lastIndexOf('\n') };
}

/** Offset in `text` of 1-based `line` and `column`. */
function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) offset = text.indexOf('\n', offset) + 1;
  return offset + column - 1;
}

/** A `jsx-braces` mustache: its text, and its offsets in the file (end exclusive). */
interface JsxMustache {
  inner: string;
  start: number;
  end: number;
}

/** Mustaches in JSX position: `={{…}}` or `{{ key: … }}` / `{{ ...x }}`, outside raw blocks and `\{{`. */
function jsxMustaches(file: TemplateFile, known: Set<string>): JsxMustache[] {
  if (!/\.(tsx|jsx)(\.hbs)?$/.test(file.name)) return [];
  // Blank out raw blocks, keeping newlines so positions stay right.
  const text = file.text.replace(/\{\{\{\{\s*raw\s*\}\}\}\}[\s\S]*?\{\{\{\{\s*\/\s*raw\s*\}\}\}\}/g, (m) => m.replace(/[^\n]/g, ' '));
  const out: JsxMustache[] = [];
  for (const m of text.matchAll(/(?<![\\{])\{\{(?!\{)([^}]*(?:\}(?!\})[^}]*)*)\}\}/g)) {
    const inner = m[1];
    const index = m.index ?? 0;
    const attribute = /=\s*$/.test(text.slice(Math.max(0, index - 2), index));
    const objectLike = /^\s*(\.\.\.|[A-Za-z_$][\w$-]*\s*:|['"][^'"]*['"]\s*:)/.test(inner);
    const first = /^\s*[#/^>!&]?\s*([^\s}()]+)/.exec(inner)?.[1] ?? '';
    if (objectLike || (attribute && !known.has(first.split('.')[0]))) out.push({ inner, start: index, end: index + m[0].length });
  }
  return out;
}

/** What Handlebars makes of a JSX object, by the rule of the finding it would otherwise produce. */
const JSX_AS_HANDLEBARS: Record<string, string> = {
  'unknown-helper': 'calls a helper that does not exist',
  'undefined-variable': 'names a variable template.yaml does not declare',
  'missing-partial': 'names a partial that is not registered',
  syntax: 'does not parse',
};

/**
 * One `jsx-braces` finding per JSX-looking mustache of `file`, standing for the findings of `content` (the file's
 * own) that point inside it: those are dropped, and the JSX finding is an error when one of them was.
 * @returns the JSX findings and the content findings left.
 */
function jsxBraces(file: TemplateFile, known: Set<string>, content: LintFinding[]): LintFinding[] {
  let rest = content;
  const out: LintFinding[] = [];
  for (const m of jsxMustaches(file, known)) {
    const inside = (f: LintFinding) => {
      if (f.file !== file.file || f.line === undefined || f.column === undefined) return false;
      const at = offsetOf(file.text, f.line, f.column);
      return m.start <= at && at < m.end;
    };
    const absorbed = rest.filter((f) => f.rule in JSX_AS_HANDLEBARS && inside(f));
    rest = rest.filter((f) => !absorbed.includes(f));
    const error = absorbed.find((f) => f.severity === 'error');
    const as = error ? ` (as Handlebars it ${JSX_AS_HANDLEBARS[error.rule]})` : '';
    out.push({
      severity: error ? 'error' : 'warning',
      rule: 'jsx-braces',
      file: file.file,
      ...lineColumn(file.text, m.start),
      message: `"{{${m.inner}}}" looks like a JSX object, not a Handlebars expression${as}; write \\{{${m.inner}}} to output it as is, or wrap the JSX in {{{{raw}}}}…{{{{/raw}}}}`,
    });
  }
  return [...out, ...rest];
}

/**
 * Template files that actions name outside the template folder: `templateFile`s and `templateFiles` globs without
 * `{{…}}`, relative to the generator's templates base.
 */
function externalTemplateFiles(patterns: string[], base: string, dir: string): string[] {
  const literal = patterns.filter((p) => !p.includes('{{'));
  if (literal.length === 0) return [];
  return globSync(literal, { cwd: base, absolute: true, dot: true, expandDirectories: false })
    .map((f) => path.resolve(f))
    .filter((f) => f !== dir && !f.startsWith(dir + path.sep) && fs.statSync(f).isFile())
    .sort();
}

/** The strings of an action that are templates (paths), the template files it names, and the keys of its `data`. */
function actionStrings(actions: unknown): { strings: string[]; files: string[]; data: string[] } {
  const strings: string[] = [];
  const files: string[] = [];
  const data: string[] = [];
  for (const a of Array.isArray(actions) ? actions : []) {
    if (!a || typeof a !== 'object') continue;
    const action = a as Record<string, unknown>;
    for (const key of ['path', 'destination', 'template', 'templateFile', 'base', 'templateFiles']) {
      for (const v of ([] as unknown[]).concat(action[key] ?? [])) if (typeof v === 'string') strings.push(v);
    }
    for (const key of ['templateFile', 'templateFiles']) {
      for (const v of ([] as unknown[]).concat(action[key] ?? [])) if (typeof v === 'string') files.push(v);
    }
    if (action.data && typeof action.data === 'object') data.push(...Object.keys(action.data));
  }
  return { strings, files, data };
}

/** Maps a position inside a template (1-based line and column, when known) to where a finding points. */
type Site = (at: { line?: number; column?: number }) => Pick<LintFinding, 'file' | 'line' | 'column'>;

/** A template file's contents: positions are the file's own. */
const contentSite = (f: TemplateFile): Site => (at) => ({ file: f.file, line: at.line, column: at.column });

/** A template file's name: the file itself, line 1, the column inside its name (as `f.name`, the path in the template folder). */
const fileNameSite = (f: TemplateFile): Site => (at) => ({ file: f.file, line: 1, column: at.column ?? 1 });

/**
 * The source files a generator's actions are written in: its plopfile; for a built-in, metarepo's `generators/`
 * (the generator's own file first, then the files it may import its paths from).
 */
function generatorSources(generator: TemplateGenerator | undefined, home: string): Array<{ file: string; text: string }> {
  let files: string[] = [];
  if (generator && 'plopfile' in generator) files = [generator.plopfile];
  else if (generator) {
    const dir = path.join(PACKAGE_ROOT, 'generators');
    const own = `${generator.name}.ts`;
    const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.(ts|mts|js|mjs)$/.test(f) && !f.endsWith('.d.ts')) : [];
    files = names.sort((a, b) => (a === own ? -1 : b === own ? 1 : a < b ? -1 : a > b ? 1 : 0)).map((f) => path.join(dir, f));
  }
  return files.filter((f) => fs.existsSync(f)).map((f) => ({ file: displayPath(f, home), text: fs.readFileSync(f, 'utf8') }));
}

/**
 * Where an action path is written in the generator's `sources`: the first string literal ('…', "…" or `…`) equal
 * to it, else its first occurrence. The text found is the path itself, so a position inside the path maps to the
 * same character there. Not found (the generator computes the path): the first source without a line, else `fallback`.
 */
function actionSite(template: string, sources: Array<{ file: string; text: string }>, fallback: string): Site {
  const find = (needle: (q: string) => string, shift: number) => {
    for (const src of sources) {
      for (const q of ["'", '"', '`']) {
        const index = src.text.indexOf(needle(q));
        if (index >= 0) return { ...src, index: index + shift };
      }
    }
    return undefined;
  };
  const hit = find((q) => `${q}${template}${q}`, 1) ?? find(() => template, 0);
  return (at) => {
    if (!hit) return { file: sources[0]?.file ?? fallback };
    const inside = at.line === undefined ? 0 : offsetOf(template, at.line, at.column ?? 1);
    return { file: hit.file, ...lineColumn(hit.text, hit.index + inside) };
  };
}

/** The answers of a fixture with the schema's defaults for the rest. */
function withDefaults(manifest: TemplateManifest, answers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(manifest.variables.properties)) if (s.default !== undefined) out[k] = s.default;
  return { ...out, ...answers };
}

function fromError(e: unknown, rule: string, fallbackFile: string): LintFinding[] {
  if (!(e instanceof MetarepoError)) throw e;
  // A parse error's own first line only says where; the line that says what was expected is among the details.
  const expected = rule === 'syntax' ? e.details.find((d) => /^Expecting /.test(d)) : undefined;
  const message = expected ? `${e.message.replace(/:\s*$/, '')}: ${expected}` : e.message;
  const first: LintFinding = { severity: 'error', rule, file: e.location?.file ?? fallbackFile, line: e.location?.line, column: e.location?.column, message };
  // Further violations come as "file:line:column: message" details.
  const more = e.details.slice(1).flatMap((d): LintFinding[] => {
    const m = /^(.*):(\d+):(\d+): (.*)$/.exec(d);
    return m ? [{ severity: 'error', rule, file: m[1], line: Number(m[2]), column: Number(m[3]), message: m[4] }] : [];
  });
  return [first, ...more];
}

/** Sorts findings by file, line, column, rule. */
function sorted(findings: LintFinding[]): LintFinding[] {
  const key = (f: LintFinding) => [f.file, String(f.line ?? 0).padStart(8, '0'), String(f.column ?? 0).padStart(8, '0'), f.rule].join('\u0000');
  return findings.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * Lints one template (see the module comment for the rules).
 * @returns findings sorted by file, line and column; paths relative to the template's home.
 * @throws only for internal errors: invalid input becomes findings.
 */
export async function lintTemplate(t: TemplateLocation, catalog: TemplateCatalog): Promise<LintFinding[]> {
  const manifestFile = displayPath(path.join(t.dir, TEMPLATE_MANIFEST), t.home);
  let manifest: TemplateManifest;
  try {
    manifest = await catalog.manifest(t);
  } catch (e) {
    return fromError(e, 'manifest', manifestFile);
  }
  const findings: LintFinding[] = (await validateFixtures(manifest)).map((p) => ({
    severity: 'error',
    rule: 'fixture',
    file: p.location.file,
    line: p.location.line,
    column: p.location.column,
    message: p.message,
  }));

  // The generator's Handlebars (its helpers and partials), prompts and actions.
  let hb: HandlebarsEnv = createHandlebars();
  let prompts: string[] = [];
  let actions: unknown = [];
  let templatesBase = t.dir;
  let generator: TemplateGenerator | undefined;
  try {
    const { inspectGenerator } = await import('./scaffold/run.js');
    generator = await catalog.generator(t);
    const inspected = await inspectGenerator(t.home, generator);
    hb = inspected.hb;
    prompts = Array.isArray(inspected.prompts) ? inspected.prompts.map((q: { name?: unknown }) => String(q.name)) : [];
    actions = inspected.actions;
    templatesBase = inspected.templatesBase;
  } catch (e) {
    findings.push(...fromError(e, 'generator', manifestFile));
  }
  const firstFixture = withDefaults(manifest, Object.values(manifest.fixtures)[0] ?? {});
  if (typeof actions === 'function') {
    try {
      actions = (actions as (a: unknown) => unknown)(structuredClone(firstFixture));
    } catch {
      actions = []; // an actions function that needs more than the fixture: its paths are checked by template test
    }
  }
  const fromActions = actionStrings(actions);

  const helpers = new Set(Object.keys(hb.helpers));
  const partials = new Set(Object.keys(hb.partials));
  const variables = Object.keys(manifest.variables.properties);
  const known = new Set([...variables, ...Object.keys(manifest.data), ...fromActions.data, ...prompts]);
  const used = new Set<string>(Object.values(manifest.data).flatMap((d) => d.from));
  // Placeholders for values only the generator computes, so file names render.
  const placeholders = Object.fromEntries([...Object.keys(manifest.data), ...fromActions.data].map((k) => [k, k]));

  /**
   * Findings about the references of one template (a file's contents, or the path template `label` names: a file name
   * or an action path), into `out`.
   */
  const report = (site: Site, refs: References, out: LintFinding[], label?: string): void => {
    for (const v of refs.variables) {
      used.add(v.name);
      if (!known.has(v.name)) {
        out.push({
          severity: 'error',
          rule: 'undefined-variable',
          ...site(v),
          message: `variable "${v.name}"${label ? ` in ${label}` : ''} is not declared in ${manifest.file} (variables or data)`,
        });
      }
    }
    for (const h of refs.helpers) {
      if (!helpers.has(h.name)) {
        out.push({ severity: 'error', rule: 'unknown-helper', ...site(h), message: `helper "${h.name}" does not exist (a plopfile registers its own with plop.setHelper; metarepo's are listed in docs/templates.md)` });
      }
    }
    for (const p of refs.partials) {
      if (!partials.has(p.name) && !refs.inline.has(p.name)) {
        out.push({ severity: 'error', rule: 'missing-partial', ...site(p), message: `partial "${p.name}" is not registered${partials.size ? ` (partials: ${[...partials].sort().join(', ')})` : ''}` });
      }
    }
  };

  /** A path template (file name or action path): its references, and what each fixture renders it to. */
  const checkPath = (template: string, site: Site, label: string): void => {
    if (!template.includes('{{')) return;
    let refs: References;
    try {
      refs = collectReferences(parseTemplate(hb, template, { label }), helpers);
    } catch (e) {
      // The error has no file (the path is not one); its position inside the path maps through the site.
      const at = errorPosition(hb, (e as Error).cause);
      findings.push(...fromError(e, 'syntax', site({}).file).map((f) => ({ ...f, ...site(at) })));
      return;
    }
    report(site, refs, findings, label);
    for (const v of refs.variables) {
      if (mayBeEmpty(manifest, v.name)) {
        findings.push({ severity: 'warning', rule: 'empty-path', ...site(v), message: `${label} uses "${v.name}", which may be empty (it is optional without a default, or its schema admits ""): the path would lose a segment; require it or give it a pattern or minLength` });
      }
    }
    // An unsafe render is the whole path's doing: it points at the path's first mustache.
    const start = lineColumn(template, template.indexOf('{{'));
    for (const [fixture, answers] of Object.entries(manifest.fixtures)) {
      let rendered: string;
      try {
        rendered = renderTemplate(hb, template, { ...placeholders, ...withDefaults(manifest, answers) }, { label }, false);
      } catch {
        continue; // a render error shows in template test with its position
      }
      const reason = unsafePathReason(rendered.replace(/\\/g, '/'));
      if (reason) findings.push({ severity: 'error', rule: 'unsafe-path', ...site(start), message: `${label} renders to "${rendered}" with fixture "${fixture}", which ${reason}` });
    }
  };

  for (const f of readTemplateFiles(t)) {
    checkPath(f.name, fileNameSite(f), `file name "${f.name}"`);
    const content: LintFinding[] = [];
    try {
      report(contentSite(f), collectReferences(parseTemplate(hb, f.text, { file: f.file }), helpers), content);
    } catch (e) {
      content.push(...fromError(e, 'syntax', f.file));
    }
    findings.push(...jsxBraces(f, new Set([...known, ...helpers]), content));
  }
  const sources = generatorSources(generator, t.home);
  for (const s of new Set(fromActions.strings)) checkPath(s, actionSite(s, sources, manifestFile), `action path "${s}" of generator "${manifest.generator}"`);
  // Files the actions render from outside the template folder (another template's files) use variables too.
  for (const abs of externalTemplateFiles(fromActions.files, templatesBase, t.dir)) {
    try {
      for (const v of collectReferences(parseTemplate(hb, fs.readFileSync(abs, 'utf8')), helpers).variables) used.add(v.name);
    } catch {
      // that template's own lint reports it
    }
  }

  for (const v of variables) {
    if (used.has(v)) continue;
    const at = manifest.document.locate(`/variables/properties/${v}`, { key: true });
    findings.push({ severity: 'warning', rule: 'unused-variable', file: at.file, line: at.line, column: at.column, message: `variable "${v}" is declared but no template, file name or action path uses it (if the generator uses it in code, list it under data.<name>.from)` });
  }
  for (const p of prompts.filter((q) => !variables.includes(q))) {
    const at = manifest.document.locate('/variables/properties', { key: true });
    findings.push({ severity: 'warning', rule: 'undeclared-prompt', file: at.file, line: at.line, column: at.column, message: `generator "${manifest.generator}" asks "${p}", which variables does not declare (fixtures cannot be checked against it)` });
  }
  return sorted(findings);
}

/** Formats findings as `severity file:line:column message [rule]` lines. */
export function formatLintFindings(findings: LintFinding[]): string[] {
  return findings.map((f) => `${f.severity} ${formatLocation({ file: f.file, line: f.line, column: f.column })}: ${f.message} [${f.rule}]`);
}

/**
 * Lints every template of the workspace (not the built-ins), for the `templates-lint` check: each finding's
 * message ends with its rule in brackets. Workspace generators come from its plopfiles; built-in generators are
 * not consulted, so a workspace template that names one is reported as naming a missing generator.
 * @returns findings with file (relative to `root`), line and column; empty when the workspace has no templates.
 */
export async function lintWorkspaceTemplates(root: string): Promise<Finding[]> {
  const { TemplateCatalog } = await import('./catalog.js');
  let catalog: TemplateCatalog;
  try {
    catalog = new TemplateCatalog(root, []);
  } catch (e) {
    return fromError(e, 'manifest', 'templates');
  }
  const findings: Finding[] = [];
  for (const t of catalog.locations.filter((l) => l.source === 'workspace')) {
    for (const f of await lintTemplate(t, catalog)) {
      const { rule, ...finding } = f;
      findings.push({ ...finding, message: `${f.message} [${rule}]` });
    }
  }
  return findings;
}
