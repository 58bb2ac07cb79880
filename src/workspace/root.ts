import fs from 'node:fs';
import path from 'node:path';
import { MetarepoError } from '../core/errors.js';
import { CONFIG_FILE } from '../core/layout.js';


/**
 * Finds the workspace root: the nearest folder at or above `from` holding `metarepo.yaml`.
 * @returns the absolute root, or `null` when there is none.
 */
export function findWorkspaceRoot(from: string): string | null {
  let dir = path.resolve(from);
  for (;;) {
    if (fs.existsSync(path.join(dir, CONFIG_FILE))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/**
 * Like {@link findWorkspaceRoot} but throws.
 * @throws MetarepoError (exit 2) when no workspace is found, with a hint to run `metarepo init`.
 */
export function requireWorkspaceRoot(from: string): string {
  const root = findWorkspaceRoot(from);
  if (!root) {
    throw new MetarepoError(`No metarepo workspace found at or above ${path.resolve(from)}.`, {
      hint: 'Run `metarepo init` to create one, or pass -C <dir> to point at an existing workspace.',
    });
  }
  return root;
}
