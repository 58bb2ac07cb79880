import path from 'node:path';
import { stringify } from 'yaml';
import { MetarepoError } from '../../core/errors.js';
import { Tree } from '../../engine/tree.js';
import { CONFIG_FILE, STATE_DIR } from '../../core/layout.js';
import { WORKSPACE_SCHEMA_VERSION } from '../../workspace/config.js';
import { TOOL_VERSION } from '../../core/version.js';

/** Where editors find the workspace meta-model once metarepo is installed in the workspace. */
export const CONFIG_MODELINE = `# yaml-language-server: $schema=./node_modules/metarepo/meta-models/workspace/${WORKSPACE_SCHEMA_VERSION}.schema.json`;

/**
 * Plans a new workspace into a Tree: `metarepo.yaml` (with the yaml-language-server modeline), `models/`,
 * `templates/`, `generators/`, `plugins/`, `projects/`, `.metarepo/` (state; only the manifest and recorded
 * answers are meant for git), a root `package.json` with npm workspaces, and `.gitignore`.
 * @param dir - absolute folder (created if missing).
 * @throws MetarepoError (exit 2) if `dir` already holds a metarepo.yaml.
 */
export function planInit(dir: string, name?: string): Tree {
  const tree = new Tree(dir);
  if (tree.exists(CONFIG_FILE)) {
    throw new MetarepoError(`${path.join(dir, CONFIG_FILE)} already exists.`, { hint: 'This folder is already a metarepo workspace; use `metarepo status` to see it.' });
  }
  const wsName = (name ?? path.basename(dir)).toLowerCase().replace(/[^a-z0-9._/-]+/g, '-').replace(/^[^a-z0-9@]+/, '') || 'workspace';
  const config = { version: 1, name: wsName, modelsDir: 'models', projects: [], targets: [] };
  tree.write(CONFIG_FILE, `${CONFIG_MODELINE}\n${stringify(config)}`);
  for (const keep of ['models', 'templates', 'generators', 'plugins', 'projects']) if (!tree.exists(keep)) tree.write(`${keep}/.gitkeep`, '');
  // Events, caches and merge bases are machine state; the manifest and answers are shared through git so
  // `generate --check` and `update` work on a fresh clone.
  tree.write(`${STATE_DIR}/.gitignore`, '*\n!.gitignore\n!manifest.json\n!answers/\n!answers/**\n!base/\n!base/**\n');
  if (!tree.exists('package.json')) {
    const pkg = {
      name: wsName,
      private: true,
      type: 'module',
      workspaces: ['projects/*'],
      scripts: { generate: 'metarepo generate', 'generate:check': 'metarepo generate --check' },
      devDependencies: { metarepo: `^${TOOL_VERSION}` },
    };
    tree.write('package.json', `${JSON.stringify(pkg, null, 2)}\n`);
  }
  if (!tree.exists('.gitignore')) tree.write('.gitignore', 'node_modules/\ndist/\n');
  return tree;
}
