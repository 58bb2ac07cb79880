import { sha256 } from '../core/hash.js';
import type { GeneratedFile } from '../plugins/api.js';
import { filesOfTarget } from './disk.js';
import type { Manifest, ManifestEntry } from './manifest.js';
import { mergeThreeWay, type FileConflict } from './merge/three-way.js';

/**
 * The reconcile step of `generate` (plan → render → reconcile → commit): compares what the targets rendered with
 * the manifest and the disk, and decides per file what to write, what to merge, what to delete and what blocks the
 * run. Pure: it reads the disk and the merge bases only through {@link DiskView}, so it runs on an in-memory disk.
 *
 * The rules (docs/generate.md, "Edits, merges and the accepted state"):
 * - A file is *edited* when its content on disk differs from the manifest's `outputHash` (the accepted state).
 * - An unedited file takes the new output; if its accepted state is a merge (`baseHash` set), the new output is
 *   3-way merged into it again (base = the previous output), so a merged edit survives later model changes.
 * - An edited file blocks the run (nothing is written) unless `force` (overwrite) or `merge` (3-way merge; a clean
 *   merge becomes the accepted state, a conflict is reported or written with markers).
 * - Files the manifest lists that no target produces any more are deleted (orphans); an edited orphan blocks.
 */

/** How reconcile sees the workspace: file contents and hashes, and stored merge bases. */
export interface DiskView {
  /** The file's text, or `null` when it does not exist. `rel` is relative to the root, `/`-separated. */
  read(rel: string): string | null;
  /** SHA-256 hex of the file's text, or `null` when it does not exist. */
  hash(rel: string): string | null;
  /** The merge base with this hash, or `null` when it was never stored. */
  base(hash: string): string | null;
}

/** One target's render, as reconcile receives it. */
export interface RenderedTarget {
  name: string;
  generator: string;
  /** `name@version` of the model. */
  model: string;
  inputHash: string;
  /** Paths already made safe and relative (see `safeRelativePath`). */
  files: GeneratedFile[];
}

/** Flags of reconcile (from `generate`). */
export interface ReconcileOptions {
  force?: boolean;
  merge?: boolean;
  conflicts?: 'report' | 'markers';
}

/** A file to write (create or replace) or delete, with the target that caused it. */
export interface PlannedWrite {
  path: string;
  /** New content; `null` deletes the file. */
  content: string | null;
  target: string;
}

/** What reconcile decided. */
export interface Reconciliation {
  /** Files to write or delete (only real changes: unchanged content is left out). */
  writes: PlannedWrite[];
  /** The manifest after the commit. */
  manifest: Manifest;
  /** Generated files edited by hand that this run would change (they block it unless `force` or `merge`). */
  blocking: string[];
  /** Generated files edited by hand (blocking or not). */
  edited: string[];
  /** Edited files merged cleanly with the new output. */
  merged: string[];
  /** Merges that conflicted (left untouched, or written with markers). */
  conflicts: FileConflict[];
  /** Generator outputs to keep as merge bases. */
  bases: string[];
  /** Every file some target produces (rendered now or kept from before). */
  produced: Set<string>;
}

/**
 * Reconciles rendered targets with the manifest and the disk (see the module comment).
 * @param manifest - the manifest before the run.
 * @param rendered - targets rendered in this run.
 * @param kept - names of targets not rendered (up to date, or failed): their files stay as the manifest lists them.
 * @throws Error when two targets produce the same path (the caller words it for the user).
 */
export function reconcile(manifest: Manifest, rendered: RenderedTarget[], kept: string[], disk: DiskView, opts: ReconcileOptions = {}): Reconciliation {
  const out: Reconciliation = { writes: [], manifest: { version: 1, files: { ...manifest.files } }, blocking: [], edited: [], merged: [], conflicts: [], bases: [], produced: new Set() };
  for (const name of kept) for (const f of filesOfTarget(manifest, name)) out.produced.add(f);
  for (const t of rendered) {
    for (const f of t.files) {
      if (out.produced.has(f.path)) throw new DuplicateOutputError(f.path);
      out.produced.add(f.path);
      reconcileFile(out, manifest.files[f.path], t, f, disk, opts);
    }
  }
  for (const rel of Object.keys(manifest.files).sort()) {
    if (out.produced.has(rel)) continue;
    const prior = manifest.files[rel];
    delete out.manifest.files[rel];
    const current = disk.hash(rel);
    if (current === null) continue;
    if (current !== prior.outputHash) {
      out.edited.push(rel);
      if (!opts.force) out.blocking.push(rel);
    }
    out.writes.push({ path: rel, content: null, target: prior.target });
  }
  out.edited.sort();
  out.blocking.sort();
  return out;
}

/** Two targets write one file: a configuration error. */
export class DuplicateOutputError extends Error {
  constructor(readonly path: string) {
    super(`Two targets write ${path}.`);
  }
}

function reconcileFile(out: Reconciliation, prior: ManifestEntry | undefined, t: RenderedTarget, f: GeneratedFile, disk: DiskView, opts: ReconcileOptions): void {
  const pure = sha256(f.content);
  const entry: ManifestEntry = { target: t.name, generator: t.generator, model: t.model, inputHash: t.inputHash, outputHash: pure };
  const current = disk.hash(f.path);
  const accept = (text: string, conflict = false) => {
    const hash = text === f.content ? pure : sha256(text);
    out.manifest.files[f.path] = hash === pure ? entry : { ...entry, outputHash: hash, baseHash: pure };
    out.bases.push(f.content);
    if (hash !== current) out.writes.push({ path: f.path, content: text, target: t.name });
    if (!conflict && text !== f.content) out.merged.push(f.path);
  };
  const edited = current !== null && current !== (prior ? prior.outputHash : pure);
  if (!edited || opts.force) {
    if (current !== null && prior?.baseHash && current === prior.outputHash && !opts.force) {
      // The accepted state is a merge: carry the person's merged edits into the new output.
      return mergeInto(out, prior.baseHash, f, disk, opts, accept, prior);
    }
    return accept(f.content);
  }
  out.edited.push(f.path);
  if (opts.merge && prior) return mergeInto(out, prior.baseHash ?? prior.outputHash, f, disk, opts, accept, prior);
  out.blocking.push(f.path);
  out.manifest.files[f.path] = prior ?? entry;
}

function mergeInto(
  out: Reconciliation,
  baseHash: string,
  f: GeneratedFile,
  disk: DiskView,
  opts: ReconcileOptions,
  accept: (text: string, conflict?: boolean) => void,
  prior: ManifestEntry,
): void {
  const base = disk.base(baseHash);
  const ours = disk.read(f.path) ?? '';
  if (base === null) {
    out.conflicts.push({ file: f.path, resolution: 'no-base', hunks: [] });
    out.manifest.files[f.path] = prior;
    return;
  }
  const result = mergeThreeWay(base, ours, f.content);
  if (result.clean) return accept(result.text);
  if (!opts.merge) {
    // An accepted merge that no longer merges cleanly: the person decides, as for an edited file.
    out.blocking.push(f.path);
    out.manifest.files[f.path] = prior;
    return;
  }
  const markers = opts.conflicts === 'markers';
  out.conflicts.push({ file: f.path, resolution: markers ? 'markers' : 'untouched', hunks: result.conflicts });
  if (markers) accept(result.text, true);
  else out.manifest.files[f.path] = prior;
}
