import path from 'node:path';
import { isSeq, parseDocument } from 'yaml';
import type { Tree } from '../../engine/tree.js';
import { STATE_DIR, CONFIG_FILE } from '../../core/layout.js';
import type { ProjectConfig } from '../../workspace/config.js';
import { YAML_MAX_ALIAS_COUNT } from '../../core/document.js';

/**
 * Registers a scaffolded project, through the tree so it commits with the project's files:
 * appends it to `projects` in metarepo.yaml (keeping comments and the modeline, via the `yaml` Document API),
 * and adds its folder to the root package.json `workspaces` unless a glob there already covers it.
 */
export function registerProject(tree: Tree, project: ProjectConfig): void {
  // metarepo.yaml was validated when the workspace opened (loadDocument); the same alias limit holds here.
  const doc = parseDocument(tree.read(CONFIG_FILE) ?? '', { logLevel: 'error' });
  const existing = (doc.toJS({ maxAliasCount: YAML_MAX_ALIAS_COUNT })?.projects ?? []) as ProjectConfig[];
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

/**
 * `.metarepo/answers/<project>.json`: how a project was scaffolded, for `metarepo update` (copier's answers file).
 */
export interface AnswersRecord {
  /** Scaffold generator name. */
  generator: string;
  /** Every answer, keys sorted. */
  answers: Record<string, unknown>;
  /** metarepo version that wrote the project. */
  metarepoVersion: string;
  /** `version` of the generator's template.yaml when it has one. */
  templateVersion?: string;
  /**
   * Every file the generator wrote, by path relative to the workspace root, with the SHA-256 of the content as
   * written; that content is kept under `.metarepo/base/` as the merge base of the next update.
   */
  files?: Record<string, string>;
}

/** Path of a project's answers record, relative to the workspace root. */
export function answersFile(project: string): string {
  return `${STATE_DIR}/answers/${project}.json`;
}

/** Records the answers a project was scaffolded (or updated) with, keys sorted. */
export function recordAnswers(tree: Tree, project: string, record: AnswersRecord): void {
  const sorted = (o: Record<string, unknown>) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
  const out: AnswersRecord = { ...record, answers: sorted(record.answers) };
  if (record.files) out.files = sorted(record.files) as Record<string, string>;
  tree.write(answersFile(project), `${JSON.stringify(out, null, 2)}\n`, { overwrite: true, origin: 'new' });
}
