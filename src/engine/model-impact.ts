import semver from 'semver';
import { MetarepoError } from '../core/errors.js';
import { DRAFT_VERSION, type ModelRegistry } from '../models/registry.js';
import { defaultDiffPair, diffModel, type ModelDiff } from '../models/evolution.js';
import { judgeChanges, sourceUsers, type JudgedChange } from '../models/usage-findings.js';
import { scanGeneratedImports } from '../models/usage.js';
import type { WorkspaceConfig } from '../workspace/config.js';
import type { Workspace } from '../workspace/workspace.js';
import { readManifest } from './manifest.js';
import { modelImports } from './model-usage.js';

/**
 * What `metarepo model diff` and `model impact` compute, without a front end (the CLI and the MCP server's
 * `model_diff` and `model_impact` tools call these; moved down from src/cli/model-diff.ts).
 */

/** A model diff as reported: the pair, the policy, the bump it requires, and each change judged for this workspace. */
export interface ModelDiffReport {
  diff: ModelDiff;
  /** Each change with its severity here (an unused type's SOURCE change is a warning). */
  judged: JudgedChange[];
  /** Time the diff took, in milliseconds. */
  durationMs: number;
}

/**
 * Diffs two versions of model `name` (default: the draft against the newest, or the two newest; with only `from`:
 * `from` against the draft if there is one, else the newest), judging each change by the projects' imports.
 * @throws MetarepoError (exit 2) for an unknown model or version, or when there is nothing to compare.
 */
export async function modelDiffReport(ws: Workspace, registry: ModelRegistry, name: string, from?: string, to?: string): Promise<ModelDiffReport> {
  const [a, b] = from === undefined ? defaultDiffPair(registry, name) : [from, to ?? latestOrDraft(registry, name, from)];
  const imports = await modelImports(ws.root, ws.config, name);
  const started = performance.now();
  const diff = diffModel(registry, ws.config, name, a, b, imports);
  const durationMs = Math.round(performance.now() - started);
  return { diff, judged: judgeChanges(diff.changes, diff.policy.compatibility, diff.usage!), durationMs };
}

/** With one version given: compare it with the draft if there is one, else with the newest version. */
function latestOrDraft(registry: ModelRegistry, name: string, from: string): string {
  if (registry.draft(name)) return DRAFT_VERSION;
  const newest = registry.versions(name).at(-1);
  if (!newest || newest === from) throw new MetarepoError(`Nothing newer than ${name}@${from} to compare with.`, { hint: `Name both versions: metarepo model diff ${name} <from> <to>.` });
  return newest;
}

/** The JSON summary of a diff (what `model diff --json` prints beside the changes). */
export function diffSummary(diff: ModelDiff) {
  return { model: diff.model, from: diff.from, to: diff.to, policy: diff.policy, required: diff.required, breaksPolicy: diff.violations.length > 0 };
}

/** One target's exposure to a model version. */
export interface TargetImpact {
  target: string;
  output: string;
  range: string;
  /** The version it was last generated from (manifest), if any. */
  current?: string;
  /** Whether the next `generate` moves it to the version in question. */
  reached: boolean;
  /** Its generated files. */
  files: string[];
  changes: number;
  /** Whether the move breaks it: a policy-breaking change, or a SOURCE change to a type its projects import. */
  breaks: boolean;
  /** Projects importing its files, with whether each is broken. */
  projects: Array<{ project: string; imports: string[]; breaks: boolean }>;
}

/**
 * The model version `spec` names (`name@version`, or a name alone: its draft if there is one, else its newest
 * version) and, for each target of the model, its exposure to that version (see {@link targetImpacts}).
 * @throws MetarepoError (exit 2) for an unknown model or version (naming the versions there are).
 */
export async function modelImpact(ws: Workspace, registry: ModelRegistry, spec: string): Promise<{ name: string; version: string; targets: TargetImpact[] }> {
  const at = spec.indexOf('@');
  const name = at < 0 ? spec : spec.slice(0, at);
  const version = at < 0 ? (registry.draft(spec) ? DRAFT_VERSION : registry.resolve(spec).version) : spec.slice(at + 1);
  if (version !== DRAFT_VERSION && !registry.get(name, version)) registry.resolve(`${name}@${version}`); // throws naming the versions
  return { name, version, targets: await targetImpacts(ws.root, ws.config, registry, name, version) };
}

/**
 * The targets of model `name` and, for those whose range admits `version` and that would move to it, their
 * generated files (from the manifest), the projects importing them, and which of them the change breaks.
 */
export async function targetImpacts(root: string, config: WorkspaceConfig, registry: ModelRegistry, name: string, version: string): Promise<TargetImpact[]> {
  const manifest = readManifest(root);
  const out: TargetImpact[] = [];
  for (const t of config.targets ?? []) {
    const [model, range = 'latest'] = t.model.split('@') as [string, string?];
    if (model !== name) continue;
    const targetName = t.name ?? t.output;
    const files = Object.keys(manifest.files).filter((f) => manifest.files[f].target === targetName).sort();
    const current = files.length ? manifest.files[files[0]].model.split('@')[1] : undefined;
    const reached = version === DRAFT_VERSION || range === 'latest' || semver.satisfies(version, range, { includePrerelease: true });
    const impact: TargetImpact = { target: targetName, output: t.output, range: t.model, ...(current ? { current } : {}), reached, files, changes: 0, breaks: false, projects: [] };
    out.push(impact);
    if (!reached || !current || current === version) continue;
    const imports = await scanGeneratedImports(root, config.projects ?? [], files);
    const diff = diffModel(registry, config, name, current, version, imports);
    const judged = judgeChanges(diff.changes, diff.policy.compatibility, diff.usage!);
    impact.changes = diff.changes.length;
    const errors = judged.filter((c) => c.severity === 'error');
    impact.breaks = errors.length > 0;
    for (const project of [...new Set(imports.map((i) => i.project))].sort()) {
      const mine = imports.filter((i) => i.project === project);
      const names = [...new Set(mine.flatMap((i) => (i.names === '*' ? ['*'] : i.names)))].sort();
      const breaks = errors.some((c) => !c.impacts.source || sourceUsers(c, diff.usage!).includes(project));
      impact.projects.push({ project, imports: names, breaks });
    }
  }
  return out;
}
