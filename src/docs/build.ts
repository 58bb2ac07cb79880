/**
 * One docs build as the CLI runs it: `core:docs:started`, every page collected (plugins' contributed pages too),
 * the site written, `core:docs:built`.
 */
import { performance } from 'node:perf_hooks';
import type { Workspace } from '../workspace/workspace.js';
import { pluginPageSource } from './contributed.js';
import { collectPages, writeSite, type BuiltSite } from './site.js';

/**
 * Builds the workspace's site into `out` (absolute).
 * @param options.shownOut - `out` as events name it (relative to the root when inside it).
 * @param options.live - for `docs serve`: pages reload when the site is rebuilt.
 * @param options.reason - for a rebuild: the file whose change started it.
 * @returns what was written and how long it took (milliseconds).
 * @throws MetarepoError (exit 2) for a model that cannot be bundled or an invalid page contribution.
 */
export async function buildDocsSite(ws: Workspace, out: string, options: { shownOut: string; live?: boolean; reason?: string }): Promise<BuiltSite & { durationMs: number }> {
  const started = performance.now();
  ws.bus.publish('core:docs:started', { out: options.shownOut, ...(options.reason ? { reason: options.reason } : {}) });
  const pages = await collectPages(ws, pluginPageSource);
  const built = await writeSite(pages, out, { site: ws.config.name, live: options.live });
  const durationMs = performance.now() - started;
  ws.bus.publish('core:docs:built', { out: options.shownOut, pages: built.pages, bytes: built.bytes, durationMs });
  return { ...built, durationMs };
}
