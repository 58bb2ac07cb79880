/**
 * plop's standard actions (`add`, `addMany`, `modify`, `append`) implemented against a {@link Tree}
 * instead of the disk. node-plop's own versions write straight to disk, so the scaffold runner
 * rewrites every such action to the `metarepo:*` types registered here. Semantics follow plop's
 * documentation and node-plop 0.32's behaviour; the differences are noted on each function.
 */
import fs from 'node:fs';
import path from 'node:path';
import { globSync, type GlobOptions } from 'tinyglobby';
import { MetarepoError } from '../../core/errors.js';
import { safeRelativePath } from '../../core/paths.js';
import type { Tree } from '../../engine/tree.js';
import { renderTemplate, type HandlebarsEnv } from '../handlebars.js';

/** plop's standard action types that the runner routes through the Tree. */
export const TREE_ACTION_TYPES = ['add', 'addMany', 'modify', 'append'] as const;
/** One of {@link TREE_ACTION_TYPES}. */
export type TreeActionType = (typeof TREE_ACTION_TYPES)[number];

/** The registered name of our version of a plop action type. */
export function treeActionName(type: TreeActionType): string {
  return `metarepo:${type}`;
}

/** What every Tree action needs besides plop's `(answers, config, plop)`. */
export interface ActionContext {
  tree: Tree;
  /** Handlebars with metarepo's helpers plus the plopfile's helpers and partials. */
  hb: HandlebarsEnv;
  /** Strict variable lookups (built-in generators) or plop's lenient ones (plopfiles). */
  strict: boolean;
  /** Recorded as the origin of every write (generator name). */
  origin: string;
}

/** The part of node-plop's API the actions use. */
export interface PlopPaths {
  getPlopfilePath(): string;
}

type Data = Record<string, unknown>;
type Transform = (text: string, data: Data, cfg: ActionConfig) => string | Promise<string>;

/** A plop action config as our actions read it (plop passes the user's object, plus `force`). */
export interface ActionConfig {
  type: string;
  path?: string;
  template?: string;
  templateFile?: string;
  skipIfExists?: boolean;
  force?: boolean;
  transform?: Transform;
  pattern?: string | RegExp;
  unique?: boolean;
  separator?: string;
  destination?: string;
  base?: string;
  templateFiles?: string | string[] | (() => string | string[]);
  globOptions?: GlobOptions;
  stripExtensions?: string[];
  verbose?: boolean;
  [key: string]: unknown;
}

/** plop's action function shape: `(answers, config, plop) => message`. */
export type PlopAction = (data: Data, cfg: ActionConfig, plop: PlopPaths) => Promise<string>;

/** Builds the four Tree actions for one run, keyed by their registered names. */
export function createTreeActions(ctx: ActionContext): Record<string, PlopAction> {
  return {
    [treeActionName('add')]: (data, cfg, plop) => add(ctx, data, withRenderedTemplateFile(ctx, data, checked(cfg, true)), plop),
    [treeActionName('addMany')]: (data, cfg, plop) => addMany(ctx, data, checked(cfg, false), plop),
    [treeActionName('modify')]: (data, cfg, plop) => modify(ctx, data, withRenderedTemplateFile(ctx, data, checked(cfg, true)), plop),
    [treeActionName('append')]: (data, cfg, plop) => append(ctx, data, withRenderedTemplateFile(ctx, data, checked(cfg, true)), plop),
  };
}

/** plop's common action checks (node-plop `_common-action-interface-check.js`), as MetarepoErrors. */
function checked(cfg: ActionConfig, needsPath: boolean): ActionConfig {
  const bad = (msg: string): never => {
    throw new MetarepoError(`Invalid "${plopType(cfg)}" action: ${msg}`, {
      hint: 'See plop\'s action documentation for the fields each action type takes.',
    });
  };
  if (needsPath && (typeof cfg.path !== 'string' || cfg.path.length === 0)) bad(`"path" must be a non-empty string.`);
  if (cfg.abortOnFail !== undefined && typeof cfg.abortOnFail !== 'boolean') bad('"abortOnFail" must be a boolean.');
  if ('transform' in cfg && typeof cfg.transform !== 'function') bad('"transform" must be a function.');
  if (plopType(cfg) === 'modify' && !('pattern' in cfg) && !('transform' in cfg)) bad('it needs a "pattern" or a "transform".');
  if (plopType(cfg) === 'addMany' && (typeof cfg.destination !== 'string' || cfg.destination.length === 0)) {
    bad('"destination" must be a non-empty string.');
  }
  return cfg;
}

function plopType(cfg: ActionConfig): string {
  return cfg.type.replace(/^metarepo:/, '');
}

function render(ctx: ActionContext, source: string, data: Data, what: { file?: string; label?: string }): string {
  return renderTemplate(ctx.hb, source, data, what, ctx.strict);
}

