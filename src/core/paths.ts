import path from 'node:path';
import { MetarepoError } from './errors.js';
import { STATE_DIR } from './layout.js';

/**
 * Normalises a path that a generator or template asks to write, relative to the workspace root.
 * Output paths must stay inside the workspace (DESIGN.md, "Guarantees").
 * @param requested - a relative path using `/` or the platform separator.
 * @returns the path relative to the root, with `/` separators and no `.` segments.
 * @throws MetarepoError (exit 2) for an absolute path, a `..` escape, an empty path or a control character.
 */
export function safeRelativePath(requested: string, origin?: string): string {
  const where = origin ? ` (from ${origin})` : '';
  // Control characters (NUL first of all) make paths the file system rejects or that print misleadingly.
  const control = /[\u0000-\u001f\u007f]/.exec(requested ?? '');
  if (control) {
    throw new MetarepoError(`Output path ${JSON.stringify(requested)} holds a control character (U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})${where}.`, {
      hint: 'Remove the control character; paths may hold printable characters only.',
    });
  }
  if (!requested || !requested.trim()) {
    throw new MetarepoError(`An output path is empty${where}.`, {
      hint: 'Check that every variable used in the file name has a value.',
    });
  }
  if (path.isAbsolute(requested) || /^[a-zA-Z]:[\\/]/.test(requested) || requested.startsWith('\\')) {
    throw new MetarepoError(`Output path "${requested}" is absolute${where}; paths must be relative to the workspace.`, {
      hint: 'Write to a path inside the workspace, e.g. "projects/<name>/src/index.ts".',
    });
  }
  const normal = path.posix.normalize(requested.replace(/\\/g, '/'));
  if (normal === '..' || normal.startsWith('../')) {
    throw new MetarepoError(`Output path "${requested}" leaves the workspace${where}.`, {
      hint: 'Remove the ".." segments so the path stays inside the workspace.',
    });
  }
  return normal.replace(/^\.\//, '').replace(/\/$/, '');
}

/**
 * Like {@link safeRelativePath}, for a path a target or template asks to write: it must also name a file below the
 * workspace root (not the root itself) and stay out of `.metarepo/`, which holds metarepo's own state (manifest,
 * journal, merge bases) that only metarepo writes.
 * @throws MetarepoError (exit 2) as {@link safeRelativePath}, or for the root or a path under `.metarepo/`.
 */
export function safeOutputPath(requested: string, origin?: string): string {
  const rel = safeRelativePath(requested, origin);
  const where = origin ? ` (from ${origin})` : '';
  if (rel === '' || rel === '.') {
    throw new MetarepoError(`Output path "${requested}" is the workspace root itself${where}; it must name a file.`, {
      hint: 'Name a file inside the workspace, e.g. "generated/user.ts".',
    });
  }
  if (rel === STATE_DIR || rel.startsWith(`${STATE_DIR}/`)) {
    throw new MetarepoError(`Output path "${requested}" is inside ${STATE_DIR}/${where}, which holds metarepo's own state.`, {
      hint: `Write generated files elsewhere, e.g. "generated/<name>.ts"; ${STATE_DIR}/ is written only by metarepo.`,
    });
  }
  return rel;
}
