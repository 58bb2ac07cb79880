import { TemplateCatalog, type TemplateLocation } from '../../../src/templates/catalog.js';
import { builtins, tempWorkspace } from '../scaffold/helpers.js';

export { builtins, diskState, metarepoError, tempWorkspace } from '../scaffold/helpers.js';

/**
 * A workspace plopfile `generators/<name>.mjs` whose generator renders every file of `templates/<name>/files/`
 * into `out/<kebab name>/`, with no prompts of its own (they come from template.yaml). `setup` is extra plopfile
 * code (helpers, partials).
 */
export function plopfile(name: string, setup = ''): string {
  return `export default function (plop) {
  ${setup}
  plop.setGenerator('${name}', {
    description: '${name}',
    prompts: [],
    actions: [{ type: 'addMany', destination: 'out/{{kebabCase name}}', base: '../templates/${name}/files', templateFiles: '../templates/${name}/files/**' }],
  });
}
`;
}

/** template.yaml text with a required `name` variable, more variables, fixtures and extra top-level YAML. */
export function manifestYaml(name: string, opts: { variables?: string; fixtures?: string; extra?: string } = {}): string {
  return [
    `name: ${name}`,
    'version: 1.2.3',
    `description: The ${name} template.`,
    'variables:',
    '  type: object',
    '  required: [name]',
    '  properties:',
    '    name: { type: string, pattern: "^[A-Za-z][A-Za-z0-9 ]*$", description: Name of the thing }',
    ...(opts.variables ? [opts.variables] : []),
    'fixtures:',
    opts.fixtures ?? '  one:\n    name: First One\n  two:\n    name: Second',
    ...(opts.extra ? [opts.extra] : []),
    '',
  ].join('\n');
}

/**
 * A temp workspace holding one template `name` (generator `generators/<name>.mjs`, `templates/<name>/template.yaml`,
 * and `files` under `templates/<name>/files/`), plus `more` files at the root.
 */
export function templateWorkspace(
  name: string,
  files: Record<string, string>,
  opts: { manifest?: string; setup?: string; more?: Record<string, string> } = {},
): string {
  return tempWorkspace({
    [`generators/${name}.mjs`]: plopfile(name, opts.setup),
    [`templates/${name}/template.yaml`]: opts.manifest ?? manifestYaml(name),
    ...Object.fromEntries(Object.entries(files).map(([k, v]) => [`templates/${name}/files/${k}`, v])),
    ...opts.more,
  });
}

/** The catalog of a workspace (with the built-in generators) and its template called `name`. */
export function catalogOf(root: string, name: string): { catalog: TemplateCatalog; template: TemplateLocation } {
  const catalog = new TemplateCatalog(root, builtins());
  const [template] = catalog.select([name]);
  return { catalog, template };
}
