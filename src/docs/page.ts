/** The unit of the docs site and its search index: one Markdown page at a path of the site. */

/** The sections of the site, in navigation order. */
export const SECTIONS = ['models', 'templates', 'projects', 'plugins', 'events', 'pages'] as const;

/** A section of the site (`pages` holds what plugins contribute). */
export type Section = (typeof SECTIONS)[number] | 'home';

/** One page of the site. */
export interface SitePage {
  /** Path of the HTML file in the site, `/`-separated, e.g. `models/user/1.1.0.html`. */
  path: string;
  title: string;
  section: Section;
  /** The content (CommonMark + GFM tables, ```mermaid fences). Untrusted parts are rendered with raw HTML off. */
  markdown: string;
}

/**
 * The URL of site page `to` from page `from` (both site paths), relative so the site works from `file://` and from
 * any server folder.
 */
export function relativeUrl(from: string, to: string): string {
  const depth = from.split('/').length - 1;
  return `${'../'.repeat(depth)}${to}`;
}

/** The site path of a model version's page. */
export function modelPagePath(name: string, version: string): string {
  return `models/${name}/${version}.html`;
}

/** A file name segment made safe for any file system and URL: path separators and odd characters become `-`. */
export function safeSegment(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '') || 'page';
}

/** A fenced code block that no backtick run inside `content` can close. */
export function fence(content: string, lang = ''): string {
  const longest = Math.max(2, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${lang}\n${content.replace(/\n$/, '')}\n${ticks}`;
}
