/** Pages that plugins contribute to the docs site (the `pages` contribution kind). */
import type { Workspace } from '../workspace/workspace.js';
import type { SitePage } from './page.js';

/** The pages every enabled plugin contributes. */
export async function pluginPageSource(_ws: Workspace): Promise<SitePage[]> {
  return [];
}
