/**
 * `metarepo new`: runs a scaffold generator (built-in, from a plugin, or from a workspace plopfile)
 * through node-plop, with every standard plop action writing into a {@link Tree} instead of the
 * disk. The engine commits the tree afterwards; this module never writes a file.
 *
 * Startup stays cheap: node-plop, inquirer, Handlebars and the action module load on first call.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MetarepoError } from '../../core/errors.js';
import { safeRelativePath } from '../../core/paths.js';
import type { FileChange, Tree } from '../../engine/tree.js';
import type { ScaffoldContext, ScaffoldGenerator } from '../../plugins/api.js';
import type { HandlebarsEnv } from '../handlebars.js';
import type { TemplateManifest } from '../manifest.js';
import type { WorkspaceConfig } from '../../workspace/config.js';
import type { ActionContext, PlopAction } from './actions.js';
import { resolveAnswers, type PlopQuestion, type PromptFunction } from './answers.js';
import { loadNodePlop, loadPlopfile, loadPlopfiles, type NodePlopApi } from './plopfiles.js';

/** A generator defined in a workspace plopfile, by name. */
export interface PlopfileGeneratorRef {
  name: string;
  /** Absolute path of the plopfile. */
  plopfile: string;
}

/** Options of {@link runScaffold}. */
export interface RunScaffoldOptions {
  /** Absolute path of the workspace root; output paths are relative to it. */
  root: string;
  /** The tree the actions write into (usually `new Tree(root)`). */
  tree: Tree;
  generator: ScaffoldGenerator | PlopfileGeneratorRef;
  /** Answers from `--set key=value` (strings, coerced per prompt type) or typed values from code. */
  answers?: Record<string, unknown>;
  /** Ask unanswered questions through inquirer (only when stdin is a TTY). Default false. */
  interactive?: boolean;
  /**
   * Dry run: standard actions still only fill the tree, but a plopfile's custom action types and
   * function actions (which act outside the tree) are skipped and reported instead of run.
   */
  dryRun?: boolean;
  /**
   * The generator's template.yaml. When the generator declares no prompts, its `variables` become them
   * (see `promptsFromVariables`) and the answers are validated against that schema. Default: the workspace
   * template whose `generator` is this one (built-ins: the template.yaml in their templates folder).
   */
  template?: TemplateManifest;
  /** Called with the run's Handlebars environment once helpers and partials are in, e.g. to record branch coverage. */
  handlebars?: (hb: HandlebarsEnv) => void;
  /**
   * The workspace configuration the generator sees (see {@link ScaffoldContext}). Default: `root`'s metarepo.yaml,
   * validated, when there is one; else none (a template tested outside a workspace).
   */
  workspace?: Partial<WorkspaceConfig>;
  /**
   * Keys of `answers` that may stay unasked: they reach the templates as they are. Every other key that no question
   * asks is refused (a typo in `--set` must not pass silently), except where the generator leaves its questions
   * open: a template.yaml whose variables set `additionalProperties` (false: the schema refuses them itself, with
   * every other violation; true or a schema: taken), a plopfile generator that declares no question at all (its
   * --set values are its data), and prompts written as a function. `metarepo update` lists the recorded answers here.
   */
  keepUnasked?: string[];
}

/**
 * The second argument of a generator's `actions(answers, context)` function (built-in or plopfile; plop itself
 * passes only the answers): where the workspace is and how it is configured, e.g. `context.workspace.modelsDir`.
 */

/** What {@link runScaffold} returns. */
export interface ScaffoldResult {
  /** The tree's pending changes (`tree.changes()`), sorted by path. */
  changes: FileChange[];
  /** The answers used, after coercion, defaults and prompting. */
  answers: Record<string, unknown>;
  /** One line per plop comment and action result, plus notes (skipped actions, unused `--set`). */
  messages: string[];
  /**
   * The generator's `project` with its path rendered over the answers: a built-in's `project`, or a plopfile
   * generator's `project: { path, kind }` field.
   */
  project?: { path: string; kind: string };
}

