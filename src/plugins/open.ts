import type { Bus } from '../events/bus.js';
import type { WorkspaceConfig } from '../generated/workspace.js';
import type { PositionedDocument } from '../core/document.js';
import { PluginHost } from './host.js';

/**
 * Opens the plugin host for a run, wiring `process` plugins to their host process (imported only when such a
 * plugin is activated).
 */
export function openPluginHost(opts: { root: string | null; config?: WorkspaceConfig; document?: PositionedDocument; bus: Bus }): Promise<PluginHost> {
  return PluginHost.open({
    ...opts,
    startProcessPlugin: async (record, config, host, bus) => (await import('./process-runtime.js')).startProcessRuntime(record, config, { root: host.opts.root, bus, registry: host.registry }),
  });
}
