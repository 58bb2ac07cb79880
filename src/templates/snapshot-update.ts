import path from 'node:path';
import { MetarepoError } from '../core/errors.js';
import { commitTree } from '../engine/commit.js';
import type { ReportedFinding } from '../engine/checks.js';
import type { FileChange } from '../engine/tree.js';
import type { Workspace } from '../workspace/workspace.js';
import { TemplateCatalog } from './catalog.js';
import { testTemplate, type TemplateOutcome } from './snapshot-test.js';

/**
 * `metarepo template test --update` for the workspace's own templates, as one commit: renders every fixture of the
 * selected templates (all when `names` is empty), and rewrites the snapshots that differ, adds missing ones and
 * removes obsolete fixture folders — all through the engine's commit pipeline (the MCP `template_test_update` tool).
 * With `dryRun`, computes and checks the changes and writes nothing.
 * @param onFixture - called after each fixture: fixtures done and the total over the selected templates.
 * @throws MetarepoError (exit 2) for an unknown template name, or a snapshot folder outside the workspace.
 */
export async function updateTemplateSnapshots(
  ws: Workspace,
  names: string[],
  opts: { dryRun?: boolean; onFixture?: (done: number, total: number) => void } = {},
): Promise<{ outcomes: TemplateOutcome[]; changes: FileChange[]; findings: ReportedFinding[] }> {
  const catalog = new TemplateCatalog(ws.root, await (await ws.plugins()).scaffolds());
  const selected = catalog.select(names, { builtin: false });
  const changes: FileChange[] = [];
  const write = (dir: string, folder: FileChange[]) => {
    const rel = path.relative(ws.root, dir);
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      throw new MetarepoError(`The snapshots of a template lie outside the workspace (${dir}).`, { hint: 'Only the workspace\'s own templates are updated here.' });
    }
    for (const c of folder) changes.push({ ...c, path: path.posix.join(rel.split(path.sep).join('/'), c.path) });
  };
  const counts = await Promise.all(selected.map(async (t) => Object.keys((await catalog.manifest(t)).fixtures).length));
  const total = counts.reduce((a, b) => a + b, 0);
  const outcomes: TemplateOutcome[] = [];
  let before = 0;
  for (const [i, t] of selected.entries()) {
    outcomes.push(await testTemplate(t, catalog, { update: true, write, onFixture: (done) => opts.onFixture?.(before + done, total) }));
    before += counts[i];
  }
  const { findings } = changes.length ? await commitTree(ws, { command: 'template test', changes, dryRun: opts.dryRun }) : { findings: [] };
  return { outcomes, changes, findings };
}
