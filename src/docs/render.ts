/**
 * Markdown → HTML for the docs site: markdown-it with raw HTML off (page text is untrusted), GitHub-style heading
 * anchors (markdown-it-anchor with github-slugger, so a generated page's `#address` links work on GitHub and in the
 * site), code highlighted by highlight.js, ```mermaid fences left for the bundled Mermaid to draw, and relative
 * `.md` links pointed at the site's `.html` pages. The libraries load on the first call.
 */

/** Renders one page's Markdown to an HTML fragment. */
export type MarkdownRenderer = (markdown: string) => string;

/** A renderer (see the module comment). */
export async function createRenderer(): Promise<MarkdownRenderer> {
  const [{ default: MarkdownIt }, { default: anchor }, { slug }, { default: hljs }] = await Promise.all([
    import('markdown-it'),
    import('markdown-it-anchor'),
    import('github-slugger'),
    import('highlight.js/lib/common'),
  ]);
  const md = new MarkdownIt({
    html: false,
    linkify: false,
    highlight: (code, lang) => (lang && hljs.getLanguage(lang) ? hljs.highlight(code, { language: lang, ignoreIllegals: true }).value : ''),
  });
  md.use(anchor, { slugify: (s: string) => slug(s), tabIndex: false });
  const fence = md.renderer.rules.fence!;
  md.renderer.rules.fence = (tokens, idx, options, env, self) => {
    const token = tokens[idx]!;
    if (token.info.trim() === 'mermaid') return `<pre class="mermaid">${md.utils.escapeHtml(token.content)}</pre>\n`;
    return fence(tokens, idx, options, env, self);
  };
  const linkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const token = tokens[idx]!;
    const href = String(token.attrGet('href') ?? '');
    if (href && !/^[a-z][a-z0-9+.-]*:|^\/|^#/i.test(href)) token.attrSet('href', href.replace(/\.md(?=$|#)/i, '.html'));
    return linkOpen(tokens, idx, options, env, self);
  };
  return (markdown) => md.render(markdown);
}

/** `text` safe inside HTML text and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** `value` as JSON safe inside an HTML `<script>` element: `<` is escaped, so no `</script>` or `<!--` can occur. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
