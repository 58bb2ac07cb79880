import fs from 'node:fs';
import path from 'node:path';
import { MetarepoError } from '../core/errors.js';
import type { FileChange } from './tree.js';

/**
 * Writes a set of changes all or nothing: every new content goes to a temp file beside its destination first;
 * only when all temp files are written are they renamed into place (rename is atomic on POSIX), then deletions
 * happen. If staging fails, the temp files are removed and the workspace is as it was.
 * Also refuses any destination whose real path (after symlinks) leaves the workspace.
 * @param root - absolute workspace root.
 * @throws MetarepoError (exit 2) for a symlink escape; the underlying I/O error (exit 1) if staging fails.
 */
export function commitChanges(root: string, changes: FileChange[]): void {
  const realRoot = fs.realpathSync(root);
  for (const c of changes) assertInsideRealRoot(realRoot, path.join(root, c.path), c.path);

  const staged: Array<{ tmp: string; dest: string }> = [];
  const createdDirs: string[] = [];
  try {
    for (const c of changes) {
      if (c.type === 'delete') continue;
      const dest = path.join(root, c.path);
      const made = fs.mkdirSync(path.dirname(dest), { recursive: true });
      if (made) createdDirs.push(made);
      const tmp = path.join(path.dirname(dest), `.${path.basename(dest)}.metarepo-${process.pid}.tmp`);
      fs.writeFileSync(tmp, c.content ?? '');
      staged.push({ tmp, dest });
    }
  } catch (e) {
    for (const s of staged) fs.rmSync(s.tmp, { force: true });
    for (const d of createdDirs.reverse()) fs.rmSync(d, { recursive: true, force: true });
    throw new MetarepoError(`Could not write the generated files; nothing was changed: ${(e as Error).message}`, { exitCode: 1, cause: e });
  }
  for (const s of staged) fs.renameSync(s.tmp, s.dest);
  for (const c of changes) {
    if (c.type === 'delete') {
      fs.rmSync(path.join(root, c.path), { force: true });
      removeEmptyParents(root, path.dirname(path.join(root, c.path)));
    }
  }
}

function assertInsideRealRoot(realRoot: string, dest: string, rel: string): void {
  // Find the nearest existing ancestor and resolve its symlinks: that is where the write really lands.
  let probe = dest;
  while (!fs.existsSync(probe)) probe = path.dirname(probe);
  const real = fs.realpathSync(probe);
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
    throw new MetarepoError(`Output path "${rel}" leads outside the workspace through a symbolic link (${real}).`, {
      hint: 'Replace the symbolic link with a folder inside the workspace, or write elsewhere.',
    });
  }
}

function removeEmptyParents(root: string, dir: string): void {
  while (dir !== root && dir.startsWith(root)) {
    try {
      fs.rmdirSync(dir);
    } catch {
      return; // not empty
    }
    dir = path.dirname(dir);
  }
}
