/**
 * Pieces the built-in scaffold generators share: where their templates live, the `name` question,
 * and the npm package name rule.
 */
import path from 'node:path';
import { kebabCase } from 'change-case';
import { TEMPLATES_ROOT, type ScaffoldPrompt } from 'metarepo/plugin';

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
