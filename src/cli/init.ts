import fs from 'node:fs';
import path from 'node:path';
import { commitChanges } from '../engine/commit.js';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { TOOL_VERSION } from '../core/version.js';
import { installedFromRegistry, planInit } from '../templates/scaffold/init.js';
import { createBus } from '../workspace/open.js';
import { emit, type GlobalOptions } from './output.js';

/**
 * `metarepo init [dir]`: creates a workspace. Its package.json names metarepo in `devDependencies` only when this
 * metarepo came from the npm registry (see {@link installedFromRegistry}); run from a clone, it names none and
 * prints how to add one ({@link addMetarepoHint}), so `npm install` works in the new workspace either way.
 */
export async function initCommand(g: GlobalOptions, dir: string | undefined, opts: { name?: string }): Promise<number> {
  const target = path.resolve(g.cwd, dir ?? '.');
  fs.mkdirSync(target, { recursive: true });
  const fromRegistry = installedFromRegistry(PACKAGE_ROOT);
  const tree = planInit(target, opts.name, fromRegistry ? { metarepoRange: `^${TOOL_VERSION}` } : {});
  const changes = tree.changes();
  commitChanges(target, changes);
  const bus = createBus(target, undefined, { strict: g.strict });
  for (const c of changes) bus.publish('core:file:created', { path: c.path, origin: 'init' });
  await bus.close();
  const note = fromRegistry ? undefined : addMetarepoHint(PACKAGE_ROOT);
  emit(g, { root: target, created: changes.map((c) => c.path), metarepoDependency: fromRegistry ? `^${TOOL_VERSION}` : null, ...(note ? { note } : {}) }, () =>
    [`Created workspace in ${target}`, ...changes.map((c) => `  create ${c.path}`), ...(note ? ['', `note: ${note}`] : []), '', 'Next: metarepo new ts-library <name>'].join('\n'),
  );
  return 0;
}

/**
 * The one line `init` prints when it names no metarepo dependency: metarepo runs from `packageRoot` (a clone, or a
 * link to one) and is not on the npm registry, so the workspace adds it from there.
 */
export function addMetarepoHint(packageRoot: string): string {
  return `package.json names no metarepo dependency (this metarepo runs from ${packageRoot}, not from the npm registry); add it with \`npm install --save-dev ${packageRoot}\` (a link to the clone), or \`npm pack\` in the clone and \`npm install --save-dev <the .tgz>\`.`;
}
