import fs from 'node:fs';
import path from 'node:path';
import { MetarepoError } from '../core/errors.js';
import { safeRelativePath } from '../core/paths.js';

/** One pending change in a {@link Tree}. `content` is absent for deletions. */
export interface FileChange {
  type: 'create' | 'modify' | 'delete';
  /** Path relative to the workspace root, `/`-separated. */
  path: string;
  content?: string;
  /** Content on disk before the change (modify and delete). */
  previous?: string;
  /** Who asked for it (generator or target name), for reports and the manifest. */
  origin?: string;
}

interface Entry {
  content: string | null; // null = deleted
  origin?: string;
}

/**
 * The virtual file system generators write into. Nothing touches the disk until the engine commits
 * the tree's {@link Tree.changes}. Reads fall through to the disk for files the tree has not touched.
 * Every path is checked with {@link safeRelativePath}, so a template can never escape the workspace.
 */
export class Tree {
  private readonly entries = new Map<string, Entry>();

  private readonly disk: boolean;

  /**
   * @param root - absolute path of the workspace root.
   * @param options.empty - a tree over an empty folder: reads never fall through to the disk, so what a
   *   generator renders does not depend on what the workspace holds (snapshot tests of templates).
   */
  constructor(
    readonly root: string,
    options: { empty?: boolean } = {},
  ) {
    this.disk = options.empty !== true;
  }

  private readDisk(rel: string): string | null {
    if (!this.disk) return null;
    try {
      return fs.readFileSync(path.join(this.root, rel), 'utf8');
    } catch {
      return null;
    }
  }

  /** Absolute path of a tree path. */
  absolute(p: string): string {
    return path.join(this.root, safeRelativePath(p));
  }

  /** Content of a file (pending or on disk), or `null` if it does not exist. */
  read(p: string): string | null {
    const rel = safeRelativePath(p);
    const e = this.entries.get(rel);
    if (e) return e.content;
    return this.readDisk(rel);
  }

  exists(p: string): boolean {
    return this.read(p) !== null;
  }

  /**
   * Writes a file into the tree.
   * @throws MetarepoError if the file exists and `overwrite` is not set (existing files are never
   *   overwritten silently), or if the path is unsafe.
   */
  write(p: string, content: string, opts: { overwrite?: boolean; origin?: string } = {}): void {
    const rel = safeRelativePath(p, opts.origin);
    if (!opts.overwrite && this.exists(rel)) {
      throw new MetarepoError(`File "${rel}" already exists${opts.origin ? ` (written by ${opts.origin})` : ''}.`, {
        hint: 'Choose another name, delete the file, or use an action that modifies it.',
      });
    }
    this.entries.set(rel, { content, origin: opts.origin });
  }

  /** Deletes a file (no-op if it does not exist). */
  delete(p: string, opts: { origin?: string } = {}): void {
    const rel = safeRelativePath(p, opts.origin);
    if (this.exists(rel)) this.entries.set(rel, { content: null, origin: opts.origin });
  }

  /** Moves a file inside the tree. @throws MetarepoError if `from` does not exist or `to` does. */
  rename(from: string, to: string, opts: { origin?: string } = {}): void {
    const content = this.read(from);
    if (content === null) throw new MetarepoError(`Cannot rename "${from}": it does not exist.`);
    this.write(to, content, opts);
    this.delete(from, opts);
  }

  /** Pending changes, sorted by path; writes that leave a file as it is on disk are dropped. */
  changes(): FileChange[] {
    const out: FileChange[] = [];
    for (const [rel, e] of [...this.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const onDisk = this.readDisk(rel);
      if (e.content === null) {
        if (onDisk !== null) out.push({ type: 'delete', path: rel, previous: onDisk, origin: e.origin });
      } else if (onDisk === null) {
        out.push({ type: 'create', path: rel, content: e.content, origin: e.origin });
      } else if (onDisk !== e.content) {
        out.push({ type: 'modify', path: rel, content: e.content, previous: onDisk, origin: e.origin });
      }
    }
    return out;
  }
}

