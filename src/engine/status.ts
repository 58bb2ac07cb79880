import type { TargetSummary } from '../plugins/api.js';
import type { Workspace } from '../workspace/workspace.js';
import { diskOf, filesOfTarget, isEdited } from './disk.js';
import { readManifest } from './manifest.js';
import type { PlannedTarget } from './plan.js';
import { cachedPlan, savePlan } from './plan-cache.js';
import { findConflictMarkers } from './conflict-markers.js';

/** State of one target without rendering it: the public {@link TargetSummary} plus the resolved model version. */
export interface TargetStatus extends TargetSummary {
  /** `name@version` the range resolved to (absent for an invalid target). */
  resolved?: string;
}

/**
 * Compares each target's input hash and its files on disk with the manifest. Cheap: renders nothing, and
 * never throws for one bad target (it is `invalid`, with the reason).
 * @param pending - paths a generate run is about to write: their targets count as up to date, their files as not edited.
 * @param planned - the targets a generate run planned already (all of them valid), so they are not planned twice.
 */
export async function targetStatuses(ws: Workspace, pending: Set<string> = new Set(), planned?: PlannedTarget[]): Promise<TargetStatus[]> {
  if (!planned && (ws.config.targets ?? []).length === 0) return [];
  const manifest = readManifest(ws.root);
  const disk = diskOf(ws);
  const byIndex = new Map<number, TargetStatus>();
  // From the models cache when no model, generator or config changed (every target was valid then); else for real,
  // and then cached when every target is valid.
  planned ??= await cachedPlan(ws);
  if (!planned) {
    const { plan, targetName } = await import('./plan.js');
    planned = await plan(ws, undefined, (t, i, error) => {
      byIndex.set(i, { name: targetName(t), model: t.model, generator: t.generator, output: t.output, state: 'invalid', reason: error.message, edited: [] });
    });
    if (byIndex.size === 0) await savePlan(ws, planned);
  }
  for (const p of planned) {
    const files = filesOfTarget(manifest, p.name);
    const edited = files.filter((f) => !pending.has(f) && isEdited(manifest.files[f], disk.hash(f)));
    const prior = manifest.files[p.output];
    const state = pending.has(p.output)
      ? 'up-to-date'
      : !prior
        ? 'never-generated'
        : prior.inputHash === p.inputHash && disk.hash(p.output) !== null
          ? 'up-to-date'
          : 'stale';
    byIndex.set(p.index, { name: p.name, model: p.config.model, resolved: p.modelId, generator: p.generator.name, output: p.output, state, edited });
  }
  disk.save();
  return [...byIndex.keys()].sort((a, b) => a - b).map((i) => byIndex.get(i)!);
}

/** What `metarepo status` (and the MCP `status` tool) reports: see {@link workspaceStatus}. */
export interface WorkspaceStatus {
  workspace: { name: string; root: string };
  projects: NonNullable<Workspace['config']['projects']>;
  /** Each model with its versions, oldest first. */
  models: Array<{ name: string; versions: string[] }>;
  targets: TargetStatus[];
  /** Generated files edited by hand. */
  edited: string[];
  /** Unresolved conflict markers (file, line). */
  conflicts: ReturnType<typeof findConflictMarkers>;
}

/**
 * The workspace at a glance: its projects, models and versions, every target's state (see {@link targetStatuses}),
 * generated files edited by hand and unresolved conflict markers. Renders nothing.
 * @throws MetarepoError (exit 2) when a model cannot be loaded.
 */
export async function workspaceStatus(ws: Workspace): Promise<WorkspaceStatus> {
  const registry = await ws.models();
  const models = new Map<string, string[]>();
  for (const m of registry.list()) models.set(m.name, [...(models.get(m.name) ?? []), m.version]);
  const targets = await targetStatuses(ws);
  return {
    workspace: { name: ws.config.name, root: ws.root },
    projects: ws.config.projects ?? [],
    models: [...models].map(([name, versions]) => ({ name, versions })),
    targets,
    edited: targets.flatMap((t) => t.edited),
    conflicts: findConflictMarkers(ws.root),
  };
}
