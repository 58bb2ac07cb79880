/**
 * Pages that plugins contribute to the docs site (the `pages` contribution kind): each plugin's pages go under
 * `pages/<plugin>/`. Plugin data is untrusted: paths are checked segment by segment, and the Markdown is rendered
 * with raw HTML off like every page.
 */
import { MetarepoError } from '../core/errors.js';
import type { ContributedPage } from '../plugins/api.js';
import type { Workspace } from '../workspace/workspace.js';
import { safeSegment, type SitePage } from './page.js';

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * The pages every enabled plugin contributes.
 * @throws MetarepoError (exit 2) naming the plugin and contribution when `pages` throws or returns something that is
 *   not a list of `{ path, title, markdown }` with a safe path, or two pages share a path.
 */
export async function pluginPageSource(ws: Workspace): Promise<SitePage[]> {
  const host = await ws.plugins();
  const out: SitePage[] = [];
  const seen = new Set<string>();
  for (const { plugin, contribution } of await host.pages()) {
    const where = `Plugin ${plugin}'s pages "${contribution.name}"`;
    let pages: unknown;
    try {
      pages = await contribution.pages({ root: ws.root });
    } catch (e) {
      throw new MetarepoError(`${where} failed: ${e instanceof Error ? e.message : String(e)}`, { hint: `Fix the plugin, or disable it with plugins.${plugin}.enabled: false in metarepo.yaml.`, cause: e });
    }
    if (!Array.isArray(pages)) throw badPage(where, 'returned something other than a list of pages', plugin);
    for (const [i, page] of pages.entries()) {
      const problem = pageProblem(page);
      if (problem) throw badPage(where, `page ${i}: ${problem}`, plugin);
      const { path, title, markdown } = page as ContributedPage;
      const site = `pages/${safeSegment(plugin)}/${path}.html`;
      if (seen.has(site)) throw badPage(where, `page ${i}: path "${path}" is used twice`, plugin);
      seen.add(site);
      out.push({ path: site, title, section: 'pages', markdown });
    }
  }
  return out;
}

/** What is wrong with a contributed page, or undefined when it is fine. */
function pageProblem(page: unknown): string | undefined {
  if (page === null || typeof page !== 'object') return 'is not an object { path, title, markdown }';
  const { path, title, markdown } = page as Record<string, unknown>;
  if (typeof title !== 'string' || title.trim() === '') return 'title must be a non-empty string';
  if (typeof markdown !== 'string') return 'markdown must be a string';
  if (typeof path !== 'string' || !path.split('/').every((s) => SEGMENT.test(s))) {
    return `path ${JSON.stringify(path)} must be segments of letters, digits, ".", "_", "-" joined by "/" (no "..", no extension)`;
  }
  return undefined;
}

function badPage(where: string, problem: string, plugin: string): MetarepoError {
  return new MetarepoError(`${where} ${problem}.`, { hint: `Fix plugin ${plugin}: each page is { path: 'guide/intro', title, markdown }.` });
}
