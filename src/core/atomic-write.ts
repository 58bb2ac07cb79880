import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Durable, atomic file writes: content goes to a uniquely named temp file beside its destination, is flushed to
 * disk (fsync), renamed over the destination (atomic on POSIX), and the folder is flushed too so the rename itself
 * survives a power cut. Readers see the old content or the new, never a half-written file.
 */

/** Matches the temp files {@link tempPathFor} names (and the pid-only names of metarepo 0.1). */
export const TEMP_FILE_PATTERN = /^\..+\.metarepo-\d+(?:-[0-9a-f]{8})?\.tmp$/;

/**
 * A temp file name beside `dest`, unique across processes and calls: `.<name>.metarepo-<pid>-<8 hex>.tmp`.
 * @param dest - absolute destination path.
 */
export function tempPathFor(dest: string): string {
  return path.join(path.dirname(dest), `.${path.basename(dest)}.metarepo-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes `content` to `file` and flushes it to disk before returning.
 * @param file - absolute path; the file is created or truncated.
 * @throws the underlying I/O error (ENOSPC, EACCES, EISDIR, …).
 */
export function writeFileDurable(file: string, content: string | Uint8Array): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeFileSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Flushes a folder's entries (created, renamed, removed files) to disk. A no-op where folders cannot be opened
 * for fsync (Windows).
 */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some platforms and file systems refuse fsync on a folder; the rename is still atomic there.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Writes one file atomically and durably (temp file, fsync, rename, fsync of the folder). Creates missing parent
 * folders. On failure the temp file is removed and `file` is as it was.
 * @param file - absolute path.
 * @throws the underlying I/O error.
 */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = tempPathFor(file);
  try {
    writeFileDurable(tmp, content);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(dir);
}
