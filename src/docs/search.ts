/**
 * Full-text search over the docs site's pages with MiniSearch (BM25 ranking, prefix and fuzzy matching): the same
 * index serves `metarepo docs search` and, serialised into the site, the search box (offline, client side).
 */
import type MiniSearch from 'minisearch';
import type { SitePage } from './page.js';

/** A document of the index: one page. */
export interface SearchDocument {
  id: string;
  title: string;
  section: string;
  /** The page's words: its Markdown without markup. */
  text: string;
}

/** The index options; the browser loads the serialised index with the same ones (see `site-assets.ts`). */
export const INDEX_OPTIONS = { fields: ['title', 'text'], storeFields: ['title', 'section'] };

/** How queries run: every word must match (a prefix of a word, or within edit distance 20 %), titles weigh 3×. */
export const QUERY_OPTIONS = { prefix: true, fuzzy: 0.2, combineWith: 'AND', boost: { title: 3 } } as const;

/** One hit. */
export interface SearchHit {
  title: string;
  /** Site path of the page, e.g. `models/user/1.1.0.html`. */
  path: string;
  section: string;
  score: number;
  /** Up to about 160 characters of the page around the first word that matched. */
  snippet: string;
}

/** The words of a page: Markdown without code fences of diagrams, link targets, table pipes and emphasis marks. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/```mermaid[\s\S]*?```/g, ' ')
    .replace(/\]\([^)]*\)/g, ']')
    .replace(/^\s*>+/gm, ' ')
    .replace(/\\?[|`*#[\]]+/g, ' ')
    .replace(/-{3,}/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The search documents of `pages`. */
export function searchDocuments(pages: readonly SitePage[]): SearchDocument[] {
  return pages.map((p) => ({ id: p.path, title: p.title, section: p.section, text: plainText(p.markdown) }));
}

/** A MiniSearch index of `docs` (the library loads on the first call). */
export async function buildIndex(docs: readonly SearchDocument[]): Promise<MiniSearch<SearchDocument>> {
  const { default: MiniSearchClass } = await import('minisearch');
  const index = new MiniSearchClass<SearchDocument>(INDEX_OPTIONS);
  index.addAll(docs as SearchDocument[]);
  return index;
}

/**
 * Runs `query` on `index`, best first.
 * @param texts - page path → its text, for snippets.
 * @param limit - hits at most.
 */
export function search(index: MiniSearch<SearchDocument>, texts: ReadonlyMap<string, string>, query: string, limit = 10): SearchHit[] {
  return index
    .search(query, QUERY_OPTIONS)
    .slice(0, limit)
    .map((r) => ({ title: String(r.title), path: String(r.id), section: String(r.section), score: Math.round(r.score * 1000) / 1000, snippet: snippet(texts.get(String(r.id)) ?? '', query, r.terms) }));
}

/**
 * About 160 characters of `text` around the first place a word of `query` occurs (case-insensitive), else the first
 * of the index terms that matched (a prefix or typo match: `terms` of a MiniSearch result).
 */
export function snippet(text: string, query: string, terms: readonly string[]): string {
  const lower = text.toLowerCase();
  const first = (words: readonly string[]) => words.map((w) => lower.indexOf(w.toLowerCase())).filter((i) => i >= 0).sort((a, b) => a - b)[0];
  const at = first(query.split(/\s+/).filter(Boolean)) ?? first(terms) ?? 0;
  const start = Math.max(0, at - 60);
  const end = Math.min(text.length, at + 100);
  return `${start > 0 ? '…' : ''}${text.slice(start, end).trim()}${end < text.length ? '…' : ''}`;
}
