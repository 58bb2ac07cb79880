// The docs site's Markdown renderer and search (src/docs/render.ts, search.ts): untrusted text stays text, links
// between pages keep working, Mermaid fences are left for the browser, and search ranks and snippets pages.
import { describe, expect, it } from 'vitest';
import { createRenderer, escapeHtml, scriptJson } from '../../../src/docs/render.js';
import { buildIndex, plainText, search, searchDocuments } from '../../../src/docs/search.js';
import type { SitePage } from '../../../src/docs/page.js';

describe('renderer', () => {
  it('shows raw HTML as text and drops javascript: links', async () => {
    const render = await createRenderer();
    const html = render('Hi <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>');
    expect(html).not.toMatch(/<script|<img|href="javascript:/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('points relative .md links at .html pages, keeps other links, anchors headings, leaves mermaid to the browser', async () => {
    const render = await createRenderer();
    const html = render('# Street address\n\n[guide](docs/guide.md#run) [site](https://example.test/a.md) [here](#street-address)\n\n```mermaid\nclassDiagram\n  A --> B\n```\n');
    expect(html).toContain('<h1 id="street-address">Street address</h1>');
    expect(html).toContain('href="docs/guide.html#run"');
    expect(html).toContain('href="https://example.test/a.md"');
    expect(html).toContain('<pre class="mermaid">classDiagram\n  A --&gt; B\n</pre>');
  });

  it('escapes attributes and embeds JSON in a script element without a way out', () => {
    expect(escapeHtml(`"'<&>`)).toBe('&quot;&#39;&lt;&amp;&gt;');
    const json = scriptJson({ text: '</script><script>alert(1)</script>\u2028' });
    expect(json).not.toMatch(/<\/script|\u2028/);
    expect(JSON.parse(json)).toEqual({ text: '</script><script>alert(1)</script>\u2028' });
  });
});

describe('search', () => {
  const pages: SitePage[] = [
    { path: 'models/user/1.0.0.html', title: 'User (user@1.0.0)', section: 'models', markdown: '# User\n\n| Name | Description |\n| --- | --- |\n| `email` | Where receipts \\| invoices are mailed. |' },
    { path: 'models/order/1.0.0.html', title: 'Order (order@1.0.0)', section: 'models', markdown: '# Order\n\nAn order; the customer gets an email.\n\n```mermaid\nclassDiagram\n  class Secretword\n```' },
  ];

  it('strips markup from the indexed text, diagrams included', () => {
    expect(plainText(pages[0]!.markdown)).toBe('User Name Description email Where receipts invoices are mailed.');
    expect(plainText(pages[1]!.markdown)).not.toContain('Secretword');
  });

  it('ranks pages, matches prefixes and typos, and gives a snippet around the match', async () => {
    const docs = searchDocuments(pages);
    const index = await buildIndex(docs);
    const texts = new Map(docs.map((d) => [d.id, d.text]));
    const hits = search(index, texts, 'receipts', 5);
    expect(hits.map((h) => h.path)).toEqual(['models/user/1.0.0.html']);
    expect(hits[0]!.snippet).toContain('Where receipts invoices are mailed.');
    expect(search(index, texts, 'recei', 5)[0]!.path).toBe('models/user/1.0.0.html');
    expect(search(index, texts, 'receipst', 5)[0]!.path).toBe('models/user/1.0.0.html');
    expect(search(index, texts, 'email', 5)).toHaveLength(2);
    expect(search(index, texts, 'Secretword', 5)).toEqual([]);
  });
});
