/**
 * `metarepo docs build`: one static HTML site for the whole workspace (models, changelogs, projects, templates,
 * plugins, events, pages plugins contribute), with its search index. The site is built into a fresh folder beside
 * `out` and then swapped in, so `out` is never half-written; every URL in it is relative, so it works from `file://`
 * and from any server.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MetarepoError } from '../core/errors.js';
import type { Workspace } from '../workspace/workspace.js';
import { modelPages } from './model-pages.js';
import { SECTIONS, type SitePage } from './page.js';
import { createRenderer, scriptJson } from './render.js';
import { INDEX_OPTIONS, QUERY_OPTIONS, buildIndex, searchDocuments } from './search.js';
import { SITE_CSS, SITE_JS, layout, libraryAssets } from './site-assets.js';
import { eventPages, pluginPages, projectPages, templatePages } from './workspace-pages.js';

/** Where `docs build` writes by default, relative to the workspace root. */
export const DEFAULT_SITE_DIR = '.metarepo/docs-site';

/** Pages a plugin contributes, already checked (see `contributedPages`). */
export type PageSource = (ws: Workspace) => Promise<SitePage[]>;

/**
 * Every page of the site, home page first.
 * @param extra - pages from elsewhere (plugins' page contributions).
 * @throws MetarepoError (exit 2) when a model cannot be bundled or a template catalog is inconsistent.
 */
export async function collectPages(ws: Workspace, extra: PageSource = async () => []): Promise<SitePage[]> {
  const registry = await ws.models();
  const host = await ws.plugins();
  const { TemplateCatalog } = await import('../templates/catalog.js');
  const catalog = new TemplateCatalog(ws.root, await host.scaffolds());
  const sections = [
    modelPages(registry, ws.config),
    await templatePages(catalog),
    await projectPages(ws.root, ws.config),
    pluginPages(host),
    await eventPages(host),
    await extra(ws),
  ].flat();
  const count = (s: string) => sections.filter((p) => p.section === s && !p.path.endsWith('index.html')).length;
  const home = [
    `# ${ws.config.name}`,
    '',
    'The documentation of this workspace, built by `metarepo docs build`.',
    '',
    ...SECTIONS.filter((s) => s !== 'pages' || count(s) > 0).map((s) => `- [${s[0]!.toUpperCase()}${s.slice(1)}](${s}/index.html): ${count(s)} page(s)`),
  ];
  const contributed = sections.filter((p) => p.section === 'pages');
  const pagesIndex: SitePage = { path: 'pages/index.html', title: 'Pages', section: 'pages', markdown: ['# Pages', '', ...contributed.map((p) => `- [${p.title}](${p.path.slice('pages/'.length)})`)].join('\n') };
  return [{ path: 'index.html', title: ws.config.name, section: 'home', markdown: home.join('\n') }, ...sections, ...(contributed.length ? [pagesIndex] : [])];
}

/** What a build wrote. */
export interface BuiltSite {
  /** Absolute folder of the site. */
  out: string;
  pages: number;
  /** Bytes written (pages, assets, index). */
  bytes: number;
}

/**
 * Renders `pages` into a site at `out` (replacing what is there).
 * @param options.live - pages reload when `docs serve` says the site was rebuilt.
 */
export async function writeSite(pages: readonly SitePage[], out: string, options: { site: string; live?: boolean }): Promise<BuiltSite> {
  assertReplaceable(out);
  const render = await createRenderer();
  const staging = `${out}.building-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  let bytes = 0;
  const write = (rel: string, content: string | Buffer) => {
    const file = path.join(staging, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    bytes += typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  };
  try {
    for (const page of pages) {
      const body = render(page.markdown);
      write(page.path, layout(page, body, { site: options.site, mermaid: body.includes('<pre class="mermaid">'), live: options.live ?? false }));
    }
    for (const [name, source] of Object.entries(libraryAssets())) write(`assets/${name}`, fs.readFileSync(source));
    write('assets/site.css', SITE_CSS);
    write('assets/site.js', SITE_JS);
    write(SITE_MARKER, 'This folder is a site written by `metarepo docs build`, which replaces it whole on the next build.\n');
    const docs = searchDocuments(pages);
    const index = await buildIndex(docs);
    const texts = Object.fromEntries(docs.map((d) => [d.id, d.text]));
    write('search-index.js', `window.METAREPO_SEARCH = ${scriptJson({ options: INDEX_OPTIONS, query: QUERY_OPTIONS, index: index.toJSON(), texts })};\n`);
    swapIn(staging, out);
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  return { out, pages: pages.length, bytes };
}

/** The file that marks a folder as a site `docs build` wrote, and so may replace. */
const SITE_MARKER = '.metarepo-docs-site';

/**
 * Refuses to replace anything but a site `docs build` wrote: a build swaps the whole folder, so `--out .` or
 * `--out src` must never take a project's files with it.
 * @throws MetarepoError (exit 2) when `out` is a file, or a non-empty folder without the site marker.
 */
function assertReplaceable(out: string): void {
  if (!fs.existsSync(out)) return;
  const stat = fs.statSync(out);
  if (stat.isDirectory() && (fs.readdirSync(out).length === 0 || fs.existsSync(path.join(out, SITE_MARKER)))) return;
  throw new MetarepoError(`${out} ${stat.isDirectory() ? 'is a folder that metarepo docs build did not write' : 'is a file'}; the site replaces its folder whole, so nothing was written.`, {
    hint: 'Pass --out a new or empty folder, or one an earlier docs build wrote (it holds .metarepo-docs-site).',
  });
}

/** Replaces `out` with `staging`: the old site is moved aside first and removed after, so `out` is never partial. */
function swapIn(staging: string, out: string): void {
  const old = `${out}.old-${process.pid}`;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const had = fs.existsSync(out);
  if (had) fs.renameSync(out, old);
  fs.renameSync(staging, out);
  if (had) fs.rmSync(old, { recursive: true, force: true });
}
