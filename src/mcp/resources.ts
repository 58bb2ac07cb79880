import fs from 'node:fs';
import path from 'node:path';
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { MetarepoError } from '../core/errors.js';
import { safeRelativePath } from '../core/paths.js';
import type { ModelRecord, ModelRegistry } from '../models/registry.js';
import type { WorkspaceSession } from './session.js';

/** The URI scheme of every resource. */
export const SCHEME = 'metarepo';
/** The manifest of generated files. */
export const MANIFEST_URI = `${SCHEME}://manifest`;
/** The newest events of the log. */
export const RECENT_EVENTS_URI = `${SCHEME}://events/recent`;
/** Events `metarepo://events/recent` holds. */
const RECENT_EVENTS = 50;
/** The workspace folder `metarepo://docs/{path}` serves. */
const DOCS_DIR = 'docs';

/** The URI of a model version's schema (`bundled`: with every `$ref` to another model inlined). */
export function modelUri(name: string, version: string, bundled = false): string {
  return `${SCHEME}://models/${encodeURIComponent(name)}/${encodeURIComponent(version)}${bundled ? '/bundled' : ''}`;
}

const json = (uri: URL, value: unknown): ReadResourceResult => ({ contents: [{ uri: uri.href, mimeType: 'application/json', text: `${JSON.stringify(value, null, 2)}\n` }] });

/**
 * Registers the resources: `metarepo://manifest`, `metarepo://events/recent`, and the templates
 * `metarepo://models/{name}/{version}` (the schema as written; `draft` for the working draft),
 * `metarepo://models/{name}/{version}/bundled` and `metarepo://docs/{path}` (Markdown under the workspace's docs/),
 * each listing what it holds.
 */
export function registerResources(server: McpServer, session: WorkspaceSession): void {
  server.registerResource('manifest', MANIFEST_URI, { title: 'Generated files manifest', description: 'Every generated file with its target, model version and hashes (.metarepo/manifest.json).', mimeType: 'application/json' }, async (uri) =>
    json(uri, (await import('../engine/manifest.js')).readManifest(session.root)),
  );
  server.registerResource('recent-events', RECENT_EVENTS_URI, { title: 'Recent events', description: `The newest ${RECENT_EVENTS} events of the log, oldest first.`, mimeType: 'application/json' }, async (uri) => {
    const [{ eventsDir }, { queryEvents }] = await Promise.all([import('../events/dir.js'), import('../events/query.js')]);
    return json(uri, [...queryEvents(eventsDir(session.root), { limit: RECENT_EVENTS })]);
  },
  );
  const listModels = (bundled: boolean) => async () => ({
    resources: await session.read(async (ws) =>
      modelRecords(await ws.models()).map((r) => ({ uri: modelUri(r.name, r.version, bundled), name: `${r.name}@${r.version}${bundled ? ' (bundled)' : ''}`, mimeType: 'application/schema+json' })),
    ),
  });
  for (const bundled of [false, true]) {
    server.registerResource(
      bundled ? 'model-bundled' : 'model',
      new ResourceTemplate(`${SCHEME}://models/{name}/{version}${bundled ? '/bundled' : ''}`, { list: listModels(bundled) }),
      { title: bundled ? 'Model schema, bundled' : 'Model schema', description: bundled ? 'A model version as code generators receive it: every $ref to another model inlined.' : 'A model version\'s JSON Schema as written (version "draft": the working draft).', mimeType: 'application/schema+json' },
      async (uri, vars) =>
        session.read(async (ws) => {
          const registry = await ws.models();
          const record = findModel(registry, one(vars.name), one(vars.version));
          return json(uri, bundled ? registry.bundle(record).schema : record.schema);
        }),
    );
  }
  server.registerResource(
    'docs',
    new ResourceTemplate(`${SCHEME}://docs/{+path}`, { list: async () => ({ resources: listDocs(session.root).map((p) => ({ uri: `${SCHEME}://docs/${p}`, name: p, mimeType: 'text/markdown' })) }) }),
    { title: 'Workspace docs', description: 'Markdown pages under the workspace\'s docs/ folder.', mimeType: 'text/markdown' },
    (uri, vars) => ({ contents: [{ uri: uri.href, mimeType: 'text/markdown', text: readDoc(session.root, one(vars.path)) }] }),
  );
}

function one(v: string | string[] | undefined): string {
  return decodeURIComponent(Array.isArray(v) ? v.join('/') : (v ?? ''));
}

function modelRecords(registry: ModelRegistry): ModelRecord[] {
  const names = [...new Set(registry.list().map((r) => r.name))];
  return [...registry.list(), ...names.flatMap((n) => registry.draft(n) ?? [])];
}

/** @throws MetarepoError (exit 2) naming the model's versions when there is no such version. */
function findModel(registry: ModelRegistry, name: string, version: string): ModelRecord {
  const record = version === 'draft' ? registry.draft(name) : registry.get(name, version); // DRAFT_VERSION
  if (record) return record;
  registry.resolve(name); // throws naming the models when there is no such model
  throw new MetarepoError(`Model "${name}" has no version ${version}.`, { hint: `Versions: ${registry.versions(name).join(', ')}${registry.draft(name) ? ', draft' : ''}.` });
}

/** Markdown files under docs/, relative to it, `/`-separated, sorted. */
function listDocs(root: string): string[] {
  const dir = path.join(root, DOCS_DIR);
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((p) => p.split(path.sep).join('/')).filter((p) => p.endsWith('.md')).sort();
}

/**
 * A page under docs/, the path checked as every path the CLI takes (`safeRelativePath`: no absolute path, no `..`
 * escape, no control character) and its real location required to stay inside docs/ (no symbolic link out).
 * @throws MetarepoError (exit 2) for a path that escapes, or a page that does not exist.
 */
function readDoc(root: string, requested: string): string {
  const rel = safeRelativePath(requested, 'metarepo://docs/');
  const dir = path.join(root, DOCS_DIR);
  const file = path.join(dir, rel);
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch {
    throw new MetarepoError(`There is no page ${DOCS_DIR}/${rel}.`, { hint: 'resources/list shows the pages there are.' });
  }
  if (path.relative(fs.realpathSync(dir), real).startsWith('..')) throw new MetarepoError(`${DOCS_DIR}/${rel} leads outside ${DOCS_DIR}/.`, { hint: 'Only pages inside docs/ are served.' });
  return fs.readFileSync(real, 'utf8');
}