/** Renders a path template (`src/{{kebabCase name}}.ts`) with `/` separators. */
function renderPath(ctx: ActionContext, template: string, data: Data, cfg: ActionConfig): string {
  return render(ctx, template.replace(/\\/g, '/'), data, { label: `path "${template}" of a "${plopType(cfg)}" action` });
}

/** Path shown in messages for a template file: relative to the workspace when inside it. */
function displayPath(ctx: ActionContext, abs: string): string {
  const rel = path.relative(ctx.tree.root, abs);
  return rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel.split(path.sep).join('/');
}

/** Reads a template file as UTF-8 text; the Tree holds text only, so binary files are refused. */
function readTemplateFile(ctx: ActionContext, abs: string): string {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(abs);
  } catch {
    throw new MetarepoError(`Template file "${displayPath(ctx, abs)}" does not exist.`, {
      hint: 'templateFile paths are relative to the plopfile (or the generator\'s templates folder).',
    });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new MetarepoError(`Template file "${displayPath(ctx, abs)}" is not UTF-8 text; binary templates are not supported.`, {
      hint: 'Keep binary assets out of scaffold templates, or copy them in a later step.',
    });
  }
}

/**
 * `cfg` with its `templateFile` path rendered as a template (`add`, `modify`, `append` do this;
 * `addMany` does not, as its files are found on disk by name).
 */
function withRenderedTemplateFile(ctx: ActionContext, data: Data, cfg: ActionConfig): ActionConfig {
  return cfg.templateFile ? { ...cfg, templateFile: renderPath(ctx, cfg.templateFile, data, cfg) } : cfg;
}

/** The rendered text of an action's `templateFile` (relative to the plopfile) or `template`. */
function renderBody(ctx: ActionContext, data: Data, cfg: ActionConfig, plop: PlopPaths): string {
  if (cfg.templateFile) {
    const abs = path.resolve(plop.getPlopfilePath(), cfg.templateFile);
    return render(ctx, readTemplateFile(ctx, abs), data, { file: displayPath(ctx, abs) });
  }
  return render(ctx, cfg.template ?? '', data, { label: `the template of a "${plopType(cfg)}" action` });
}

async function transformed(text: string, data: Data, cfg: ActionConfig): Promise<string> {
  if (!cfg.transform) return text;
  const out = await cfg.transform(text, data, cfg);
  if (typeof out !== 'string') {
    throw new MetarepoError(`The transform of a "${plopType(cfg)}" action returned ${typeof out}, not a string.`, {
      hint: 'Make transform(text, data) return the new file content.',
    });
  }
  return out;
}

/** Content of an existing file, or a MetarepoError naming it (modify/append need the file). */
function existing(ctx: ActionContext, dest: string, cfg: ActionConfig): string {
  const content = ctx.tree.read(dest);
  if (content === null) {
    throw new MetarepoError(`Cannot ${plopType(cfg)} "${dest}": the file does not exist.`, {
      hint: 'Create it first (an earlier "add" action in the same generator counts), or fix the path.',
    });
  }
  return content;
}

/**
 * Writes one rendered file (`add`, and each file of `addMany`): renders `template`/`templateFile`
 * into `dest`. An existing file fails the action unless `skipIfExists` (then it is left as it is)
 * or `force` (then it is overwritten). `transform` runs on the rendered text. Unlike node-plop,
 * executable bits and binary files are not carried over (the Tree holds text).
 */
async function writeFile(ctx: ActionContext, data: Data, cfg: ActionConfig, plop: PlopPaths, dest: string): Promise<string> {
  if (ctx.tree.exists(dest) && cfg.force !== true) {
    if (cfg.skipIfExists) return `[SKIPPED] ${dest} (exists)`;
    throw new MetarepoError(`File "${dest}" already exists.`, {
      hint: 'Choose another name, delete the file, or mark the action with skipIfExists: true or force: true.',
    });
  }
  const text = await transformed(renderBody(ctx, data, cfg, plop), data, cfg);
  ctx.tree.write(dest, text, { overwrite: cfg.force === true, origin: ctx.origin });
  return dest;
}

/** `add`: see {@link writeFile}. */
async function add(ctx: ActionContext, data: Data, cfg: ActionConfig, plop: PlopPaths): Promise<string> {
  return writeFile(ctx, data, cfg, plop, destinationOf(ctx, cfg, data));
}

/** The rendered destination path of a path-taking action, checked by the Tree's path rules. */
function destinationOf(ctx: ActionContext, cfg: ActionConfig, data: Data): string {
  // safeRelativePath throws the Tree's MetarepoError for absolute and "../" paths.
  return safeRelativePath(renderPath(ctx, cfg.path!, data, cfg), ctx.origin);
}

