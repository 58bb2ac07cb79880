/**
 * The public plugin API: the one surface third-party code imports (DESIGN.md, "Rules of the house").
 * Built-in generators use it too, so the engine knows no concrete generator.
 *
 * ```ts
 * import { definePlugin } from 'metarepo/plugin';
 * export default definePlugin({
 *   name: 'codegen-example',
 *   setup(api) {
 *     api.registerCodegen({ name: 'example', version: '1.0.0', async generate(input) { ... } });
 *   },
 * });
 * ```
 */

/** A JSON Schema document or sub-schema. */
import type { WorkspaceConfig } from '../generated/workspace.js';

export type JsonSchema = Record<string, unknown> | boolean;

/** A model as codegen generators see it. */
export interface CodegenModel {
  /** Model name, e.g. `user`. */
  name: string;
  /** Exact semver version, e.g. `1.2.0`. */
  version: string;
  /**
   * The schema bundled into one self-contained document: every `$ref` (local, cross-model and
   * `$id`-URI) points inside it (`#/definitions/...`), annotation keywords that carry sample data
   * (`examples`, `default` of non-scalar type is kept) are dropped. Cycles are kept as local `$ref`s.
   */
  schema: Record<string, unknown>;
}

/** What a codegen generator receives for one target. */
export interface CodegenInput {
  model: CodegenModel;
  /** The target's `options` from `metarepo.yaml` (validated against `optionsSchema` if given). */
  options: Record<string, unknown>;
  /** Output path of the target, relative to the workspace root. */
  output: string;
  /**
   * Absolute workspace root, for generators that document the workspace (the `docs` generator reads the model's
   * earlier versions and examples from it). Set by `metarepo generate`; absent when a test calls a generator directly.
   * Only the model (and the files in the generator's `inputs`) are part of the input hash: read nothing else that changes.
   */
  root?: string;
}

/** One file a codegen generator produces. Paths are relative to the workspace root. */
export interface GeneratedFile {
  path: string;
  content: string;
}

/**
 * A codegen generator: a model + options → files. Must be deterministic (same input, same bytes).
 * `generate` runs inside a worker thread with a time and memory limit, so it must be importable from
 * `module` (an absolute file URL or path) and exported under `exportName` there.
 */
export interface CodegenGenerator {
  /** Name used by targets (`generator: typescript`). */
  name: string;
  /** Version of the generator; part of every output's input hash, so bump it when output changes. */
  version: string;
  description?: string;
  /** JSON Schema of `options`. */
  optionsSchema?: Record<string, unknown>;
  /** Module (file URL) that exports the generate function; it is loaded inside the worker. */
  module: string;
  /**
   * Files and folders (absolute paths or file URLs) the generator reads besides the model: templates, lookup data.
   * Their content is part of every output's input hash, so editing one regenerates (and `metarepo watch` reruns,
   * since it watches templates/, generators/ and plugins/). The module itself counts too when it lies in the
   * workspace; a folder stands for every file below it.
   */
  inputs?: string[];
  /**
   * Export name of the `(input: CodegenInput) => Promise<GeneratedFile[]>` function. Default `generate`.
   * The module may also export `warm(): Promise<void>`, which loads its heavy libraries ahead of the first job.
   */
  exportName?: string;
}

/** The generate function a codegen module exports. */
export type CodegenFunction = (input: CodegenInput) => Promise<GeneratedFile[]>;

/** What a scaffold generator's `actions` function receives besides the answers. */
export interface ScaffoldContext {
  /** Absolute workspace root (output paths are relative to it). */
  root: string;
  /** metarepo.yaml as validated, defaults applied; `{}` outside a workspace. */
  workspace: Partial<WorkspaceConfig>;
}

/**
 * A scaffold generator in plop's shape (prompts + actions); `metarepo new <name>` runs it
 * through node-plop. `templatesDir` is the base folder that `templateFile` paths are relative to.
 */
