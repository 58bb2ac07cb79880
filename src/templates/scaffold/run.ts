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
import type { ScaffoldGenerator } from '../../plugins/api.js';
import type { HandlebarsEnv } from '../handlebars.js';
import type { TemplateManifest } from '../manifest.js';
import type { ActionContext, PlopAction } from './actions.js';
import { resolveAnswers, type PlopQuestion, type PromptFunction } from './answers.js';
import { loadPlopfile, loadPlopfiles, type NodePlopApi } from './plopfiles.js';

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
}

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
  const byName = new Map<string, ScaffoldGeneratorEntry>();
  for (const g of builtins) byName.set(g.name, { name: g.name, description: g.description, source: 'builtin', generator: g });
  for (const g of await loadPlopfiles(root)) {
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
 * The generator called `name` among {@link listScaffoldGenerators}.
 * @throws MetarepoError (exit 2) naming the generators there are, when none has that name.
 */
export async function findScaffoldGenerator(
  root: string,
  name: string,
  builtins: ScaffoldGenerator[],
): Promise<ScaffoldGeneratorEntry> {
  const all = await listScaffoldGenerators(root, builtins);
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
 * Any failed action fails the whole run (with `abortOnFail: false` the later actions still run so
 * every failure is listed), and the tree is then not to be committed.
 * @throws MetarepoError (exit 2): invalid or missing answers; an output path that is absolute or
 *   leaves the workspace (the Tree's error); an existing file an action may not overwrite; a
 *   template parse or render error (with file, line, column); an unloadable plopfile.
 */
export async function runScaffold(opts: RunScaffoldOptions): Promise<ScaffoldResult> {
  const { root, tree, generator } = opts;
  const name = generator.name;
  const plopfile = isPlopfileRef(generator);
  const plop = plopfile ? await loadPlopfile(generator.plopfile, root) : await builtinPlop(generator, root);
  const config = generatorConfig(plop, name);
  const messages: string[] = [];

  const declared = typeof config.prompts === 'function' || (Array.isArray(config.prompts) && config.prompts.length > 0);
  const template = declared ? undefined : (opts.template ?? (await templateOf(root, generator)));
  const prompts = template ? (await import('../prompts.js')).promptsFromVariables(template.variables) : config.prompts;
  const answered = await answersFor(plop, name, prompts, opts);
  messages.push(...answered.messages);
  if (template) await checkAgainstVariables(name, template, answered.answers);

  const hb = await scaffoldHandlebars(plop);
  opts.handlebars?.(hb);
  // Errors of an action name where it is defined: the generator, and the plopfile for workspace generators.
  const where = plopfile ? `generator ${name} in ${path.relative(root, generator.plopfile)}` : `generator ${name}`;
  const ctx: ActionContext = { tree, hb, strict: !plopfile, origin: where };
  const thrown: unknown[] = [];
  const { createTreeActions } = await import('./actions.js');
  for (const [type, action] of Object.entries(createTreeActions(ctx))) {
    plop.setActionType(type, recording(action, thrown) as never);
  }

  const runnable = plop.setGenerator(name, {
    description: config.description,
    prompts: config.prompts as never,
    actions: await rewriteActions(config.actions, opts.dryRun === true, messages),
  });
  const { failures } = await runnable.runActions(
    { ...answered.answers },
    {
      onComment: (msg) => messages.push(msg),
      onSuccess: (change) => messages.push(`${plopTypeName(change.type)} ${change.path}`),
    },
  );
  if (failures.length > 0) throw runFailure(name, failures, thrown);

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
 * @returns `undefined` when the generator has no template.yaml.
 * @throws MetarepoError (exit 2) for a template.yaml that is present but invalid.
 */
export async function templateOf(root: string, generator: ScaffoldGenerator | PlopfileGeneratorRef): Promise<TemplateManifest | undefined> {
  if (isPlopfileRef(generator)) return (await import('../catalog.js')).findTemplateOfGenerator(root, generator.name);
  const { loadTemplateManifest, TEMPLATE_MANIFEST } = await import('../manifest.js');
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
    hint: `The variables of ${template.file} say what each answer may be; pass a valid value with --set name=value.`,
  });
}

/** A node-plop instance holding one built-in generator, templates resolved from its folder. */
async function builtinPlop(generator: ScaffoldGenerator, root: string): Promise<NodePlopApi> {
  if (!fs.existsSync(generator.templatesDir)) {
    throw new MetarepoError(`The templates folder of generator "${generator.name}" does not exist: ${generator.templatesDir}`, {
      hint: 'Reinstall metarepo, or fix the plugin that registers this generator.',
      exitCode: 1,
    });
  }
  const { default: nodePlop } = await import('node-plop');
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
  const [{ createHandlebars, CASE_HELPERS }, { default: nodePlop }] = await Promise.all([
    import('../handlebars.js'),
    import('node-plop'),
  ]);
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
 * a list or a function of the answers (then its result is rewritten when node-plop calls it).
 */
async function rewriteActions(actions: unknown, dryRun: boolean, messages: string[]): Promise<never> {
  const { TREE_ACTION_TYPES, treeActionName } = await import('./actions.js');
  const standard = new Set<string>(TREE_ACTION_TYPES);
  const rewrite = (list: unknown): unknown => {
    if (!Array.isArray(list)) return list; // node-plop reports missing or invalid actions itself
    return list.map((a: unknown) => {
      if (typeof a === 'string' || a === null) return a;
      const type = typeof a === 'function' ? 'function' : String((a as { type?: unknown }).type);
      if (standard.has(type)) return { ...(a as object), type: treeActionName(type as (typeof TREE_ACTION_TYPES)[number]) };
      if (typeof a !== 'function' && typeof a !== 'object') return a;
      if (dryRun) return () => `[SKIPPED] "${type}" action (dry run: it acts outside the tree)`;
      messages.push(`note: the "${type}" action runs as plop runs it, outside metarepo's tree, so its effects are not previewed or rolled back.`);
      return a;
    });
  };
  return (typeof actions === 'function' ? (data: unknown) => rewrite(actions(data)) : rewrite(actions)) as never;
}

interface PlopFailure {
  type: string;
  path: string;
  error: string;
}

/** One MetarepoError for a failed run: the first action error kept whole, every failure listed. */
function runFailure(name: string, failures: PlopFailure[], thrown: unknown[]): MetarepoError {
  const details = failures.map((f) => `${plopTypeName(f.type) || 'action'}${f.path ? ` ${f.path}` : ''}: ${f.error}`);
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
  return new MetarepoError(`Generator "${name}" failed: ${failures[0].error}`, {
    details,
    hint: 'Fix the action named above; nothing was written.',
    cause: first,
  });
}
