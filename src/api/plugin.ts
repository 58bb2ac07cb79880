/**
 * `metarepo/plugin`: the package's public surface for plugins and generators, built-in and third-party alike.
 * It sits above every layer (like the CLI) and re-exports what a plugin may use: the types and helpers of
 * `src/plugins/api.ts`, the error type the CLI prints with a hint, the package's template and snapshot roots,
 * and the template linter. Nothing inside `src/` imports this module.
 * @example
 * import { definePlugin, MetarepoError } from 'metarepo/plugin';
 */
import path from 'node:path';
import type { Finding } from '../plugins/api.js';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { LIVE_SEGMENT, eventsDir } from '../events/dir.js';

export * from '../plugins/api.js';
export { MetarepoError, type SourceLocation } from '../core/errors.js';
/** metarepo's own version (semver), as in its package.json. */
export { TOOL_VERSION as METAREPO_VERSION } from '../core/version.js';

/** Absolute path of the built-in templates folder (`<package>/templates`). */
export const TEMPLATES_ROOT = path.join(PACKAGE_ROOT, 'templates');
/** Absolute path of the built-in templates' expected renders (`<package>/snapshots`). */
export const SNAPSHOTS_ROOT = path.join(PACKAGE_ROOT, 'snapshots');

/**
 * The workspace's live event-log segment, `<root>/.metarepo/events/events.jsonl` (the live file of src/events/log.ts):
 * every metarepo process of the workspace appends its events there (the broker, when one runs). Rotated segments
 * sit beside it. For plugins that follow what metarepo did across processes, like `fs-watch`.
 */
export function liveEventLog(root: string): string {
  return path.join(eventsDir(root), LIVE_SEGMENT);
}

/**
 * Lints the workspace's templates (`templates/<name>/` and `generators/<name>/` folders with a template.yaml):
 * undefined and unused variables, unknown helpers, missing partials, unsafe file names, Handlebars syntax errors,
 * JSX-looking mustaches, invalid template.yaml and fixtures (rules in docs/templates.md). The template modules
 * load on the first call.
 * @param root - absolute workspace root.
 * @returns findings with `file` relative to `root`, `line` and `column`; the rule ends each message in brackets.
 */
export async function lintWorkspaceTemplates(root: string): Promise<Finding[]> {
  return (await import('../templates/lint.js')).lintWorkspaceTemplates(root);
}

/**
 * The Markdown reference page of model `name` at `version` in the workspace at `root`: title, description, a
 * properties table per type (types named as the `typescript` generator names them), examples each validated, links
 * to the models it references, a Mermaid class diagram and the version history judged by the evolution rules (see
 * docs/docs.md). The docs modules load on the first call.
 * @param link - the URL of another model's page relative to this page, e.g. `(name) => \`${name}.md\``.
 * @throws MetarepoError (exit 2) for an unknown model version or a model whose `$ref`s do not resolve.
 */
export async function modelReferencePage(root: string, name: string, version: string, link: (name: string, version: string) => string): Promise<string> {
  return (await import('../docs/model-page.js')).modelReferencePage(root, name, version, link);
}

/**
 * One error finding per model example (`examples`, `example`) that the model's own schema rejects, with the file
 * and the example's JSON pointer. The docs modules load on the first call.
 * @param models - the model versions to look at, e.g. a check's `ctx.models`.
 */
export async function invalidExampleFindings(root: string, models: ReadonlyArray<{ name: string; version: string }>): Promise<Finding[]> {
  return (await import('../docs/model-page.js')).invalidExampleFindings(root, models);
}
