/**
 * Snapshots of rendered templates: `snapshots/<template>/<fixture>/` holds, file by file, what the fixture
 * rendered when the snapshot was accepted. Comparing finds changed files, files the template now adds and
 * files it no longer renders; each comes with a unified diff (jsdiff).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { commitChanges } from '../engine/commit.js';
import type { FileChange } from '../engine/tree.js';

/** One difference between a snapshot and a render. */
export interface SnapshotDiff {
  /** Output path, relative to the fixture's snapshot folder. */
  path: string;
  /** `changed`: content differs; `added`: rendered but not in the snapshot; `removed`: in the snapshot, no longer rendered. */
  kind: 'changed' | 'added' | 'removed';
  /**
   * Unified diff from the snapshot (`a/<snapshot file>`, `/dev/null` for an added file) to the render
   * (`b/<snapshot file>`, `/dev/null` for a removed file), 3 lines of context, so `git apply` takes it.
   */
  patch: string;
}

/**
 * Every file under a fixture's snapshot folder (dot-files included), by `/`-separated relative path.
 * @returns `null` when the folder does not exist (a fixture never snapshotted).
 */
export function readSnapshot(dir: string): Map<string, string> | null {
  if (!fs.existsSync(dir)) return null;
  const files = new Map<string, string>();
  for (const rel of (fs.readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const abs = path.join(dir, rel);
    if (fs.statSync(abs).isFile()) files.set(rel.split(path.sep).join('/'), fs.readFileSync(abs, 'utf8'));
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The differences between a render and its snapshot, sorted by path.
 * @param label - the snapshot folder as shown in patch headers, e.g. `snapshots/widget/minimal`.
 */
export function compareWithSnapshot(rendered: Map<string, string>, snapshot: Map<string, string>, label: string): SnapshotDiff[] {
  const paths = [...new Set([...rendered.keys(), ...snapshot.keys()])].sort();
  const out: SnapshotDiff[] = [];
  for (const p of paths) {
    const now = rendered.get(p);
    const before = snapshot.get(p);
    if (now === before) continue;
    const kind = before === undefined ? 'added' : now === undefined ? 'removed' : 'changed';
    const file = `${label}/${p}`;
    const patch = createTwoFilesPatch(
      before === undefined ? '/dev/null' : `a/${file}`,
      now === undefined ? '/dev/null' : `b/${file}`,
      before ?? '',
      now ?? '',
      undefined,
      undefined,
      { context: 3 },
    );
    // jsdiff starts with a line of "=" (its own separator, not part of the unified format).
    out.push({ path: p, kind, patch: patch.replace(/^=+\n/, '') });
  }
  return out;
}

/**
 * Commits snapshot changes (paths relative to `dir`). The default, {@link commitSnapshotFolder}, commits into the
 * folder alone; the CLI passes one that collects the changes for the workspace's commit pipeline.
 */
export type SnapshotWriter = (dir: string, changes: FileChange[]) => void;

/** Commits snapshot changes into `dir` all or nothing (see `commitChanges`), creating the folder first. */
export function commitSnapshotFolder(dir: string, changes: FileChange[]): void {
  fs.mkdirSync(dir, { recursive: true });
  commitChanges(dir, changes);
  if (fs.readdirSync(dir).length === 0) fs.rmdirSync(dir); // an obsolete fixture's folder goes with its files
}

/**
 * Makes a fixture's snapshot folder hold exactly `rendered`: writes new and changed files and deletes files no
 * longer rendered, all or nothing, through `write`.
 * @returns the paths written and removed (relative to `dir`, sorted).
 */
export function writeSnapshot(dir: string, rendered: Map<string, string>, write: SnapshotWriter = commitSnapshotFolder): { written: string[]; removed: string[] } {
  const current = readSnapshot(dir) ?? new Map<string, string>();
  const changes: FileChange[] = [];
  for (const [p, content] of rendered) {
    const before = current.get(p);
    if (before !== content) changes.push({ type: before === undefined ? 'create' : 'modify', path: p, content });
  }
  for (const p of current.keys()) if (!rendered.has(p)) changes.push({ type: 'delete', path: p });
  write(dir, changes);
  return {
    written: changes.filter((c) => c.type !== 'delete').map((c) => c.path),
    removed: changes.filter((c) => c.type === 'delete').map((c) => c.path),
  };
}

/**
 * Fixture folders under a template's snapshot folder (`snapshots/<template>/*`), sorted; used to find snapshots
 * of fixtures that template.yaml no longer has.
 */
export function snapshotFixtures(templateSnapshots: string): string[] {
  if (!fs.existsSync(templateSnapshots)) return [];
  return fs
    .readdirSync(templateSnapshots, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}
