/**
 * What a run needs to know of a generated or scaffolded file — its SHA-256 and whether it holds a conflict block —
 * remembered by the file's stamp (size, times, inode: see src/core/stamps.ts) in
 * `.metarepo/cache/files.json`, so a run where nothing changed stats each file instead of reading and hashing it.
 *
 * Why it is correct: a fact is used only while the file's stamp is exactly the one it was computed under, and any
 * write changes the stamp (times; a replacement by rename, as metarepo's journal commits, also the inode). A fact is
 * recorded only from a settled stamp (older than the timestamp granularity when taken), so a file written again in
 * the tick it was hashed in is hashed again next time. Deleting the cache only costs a read of every file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { sha256 } from '../core/hash.js';
import { STATE_DIR } from '../core/layout.js';
import { settledBefore, stampOf, statOrUndefined } from '../core/stamps.js';
import { firstConflictLine } from './conflict-markers.js';

/** The cache file, relative to the workspace root. */
export const FILE_FACTS_CACHE = `${STATE_DIR}/cache/files.json`;

/** What is known of a file's content. */
export interface FileFact {
  /** SHA-256 hex of the text. */
  hash: string;
  /** 1-based line of the first conflict block, 0 when there is none (see `firstConflictLine`). */
  conflictLine: number;
}

/** A file's stamp as numbers (see src/core/stamps.ts: size, modification and change times, inode), its hash, its line. */
type Entry = [size: number, mtimeMs: number, ctimeMs: number, ino: number, hash: string, conflictLine: number];

/** File facts of one workspace, shared by every run of the process (each lookup checks the stamp again). */
export class FileFacts {
  private static readonly open = new Map<string, FileFacts>();
  private dirty = false;

  private constructor(
    private readonly root: string,
    private readonly entries: Map<string, Entry>,
  ) {}

  /** The facts of the workspace at `root` (read from its cache on first use in this process). */
  static of(root: string): FileFacts {
    let facts = FileFacts.open.get(root);
    if (!facts) {
      FileFacts.open.set(root, (facts = new FileFacts(root, readCache(root))));
    }
    return facts;
  }

  /**
   * The facts of `rel` (relative to the root, `/`-separated) as it is now; `null` when it does not exist (or is not
   * a file). Reads the file only when its stamp is not the one a fact was recorded under.
   * @param seen - the file's stat and the time (`Date.now()`) just before it was taken, when the caller has it.
   */
  get(rel: string, seen?: { st: fs.Stats | undefined; takenAt: number }): FileFact | null {
    const takenAt = seen?.takenAt ?? Date.now();
    const st = seen ? seen.st : statOrUndefined(`${this.root}/${rel}`); // `rel` is normalised: no join needed
    if (!st || !st.isFile()) {
      if (this.entries.delete(rel)) this.dirty = true;
      return null;
    }
    const known = this.entries.get(rel);
    // Compared as numbers: a thousand files are a thousand stamps, and turning times into text is what costs.
    if (known && known[0] === st.size && known[1] === st.mtimeMs && known[2] === st.ctimeMs && known[3] === st.ino) return { hash: known[4], conflictLine: known[5] };
    let text: string;
    try {
      text = fs.readFileSync(`${this.root}/${rel}`, 'utf8');
    } catch {
      return null;
    }
    return this.learn(rel, st, takenAt, text);
  }

  /**
   * The text of `rel`, or `null` when it does not exist; its fact is refreshed from the text (which is read anyway),
   * under the stamp taken before the read.
   */
  read(rel: string): string | null {
    const takenAt = Date.now();
    const file = path.join(this.root, rel);
    const st = statOrUndefined(file);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      if (this.entries.delete(rel)) this.dirty = true;
      return null;
    }
    if (st?.isFile()) this.learn(rel, st, takenAt, text);
    return text;
  }

  /** Writes the cache when facts were learned or dropped; a cache that cannot be written only costs speed. */
  save(): void {
    if (!this.dirty || !fs.existsSync(path.join(this.root, STATE_DIR))) return;
    const files = Object.fromEntries([...this.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    try {
      writeFileAtomic(path.join(this.root, FILE_FACTS_CACHE), JSON.stringify({ version: 2, files }));
      this.dirty = false;
    } catch {
      // read-only workspace: the next run hashes again
    }
  }

  private learn(rel: string, st: fs.Stats, takenAt: number, text: string): FileFact {
    const fact = { hash: sha256(text), conflictLine: firstConflictLine(text) };
    if (settledBefore(stampOf(st), takenAt)) {
      this.entries.set(rel, [st.size, st.mtimeMs, st.ctimeMs, st.ino, fact.hash, fact.conflictLine]);
      this.dirty = true;
    } else if (this.entries.delete(rel)) {
      this.dirty = true;
    }
    return fact;
  }
}

function readCache(root: string): Map<string, Entry> {
  try {
    const data = JSON.parse(fs.readFileSync(path.join(root, FILE_FACTS_CACHE), 'utf8')) as { version?: number; files?: Record<string, Entry> };
    if (data.version === 2 && data.files && typeof data.files === 'object') return new Map(Object.entries(data.files));
  } catch {
    // no cache yet, or a damaged one: start empty
  }
  return new Map();
}
