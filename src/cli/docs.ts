/**
 * `metarepo docs build|search|serve`: the workspace's docs site (src/docs/). Everything heavy (markdown-it,
 * highlight.js, MiniSearch, the template and model modules) loads inside these commands only.
 */
import path from 'node:path';
import { MetarepoError } from '../core/errors.js';
import { closeWorkspace, openWorkspace } from '../workspace/open.js';
import type { Workspace } from '../workspace/workspace.js';
import { emit, type GlobalOptions } from './output.js';

/** The site folder `--out` names (relative to the current folder), else the default under the workspace. */
async function siteDir(ws: Workspace, g: GlobalOptions, out: string | undefined): Promise<string> {
  const { DEFAULT_SITE_DIR } = await import('../docs/site.js');
  return out ? path.resolve(g.cwd, out) : path.join(ws.root, DEFAULT_SITE_DIR);
}

/** How the site folder is named in events and output: relative to the root when inside it. */
function shown(ws: Workspace, dir: string): string {
  const rel = path.relative(ws.root, dir);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : dir;
}

/** `metarepo docs build [--out <dir>]`: writes the site and prints where its home page is. */
export async function docsBuildCommand(g: GlobalOptions, opts: { out?: string }): Promise<number> {
  const ws = await openWorkspace(g.cwd, 'docs build', { strict: g.strict });
  let code = 1;
  try {
    const { buildDocsSite } = await import('../docs/build.js');
    const out = await siteDir(ws, g, opts.out);
    const built = await buildDocsSite(ws, out, { shownOut: shown(ws, out) });
    code = 0;
    const home = path.join(out, 'index.html');
    emit(g, { out, home, pages: built.pages, bytes: built.bytes, durationMs: built.durationMs }, () =>
      `Built ${built.pages} pages (${(built.bytes / 1e6).toFixed(1)} MB) in ${Math.round(built.durationMs)} ms: ${home}`,
    );
    return code;
  } finally {
    await closeWorkspace(ws, code);
  }
}

/** `metarepo docs search <query> [--limit n] [--json]`: ranked hits with title, site path and snippet. */
export async function docsSearchCommand(g: GlobalOptions, query: string, opts: { limit?: number }): Promise<number> {
  if (!query.trim()) throw new MetarepoError('The search query is empty.', { hint: 'Pass words to look for, e.g. `metarepo docs search "email"`.' });
  const ws = await openWorkspace(g.cwd, 'docs search', { strict: g.strict });
  let code = 1;
  try {
    const { searchWorkspaceDocs } = await import('../docs/workspace-search.js');
    const hits = await searchWorkspaceDocs(ws, query, opts.limit ?? 10);
    code = hits.length > 0 ? 0 : 1;
    emit(g, { query, hits }, () => (hits.length === 0 ? `No page matches "${query}".` : hits.map((h, i) => `${i + 1}. ${h.title}  ${h.path}\n   ${h.snippet}`).join('\n')));
    return code;
  } finally {
    await closeWorkspace(ws, code);
  }
}

/** `metarepo docs serve [--port n] [--out dir]`: builds, serves on 127.0.0.1 and rebuilds on change until Ctrl-C. */
export async function docsServeCommand(g: GlobalOptions, opts: { port?: number; out?: string }): Promise<number> {
  const ws = await openWorkspace(g.cwd, 'docs serve', { strict: g.strict });
  let code = 1;
  try {
    const { serveDocs } = await import('../docs/serve.js');
    const out = await siteDir(ws, g, opts.out);
    code = await serveDocs(ws, out, {
      port: opts.port ?? 0,
      shownOut: shown(ws, out),
      print: (line) => emit(g, line, () => line.message),
    });
    return code;
  } finally {
    await closeWorkspace(ws, code);
  }
}
