/**
 * The docs site's own HTML, CSS and browser script. Library code (Mermaid, MiniSearch, highlight.js's theme) is
 * copied from node_modules at build time, never loaded from a CDN, so the site works offline and from `file://`.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { escapeHtml } from './render.js';
import { SECTIONS, relativeUrl, type SitePage } from './page.js';

const require = createRequire(import.meta.url);

/** Files copied into `assets/`: name in the site → absolute source path. */
export function libraryAssets(): Record<string, string> {
  return {
    'mermaid.min.js': require.resolve('mermaid/dist/mermaid.min.js'),
    'minisearch.js': path.join(path.dirname(require.resolve('minisearch')), '..', 'umd', 'index.js'),
    'hljs.css': require.resolve('highlight.js/styles/github.min.css'),
  };
}

/** What a page's HTML needs besides its body. */
export interface LayoutOptions {
  /** Workspace name, shown as the site's title. */
  site: string;
  /** Whether the body has a Mermaid diagram (the 3 MB library loads only then). */
  mermaid: boolean;
  /** Served by `metarepo docs serve`: the page reloads when the site is rebuilt. */
  live: boolean;
}

/** The full HTML document of `page`, around its rendered `body`. All asset URLs are relative. */
export function layout(page: SitePage, body: string, options: LayoutOptions): string {
  const to = (target: string) => escapeHtml(relativeUrl(page.path, target));
  const nav = SECTIONS.filter((s) => s !== 'pages' || page.section === 'pages')
    .map((s) => `<li${page.section === s ? ' class="current"' : ''}><a href="${to(`${s}/index.html`)}">${s[0]!.toUpperCase()}${s.slice(1)}</a></li>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)} · ${escapeHtml(options.site)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${to('assets/site.css')}">
<link rel="stylesheet" href="${to('assets/hljs.css')}">
</head>
<body data-base="${to('')}"${options.live ? ' data-live="1"' : ''}>
<nav class="side">
<a class="brand" href="${to('index.html')}">${escapeHtml(options.site)}</a>
<input id="search" type="search" placeholder="Search the docs" autocomplete="off" aria-label="Search the docs">
<ol id="results" hidden></ol>
<ul class="sections">${nav}</ul>
</nav>
<main>
${body}</main>
<script src="${to('assets/minisearch.js')}"></script>
${options.mermaid ? `<script src="${to('assets/mermaid.min.js')}"></script>\n` : ''}<script src="${to('assets/site.js')}"></script>
</body>
</html>
`;
}

/** The site's style sheet. */
export const SITE_CSS = `*{box-sizing:border-box}
body{margin:0;display:flex;font:15px/1.5 system-ui,sans-serif;color:#1f2328}
nav.side{width:17rem;flex:none;padding:1rem;border-right:1px solid #d0d7de;min-height:100vh;background:#f6f8fa}
nav .brand{display:block;font-weight:600;font-size:1.1rem;margin-bottom:.75rem;color:inherit;text-decoration:none}
#search{width:100%;padding:.4rem .5rem;border:1px solid #d0d7de;border-radius:6px}
#results{list-style:none;padding:0;margin:.5rem 0;max-height:60vh;overflow:auto}
#results li{padding:.35rem 0;border-bottom:1px solid #d0d7de}
#results small{display:block;color:#656d76}
#results p{margin:.2rem 0 0;font-size:.85rem}
.sections{list-style:none;padding:0}
.sections li{margin:.25rem 0}
.sections .current a{font-weight:600}
main{flex:1;min-width:0;padding:1rem 2rem;max-width:75rem}
a{color:#0969da}
table{border-collapse:collapse;display:block;overflow:auto;margin:1rem 0}
th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
pre{background:#f6f8fa;padding:.75rem;overflow:auto;border-radius:6px}
pre.mermaid{background:none}
code{font-size:.9em}
`;

/**
 * The browser script: draws the Mermaid diagrams (securityLevel strict: no HTML or clicks from diagram text), loads
 * the search index on the first keystroke (a script, since `file://` pages may not fetch) and lists hits with their
 * snippets (text nodes only, never HTML), and under `docs serve` reloads the page when the site is rebuilt.
 * The snippet rule is `snippet` of search.ts, repeated here because it runs in the browser.
 */
export const SITE_JS = `(function () {
  'use strict';
  var body = document.body;
  var base = body.getAttribute('data-base') || '';
  if (window.mermaid) {
    window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
    window.mermaid.run({ querySelector: 'pre.mermaid' });
  }
  var input = document.getElementById('search');
  var list = document.getElementById('results');
  var index = null, texts = null, waiting = [];
  function withIndex(done) {
    if (index) return done();
    waiting.push(done);
    if (waiting.length > 1) return;
    var script = document.createElement('script');
    script.src = base + 'search-index.js';
    script.onload = function () {
      var data = window.METAREPO_SEARCH;
      index = window.MiniSearch.loadJS(data.index, data.options);
      texts = data.texts;
      waiting.splice(0).forEach(function (f) { f(); });
    };
    document.head.appendChild(script);
  }
  function firstOf(lower, words) {
    var at = -1;
    words.forEach(function (w) { var i = lower.indexOf(w.toLowerCase()); if (i >= 0 && (at < 0 || i < at)) at = i; });
    return at;
  }
  function snippet(text, query, terms) {
    var lower = text.toLowerCase();
    var at = firstOf(lower, query.split(/\\s+/).filter(Boolean));
    if (at < 0) at = firstOf(lower, terms);
    if (at < 0) at = 0;
    var start = Math.max(0, at - 60), end = Math.min(text.length, at + 100);
    return (start > 0 ? '\\u2026' : '') + text.slice(start, end).trim() + (end < text.length ? '\\u2026' : '');
  }
  function show() {
    var query = input.value.trim();
    list.textContent = '';
    list.hidden = !query;
    if (!query) return;
    var hits = index.search(query, window.METAREPO_SEARCH.query).slice(0, 12);
    if (hits.length === 0) { var none = document.createElement('li'); none.textContent = 'No page matches.'; list.appendChild(none); }
    hits.forEach(function (hit) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = base + hit.id;
      a.textContent = hit.title;
      var where = document.createElement('small');
      where.textContent = hit.id;
      var p = document.createElement('p');
      p.textContent = snippet(texts[hit.id] || '', query, hit.terms);
      li.appendChild(a); li.appendChild(where); li.appendChild(p);
      list.appendChild(li);
    });
  }
  var timer = null;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () { withIndex(show); }, 80);
  });
  input.addEventListener('keydown', function (e) {
    var first = list.querySelector('a');
    if (e.key === 'Enter' && first) location.href = first.href;
  });
  if (body.getAttribute('data-live') === '1' && window.EventSource) {
    new EventSource(base + '__metarepo/reload').addEventListener('rebuilt', function () { location.reload(); });
  }
})();
`;
