import path from 'node:path';
import { MetarepoError } from '../core/errors.js';
import { commitTree } from '../engine/commit.js';
import { Tree, type FileChange } from '../engine/tree.js';
import { checkDeclaredVersion, nextVersion, renderChangelog, renderReference, type ChangelogEntry, type SemverBump } from '../models/diff/index.js';
import { diffModel, modelPolicy, schemaAt } from '../models/evolution.js';
import { modelImports } from '../engine/model-usage.js';
import { DRAFT_VERSION, MODEL_FILE_SUFFIX, type ModelRegistry } from '../models/registry.js';
import type { Workspace } from '../workspace/workspace.js';
import { withRegistry } from './model.js';
import { describeChanges } from './diff.js';
import { emit, type GlobalOptions } from './output.js';

/** `metarepo model draft <name>`: starts the working draft as a copy of the newest version. */
export async function modelDraftCommand(g: GlobalOptions, name: string): Promise<number> {
  return withRegistry(g, 'model draft', async (ws, registry) => {
    const newest = registry.resolve(name);
    const file = draftPath(registry, name);
    if (registry.draft(name)) {
      throw new MetarepoError(`Model "${name}" already has a working draft (${file}).`, { hint: `Edit it, or release it with \`metarepo model bump ${name}\`.` });
    }
    await commit(ws, 'model draft', (tree) => tree.write(file, newest.text, { origin: 'model draft' }));
    emit(g, { draft: file, from: newest.version }, () => `Started ${file} from ${name}@${newest.version}; edit it, then \`metarepo model diff ${name}\` and \`metarepo model bump ${name}\`.`);
    return 0;
  }, true);
}

/**
 * `metarepo model bump <name> [--version v]`: releases the working draft as the next version, with the bump
 * its changes require under the model's policy, or as `--as <version>` when that version says enough; the draft is
 * removed. An `$id` that names the previous version names the new one.
 * @throws MetarepoError (exit 2): no draft; an `--as` version that exists, is not greater, or understates the change.
 */
export async function modelBumpCommand(g: GlobalOptions, name: string, opts: { as?: string; dryRun?: boolean }): Promise<number> {
  return withRegistry(g, 'model bump', async (ws, registry) => {
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
    const fill = (tree: Tree) => {
      tree.write(file, text, { origin: 'model bump' });
      tree.delete(draft.relFile, { origin: 'model bump' });
    };
    const changes = opts.dryRun ? preview(ws, fill) : await commit(ws, 'model bump', fill);
    emit(g, { model: name, previous, version, required, file, dryRun: !!opts.dryRun, changes: changes.map((c) => ({ type: c.type, path: c.path })) }, () =>
      `${opts.dryRun ? 'Would release' : 'Released'} ${name}@${version} (${previous ? `${required} bump from ${previous}` : 'first version'}, policy ${policy.compatibility}) as ${file}` +
      (opts.dryRun ? `\n${describeChanges(changes)}` : ''),
    );
    return 0;
  }, !opts.dryRun);
}

const BUMP_ORDER: readonly SemverBump[] = ['none', 'patch', 'minor', 'major'];

const GENERATED_MARK = '<!-- Generated by `metarepo model changelog`; edit the model, not this file. -->';

/**
 * `metarepo model changelog <name>`: the Markdown changelog across successive versions, printed and written to
 * `docs/models/<name>.md` with a reference page per version in `docs/models/<name>/<version>.md` (unless
 * `--no-write`). Files without the generated mark are never overwritten.
 */
export async function modelChangelogCommand(g: GlobalOptions, name: string, opts: { write: boolean }): Promise<number> {
  return withRegistry(g, 'model changelog', async (ws, registry) => {
    const versions = registry.versions(name);
    if (versions.length === 0) registry.resolve(name); // throws naming the models
    const entries: ChangelogEntry[] = versions.slice(1).map((to, i) => ({ from: versions[i], to, changes: diffModel(registry, ws.config, name, versions[i], to).changes }));
    const changelog = renderChangelog(name, entries);
    const pages = versions.map((v) => ({ file: `docs/models/${name}/${v}.md`, text: `${GENERATED_MARK}\n\n${renderReference(name, v, schemaAt(registry, name, v))}` }));
    const index = `${GENERATED_MARK}\n\n${changelog}\n## Reference\n\n${[...versions].reverse().map((v) => `- [${v}](${name}/${v}.md)`).join('\n')}\n`;
    const written = opts.write ? await commit(ws, 'model changelog', (tree) => [{ file: `docs/models/${name}.md`, text: index }, ...pages].forEach((p) => writeGenerated(tree, p.file, p.text))) : [];
    emit(g, { model: name, changelog, files: written.map((c) => c.path) }, () => changelog + (written.length ? `\nwrote ${written.map((c) => c.path).join(', ')}` : ''));
    return 0;
  }, opts.write);
}

function writeGenerated(tree: Tree, file: string, text: string): void {
  const existing = tree.read(file);
  if (existing !== null && !existing.startsWith(GENERATED_MARK)) {
    throw new MetarepoError(`${file} exists and was not written by \`metarepo model changelog\`; nothing was written.`, {
      location: { file },
      hint: `Move it away, or pass --no-write to print the changelog only.`,
    });
  }
  tree.write(file, text, { overwrite: true, origin: 'model changelog' });
}

function draftPath(registry: ModelRegistry, name: string): string {
  return path.posix.join(registry.modelsDir, name, `${DRAFT_VERSION}${MODEL_FILE_SUFFIX}`);
}

/** Fills a tree and returns its changes without writing anything (`--dry-run`). */
function preview(ws: Workspace, fill: (tree: Tree) => void): FileChange[] {
  const tree = new Tree(ws.root);
  fill(tree);
  return tree.changes();
}

/** Fills a tree and commits it through the pipeline (checks, journal, events). @returns the changes. */
async function commit(ws: Workspace, command: string, fill: (tree: Tree) => void): Promise<FileChange[]> {
  const tree = new Tree(ws.root);
  fill(tree);
  const changes = tree.changes();
  await commitTree(ws, { command, changes, eventData: (c) => ({ origin: c.origin ?? 'model' }) });
  return changes;
}

