import fs from 'node:fs';
import path from 'node:path';
import { STATE_DIR } from '../../core/layout.js';
import { sha256 } from '../../core/hash.js';

/**
 * Merge bases: every file content metarepo writes (generated code, scaffolded files) is kept under
 * `.metarepo/base/<sha256>`, content-addressed, so a later run can 3-way merge a person's edits with new output.
 * The manifest (`outputHash`) and the answers records (`files`) name the hashes in use; {@link pruneBases} drops
 * the rest. Bases are committed with the workspace (see `.metarepo/.gitignore`): without them a fresh clone could
 * not merge.
 */
export const BASE_DIR = `${STATE_DIR}/base`;

/** The base with this hash (SHA-256 hex of the content), or `null` when it was never stored or was pruned. */
export function readBase(root: string, hash: string): string | null {
  try {
    return fs.readFileSync(path.join(root, BASE_DIR, hash), 'utf8');
  } catch {
    return null;
  }
}

/**
 * The contents not stored as bases yet, by hash (duplicates once), for the commit that stores them.
 * @returns `[sha256 hex, content]` pairs in first-seen order.
 */
export function missingBases(root: string, contents: Iterable<string>): Array<[string, string]> {
  const out = new Map<string, string>();
  for (const content of contents) {
    const hash = sha256(content);
    if (!out.has(hash) && !fs.existsSync(path.join(root, BASE_DIR, hash))) out.set(hash, content);
  }
  return [...out];
}

/** Deletes the stored bases whose hash is not in `keep`. @returns how many were deleted. */
export function pruneBases(root: string, keep: Set<string>): number {
  let names: string[];
  try {
    names = fs.readdirSync(path.join(root, BASE_DIR));
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (/^[0-9a-f]{64}$/.test(name) && !keep.has(name)) {
      fs.rmSync(path.join(root, BASE_DIR, name), { force: true });
      removed++;
    }
  }
  return removed;
}

/**
 * The hashes still in use: every merge base the manifest names (`baseHash`, else `outputHash`) and every file hash of every answers record
 * (`.metarepo/answers/<project>.json`, field `files`).
 */
export function liveBaseHashes(root: string, manifestHashes: Iterable<string>): Set<string> {
  const keep = new Set(manifestHashes);
  const dir = path.join(root, STATE_DIR, 'answers');
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return keep;
  }
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    try {
      const record = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as { files?: Record<string, string> };
      for (const h of Object.values(record.files ?? {})) keep.add(h);
    } catch {
      // an unreadable answers record keeps nothing alive; `update` reports it when it is used
    }
  }
  return keep;
}