/**
 * `addMany`: every file matched by `templateFiles` (globs, rendered, relative to the plopfile;
 * `globOptions` passed to tinyglobby) is added under `destination`. With `base`, a file's path
 * relative to `base` is kept; without it, its first folder is dropped (node-plop's rule). Names
 * ending in one of `stripExtensions` (default `["hbs"]`) lose that extension when what remains
 * still has one or is a dot-file (node-plop's rule: `index.ts.hbs` → `index.ts`, `README.hbs`
 * stays). The destination path, file name included, is a template. `verbose` (default true)
 * lists the files in the message. `skipIfExists`, `force` and `transform` apply per file.
 */
async function addMany(ctx: ActionContext, data: Data, cfg: ActionConfig, plop: PlopPaths): Promise<string> {
  const plopDir = path.resolve(plop.getPlopfilePath());
  const base = cfg.base ? renderPath(ctx, cfg.base, data, cfg) : '';
  const absBase = path.resolve(plopDir, base);
  const listed = typeof cfg.templateFiles === 'function' ? cfg.templateFiles() : cfg.templateFiles;
  const patterns = ([] as string[]).concat(listed ?? []).map((p) => renderPath(ctx, p, data, cfg));
  const files = globSync(patterns, {
    cwd: plopDir,
    braceExpansion: false,
    expandDirectories: true,
    absolute: true,
    ...cfg.globOptions,
  })
    .map((f) => path.resolve(f))
    .filter((f) => (f === absBase || f.startsWith(absBase + path.sep)) && fs.statSync(f).isFile())
    .sort();
  const strip = cfg.stripExtensions ?? ['hbs'];
  const added: string[] = [];
  for (const file of files) {
    const rel = path.relative(base ? absBase : plopDir, file).split(path.sep);
    const relative = (base ? rel : rel.slice(1)).join('/');
    const destTemplate = stripExtension(path.posix.join(cfg.destination!.replace(/\\/g, '/'), relative), strip);
    const fileCfg: ActionConfig = { ...cfg, type: 'add', path: destTemplate, templateFile: file, template: undefined };
    added.push(await writeFile(ctx, data, fileCfg, plop, destinationOf(ctx, fileCfg, data)));
  }
  const summary = `${added.length} files added`;
  return cfg.verbose === false ? summary : [summary, ...added.map((a) => ` -> ${a}`)].join('\n');
}

function stripExtension(file: string, strip: string[]): string {
  const { dir, name, ext } = path.posix.parse(file);
  if (!strip.map((s) => `.${s}`).includes(ext)) return file;
  return path.posix.extname(name) !== '' || name.startsWith('.') ? path.posix.join(dir, name) : file;
}

/**
 * `modify`: in an existing file (pending in the tree or on disk), replaces `pattern` with the
 * rendered template (`String.replace` semantics, so `$1` refers to a capture group), then runs
 * `transform` on the whole content.
 */
async function modify(ctx: ActionContext, data: Data, cfg: ActionConfig, plop: PlopPaths): Promise<string> {
  const dest = destinationOf(ctx, cfg, data);
  let content = existing(ctx, dest, cfg);
  if (typeof cfg.pattern === 'string' || cfg.pattern instanceof RegExp) {
    content = content.replace(cfg.pattern, renderBody(ctx, data, cfg, plop));
  }
  ctx.tree.write(dest, await transformed(content, data, cfg), { overwrite: true, origin: ctx.origin });
  return dest;
}

/**
 * `append`: adds the rendered template after each match of `pattern` (or at the end of the file
 * without one), preceded by `separator` (default `"\n"`). With `unique` (the default) earlier
 * copies of `separator + text` after the last match are removed first, so re-running does not
 * duplicate. Unlike node-plop, the text is matched literally (not as a regular expression) and
 * `$` in it is not a replacement pattern.
 */
async function append(ctx: ActionContext, data: Data, cfg: ActionConfig, plop: PlopPaths): Promise<string> {
  const dest = destinationOf(ctx, cfg, data);
  let content = existing(ctx, dest, cfg);
  const text = renderBody(ctx, data, cfg, plop);
  const separator = cfg.separator ?? '\n';
  if (cfg.unique !== false) {
    const cut = lastMatchEnd(content, cfg.pattern);
    content = content.slice(0, cut) + content.slice(cut).split(separator + text).join('');
  }
  if (!cfg.pattern) {
    content = content.length > 0 ? content + separator + text : text;
  } else {
    content = content.replace(cfg.pattern, (match) => match + separator + text);
  }
  ctx.tree.write(dest, content, { overwrite: true, origin: ctx.origin });
  return dest;
}

/** Index just after the last match of `pattern` in `text` (0 when there is none). */
function lastMatchEnd(text: string, pattern: string | RegExp | undefined): number {
  if (!pattern) return 0;
  const re = typeof pattern === 'string' ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g') : new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g');
  let end = 0;
  for (const m of text.matchAll(re)) end = (m.index ?? 0) + m[0].length;
  return end;
}
