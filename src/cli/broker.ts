import path from 'node:path';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { startBroker, stopBroker, brokerStatus } from '../events/zmq/client.js';
import type { BrokerPlugin } from '../events/zmq/broker.js';
import type { WorkspaceConfig } from '../workspace/config.js';
import { MetarepoError } from '../core/errors.js';
import { requireWorkspaceRoot } from '../workspace/root.js';
import { emit, type GlobalOptions } from './output.js';

/** The entry of the broker process `broker start` runs (from dist, as the plain broker's): it hosts the plugins too. */
const BROKER_PROCESS = path.join(PACKAGE_ROOT, 'dist/src/cli/broker-main.js');

/**
 * `metarepo broker start`: the event broker as a background process (ipc sockets in .metarepo/, or tcp), hosting the
 * workspace's plugins (those that activate on `core:system:long-running`, such as fs-watch, run in it), with the log's
 * rotation and retention from `metarepo.yaml` (`events:`), checking plugin events against the payload schemas the
 * workspace's plugins ship (with `--strict` it refuses an invalid one, else it logs a warning).
 */
export async function brokerStartCommand(g: GlobalOptions, opts: { tcp?: boolean; port?: string }): Promise<number> {
  const root = requireWorkspaceRoot(g.cwd);
  const port = opts.port === undefined ? undefined : Number(opts.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
    throw new MetarepoError(`--port ${opts.port} is not a TCP port.`, { hint: 'Give a whole number from 0 (any free port) to 65535.' });
  }
  const { logSettings } = await import('../events/retention.js');
  const { config, plugins } = await workspaceForBroker(root);
  const { maxBytes, ...retention } = logSettings(config.events);
  const transport = opts.tcp || port !== undefined ? { transport: 'tcp' as const, ports: port ? { publish: port } : {} } : {};
    const info = await startBroker(root, { ...transport, maxLogBytes: maxBytes, ...retention, strict: !!g.strict, plugins, main: BROKER_PROCESS });
  emit(g, info, () => [`broker started (pid ${info.pid})`, ...Object.entries(info.endpoints).map(([k, v]) => `  ${k.padEnd(8)} ${v}`)].join('\n'));
  return 0;
}

/**
 * The workspace's configuration and its plugins' event types for the broker. Plugins are discovered (package.json
 * files only), not opened: starting the broker publishes no event of its own.
 */
async function workspaceForBroker(root: string): Promise<{ config: WorkspaceConfig; plugins: BrokerPlugin[] }> {
  const [{ loadConfig }, { discoverPlugins }, { pluginEventTypes }] = await Promise.all([
    import('../workspace/config.js'),
    import('../plugins/discovery.js'),
    import('./events.js'),
  ]);
  const { config, document } = await loadConfig(root);
  const { manifests } = await discoverPlugins({ root, builtinDir: path.join(PACKAGE_ROOT, 'plugins'), config, document });
  const plugins = (await pluginEventTypes(manifests)).map(({ name, dir, contributes, schemas }) => ({
    name,
    dir,
    events: [...contributes.events],
    schemas: schemas.map(({ type, file }) => ({ type, file })),
  }));
  return { config, plugins };
}

/** `metarepo broker stop`: stops the broker (SIGTERM); publishers fall back to the log. */
export async function brokerStopCommand(g: GlobalOptions): Promise<number> {
  const result = await stopBroker(requireWorkspaceRoot(g.cwd));
  emit(g, result, () => (result.stopped ? `broker stopped (pid ${result.pid})` : 'no broker was running'));
  return 0;
}

/** `metarepo broker status`: running or not, endpoints, latest sequence and counters. Exit 1 if not running. */
export async function brokerStatusCommand(g: GlobalOptions): Promise<number> {
  const status = await brokerStatus(requireWorkspaceRoot(g.cwd));
  emit(g, status, () => {
    if (!status.running) return 'no broker running (events go to the in-process bus and the log)';
    const head = `broker running (pid ${status.info.pid}, since ${status.info.startedAt})`;
    const endpoints = Object.entries(status.info.endpoints).map(([k, v]) => `  ${k.padEnd(8)} ${v}`);
    const stats = status.responding ? Object.entries(status.stats).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`) : ['  not answering'];
    return [head, ...endpoints, ...stats].join('\n');
  });
  return status.running && status.responding ? 0 : 1;
}
