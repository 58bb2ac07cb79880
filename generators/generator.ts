/**
 * Built-in scaffold generator `generator`: starts a workspace-local scaffold generator, a
 * plopfile-style module `generators/<kebab name>.mjs` (which `metarepo new` discovers) and its
 * template folder `templates/<kebab name>/` (template.yaml and a starter file).
 */
import type { ScaffoldGenerator } from 'metarepo/plugin';
import { namePrompt, templatesDir } from './common.js';

/** The `generator` generator. Answers: `name`, `description`. */
export const generator: ScaffoldGenerator = {
  name: 'generator',
  description: 'A new scaffold generator of your own (generators/<name>.mjs + templates/<name>/)',
  templatesDir: templatesDir('generator'),
  positional: 'name',
  prompts: [
    namePrompt('generator'),
    { name: 'description', type: 'input', message: 'What the generator creates', default: 'A new component.' },
  ],
  actions: [
    { type: 'add', path: 'generators/{{kebabCase name}}.mjs', templateFile: 'generator.mjs.hbs' },
    { type: 'add', path: 'templates/{{kebabCase name}}/template.yaml', templateFile: 'template.yaml.hbs' },
    { type: 'add', path: 'templates/{{kebabCase name}}/files/README.md.hbs', templateFile: 'README.md.hbs.hbs' },
  ],
};
