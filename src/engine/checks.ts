import fs from 'node:fs';
import path from 'node:path';
import type { Check, CheckContext, Finding, ModelSummary, PendingChange, TargetSummary } from '../plugins/api.js';
import type { Workspace } from '../workspace/workspace.js';
import type { PlannedTarget } from './plan.js';
import { conflictMarkersCheck } from './conflict-markers.js';
import { targetStatuses } from './status.js';
import { FileFacts } from './file-facts.js';
import { diskOf } from './disk.js';
import { cachedSummary, saveSummary, type ModelsSummary } from './plan-cache.js';

/** A check together with the plugin that contributed it. */
export interface ContributedCheck {
  plugin: string;
  check: Check;
}

/**
 * Every check a run must pass: the plugins' checks (a plugin that failed to resolve, configure or set up is an error
 * finding of its own, see `PluginHost.checks`) and metarepo's built-in ones (conflict markers).
 * @param markers - files this run writes with conflict markers on purpose.
 */
export async function workspaceChecks(ws: Workspace, markers?: ReadonlySet<string>): Promise<ContributedCheck[]> {
  // Files are judged through the run's disk cache and file facts: a file unchanged since it was last judged is not
  // read again, and one the run has judged already is not even stat'ed again.
  const disk = diskOf(ws);
  const lineOf = (rel: string) => disk.conflictLine(rel);
  return [...(await (await ws.plugins()).checks()), { plugin: 'core', check: conflictMarkersCheck(markers, lineOf) }];
}

/** A finding with its check and plugin filled in, and `line`/`column` resolved from `pointer` where possible. */
export type ReportedFinding = Finding & { check: string; plugin: string };

/**
 * Runs every check against `ctx`, one after another. A check that throws or rejects becomes an `error` finding
 * naming its plugin; it never stops the other checks. Findings are sorted by file, line, check.
 */
export async function runChecks(ws: Workspace, checks: ContributedCheck[], ctx: CheckContext): Promise<ReportedFinding[]> {
  const out: ReportedFinding[] = [];
  for (const { plugin, check } of checks) {
    ws.bus.publish('core:check:started', { check: check.name, plugin });
    let findings: Finding[];
    try {
      findings = await check.run(ctx);
    } catch (e) {
      findings = [{ severity: 'error', message: `check ${check.name} of plugin ${plugin} failed: ${(e as Error).message ?? String(e)}` }];
    }
    for (const f of findings) out.push(await locate(ws, { ...f, check: check.name, plugin }));
    ws.bus.publish('core:check:finished', { check: check.name, plugin, errors: findings.filter((f) => f.severity === 'error').length, warnings: findings.filter((f) => f.severity === 'warning').length });
  }
  FileFacts.of(ws.root).save();
  return out.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || a.check.localeCompare(b.check));
}

/** Resolves a finding's JSON pointer to line and column in metarepo.yaml or a JSON file of the workspace. */
async function locate(ws: Workspace, f: ReportedFinding): Promise<ReportedFinding> {
  if (f.pointer === undefined || f.line !== undefined || !f.file) return f;
  if (f.file === 'metarepo.yaml') {
    const { line, column } = ws.document.locate(f.pointer);
    return { ...f, line, column };
  }
  if (!f.file.endsWith('.json')) return f;
  try {
    const text = fs.readFileSync(path.join(ws.root, f.file), 'utf8');
    const { parseJsonWithPositions } = await import('../core/json-positions.js'); // only for such a finding
    return { ...f, ...parseJsonWithPositions(text, f.file).locate(f.pointer) };
  } catch {
    return f;
  }
}

/**
 * The data checks run against: the workspace config, every model version, every target's state.
 * Tolerant: a target whose range matches no model is `unresolved` (a check reports it) instead of an error.
 * Cheap when nothing changed: the targets come from `planned` or the models cache (see src/engine/plan-cache.ts),
 * the model list and release checks from that cache too, and files are judged by their stamps (file facts); only
 * what the cache cannot answer loads the registry — the run's own, shared with planning — and computes it.
 * @param changes - pending changes of a generate run (targets are then described as after the commit).
 * @param planned - that run's planned targets, reused instead of planning again.
 * @param command - what the checks run for (see `CheckContext.command`).
 */
export async function buildCheckContext(ws: Workspace, changes: PendingChange[] = [], planned?: PlannedTarget[], command = 'check'): Promise<CheckContext> {
  const targets: TargetSummary[] = (await targetStatuses(ws, new Set(changes.map((c) => c.path)), planned)).map(({ resolved: _resolved, ...t }) => t);
  const { models, releases } = await modelsSummary(ws);
  return { root: ws.root, workspace: ws.config as unknown as Record<string, unknown>, models, targets, changes, releases, command };
}

/** The model list and release checks: from the models cache, else computed from the registry (and cached). */
async function modelsSummary(ws: Workspace): Promise<Required<ModelsSummary>> {
  const cached = cachedSummary(ws);
  if (cached?.releases) return { models: cached.models, releases: cached.releases };
  const registry = await ws.models();
  const models: ModelSummary[] =
    cached?.models ??
    registry.list().map((m) => ({
      name: m.name,
      version: m.version,
      file: m.relFile,
      ...(typeof m.schema.title === 'string' ? { title: m.schema.title } : {}),
      ...(typeof m.schema.description === 'string' ? { description: m.schema.description } : {}),
    }));
  const [{ checkReleases }, { modelImports }] = await Promise.all([import('../models/evolution.js'), import('./model-usage.js')]);
  // The projects' imports of generated code are not among the cache's keys: releases judged with them are not kept.
  let importsConsulted = false;
  const releases = await checkReleases(registry, ws.config, (name) => {
    importsConsulted = true;
    return modelImports(ws.root, ws.config, name);
  });
  saveSummary(ws, importsConsulted ? { models } : { models, releases });
  return { models, releases };
}
