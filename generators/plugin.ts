/**
 * Built-in scaffold generator `plugin`: a metarepo plugin package in the workspace's `plugins/<kebab name>/`
 * (package.json with the `metarepo` manifest, an ESM plugin that contributes one check, a `node --test` test,
 * README). Workspace plugins are discovered without installation.
 */
import { METAREPO_VERSION, type ScaffoldGenerator } from 'metarepo/plugin';
import { namePrompt, templatesDir } from './common.js';

/** The `plugin` generator. Answers: `name`, `description`. */
export const plugin: ScaffoldGenerator = {
  name: 'plugin',
  description: 'A metarepo plugin (a check to start from, with a test) under plugins/',
  templatesDir: templatesDir('plugin'),
  positional: 'name',
  prompts: [namePrompt('plugin'), { name: 'description', type: 'input', message: 'What the plugin does', default: 'A metarepo plugin.' }],
  actions: () => [
    {
      type: 'addMany',
      destination: 'plugins/{{kebabCase name}}',
      base: 'files',
      templateFiles: 'files/**',
      data: { metarepoRange: `^${METAREPO_VERSION}` },
    },
  ],
};
