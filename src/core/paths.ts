import path from 'node:path';
import { MetarepoError } from './errors.js';

/**
 * Normalises a path that a generator or template asks to write, relative to the workspace root.
 * Output paths must stay inside the workspace (DESIGN.md, "Guarantees").
 * @param requested - a relative path using `/` or the platform separator.
 * @returns the path relative to the root, with `/` separators and no `.` segments.
 * @throws MetarepoError (exit 2) for an absolute path, a `..` escape or an empty path.
 */
export function safeRelativePath(requested: string, origin?: string): string {
  const where = origin ? ` (from ${origin})` : '';
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
