import path from 'node:path';
import { MODEL_FILE_SUFFIX } from '../workspace/open.js';
import { MANIFEST_URI, RECENT_EVENTS_URI, modelUri } from './resources.js';
import type { WorkspaceSession } from './session.js';

/** Who hears of changed resources (every connected server). */
export type ChangeListener = (uris: string[]) => void;

/**
 * What changed, as resource URIs: a model file (`<modelsDir>/<name>/<version>.schema.json`) is its schema and its
 * bundled schema; the manifest (`.metarepo/manifest.json`, rewritten whenever generated files are) is
 * `metarepo://manifest`. `rel` is relative to the root, `/`-separated.
 */
export function changedUris(rel: string, modelsDir: string): string[] {
  const prefix = `${modelsDir.replace(/\/+$/, '')}/`;
  if (rel.startsWith(prefix) && rel.endsWith(MODEL_FILE_SUFFIX)) {
    const parts = rel.slice(prefix.length, -MODEL_FILE_SUFFIX.length).split('/');
    if (parts.length === 2) return [modelUri(parts[0], parts[1]), modelUri(parts[0], parts[1], true)];
  }
  if (rel === '.metarepo/manifest.json') return [MANIFEST_URI];
  return [];
}

/**
 * Watches what a long-running server depends on (metarepo.yaml, models, plugins, templates, generators, the
 * manifest; chokidar): any change makes the session reload the workspace on the next call, and the changed
 * resources are told to `listeners`. Writes the server makes itself are told from their bus events
 * (`core:file:*`), and every event changes `metarepo://events/recent`.
 * @returns a function that stops watching.
 */
export async function watchWorkspace(session: WorkspaceSession, modelsDir: string, listeners: Set<ChangeListener>): Promise<() => Promise<void>> {
  const tell = (uris: string[]) => {
    if (uris.length) for (const l of listeners) l(uris);
  };
  session.onEvent = (type, data) => {
    const file = (data as { path?: unknown } | null)?.path;
    tell([...(type.startsWith('core:file:') && typeof file === 'string' ? changedUris(file, modelsDir) : []), RECENT_EVENTS_URI]);
  };
  const { watch } = await import('chokidar');
  const watcher = watch(session.watchedPaths(modelsDir), {
    ignoreInitial: true,
    ignored: (p) => p.split(path.sep).includes('node_modules'),
  });
  watcher.on('all', (_event, file) => {
    session.invalidate();
    tell(changedUris(path.relative(session.root, file).split(path.sep).join('/'), modelsDir));
  });
  watcher.on('error', () => undefined); // a folder that vanished: the next call reopens the workspace anyway
  return () => watcher.close();
}
