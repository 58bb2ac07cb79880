import fs from 'node:fs';
import path from 'node:path';
import { MetarepoError } from './errors.js';
import { fsyncDir, tempPathFor, writeFileAtomic, writeFileDurable, TEMP_FILE_PATTERN } from './atomic-write.js';
import { isAlive } from './process-lock.js';

/**
 * An all-or-nothing commit of many files, with a write-ahead journal so that a crash (SIGKILL, power cut) at any
 * point leaves either every old file or every new one once the next command has recovered.
 *
 * Protocol (the journal is one JSON file, replaced atomically at each state change):
 * 1. `staging`: the journal lists every temp → destination rename and every deletion; then each new content is
 *    written to its uniquely named temp file and fsynced, and the folders are fsynced.
 *    Every file that will be replaced or deleted is hard-linked to a backup (named in the journal already).
 * 2. `committed` (the commit point): temps are renamed over their destinations, deletions happen, folders are
 *    fsynced.
 * 3. The journal and backups are removed.
 *
 * Recovery ({@link recoverJournal}): a `staging` journal is rolled back (temps removed: nothing had changed); a
 * `committed` one is rolled forward (the temps still present are renamed, the deletions done). A rename that
 * fails while applying (disk full, a folder where a file should be) is rolled back from the backups at once.
 * This is the classic redo log of a write-ahead logging scheme (see e.g. SQLite's "atomic commit" document,
 * sqlite.org/atomiccommit.html, which uses an undo journal for the same guarantee).
 */

/** One file to write: `path` relative to the root (`/`-separated), new `content`. */
export interface JournalWrite {
  path: string;
  content: string | Uint8Array;
}

/** The journal as stored. Paths relative to the root, `/`-separated. */
interface JournalRecord {
  version: 1;
  state: 'staging' | 'committed';
  /** The command that wrote it, for the recovery message. */
  command: string;
  pid: number;
  writes: Array<{ path: string; temp: string; backup?: string }>;
  deletes: Array<{ path: string; backup?: string }>;
}

/** What {@link commitFiles} needs beyond the files. */
export interface CommitFilesOptions {
  /** Journal file, relative to root (e.g. `.metarepo/journal.json`); without one, a crash may leave a mix. */
  journal?: string;
  /** Named in the journal and in recovery messages. */
  command?: string;
}

/**
 * Writes and deletes files under `root` all or nothing (see the module comment).
 * @param root - absolute folder every path is relative to.
 * @param writes - files to create or replace.
 * @param deletes - files to delete (missing ones are ignored); empty parent folders go too.
 * @throws MetarepoError exit 1 when staging or applying fails (the files are then as they were), or exit 2 when a
 *   destination is a folder.
 */
export function commitFiles(root: string, writes: JournalWrite[], deletes: string[], options: CommitFilesOptions = {}): void {
  if (writes.length === 0 && deletes.length === 0) return;
  const realRoot = fs.realpathSync(root);
  for (const p of [...writes.map((w) => w.path), ...deletes]) refuseSymlinkEscape(root, realRoot, p);
  for (const w of writes) refuseFolder(root, w.path);
  const record: JournalRecord = {
    version: 1,
    state: 'staging',
    command: options.command ?? 'metarepo',
    pid: process.pid,
    writes: writes.map((w) => ({ path: w.path, temp: toRel(root, tempPathFor(path.join(root, w.path))), ...backupOf(root, w.path) })),
    deletes: deletes.map((d) => ({ path: d, ...backupOf(root, d) })),
  };
  const journal = options.journal ? path.join(root, options.journal) : undefined;
  const createdDirs: string[] = [];
  try {
    if (journal) writeFileAtomic(journal, JSON.stringify(record));
    const dirs = new Set<string>();
    for (const [i, w] of writes.entries()) {
      const temp = path.join(root, record.writes[i].temp);
      const made = fs.mkdirSync(path.dirname(temp), { recursive: true });
      if (made) createdDirs.push(made);
      writeFileDurable(temp, w.content);
      dirs.add(path.dirname(temp));
    }
    for (const d of dirs) fsyncDir(d);
    backUp(root, record);
    record.state = 'committed';
    if (journal) writeFileAtomic(journal, JSON.stringify(record));
  } catch (e) {
    rollBack(root, record);
    for (const d of createdDirs.reverse()) fs.rmSync(d, { recursive: true, force: true });
    if (journal) fs.rmSync(journal, { force: true });
    throw new MetarepoError(`Could not write the files; nothing was changed: ${(e as Error).message}`, { exitCode: 1, cause: e });
  }
  try {
    apply(root, record);
  } catch (e) {
    restore(root, record);
    if (journal) fs.rmSync(journal, { force: true });
    throw new MetarepoError(`Could not put the files in place; every file was restored: ${(e as Error).message}`, { exitCode: 1, cause: e });
  }
  finish(root, record, journal);
}

/**
 * Finishes or undoes an interrupted {@link commitFiles}: a `committed` journal is rolled forward, a `staging` one
 * rolled back. Call it only while no other process can be committing (under the workspace lock).
 * @param root - absolute folder the journal's paths are relative to.
 * @param journalRel - the journal file, relative to root.
 * @returns one line saying what was done, or `null` when there was no journal.
 */
