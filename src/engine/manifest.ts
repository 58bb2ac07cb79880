import fs from 'node:fs';
import path from 'node:path';
import { STATE_DIR } from '../core/layout.js';

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

/** Reads the manifest; an absent or unreadable one is empty (everything is then re-rendered and compared). */
export function readManifest(root: string): Manifest {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(root, MANIFEST_FILE), 'utf8')) as Manifest;
    if (m && m.version === 1 && m.files && typeof m.files === 'object') return m;
  } catch {
    // fall through: treat as no manifest
  }
  return { version: 1, files: {} };
}

/** Serialises a manifest deterministically (paths sorted). */
export function serializeManifest(m: Manifest): string {
  const files = Object.fromEntries(Object.keys(m.files).sort().map((k) => [k, m.files[k]]));
  return `${JSON.stringify({ version: 1, files }, null, 2)}\n`;
}