export interface ScaffoldGenerator {
  name: string;
  description: string;
  /** Absolute path of the folder holding this generator's templates. */
  templatesDir: string;
  /** Inquirer-style prompts (name, message, type, default, choices, validate). */
  prompts: ScaffoldPrompt[];
  /** plop actions, or a function of the answers (and the workspace it runs in) returning them. */
  actions: unknown[] | ((answers: Record<string, unknown>, context: ScaffoldContext) => unknown[]);
  /** Name of the prompt that `metarepo new <generator> [name]`'s positional argument answers. */
  positional?: string;
  /**
   * Set when the generator scaffolds a project: the project's path (relative to the workspace,
   * Handlebars over the answers, e.g. `projects/{{kebabCase name}}`). metarepo then registers the
   * project in `metarepo.yaml` and, for npm packages, in the root package.json workspaces.
   */
  project?: { path: string; kind: string };
}

/** One question of a scaffold generator (inquirer shape; metarepo also fills it from `--set`). */
export interface ScaffoldPrompt {
  name: string;
  type?: 'input' | 'confirm' | 'list' | 'number';
  message: string;
  default?: unknown;
  choices?: Array<string | { name: string; value: unknown }>;
  /** A regular expression the answer must match (string form), with `validateMessage` on failure. */
  pattern?: string;
  validateMessage?: string;
}

/** Severity of a check finding. An `error` vetoes the commit of a generate run and fails `metarepo check`. */
export type Severity = 'error' | 'warning' | 'info';

/** One result of a check. `file` is relative to the workspace root; `line`/`column` are 1-based. */
export interface Finding {
  severity: Severity;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  /**
   * A JSON pointer to the offending value inside `file` (e.g. `/targets/0/model` in metarepo.yaml); metarepo
   * turns it into `line` and `column` for metarepo.yaml and model files.
   */
  pointer?: string;
  /** Filled in by metarepo: the check that reported it. */
  check?: string;
}

/** A pending change as checks see it (serialisable, so `process` plugins receive it too). */
export interface PendingChange {
  type: 'create' | 'modify' | 'delete';
  path: string;
  content?: string;
}

/** One model version as checks see it. */
export interface ModelSummary {
  name: string;
  version: string;
  /** Path of the schema file, relative to the workspace root. */
  file: string;
  title?: string;
  description?: string;
}

/** One target as checks see it. */
export interface TargetSummary {
  name: string;
  /** The model range as written, e.g. `user@^1`. */
  model: string;
  generator: string;
  output: string;
  /**
   * `stale`: inputs changed since the output was written; `invalid`: the target cannot be planned (its model
   * range matches no model, unknown generator, unsafe output path): `reason` says why.
   */
  state: 'up-to-date' | 'stale' | 'never-generated' | 'invalid';
  reason?: string;
  /** Generated files of this target that differ from what metarepo wrote. */
  edited: string[];
}

/** A model release checked against its compatibility policy (see `metarepo model bump`). */
export interface ModelReleaseSummary {
  model: string;
  version: string;
  /** The release's file, relative to the workspace root. */
  file: string;
  /** The model's compatibility policy, e.g. `backward` or `full_transitive`. */
  policy: string;
  /** One sentence per earlier version whose change this version number understates; empty when it is right. */
  problems: string[];
}

/** What a check runs against. Plain data, so it crosses to plugin processes unchanged. */
export interface CheckContext {
  /** Absolute workspace root. */
  root: string;
  /** metarepo.yaml, validated. */
  workspace: Record<string, unknown>;
  models: ModelSummary[];
  /** For `metarepo check`: each target's state on disk. During a generate run: as it will be after the commit. */
  targets: TargetSummary[];
  /** Changes the command is about to commit; empty for `metarepo check` (the workspace as it is). */
  changes: PendingChange[];
  /** Every release of every model with more than one version, checked against its compatibility policy. */
  releases: ModelReleaseSummary[];
  /**
   * The command the checks run for: `check` (the workspace as it is), or the writing command whose commit they guard
   * (`generate`, `new`, `update`, `model bump`, …). `generate --check` and `--dry-run` say `generate`.
   */
  command: string;
}

