/**
 * Stamps: what `stat` says of a file or folder, to tell cheaply whether it changed since a cache was written — the
 * way git's index does. A file's stamp holds its size, modification and change times (sub-millisecond) and inode: an
 * edit changes the times (the change time even when a tool restores the modification time), a replacement (save by
 * rename, a commit of metarepo's journal) the inode. A folder's times change when an entry is added, removed or
 * renamed in it, so the stamps of a tree's folders and files say whether any file of the tree changed, appeared or
 * went away, without reading one.
 *
 * One rule keeps that sound: a file modified in the very clock tick its stamp was taken could be modified again in
 * the same tick without its stamp changing. A stamp is therefore *settled* only when the times it holds are older
 * than the moment it was taken by more than the file system's timestamp granularity (see {@link settledBefore});
 * caches are written only from settled stamps (git calls the others "racily clean").
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** A path's stamp: `kind:size:mtime:ctime:inode`, or `-` when it does not exist. */
export type Stamp = string;

/** The stamp of a file or folder (symbolic links followed); `-` when there is none (or it cannot be reached). */
export function stamp(file: string): Stamp {
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(file, { throwIfNoEntry: false });
  } catch {
    return '-'; // ENOTDIR (a parent is a file), EACCES, a symbolic link loop: nothing there to read either
  }
  return st ? stampOf(st) : '-';
}

/** The stamp of what `fs.statSync` returned. */
export function stampOf(st: fs.Stats): Stamp {
  return `${st.isDirectory() ? 'd' : 'f'}:${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`;
}

/**
 * Whether a stamp taken at `takenAt` (ms since the epoch, `Date.now()` before the stat) is settled: its times lie
 * before `takenAt` by more than the file system's timestamp granularity, so any later change gets other times.
 * File systems with sub-second times (ext4, xfs, btrfs, tmpfs, APFS, NTFS) stamp to a clock tick of at most ~10 ms:
 * a margin of 100 ms. Whole seconds (HFS+, ext3, FAT's two seconds) are taken as coarse: 2.1 s.
 */
export function settledBefore(st: Stamp, takenAt: number): boolean {
  if (st === '-') return true;
  const [, , mtime, ctime] = st.split(':');
  const m = Number(mtime);
  const c = Number(ctime);
  return Math.max(m, c) < takenAt - granularityMargin(m, c);
}

/** How long before a stamp was taken its times must lie to be settled (see {@link settledBefore}). */
function granularityMargin(mtimeMs: number, ctimeMs: number): number {
  return mtimeMs % 1000 === 0 && ctimeMs % 1000 === 0 ? 2100 : 100;
}

/** What a walk of a tree found: the paths to stamp, and when the walk began. */
export interface TreeStamp {
  /** Every folder (the root included, even when it does not exist) and kept file, `/`-separated, relative to the base. */
  paths: string[];
  /** `Date.now()` before the walk: what was read after it is judged by stamps settled relative to it ({@link stampsDigest}). */
  takenAt: number;
}

/**
 * Lists `dir` (relative to `base`), each folder below it, and each file whose name `keep` accepts; dot entries are
 * left out (globs skip them too), symbolic links are followed (a folder reached twice is listed once).
 */
export function stampTree(base: string, dir: string, keep: (name: string) => boolean): TreeStamp {
  const takenAt = Date.now();
  const paths: string[] = [];
  const seen = new Set<string>();
  const walk = (rel: string, st: fs.Stats): void => {
    const id = `${st.dev}:${st.ino}`;
    if (seen.has(id)) return;
    seen.add(id);
    paths.push(rel);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(base, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const child = `${rel}/${e.name}`;
      if (e.isFile()) {
        if (keep(e.name)) paths.push(child);
        continue;
      }
      if (!e.isDirectory() && !e.isSymbolicLink()) continue;
      const cst = statOrUndefined(path.join(base, child));
      if (cst?.isDirectory()) walk(child, cst);
      else if (cst && keep(e.name)) paths.push(child);
    }
  };
  const root = statOrUndefined(path.join(base, dir));
  if (root?.isDirectory()) walk(dir, root);
  else paths.push(dir);
  return { paths, takenAt };
}

/**
 * The SHA-256 of the stamps `files` have now, in order, and whether all were settled relative to `since` (see
 * {@link settledBefore}). Stamping after reading is sound when `since` is the moment the reading began: a file
 * changed after that moment has times at or after it, so it is not settled. The digest covers the same fields as
 * {@link stamp} (kind, size, times, inode), hashed as numbers: no text is built for thousands of files.
 */
export function stampsDigest(files: readonly string[], since: number): { digest: string; settled: boolean } {
  let settled = true;
  const judge = since !== Infinity;
  const fields = new Float64Array(files.length * 5);
  for (let i = 0, at = 0; i < files.length; i++, at += 5) {
    const st = statOrUndefined(files[i]);
    if (!st) {
      fields[at] = -1;
      continue;
    }
    fields[at] = st.isDirectory() ? 2 : 1;
    fields[at + 1] = st.size;
    fields[at + 2] = st.mtimeMs;
    fields[at + 3] = st.ctimeMs;
    fields[at + 4] = st.ino;
    if (judge && settled && Math.max(st.mtimeMs, st.ctimeMs) >= since - granularityMargin(st.mtimeMs, st.ctimeMs)) settled = false;
  }
  return { digest: createHash('sha256').update(fields).digest('hex'), settled };
}

/** `fs.statSync` (symbolic links followed), `undefined` when there is nothing there or it cannot be reached. */
export function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}
