/**
 * Pieces the built-in scaffold generators share: where their templates live, the `name` question,
 * the npm package name rule, and the workspace context their `actions` function receives.
 */
import path from 'node:path';
import { kebabCase } from 'change-case';
import { TEMPLATES_ROOT, type ScaffoldContext, type ScaffoldPrompt } from 'metarepo/plugin';

/** Absolute path of a built-in template folder, `<metarepo package>/templates/<name>`. */
export function templatesDir(name: string): string {
  return path.join(TEMPLATES_ROOT, name);
}

/** The `name` question: letters first, then letters, digits, spaces, `-` or `_` (every case helper can render it). */
export function namePrompt(what: string): ScaffoldPrompt {
  return {
    name: 'name',
    type: 'input',
    message: `Name of the ${what}`,
    pattern: '^[A-Za-z][A-Za-z0-9 _-]*$',
    validateMessage: 'Start with a letter; use letters, digits, spaces, "-" or "_".',
  };
}

/** The `scope` question: an npm scope for package names; empty for none. */
export const scopePrompt: ScaffoldPrompt = {
  name: 'scope',
  type: 'input',
  message: 'npm scope for the package name, without "@" (empty for none)',
  default: '',
  pattern: '^@?([a-z0-9][a-z0-9._-]*)?$',
  validateMessage: 'An npm scope is lower-case letters, digits, ".", "_" or "-".',
};

/** `@<scope>/<kebab name>`, or `<kebab name>` when `scope` is empty. */
export function packageName(answers: Record<string, unknown>): string {
  const name = kebabCase(String(answers.name), { locale: false });
  const scope = String(answers.scope ?? '').replace(/^@/, '');
  return scope ? `@${scope}/${name}` : name;
}

/**
 * The second argument metarepo passes to a generator's `actions(answers, context)` function (the scaffold
 * runner's `ScaffoldContext`; plop itself passes only the answers, and tools that inspect generators, such as
 * template lint, may too): the workspace configuration, as validated from metarepo.yaml.
 */
export type ActionsContext = Partial<ScaffoldContext>;

/**
 * The models folder of the workspace (`modelsDir` in metarepo.yaml), relative to its root, `/`-separated and without
 * a trailing `/`, as the model registry reads it; `models` without a context or a setting.
 */
export function modelsDirOf(context: ActionsContext | undefined): string {
  const dir = context?.workspace?.modelsDir;
  if (typeof dir !== 'string' || dir.trim() === '') return 'models';
  return path.posix.normalize(dir.replace(/\\/g, '/')).replace(/\/+$/, '') || '.';
}