export function recoverJournal(root: string, journalRel: string): string | null {
  const journal = path.join(root, journalRel);
  let record: JournalRecord;
  try {
    record = JSON.parse(fs.readFileSync(journal, 'utf8')) as JournalRecord;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // A journal that does not parse was cut off while being written (before the atomic rename it cannot be; a
    // disk error can): the commit never reached its commit point, so there is nothing to roll forward.
    fs.rmSync(journal, { force: true });
    return `metarepo: removed an unreadable commit journal (${journalRel}); the files are as they were before that commit.`;
  }
  if (record.state === 'committed') {
    apply(root, record, true);
    finish(root, record, journal);
    return `metarepo: completed the commit of an interrupted \`${record.command}\` (pid ${record.pid}): ${record.writes.length} file(s) written, ${record.deletes.length} deleted.`;
  }
  rollBack(root, record);
  fs.rmSync(journal, { force: true });
  fsyncDir(path.dirname(journal));
  return `metarepo: rolled back an interrupted \`${record.command}\` (pid ${record.pid}); no file had changed.`;
}

/**
 * Removes temp files that metarepo processes no longer running left in `dirs` (names matching
 * {@link TEMP_FILE_PATTERN} whose pid is not alive). Folders that do not exist are skipped.
 * @param dirs - absolute folders, scanned one level deep each.
 * @returns the paths removed.
 */
export function sweepStrayTemps(dirs: Iterable<string>): string[] {
  const removed: string[] = [];
  for (const dir of new Set(dirs)) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!TEMP_FILE_PATTERN.test(name)) continue;
      const pid = Number(/\.metarepo-(\d+)/.exec(name)![1]);
      if (pid !== process.pid && isAlive(pid)) continue;
      fs.rmSync(path.join(dir, name), { force: true });
      removed.push(path.join(dir, name));
    }
  }
  return removed;
}

function refuseFolder(root: string, rel: string): void {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(path.join(root, rel));
  } catch {
    return;
  }
  if (stat.isDirectory()) {
    throw new MetarepoError(`"${rel}" is a folder; a file cannot be written there. Nothing was written.`, {
      hint: 'Name a file inside it (e.g. "<folder>/index.ts") as the output.',
    });
  }
}

/**
 * The backup name of a file that exists (it will be replaced or deleted). Named in the `staging` journal before it
 * is made, so a crash at any point leaves no backup that recovery does not know of.
 */
function backupOf(root: string, rel: string): { backup?: string } {
  const file = path.join(root, rel);
  return fs.existsSync(file) ? { backup: toRel(root, tempPathFor(file)) } : {};
}

/** Hard-links every file that will be replaced or deleted to its backup beside it (copies where links fail). */
function backUp(root: string, record: JournalRecord): void {
  for (const entry of [...record.writes, ...record.deletes]) {
    if (!entry.backup) continue;
    const file = path.join(root, entry.path);
    const backup = path.join(root, entry.backup);
    try {
      fs.linkSync(file, backup);
    } catch {
      fs.copyFileSync(file, backup);
    }
  }
}

/** Renames temps into place and deletes; `resume` tolerates steps done before a crash. */
function apply(root: string, record: JournalRecord, resume = false): void {
  const dirs = new Set<string>();
  for (const w of record.writes) {
    const temp = path.join(root, w.temp);
    const dest = path.join(root, w.path);
    if (resume && !fs.existsSync(temp)) continue; // renamed before the crash
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.renameSync(temp, dest);
    dirs.add(path.dirname(dest));
  }
  for (const d of record.deletes) {
    const file = path.join(root, d.path);
    fs.rmSync(file, { force: true });
    dirs.add(path.dirname(file));
  }
  for (const d of dirs) fsyncDir(d);
}

/** After a failed apply: puts every backed-up file back and removes files that did not exist before. */
function restore(root: string, record: JournalRecord): void {
  for (const entry of [...record.writes, ...record.deletes]) {
    const file = path.join(root, entry.path);
    try {
      if (entry.backup) fs.renameSync(path.join(root, entry.backup), file);
      else if ('temp' in entry && !fs.existsSync(path.join(root, (entry as { temp: string }).temp))) fs.rmSync(file, { force: true });
    } catch {
      // best effort: the error that made the commit fail is the one reported
    }
  }
  rollBack(root, record);
}

/** Removes temps and backups (a commit that never reached its commit point, or after a restore). */
function rollBack(root: string, record: JournalRecord): void {
  for (const w of record.writes) removeQuietly(path.join(root, w.temp));
  for (const e of [...record.writes, ...record.deletes]) if (e.backup) removeQuietly(path.join(root, e.backup));
}

/** Removes a file, ignoring any error (a temp whose folder could not even be created, say). */
function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // nothing was there to remove
  }
}

/**
 * Refuses a destination whose real path (after symbolic links) leaves the root: the nearest existing ancestor is
 * resolved, since that is where the write really lands.
 */
function refuseSymlinkEscape(root: string, realRoot: string, rel: string): void {
  let probe = path.join(root, rel);
  while (!fs.existsSync(probe)) probe = path.dirname(probe);
  const real = fs.realpathSync(probe);
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
    throw new MetarepoError(`Output path "${rel}" leads outside the workspace through a symbolic link (${real}). Nothing was written.`, {
      hint: 'Replace the symbolic link with a folder inside the workspace, or write elsewhere.',
    });
  }
}

function finish(root: string, record: JournalRecord, journal: string | undefined): void {
  for (const e of [...record.writes, ...record.deletes]) if (e.backup) fs.rmSync(path.join(root, e.backup), { force: true });
  // Only now, with the backups gone, are the folders of deleted files empty.
  for (const d of record.deletes) removeEmptyParents(root, path.dirname(path.join(root, d.path)));
  if (!journal) return;
  fs.rmSync(journal, { force: true });
  fsyncDir(path.dirname(journal));
}

function removeEmptyParents(root: string, dir: string): void {
  while (dir !== root && dir.startsWith(root + path.sep)) {
    try {
      fs.rmdirSync(dir);
    } catch {
      return; // not empty
    }
    dir = path.dirname(dir);
  }
}

function toRel(root: string, abs: string): string {
  return path.relative(root, abs).split(path.sep).join('/');
}
