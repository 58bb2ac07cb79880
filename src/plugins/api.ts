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
  /** Export name of the `(input: CodegenInput) => Promise<GeneratedFile[]>` function. Default `generate`. */
  exportName?: string;
}

/** The generate function a codegen module exports. */
export type CodegenFunction = (input: CodegenInput) => Promise<GeneratedFile[]>;

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
  /** plop actions, or a function of the answers returning them. */
  actions: unknown[] | ((answers: Record<string, unknown>) => unknown[]);
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

/** What a plugin's `setup` receives. */
export interface PluginApi {
  registerCodegen(generator: CodegenGenerator): void;
  registerScaffold(generator: ScaffoldGenerator): void;
}

/** A plugin definition. */
export interface Plugin {
  name: string;
  setup(api: PluginApi): void;
}

/** Identity helper that types a plugin definition. */
export function definePlugin(plugin: Plugin): Plugin {
  return plugin;
}