/** A consistency rule run on the tree before commit and by `metarepo check`. */
export interface Check {
  name: string;
  description: string;
  run(ctx: CheckContext): Finding[] | Promise<Finding[]>;
}

/** A CLI command a plugin adds (`metarepo <name> …`). */
export interface PluginCommand {
  name: string;
  description: string;
  /** Positional arguments in commander syntax, e.g. `<model> [more...]`. */
  arguments?: string;
  /** Options in commander syntax, e.g. `{ flags: '--lang <lang>', description: 'target language' }`. */
  options?: Array<{ flags: string; description: string }>;
  /** @returns the exit code (default 0). Print with `ctx.print` so `--json` and process plugins work. */
  run(ctx: CommandContext): number | void | Promise<number | void>;
}

/** What a plugin command receives. */
export interface CommandContext {
  /** Workspace root, or `null` outside a workspace. */
  root: string | null;
  args: string[];
  options: Record<string, unknown>;
  print(text: string): void;
}

/**
 * A token of a pattern syntax tree (see {@link PatternLanguage}): its leading trivia (whitespace, comments), its
 * own text, and its trailing trivia. Concatenating `trivia + text + trailing` of every token of a tree in order gives
 * the file back byte for byte. As in Roslyn, trailing trivia runs to the end of the line (newline included) when
 * the line ends before the next token; everything else is leading trivia of the next token. Lines then align as
 * wholes: `    getSsecPlugin(config),\n` is the same whether it comes first or last.
 */
export interface PatternToken {
  /** Token kind, e.g. `Identifier`, `OpenParenToken`; tokens of equal kind and class are interchangeable in a shape. */
  kind: string;
  trivia: string;
  text: string;
  /** Trivia after the token up to and including the end of its line (empty when another token follows on the line). */
  trailing?: string;
  /**
   * How pattern detection abstracts the token: `name` (identifiers), `string`, `number`, `text` (free text such
   * as JSX text) compare by class only; without a class the kind must match and the text usually does too.
   */
  class?: 'name' | 'string' | 'number' | 'text';
}

/** An inner node of a pattern syntax tree: a kind and its children in source order. */
export interface PatternNode {
  kind: string;
  children: PatternTree[];
  /** Which built-in unit kind the node is: a top-level `declaration` or a class/interface `member`. */
  role?: 'declaration' | 'member';
  /** The declared name (function, class, property, attribute…), used for unit keys and variable names. */
  name?: string;
}

/** A node or a token. */
export type PatternTree = PatternNode | PatternToken;

/**
 * A language for pattern detection (`metarepo patterns detect`): turns a file into a syntax tree whose tokens carry
 * their trivia, so templates reproduce files byte for byte. Lists whose elements may be optional or repeated
 * (statements, members, arguments, properties) should be nodes of their own holding one node per element.
 */
export interface PatternLanguage {
  name: string;
  /** File name endings it parses, e.g. `['.py', '.pyi']`; the longest match wins over built-in languages. */
  extensions: string[];
  /**
   * @param file - path relative to the detection root, for messages.
   * @throws Error when the file cannot be parsed (the file is then read as plain text tokens).
   */
  parse(text: string, file: string): PatternNode;
}

/** A kind of unit (`--unit <name>`): which subtrees of a file are compared with each other. */
export interface PatternUnitKind {
  name: string;
  description: string;
  /** The subtrees of one file that are units of this kind, in source order. */
  select(root: PatternNode, file: string): PatternNode[];
}

/** What a plugin adds to pattern detection: languages and unit kinds. */
export interface PatternContribution {
  /** Contribution name, declared in the manifest's `contributes.patterns`. */
  name: string;
  languages?: PatternLanguage[];
  unitKinds?: PatternUnitKind[];
}

