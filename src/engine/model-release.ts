import path from 'node:path';
import { MetarepoError } from '../core/errors.js';
import { checkDeclaredVersion, nextVersion, type SemverBump } from '../models/diff/index.js';
import { diffModel, modelPolicy } from '../models/evolution.js';
import { DRAFT_VERSION, MODEL_FILE_SUFFIX, type ModelRegistry } from '../models/registry.js';
import type { CompatibilityPolicy } from '../models/diff/index.js';
import type { Workspace } from '../workspace/workspace.js';
import { commitTree } from './commit.js';
import { modelImports } from './model-usage.js';
import { Tree, type FileChange } from './tree.js';

/**
 * Starting and releasing a model's working draft without a front end: `metarepo model draft|bump` and the MCP
 * server's `model_draft` and `model_bump` tools call these (moved down from src/cli/model-release.ts). Both write
 * through the engine's commit pipeline.
 */

/**
 * Starts the working draft of model `name` (`models/<name>/draft.schema.json`) as a copy of its newest version.
 * @returns the draft's path, the version it copies, and the change (written unless `dryRun`).
 * @throws MetarepoError (exit 2) for an unknown model, or when it has a draft already.
 */
export async function modelDraft(ws: Workspace, registry: ModelRegistry, name: string, opts: { dryRun?: boolean } = {}): Promise<{ draft: string; from: string; changes: FileChange[] }> {
  const newest = registry.resolve(name);
  const file = draftPath(registry, name);
  if (registry.draft(name)) {
    throw new MetarepoError(`Model "${name}" already has a working draft (${file}).`, { hint: `Edit it, or release it with \`metarepo model bump ${name}\`.` });
  }
  const changes = await fillAndCommit(ws, 'model draft', (tree) => tree.write(file, newest.text, { origin: 'model draft' }), opts.dryRun);
  return { draft: file, from: newest.version, changes };
}

/** What {@link modelBump} released (or, in a dry run, would release). */
export interface BumpOutcome {
  previous?: string;
  version: string;
  required: SemverBump;
  /** The new version's file. */
  file: string;
  policy: CompatibilityPolicy;
  changes: FileChange[];
}

/**
 * Releases the working draft of `name` as the next version, with the semver bump its changes require under the
 * model's policy (against every earlier version for a transitive policy), or as `as` when that version says
 * enough; the draft is removed. An `$id` that names the previous version names the new one.
 * @throws MetarepoError (exit 2): no draft; a draft equal to the newest version; an `as` version that exists, is not
 *   greater, or understates the change.
 */
export async function modelBump(ws: Workspace, registry: ModelRegistry, name: string, opts: { as?: string; dryRun?: boolean } = {}): Promise<BumpOutcome> {
  const draft = registry.draft(name);
  if (!draft) throw new MetarepoError(`Model "${name}" has no working draft to release.`, { hint: `Start one with \`metarepo model draft ${name}\`, edit it, then bump.` });
  const versions = registry.versions(name);
  const previous = versions.at(-1);
  const policy = modelPolicy(ws.config, name);
  let version = opts.as ?? '1.0.0';
  let required: SemverBump = 'major';
  const problems: string[] = [];
  if (previous) {
    const imports = await modelImports(ws.root, ws.config, name);
    // A transitive policy: the draft must say enough against every earlier version, as `checkReleases` checks
    // it later. Under `none` too the new version must say its change (checkReleases skips `none` only for
    // histories written before there was a policy).
    const against = policy.compatibility.endsWith('_transitive') ? versions : [previous];
    const diffs = against.map((from) => diffModel(registry, ws.config, name, from, DRAFT_VERSION, imports));
    const latest = diffs.at(-1)!; // against the previous version
    if (latest.required === 'none' && !opts.as) {
      throw new MetarepoError(`The draft of "${name}" does not change ${name}@${previous}: there is nothing to release.`, { hint: `Edit ${draft.relFile} first; \`metarepo model diff ${name}\` shows the changes.` });
    }
    // The largest bump any compared version requires, applied to the previous version.
    required = diffs.map((d) => d.required).reduce((a, b) => (BUMP_ORDER.indexOf(b) > BUMP_ORDER.indexOf(a) ? b : a));
    version = opts.as ?? nextVersion(previous, required);
    if (versions.includes(version)) throw new MetarepoError(`${name}@${version} exists already.`, { hint: `Versions of ${name}: ${versions.join(', ')}.` });
    for (const d of diffs) {
      const problem = checkDeclaredVersion(d.from, version, d.changes, policy.compatibility, d.breaksCode);
      if (problem) problems.push(problem);
    }
  }
  if (problems.length) {
    throw new MetarepoError(problems[0], {
      hint: `Use a version that says the change (\`metarepo model bump ${name}\` without --as picks it), or make the draft compatible under the ${policy.compatibility} policy.`,
      details: problems.slice(1),
    });
  }
  const file = path.posix.join(registry.modelsDir, name, `${version}${MODEL_FILE_SUFFIX}`);
  const text = previous && draft.id?.includes(previous) ? draft.text.replace(JSON.stringify(draft.id), JSON.stringify(draft.id.split(previous).join(version))) : draft.text;
  const changes = await fillAndCommit(ws, 'model bump', (tree) => {
    tree.write(file, text, { origin: 'model bump' });
    tree.delete(draft.relFile, { origin: 'model bump' });
  }, opts.dryRun);
  return { ...(previous ? { previous } : {}), version, required, file, policy: policy.compatibility, changes };
}

const BUMP_ORDER: readonly SemverBump[] = ['none', 'patch', 'minor', 'major'];

function draftPath(registry: ModelRegistry, name: string): string {
  return path.posix.join(registry.modelsDir, name, `${DRAFT_VERSION}${MODEL_FILE_SUFFIX}`);
}

/**
 * Fills a tree and, unless `dryRun`, commits it through the pipeline (checks, journal, events); a dry run writes
 * nothing and runs no checks, as `model bump --dry-run` always did. @returns the changes.
 */
async function fillAndCommit(ws: Workspace, command: string, fill: (tree: Tree) => void, dryRun = false): Promise<FileChange[]> {
  const tree = new Tree(ws.root);
  fill(tree);
  const changes = tree.changes();
  if (!dryRun) await commitTree(ws, { command, changes, eventData: (c) => ({ origin: c.origin ?? 'model' }) });
  return changes;
}
