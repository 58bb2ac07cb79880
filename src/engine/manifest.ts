import fs from 'node:fs';
import path from 'node:path';
import { STATE_DIR } from '../core/layout.js';
import { settledBefore, stamp, type Stamp } from '../core/stamps.js';

/** One generated file as metarepo last wrote it. Hashes are SHA-256 hex. */
export interface ManifestEntry {
  /** Target that produced the file. */
  target: string;
  generator: string;
  /** Model and exact version, e.g. `user@1.2.0`. */
  model: string;
  /** Hash of every input: bundled model (with the models it references), generator version, options, output. */
  inputHash: string;
  /**
   * Hash of the content accepted as this file's state: what metarepo wrote, or — after a clean 3-way merge of a
   * person's edits — the merged file. A file on disk with another hash was edited by hand since.
   */
  outputHash: string;
  /**
   * Hash of the generator's own output when it differs from `outputHash` (the accepted file is a merge): the base of
   * the next 3-way merge, stored under `.metarepo/base/`. Absent when the accepted file is the generator's output.
   */
  baseHash?: string;
}

/** `.metarepo/manifest.json`: generated files by path (relative, `/`-separated), sorted. */
export interface Manifest {
  version: 1;
  files: Record<string, ManifestEntry>;
}

export const MANIFEST_FILE = `${STATE_DIR}/manifest.json`;

/**
 * Reads the manifest; an absent or unreadable one is empty (everything is then re-rendered and compared).
 * The result is shared — do not mutate it (copy to change it; reconcile does): while the file keeps its stamp (see
 * src/core/stamps.ts; a commit replaces it by a rename, which changes the stamp) the same object is returned without
 * reading the file again, so the steps of a run (plan, reconcile, statuses, checks) parse it once. (It is not
 * frozen: freezing a thousand entries, and then copying the frozen map, costs more than the run's other work.)
 */
export function readManifest(root: string): Manifest {
  const file = path.join(root, MANIFEST_FILE);
  const takenAt = Date.now();
  const st = stamp(file);
  const known = memo.get(file);
  if (known && known.stamp === st) return known.manifest;
  let manifest: Manifest = { version: 1, files: {} };
  try {
    const m = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
    if (m && m.version === 1 && m.files && typeof m.files === 'object') manifest = m;
  } catch {
    // fall through: treat as no manifest
  }
  shared.add(manifest.files);
  if (st !== '-' && settledBefore(st, takenAt)) memo.set(file, { stamp: st, manifest });
  else memo.delete(file);
  return manifest;
}

/** `files` of the manifests {@link readManifest} returned, which nobody mutates. */
const shared = new WeakSet<object>();

/** Whether `m` came from {@link readManifest} (so it never changes, and indexes of it stay right). */
export function isSharedManifest(m: Manifest): boolean {
  return shared.has(m.files);
}

/** The last manifest read per file, with the stamp it had (see {@link readManifest}). */
const memo = new Map<string, { stamp: Stamp; manifest: Manifest }>();

/** Serialises a manifest deterministically (paths sorted). */
export function serializeManifest(m: Manifest): string {
  const files = Object.fromEntries(Object.keys(m.files).sort().map((k) => [k, m.files[k]]));
  return `${JSON.stringify({ version: 1, files }, null, 2)}\n`;
}
