import pc from 'picocolors';
import semver from 'semver';
import { MetarepoError } from '../core/errors.js';
import { readManifest } from '../engine/manifest.js';
import { DRAFT_VERSION, type ModelRegistry } from '../models/registry.js';
import { defaultDiffPair, diffModel, type ModelDiff } from '../models/evolution.js';
import { judgeChanges, sourceUsers, type JudgedChange } from '../models/usage-findings.js';
import { modelImports } from '../engine/model-usage.js';
import type { WorkspaceConfig } from '../workspace/config.js';
import { scanGeneratedImports } from '../models/usage.js';
import { withRegistry } from './model.js';
import { emit, type GlobalOptions } from './output.js';

const MARK = { error: pc.red('✗'), warning: pc.yellow('!'), info: pc.dim('·') } as const;

/** `metarepo model diff <name> [from] [to]`: every change with its rule, pointer, impacts and severity here. */
export async function modelDiffCommand(g: GlobalOptions, name: string, from: string | undefined, to: string | undefined): Promise<number> {
  return withRegistry(g, 'model diff', async (ws, registry) => {
    const [a, b] = from === undefined ? defaultDiffPair(registry, name) : [from, to ?? latestOrDraft(registry, name, from)];
    const report = await modelDiffReport(ws.root, ws.config, registry, name, a, b);
    emit(g, report.data, () => report.text);
    return 0;
  });
}

/**
 * What `model diff <name> <a> <b>` prints: the changes judged under the model's policy and the projects' imports,
 * as JSON data and as text (also printed by `model infer` after it writes a draft).
 */
export async function modelDiffReport(root: string, config: WorkspaceConfig, registry: ModelRegistry, name: string, a: string, b: string): Promise<{ data: Record<string, unknown>; text: string }> {
  const imports = await modelImports(root, config, name);
  const started = performance.now();
  const diff = diffModel(registry, config, name, a, b, imports);
  const durationMs = Math.round(performance.now() - started);
  const judged = judgeChanges(diff.changes, diff.policy.compatibility, diff.usage!);
  return { data: { ...summary(diff), changes: judged, durationMs }, text: human(diff, judged) };
}

/** With one version given: compare it with the draft if there is one, else with the newest version. */
function latestOrDraft(registry: ModelRegistry, name: string, from: string): string {
  if (registry.draft(name)) return DRAFT_VERSION;
  const newest = registry.versions(name).at(-1);
  if (!newest || newest === from) throw new MetarepoError(`Nothing newer than ${name}@${from} to compare with.`, { hint: `Name both versions: metarepo model diff ${name} <from> <to>.` });
  return newest;
}

function summary(diff: ModelDiff) {
  return { model: diff.model, from: diff.from, to: diff.to, policy: diff.policy, required: diff.required, breaksPolicy: diff.violations.length > 0 };
}

function human(diff: ModelDiff, judged: JudgedChange[]): string {
  const head = `${diff.model} ${diff.from} → ${diff.to} (policy ${diff.policy.compatibility}): ${judged.length} change(s)${
    diff.violations.length ? `, ${pc.red(`${diff.violations.length} break the policy`)}` : ''
  }; requires ${diff.required === 'none' ? 'no new version' : `a ${diff.required} bump`}`;
  return [head, ...judged.map(changeLine)].join('\n');
}

function changeLine(c: JudgedChange): string {
  const impacts = [c.impacts.backward ? 'BACKWARD' : '', c.impacts.forward ? 'FORWARD' : '', c.impacts.source ? 'SOURCE' : ''].filter(Boolean).join(' ');
  const unused = c.severity === 'warning' ? pc.dim(` (no project imports ${c.typeName ?? 'the root type'})`) : '';
  // A change at a use site of a definition names the definition it reaches through.
  const via = c.via ? pc.dim(` (via ${c.via})`) : '';
  return `  ${MARK[c.severity]} ${c.rule.padEnd(32)} ${c.path || '/'}${via}  ${c.message}${impacts ? pc.dim(` [breaks ${impacts}]`) : ''}${unused}`;
}

/** One target's exposure to a model version. */
interface TargetImpact {
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
 * `metarepo model impact <name>@<version>`: the targets whose range admits the version and that would move to it,
 * their generated files, the projects importing those files, and which of them the change breaks.
 */
export async function modelImpactCommand(g: GlobalOptions, spec: string): Promise<number> {
  return withRegistry(g, 'model impact', async (ws, registry) => {
    const at = spec.indexOf('@');
    const name = at < 0 ? spec : spec.slice(0, at);
    const version = at < 0 ? (registry.draft(spec) ? DRAFT_VERSION : registry.resolve(spec).version) : spec.slice(at + 1);
    if (version !== DRAFT_VERSION && !registry.get(name, version)) registry.resolve(`${name}@${version}`); // throws naming the versions
    const impacts = await targetImpacts(ws.root, ws.config, registry, name, version);
    const breaking = impacts.filter((t) => t.breaks).length;
    emit(g, { model: name, version, targets: impacts, breaking }, () =>
      [
        `${name}@${version}: reaches ${impacts.filter((t) => t.reached).length} of ${impacts.length} target(s) of ${name}; ${breaking ? pc.red(`breaks ${breaking}`) : 'breaks none'}`,
        ...impacts.flatMap((t) => [
          `  ${t.breaks ? MARK.error : t.reached ? pc.green('✓') : MARK.info} ${t.target} (${t.range}${t.current ? `, now ${t.current}` : ', not generated yet'}): ${
            t.reached ? `${t.changes} change(s)${t.breaks ? ', breaks it' : ''}` : `not reached: ${t.range} excludes ${version}`
          }`,
          ...t.files.map((f) => `      file ${f}`),
          ...t.projects.map((p) => `      project ${p.project} imports ${p.imports.join(', ')}${p.breaks ? pc.red(' — breaks') : ''}`),
        ]),
      ].join('\n'),
    );
    return 0;
  });
}

async function targetImpacts(root: string, config: WorkspaceConfig, registry: ModelRegistry, name: string, version: string): Promise<TargetImpact[]> {
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