/** One entry of {@link listScaffoldGenerators}. */
export interface ScaffoldGeneratorEntry {
  name: string;
  description: string;
  /** `builtin`: registered by a plugin; `workspace`: from a plopfile in the workspace. */
  source: 'builtin' | 'workspace';
  /** Pass this to {@link runScaffold}. */
  generator: ScaffoldGenerator | PlopfileGeneratorRef;
}

function isPlopfileRef(g: RunScaffoldOptions['generator']): g is PlopfileGeneratorRef {
  return typeof (g as PlopfileGeneratorRef).plopfile === 'string';
}

/**
 * All scaffold generators: the plugins' (`builtins`) and the workspace's plopfiles' (see
 * {@link loadPlopfiles}: the root plopfile and `generators/*.mjs`). A workspace generator with a
 * built-in's name replaces it, so a team can customise a built-in. Sorted by name.
 * @throws MetarepoError when a plopfile cannot be loaded or two plopfiles define the same name.
 */
export async function listScaffoldGenerators(root: string, builtins: ScaffoldGenerator[]): Promise<ScaffoldGeneratorEntry[]> {
  return mergeGenerators(builtins, await loadPlopfiles(root));
}

function mergeGenerators(builtins: ScaffoldGenerator[], local: Awaited<ReturnType<typeof loadPlopfiles>>): ScaffoldGeneratorEntry[] {
  const byName = new Map<string, ScaffoldGeneratorEntry>();
  for (const g of builtins) byName.set(g.name, { name: g.name, description: g.description, source: 'builtin', generator: g });
  for (const g of local) {
    byName.set(g.name, {
      name: g.name,
      description: g.description,
      source: 'workspace',
      generator: { name: g.name, plopfile: g.plopfile },
    });
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The generator called `name` among {@link listScaffoldGenerators}. A workspace plopfile's generator replaces a
 * built-in of its name, so when one is found the built-ins are not asked for: pass them as a function to have the
 * plugins that contribute them activated only when needed.
 * @throws MetarepoError (exit 2) naming the generators there are, when none has that name.
 */
export async function findScaffoldGenerator(
  root: string,
  name: string,
  builtins: ScaffoldGenerator[] | (() => Promise<ScaffoldGenerator[]>),
): Promise<ScaffoldGeneratorEntry> {
  const local = await loadPlopfiles(root);
  const mine = local.find((g) => g.name === name);
  if (mine) return { name: mine.name, description: mine.description, source: 'workspace', generator: { name: mine.name, plopfile: mine.plopfile } };
  const all = mergeGenerators(typeof builtins === 'function' ? await builtins() : builtins, local);
  const hit = all.find((g) => g.name === name);
  if (!hit) {
    throw new MetarepoError(`There is no scaffold generator called "${name}".`, {
      hint: `Available: ${all.map((g) => g.name).join(', ') || '(none)'}. Add your own with "metarepo new generator <name>".`,
    });
  }
  return hit;
}

/**
 * Runs a scaffold generator into `tree`: resolves the answers (see {@link resolveAnswers}), then
 * runs the generator's actions with node-plop. plop's `add`, `addMany`, `modify` and `append`
 * (also inside an `actions(answers)` function) are rewritten to metarepo's Tree actions
 * (`src/templates/scaffold/actions.ts`); comments, `skip`, `data` and `abortOnFail` keep node-plop's
 * handling. Templates render with metarepo's Handlebars plus the plopfile's helpers and partials;
 * built-in generators render strictly (a missing variable is an error), plopfiles leniently as
 * plop does. Custom action types and function actions run as plop would run them (they may touch
 * the disk; a message says so) except in a dry run, where they are skipped.
 *
 * A function action follows plop's documented contract: it returns its message (a string, or a promise of
 * one; any other value is shown as JSON or as text), and it fails by throwing or rejecting. An `actions`
 * function receives the answers and a {@link ScaffoldContext}, and returns the list of actions.
 *
 * Any failed action fails the whole run (with `abortOnFail: false` the later actions still run so
 * every failure is listed), and the tree is then not to be committed.
 * @throws MetarepoError (exit 2): invalid or missing answers, or answers no question asks (unless in
 *   `keepUnasked`); an output path that is absolute or leaves the workspace (the Tree's error); an existing
 *   file an action may not overwrite; a template parse or render error (with file, line, column); an
 *   unloadable plopfile; a template.yaml of the workspace that is not valid YAML (file, line, column).
 * @throws MetarepoError (exit 1) when the generator's own code fails: a function action or an `actions`
 *   function throws or rejects, `actions` is not a list (or does not return one), an action is not an action,
 *   or a question's `default` or `when` function throws; the message names the generator (and its plopfile).
 */
export async function runScaffold(opts: RunScaffoldOptions): Promise<ScaffoldResult> {
  const { root, tree, generator } = opts;
  const name = generator.name;
  const plopfile = isPlopfileRef(generator);
  const plop = plopfile ? await loadPlopfile(generator.plopfile, root) : await builtinPlop(generator, root);
  const config = generatorConfig(plop, name);
  const messages: string[] = [];
  // Errors of an action name where it is defined: the generator, and the plopfile for workspace generators.
  const plopfileRel = plopfile ? path.relative(root, generator.plopfile).split(path.sep).join('/') : undefined;
  const where = plopfileRel ? `generator ${name} in ${plopfileRel}` : `generator ${name}`;
  const failed = (message: string, cause?: unknown) => generatorFailure(name, plopfileRel, message, cause);
  if (typeof config.actions !== 'function' && !Array.isArray(config.actions)) {
    throw failed(`its actions are ${describeType(config.actions)}, not a list of actions or a function returning one`);
  }

  const declared = typeof config.prompts === 'function' || (Array.isArray(config.prompts) && config.prompts.length > 0);
  const template = declared ? undefined : (opts.template ?? (await templateOf(root, generator)));
  const prompts = template ? (await import('../prompts.js')).promptsFromVariables(template.variables) : config.prompts;
  // Answers no question asks are refused — by the variables schema itself when it says `additionalProperties:
  // false` (so every violation is listed at once), else here; `additionalProperties` true or a schema takes them.
  // A plopfile generator that declares no question at all (no prompts, no template.yaml) takes --set values as its
  // data, as plopfiles written for `metarepo new` before questions were checked do: nothing to misspell against.
  const questionless = plopfile && !template && Array.isArray(prompts) && prompts.length === 0;
  const open = questionless || (template !== undefined && template.variables.additionalProperties !== undefined);
  const answered = await answersFor(plop, name, prompts, opts, open);
  messages.push(...answered.messages);
  if (template) await checkAgainstVariables(name, template, answered.answers);

  const context: ScaffoldContext = { root, workspace: opts.workspace ?? (await workspaceConfigAt(root)) };
  const hb = await scaffoldHandlebars(plop);
  opts.handlebars?.(hb);
  const ctx: ActionContext = { tree, hb, strict: !plopfile, origin: where };
  const thrown: unknown[] = [];
  const { createTreeActions } = await import('./actions.js');
  for (const [type, action] of Object.entries(createTreeActions(ctx))) {
    plop.setActionType(type, recording(action, thrown) as never);
  }

  const runnable = plop.setGenerator(name, {
    description: config.description,
    prompts: config.prompts as never,
    actions: await rewriteActions(config.actions, { dryRun: opts.dryRun === true, messages, context, failed }),
  });
  let failures: unknown[];
  try {
    ({ failures } = await runnable.runActions(
      { ...answered.answers },
      {
        onComment: (msg) => messages.push(msg),
        onSuccess: (change) => messages.push(`${plopTypeName(change.type)} ${change.path ?? ''}`.trim()),
      },
    ));
  } catch (err) {
    // node-plop lets errors of the actions list itself through (not per action); ours are MetarepoErrors already.
    throw err instanceof MetarepoError ? err : failed(messageOf(err), err);
  }
  if (failures.length > 0) throw runFailure(name, plopfileRel, failures, thrown);

  let project: ScaffoldResult['project'];
  const spec = plopfile ? config.project : generator.project;
  if (spec) {
    const { renderTemplate } = await import('../handlebars.js');
    const rendered = renderTemplate(hb, spec.path, answered.answers, { label: `project path of "${name}"` });
    project = { path: safeRelativePath(rendered, `generator ${name}`), kind: spec.kind };
  }
  return { changes: tree.changes(), answers: answered.answers, messages, ...(project ? { project } : {}) };
}

/**
 * A generator loaded for inspection (template lint): the Handlebars environment its templates render with
 * (metarepo's helpers plus a plopfile's helpers and partials), its prompts and its actions (a list, or a
 * function of the answers), as declared, and the folder its actions' template paths are relative to.
 * @throws MetarepoError as {@link runScaffold} does for an unloadable plopfile or a missing templates folder.
 */
export async function inspectGenerator(
  root: string,
  generator: ScaffoldGenerator | PlopfileGeneratorRef,
): Promise<{ hb: HandlebarsEnv; prompts: unknown; actions: unknown; templatesBase: string }> {
  const plop = isPlopfileRef(generator) ? await loadPlopfile(generator.plopfile, root) : await builtinPlop(generator, root);
  const config = generatorConfig(plop, generator.name);
  return { hb: await scaffoldHandlebars(plop), prompts: config.prompts, actions: config.actions, templatesBase: plop.getPlopfilePath() };
}

/**
 * The template.yaml that belongs to a generator (see {@link RunScaffoldOptions.template}); its `version` is the
 * template version recorded with a project's answers and compared by `metarepo update`.
 * For a plopfile generator, the workspace template whose `generator` (else `name`) is the generator's name.
 * @returns `undefined` when the generator has no template.yaml.
 * @throws MetarepoError (exit 2) for its template.yaml when present but invalid, and (plopfile generators) for any
 *   workspace template.yaml that cannot be read as YAML — it could be this generator's — with file, line and column.
 */
export async function templateOf(root: string, generator: ScaffoldGenerator | PlopfileGeneratorRef): Promise<TemplateManifest | undefined> {
  const { loadTemplateManifest, manifestGenerator, TEMPLATE_MANIFEST } = await import('../manifest.js');
  if (isPlopfileRef(generator)) {
    // Which template belongs to the generator is written inside each template.yaml, so every workspace template
    // is read, strictly: one that is not YAML could be this generator's, and is reported rather than skipped.
    const { listTemplateLocations } = await import('../catalog.js');
    for (const t of listTemplateLocations(root).filter((l) => l.source === 'workspace')) {
      if (manifestGenerator(t.dir, { root }) === generator.name) return loadTemplateManifest(t.dir, { root });
    }
    return undefined;
  }
  if (!fs.existsSync(path.join(generator.templatesDir, TEMPLATE_MANIFEST))) return undefined;
  const manifest = await loadTemplateManifest(generator.templatesDir);
  return manifest.generator === generator.name ? manifest : undefined;
}

/** Answers to prompts derived from template.yaml must satisfy its whole variables schema (ranges, unknown keys). */
async function checkAgainstVariables(name: string, template: TemplateManifest, answers: Record<string, unknown>): Promise<void> {
  const { variablesValidator } = await import('../manifest.js');
  const validate = await variablesValidator(template);
  if (validate(answers)) return;
  throw new MetarepoError(`Some answers for generator "${name}" are not valid.`, {
    details: (validate.errors ?? []).map((e) => `${e.instancePath.slice(1) || 'answers'}: ${e.message ?? 'is invalid'}${e.keyword === 'additionalProperties' ? ` ("${String(e.params.additionalProperty)}")` : ''}`),
    hint: `The variables of ${template.file} (${Object.keys(template.variables.properties).join(', ') || 'none'}) say what each answer may be; pass a valid value with --set name=value.`,
  });
}

/**
 * The workspace configuration a generator sees (see {@link ScaffoldContext}).
 * @returns metarepo.yaml at `root`, validated with defaults applied; `{}` when there is none (a template tested
 *   outside a workspace).
 * @throws MetarepoError (exit 2) when metarepo.yaml is there but invalid (see `loadConfig`).
 */
export async function workspaceConfigAt(root: string): Promise<Partial<WorkspaceConfig>> {
  const { CONFIG_FILE } = await import('../../core/layout.js');
  if (!fs.existsSync(path.join(root, CONFIG_FILE))) return {};
  return (await (await import('../../workspace/config.js')).loadConfig(root)).config;
}

/** A node-plop instance holding one built-in generator, templates resolved from its folder. */
async function builtinPlop(generator: ScaffoldGenerator, root: string): Promise<NodePlopApi> {
  if (!fs.existsSync(generator.templatesDir)) {
    throw new MetarepoError(`The templates folder of generator "${generator.name}" does not exist: ${generator.templatesDir}`, {
      hint: 'Reinstall metarepo, or fix the plugin that registers this generator.',
      exitCode: 1,
    });
  }
  const nodePlop = await loadNodePlop();
  const plop = await nodePlop('', { destBasePath: root, force: false });
  plop.setPlopfilePath(generator.templatesDir);
  plop.setGenerator(generator.name, {
    description: generator.description,
    prompts: generator.prompts as never,
    actions: generator.actions as never,
  });
  return plop;
}

interface GeneratorConfig {
  description: string;
  prompts: unknown;
  actions: unknown;
  /** A plopfile generator's project declaration, as built-ins have it (see ScaffoldGenerator.project). */
  project?: { path: string; kind: string };
}

function generatorConfig(plop: NodePlopApi, name: string): GeneratorConfig {
  let g: GeneratorConfig;
  try {
    g = plop.getGenerator(name) as unknown as GeneratorConfig;
  } catch {
    throw new MetarepoError(`The plopfile defines no generator called "${name}".`, {
      hint: `It defines: ${plop.getGeneratorList().map((x) => x.name).join(', ') || '(none)'}.`,
    });
  }
  return { description: g.description, prompts: g.prompts, actions: g.actions, ...(isProjectSpec(g.project) ? { project: g.project } : {}) };
}

function isProjectSpec(v: unknown): v is { path: string; kind: string } {
  return typeof v === 'object' && v !== null && typeof (v as { path?: unknown }).path === 'string' && typeof (v as { kind?: unknown }).kind === 'string';
}

async function answersFor(
  plop: NodePlopApi,
  name: string,
  prompts: unknown,
  opts: RunScaffoldOptions,
  open: boolean,
): Promise<{ answers: Record<string, unknown>; messages: string[] }> {
  const given = opts.answers ?? {};
  const interactive = opts.interactive === true;
  if (typeof prompts === 'function') {
    // plop's dynamic prompts: the generator drives inquirer itself.
    if (!interactive) {
      throw new MetarepoError(`Generator "${name}" asks its questions in code (prompts is a function), so --set cannot answer them.`, {
        hint: 'Run "metarepo new" in a terminal, or make prompts an array of questions.',
      });
    }
    return { answers: { ...given, ...((await prompts(inquirerOf(plop))) as Record<string, unknown>) }, messages: [] };
  }
  const questions = Array.isArray(prompts) ? (prompts as PlopQuestion[]) : [];
  return resolveAnswers(questions, {
    generator: name,
    given,
    interactive,
    prompt: (qs, answers) => inquirerOf(plop).prompt(qs, answers),
    unasked: open ? 'pass' : 'refuse',
    keep: opts.keepUnasked,
  });
}

/** node-plop passes its inquirer through on the API object; its type declarations omit it. */
function inquirerOf(plop: NodePlopApi): { prompt: PromptFunction } {
  return (plop as unknown as { inquirer: { prompt: PromptFunction } }).inquirer;
}

/**
 * The Handlebars environment for one run: metarepo's helpers, then the plopfile's helpers and
 * partials. node-plop keeps its baked-in helpers out of `getHelperList()`, so a plopfile's
 * replacement of one (say `properCase`) is found by comparing with a pristine instance.
 */
async function scaffoldHandlebars(plop: NodePlopApi): Promise<HandlebarsEnv> {
  const [{ createHandlebars, CASE_HELPERS }, nodePlop] = await Promise.all([import('../handlebars.js'), loadNodePlop()]);
  const hb = createHandlebars();
  const pristine = await nodePlop('', { destBasePath: plop.getDestBasePath(), force: false });
  const replaced = Object.keys(CASE_HELPERS).filter((n) => plop.getHelper(n) !== pristine.getHelper(n));
  for (const n of ['pkg', ...replaced, ...plop.getHelperList()]) hb.registerHelper(n, plop.getHelper(n) as never);
  for (const n of plop.getPartialList()) hb.registerPartial(n, plop.getPartial(n));
  return hb;
}

/** Keeps the error an action threw: node-plop reduces it to its message. */
function recording(action: PlopAction, thrown: unknown[]): PlopAction {
  return async (data, cfg, plop) => {
    try {
      return await action(data, cfg, plop);
    } catch (err) {
      thrown.push(err);
      throw err;
    }
  };
}

function plopTypeName(type: string): string {
  return type.replace(/^metarepo:/, '');
}

/**
 * Rewrites a generator's actions so plop's standard types run against the tree. `actions` may be
 * a list or a function of the answers (then it is called with the answers and `context`, and its result
 * is checked and rewritten when node-plop calls it). Function actions keep plop's contract (see
 * {@link runScaffold}) with two guards node-plop lacks: a synchronous throw, or a rejection with no message,
 * is a failure with a message; and a returned value JSON cannot show (a BigInt, a cycle) is shown as text.
 */
async function rewriteActions(
  actions: unknown,
  run: { dryRun: boolean; messages: string[]; context: ScaffoldContext; failed: (message: string, cause?: unknown) => MetarepoError },
): Promise<never> {
  const { TREE_ACTION_TYPES, treeActionName } = await import('./actions.js');
  const standard = new Set<string>(TREE_ACTION_TYPES);
  const rewrite = (list: unknown[]): unknown[] =>
    list.map((a: unknown, i) => {
      if (typeof a === 'string') return a; // a comment
      if (a === null || (typeof a !== 'function' && typeof a !== 'object')) {
        // node-plop would set `force` on it and crash; a failing action says what it is instead.
        return notAnAction(`action #${i + 1} is ${describeType(a)}, not an action (an object with a type, a function, or a comment string)`);
      }
      const type = typeof a === 'function' ? 'function' : String((a as { type?: unknown }).type);
      if (standard.has(type)) return { ...(a as object), type: treeActionName(type as (typeof TREE_ACTION_TYPES)[number]) };
      if (run.dryRun) return () => `[SKIPPED] "${type}" action (dry run: it acts outside the tree)`;
      run.messages.push(`note: the "${type}" action runs as plop runs it, outside metarepo's tree, so its effects are not previewed or rolled back.`);
      return typeof a === 'function' ? guardedFunctionAction(a as (...args: unknown[]) => unknown) : a;
    });
  if (typeof actions !== 'function') return rewrite(actions as unknown[]) as never;
  return ((data: unknown) => {
    let list: unknown;
    try {
      list = (actions as (answers: unknown, context: ScaffoldContext) => unknown)(data, run.context);
    } catch (err) {
      throw err instanceof MetarepoError ? err : run.failed(`its actions function threw: ${messageOf(err)}`, err);
    }
    if (!Array.isArray(list)) throw run.failed(`its actions function returned ${describeType(list)}, not a list of actions`);
    return rewrite(list);
  }) as never;
}

/** A function action that fails with `message` (for entries of an actions list that are not actions). */
function notAnAction(message: string): () => Promise<never> {
  return async () => {
    throw new Error(message);
  };
}

/** A plopfile's function action, run as plop runs it, with its failures and results made printable. */
function guardedFunctionAction(action: (...args: unknown[]) => unknown): (...args: unknown[]) => Promise<string> {
  return async (...args) => {
    let result: unknown;
    try {
      result = await action(...args);
    } catch (err) {
      if (err instanceof MetarepoError) throw err;
      throw new Error(messageOf(err), { cause: err });
    }
    if (typeof result === 'string') return result;
    if (result === undefined || result === null) return '';
    try {
      return JSON.stringify(result) ?? String(result);
    } catch {
      return String(result);
    }
  };
}

/** The message of anything thrown: an Error's message (else its name), or the value as text. */
function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  if (typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string') return (err as { message: string }).message;
  try {
    return String(err);
  } catch {
    return Object.prototype.toString.call(err);
  }
}

/** "a string", "undefined", "a promise"… for messages about a value of the wrong kind. */
function describeType(v: unknown): string {
  if (v === undefined || v === null) return String(v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function') return 'a promise';
  const t = typeof v;
  return `${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t}`;
}

/** The run failed because of the generator's own code (exit 1): named, with its plopfile when it has one. */
function generatorFailure(name: string, plopfile: string | undefined, message: string, cause?: unknown): MetarepoError {
  return new MetarepoError(`Generator "${name}" failed: ${message}`, {
    ...(plopfile ? { location: { file: plopfile } } : {}),
    hint: plopfile
      ? `Fix the generator in ${plopfile} (plop: a function action returns its message or throws; actions is a list, or a function returning one); nothing was written.`
      : 'This is a fault of the generator, not of your answers; nothing was written. Report it to the plugin that registers the generator.',
    exitCode: 1,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** One failure as node-plop records it: `{ type, path, error }`, or what an action threw outside its handling. */
function failureParts(f: unknown): { type: string; path: string; error: string } {
  const o = (typeof f === 'object' && f !== null ? f : {}) as { type?: unknown; path?: unknown; error?: unknown };
  const error = typeof o.error === 'string' ? o.error : messageOf(f);
  return { type: typeof o.type === 'string' ? o.type : '', path: typeof o.path === 'string' ? o.path : '', error };
}

/**
 * One MetarepoError for a failed run: the first action error kept whole when it is a MetarepoError (bad input:
 * its own exit code), else the generator failed (exit 1); every failure is listed.
 */
function runFailure(name: string, plopfile: string | undefined, failures: unknown[], thrown: unknown[]): MetarepoError {
  const parts = failures.map(failureParts);
  const details = parts.map((f) => `${plopTypeName(f.type) || 'action'}${f.path ? ` ${f.path}` : ''}: ${f.error}`);
  const first = thrown[0];
  if (first instanceof MetarepoError) {
    return new MetarepoError(first.message, {
      location: first.location,
      hint: first.hint,
      exitCode: first.exitCode,
      details: [...first.details, ...(failures.length > 1 ? details : [])],
      cause: first,
    });
  }
  const err = generatorFailure(name, plopfile, parts[0].error, first ?? failures[0]);
  return new MetarepoError(err.message, { location: err.location, hint: err.hint, exitCode: err.exitCode, details, cause: err.cause });
}
