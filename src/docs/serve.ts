/**
 * `metarepo docs serve`: builds the site, serves it on 127.0.0.1 (node:http), watches the workspace with chokidar
 * and rebuilds on change; open pages reload through a server-sent event (`rebuilt` on `/__metarepo/reload`).
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { MetarepoError } from '../core/errors.js';
import { ModelRegistry } from '../models/registry.js';
import { loadConfig } from '../workspace/config.js';
import type { Workspace } from '../workspace/workspace.js';
import { buildDocsSite } from './build.js';

/** What `serve` prints: a line for a person and its fields for `--json`. */
export interface ServeLine {
  event: 'listening' | 'rebuilt' | 'failed';
  message: string;
  url?: string;
  pages?: number;
  file?: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

/** The quiet period after the last change before a rebuild (milliseconds). */
const DEBOUNCE_MS = 200;

/**
 * Serves until SIGINT or SIGTERM.
 * @param options.port - 0: a free port the OS picks.
 * @returns the exit code (0 after Ctrl-C).
 * @throws MetarepoError (exit 2) when the first build fails or the port is taken.
 */
export async function serveDocs(ws: Workspace, out: string, options: { port: number; shownOut: string; print: (line: ServeLine) => void }): Promise<number> {
  await buildDocsSite(ws, out, { shownOut: options.shownOut, live: true });
  const clients = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/__metarepo/reload') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    serveFile(out, decodeURIComponent(url.pathname), res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new MetarepoError(`Cannot serve the docs on 127.0.0.1:${options.port}: ${e.code ?? e.message}.`, { hint: 'Pick another port with --port, or 0 for any free one.' })),
    );
    server.listen(options.port, '127.0.0.1', resolve);
  });
  const address = server.address() as { port: number };
  const url = `http://127.0.0.1:${address.port}/`;
  options.print({ event: 'listening', url, message: `Serving the docs at ${url} (site in ${options.shownOut}); rebuilding on change; Ctrl-C stops.` });

  const { watch } = await import('chokidar');
  const outAbs = path.resolve(out);
  const watcher = watch(ws.root, {
    ignoreInitial: true,
    ignored: (file) => {
      const abs = path.resolve(file);
      return abs === outAbs || abs.startsWith(`${outAbs}${path.sep}`) || /[\\/](node_modules|\.git|\.metarepo)([\\/]|$)/.test(abs.slice(ws.root.length));
    },
  });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let changed: string | undefined;
  const rebuild = () => {
    const reason = changed;
    changed = undefined;
    running = running.then(async () => {
      try {
        const built = await buildDocsSite(await reloaded(ws), out, { shownOut: options.shownOut, live: true, reason });
        for (const c of clients) c.write('event: rebuilt\ndata: {}\n\n');
        options.print({ event: 'rebuilt', pages: built.pages, file: reason, message: `rebuilt ${built.pages} pages (${reason}) in ${Math.round(built.durationMs)} ms` });
      } catch (e) {
        if (!(e instanceof MetarepoError)) throw e;
        options.print({ event: 'failed', file: reason, message: `rebuild failed (${reason}): ${e.message} — still serving the last site` });
      }
    });
  };
  watcher.on('all', (_event, file) => {
    changed = path.relative(ws.root, file).split(path.sep).join('/');
    clearTimeout(timer);
    timer = setTimeout(rebuild, DEBOUNCE_MS);
  });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearTimeout(timer);
  await watcher.close();
  for (const c of clients) c.end();
  await new Promise((resolve) => server.close(resolve));
  await running;
  return 0;
}

/**
 * `ws` with metarepo.yaml and the models read again (an opened workspace keeps the registry it loaded first). The
 * plugins stay loaded, as in `metarepo watch`: restart `docs serve` after editing a plugin's code.
 * @throws MetarepoError (exit 2) for an invalid metarepo.yaml or model.
 */
async function reloaded(ws: Workspace): Promise<Workspace> {
  const { config, document } = await loadConfig(ws.root);
  let registry: Promise<ModelRegistry> | undefined;
  return { ...ws, config, document, models: () => (registry ??= ModelRegistry.load(ws.root, { modelsDir: config.modelsDir })) };
}

/** Sends the site file at URL path `pathname` (a folder: its index.html); 404 outside the site or when missing. */
function serveFile(out: string, pathname: string, res: http.ServerResponse): void {
  const file = path.resolve(out, `.${pathname.endsWith('/') ? `${pathname}index.html` : pathname}`);
  if ((file !== out && !file.startsWith(`${path.resolve(out)}${path.sep}`)) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not found\n');
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
  fs.createReadStream(file).pipe(res);
}
