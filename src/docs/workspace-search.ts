/**
 * Searching a workspace's docs: every page the site would have (models, projects, templates, plugins, events, and
 * plugin-contributed pages), indexed and queried as the site's search box does. Used by `metarepo docs search` and
 * the MCP server's `docs_search` tool.
 */
import type { Workspace } from '../workspace/workspace.js';
import { pluginPageSource } from './contributed.js';
import { buildIndex, search, searchDocuments, type SearchHit } from './search.js';
import { collectPages } from './site.js';

/**
 * The pages of `ws` that match `query`, best first (MiniSearch's BM25 ranking, prefix and fuzzy terms, every term
 * required), each with title, site path, section, score and a snippet. The pages are collected afresh on each call,
 * so results always match the workspace as it is.
 * @param limit - at most this many hits (default 10).
 * @throws MetarepoError (exit 2) when a model cannot be bundled or a plugin's pages are malformed.
 */
export async function searchWorkspaceDocs(ws: Workspace, query: string, limit = 10): Promise<SearchHit[]> {
  const docs = searchDocuments(await collectPages(ws, pluginPageSource));
  return search(await buildIndex(docs), new Map(docs.map((d) => [d.id, d.text])), query, limit);
}
