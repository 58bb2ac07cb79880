import { commitTree } from '../engine/commit.js';
import type { ReportedFinding } from '../engine/checks.js';
import { Tree, type FileChange } from '../engine/tree.js';
import type { Workspace } from '../workspace/workspace.js';
import { adoptProposal, existingGenerators, type AdoptResult } from './adopt.js';
import { readProposal } from './store.js';
import type { PatternProposal } from './propose.js';

/**
 * `metarepo patterns adopt <id>` without its front end (the CLI and the MCP `pattern_adopt` tool call it): turns
 * stored pattern `id` into a scaffold generator (generators/<name>.mjs, templates/<name>/, snapshots/<name>/) and
 * commits it through the engine's commit pipeline, publishing `core:patterns:adopted` (or, on failure,
 * `core:patterns:failed` before rethrowing). With `dryRun`, computes and checks everything and writes nothing.
 * @throws MetarepoError (exit 2) for an unknown id, a bad name, a file that exists, a fixture member that is gone.
 */
export async function adoptPattern(
  ws: Workspace,
  id: string,
  opts: { name?: string; dryRun?: boolean } = {},
): Promise<{ proposal: PatternProposal; result: AdoptResult; changes: FileChange[]; findings: ReportedFinding[] }> {
  try {
    const proposal = readProposal(ws.root, id);
    const tree = new Tree(ws.root);
    const result = adoptProposal(tree, proposal, { name: opts.name, existing: await existingGenerators(ws.root, await ws.plugins()) });
    const changes = tree.changes();
    const { findings } = await commitTree(ws, { command: 'patterns adopt', changes, dryRun: opts.dryRun, eventData: () => ({ generator: `patterns adopt ${proposal.id}` }) });
    if (!opts.dryRun) ws.bus.publish('core:patterns:adopted', { id: proposal.id, generator: result.name, files: changes.map((c) => c.path) });
    return { proposal, result, changes, findings };
  } catch (e) {
    ws.bus.publish('core:patterns:failed', { command: 'adopt', id, reason: (e as Error).message });
    throw e;
  }
}
