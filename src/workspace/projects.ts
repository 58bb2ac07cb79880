import path from 'node:path';
import { isSeq, parseDocument } from 'yaml';
import type { Tree } from '../engine/tree.js';
import { STATE_DIR, CONFIG_FILE } from './root.js';
import type { ProjectConfig } from './config.js';

/**
 * Registers a scaffolded project, through the tree so it commits with the project's files:
 * appends it to `projects` in metarepo.yaml (keeping comments and the modeline, via the `yaml` Document API),
 * and adds its folder to the root package.json `workspaces` unless a glob there already covers it.
 */
export function registerProject(tree: Tree, project: ProjectConfig): void {
  const doc = parseDocument(tree.read(CONFIG_FILE) ?? '');
  const existing = (doc.toJS()?.projects ?? []) as ProjectConfig[];
  if (!existing.some((p) => p.path === project.path)) {
    if (doc.hasIn(['projects']) && doc.getIn(['projects'])) doc.addIn(['projects'], doc.createNode(project));
    else doc.setIn(['projects'], doc.createNode([project]));
    const seq = doc.getIn(['projects'], true);
    if (isSeq(seq)) seq.flow = false; // `metarepo init` writes `projects: []`; keep the list in block style
    tree.write(CONFIG_FILE, doc.toString(), { overwrite: true, origin: 'new' });
  }
  const pkgText = tree.read('package.json');
  if (pkgText === null) return;
  const pkg = JSON.parse(pkgText) as { workspaces?: string[] };
  const globs = pkg.workspaces ?? [];
  if (!globs.some((g) => coveredBy(g, project.path))) {
    pkg.workspaces = [...globs, project.path];
    tree.write('package.json', `${JSON.stringify(pkg, null, 2)}\n`, { overwrite: true, origin: 'new' });
  }
}

/** Whether an npm workspaces entry (`projects/*`, `projects/**`, or a plain path) covers a folder. */
function coveredBy(glob: string, dir: string): boolean {
  const g = path.posix.normalize(glob).replace(/\/$/, '');
  if (g === dir) return true;
  if (g.endsWith('/**')) return dir.startsWith(`${g.slice(0, -3)}/`);
  if (g.endsWith('/*')) return path.posix.dirname(dir) === g.slice(0, -2);
  return false;
}

/** Records the answers a project was scaffolded with, for later updates (`.metarepo/answers/<project>.json`). */
export function recordAnswers(tree: Tree, project: string, record: { generator: string; answers: Record<string, unknown>; metarepoVersion: string }): void {
  const file = `${STATE_DIR}/answers/${project}.json`;
  const sorted = Object.fromEntries(Object.keys(record.answers).sort().map((k) => [k, record.answers[k]]));
  tree.write(file, `${JSON.stringify({ ...record, answers: sorted }, null, 2)}\n`, { overwrite: true, origin: 'new' });
}