/** One page a plugin adds to the docs site (`metarepo docs build`). */
export interface ContributedPage {
  /**
   * Where the page goes, relative to the plugin's folder of the site (`pages/<plugin>/`), `/`-separated, without an
   * extension: `guide/intro` becomes `pages/<plugin>/guide/intro.html`. Letters, digits, `.`, `_`, `-` per segment.
   */
  path: string;
  title: string;
  /** The content, CommonMark with GFM tables; raw HTML is shown as text. */
  markdown: string;
}

/** Pages a plugin adds to the docs site, declared in the manifest's `contributes.pages`. */
export interface PageContribution {
  name: string;
  /** The pages for the workspace at `root`; called on every build (and rebuild of `docs serve`). */
  pages(ctx: { root: string }): ContributedPage[] | Promise<ContributedPage[]>;
}

/** An event as handlers receive it: a CloudEvents 1.0 envelope (see docs/events.md). */
export interface PluginEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  data: unknown;
  runid: string;
  sequence?: number;
}

/**
 * What a plugin's `setup` receives. Everything registered through it is owned by the plugin and goes away
 * when the plugin is disabled or unloaded: contributions, event subscriptions, timers from `setInterval` /
 * `setTimeout` here, child processes from `spawn` here, and `onDispose` callbacks (run last, in reverse order).
 */
export interface PluginApi {
  /** The plugin's configuration (metarepo.yaml `plugins.<name>.config`), validated against its `configSchema`. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Workspace root, or `null` outside a workspace. */
  readonly root: string | null;
  registerCodegen(generator: CodegenGenerator): void;
  registerScaffold(generator: ScaffoldGenerator): void;
  registerCheck(check: Check): void;
  registerCommand(command: PluginCommand): void;
  /** Adds languages or unit kinds to `metarepo patterns detect` (in-process plugins only: parsers run per file). */
  registerPatterns(contribution: PatternContribution): void;
  /** Adds pages to the docs site (`metarepo docs build|serve`; in-process plugins only). */
  registerPages(contribution: PageContribution): void;
  /** Subscribes to events whose type matches `pattern` (`core:file:*`). */
  onEvent(pattern: string, handler: (event: PluginEvent) => void | Promise<void>): void;
  /** Publishes an event with this plugin as `source`. Types should be declared in `contributes.events`. */
  publish(type: string, data: unknown): void;
  setInterval(fn: () => void, ms: number): void;
  setTimeout(fn: () => void, ms: number): void;
  /** Starts a child process owned by the plugin (killed on disable). Needs `permissions.childProcess`. */
  spawn(command: string, args: string[], options?: { cwd?: string }): import('node:child_process').ChildProcess;
  /** Runs `fn` when the plugin is disabled or unloaded. */
  onDispose(fn: () => void | Promise<void>): void;
  log(message: string): void;
}

/** A plugin definition. `setup` may be async. */
export interface Plugin {
  name: string;
  setup(api: PluginApi): void | Promise<void>;
}

/**
 * The "do not edit" sentence that heads every generated file, naming the model it came from. Without comment
 * markers, so each language can wrap it in its own.
 * @example generatedNotice({ name: 'user', version: '1.2.0' }) // "Generated by metarepo from user@1.2.0. ..."
 */
export function generatedNotice(model: Pick<CodegenModel, 'name' | 'version'>): string {
  return `Generated by metarepo from ${model.name}@${model.version}. Do not edit by hand; run metarepo generate.`;
}

/** Identity helper that types a plugin definition. */
export function definePlugin(plugin: Plugin): Plugin {
  return plugin;
}

/**
 * Schema-walking helpers for codegen plugins that normalise schemas before handing them to a library: which
 * keywords hold subschemas (single, array or map of them) per JSON Schema draft-07 and 2020-12, so property
 * names are never mistaken for keywords.
 */
export { forEachSubschema, isObjectSchema, keywordKind } from '../models/keywords.js';
