import type { Bus } from '../events/bus.js';
import { InProcessBus } from '../events/in-process-bus.js';
import { EventLog } from '../events/log.js';
import { eventsDir } from '../events/dir.js';
import { loadConfig, type WorkspaceConfig } from './config.js';
import type { PositionedDocument } from '../core/document.js';
import { requireWorkspaceRoot } from './root.js';
import { openPluginHost } from '../plugins/open.js';
import type { PluginHost } from '../plugins/host.js';
import { ModelRegistry } from '../models/registry.js';

/** An opened workspace: its root, validated config and the bus every step publishes on. */
export interface Workspace {
  root: string;
  config: WorkspaceConfig;
  /** metarepo.yaml as parsed: `document.locate('/targets/0/model')` gives file, line, column for errors. */
  document: PositionedDocument;
  bus: Bus;
  /** The plugin host, opened on first use (discovery reads package.json files only; plugins load lazily). */
  plugins(): Promise<PluginHost>;
  /** Set once {@link Workspace.plugins} was called, so closing unloads only what was opened. */
  pluginHost?: Promise<PluginHost>;
  /** The model registry, loaded (and validated) once per run on first use. */
  models(): Promise<ModelRegistry>;
}


/** Creates the in-process bus that logs into the workspace's event log. */
export function createBus(root: string, config?: WorkspaceConfig, options: { strict?: boolean } = {}): Bus {
  return new InProcessBus(
    new EventLog(eventsDir(root), { maxBytes: config?.events?.maxLogBytes, keepSegments: config?.events?.keepSegments }),
    options,
  );
}

/**
 * The bus a run publishes on: the ZeroMQ bus when a broker runs for the workspace (`.metarepo/broker.json` names
 * a live process), the in-process bus otherwise — the same events either way.
 */
export async function connectBus(root: string, config?: WorkspaceConfig, options: { strict?: boolean } = {}): Promise<Bus> {
  const { readBrokerInfo } = await import('../events/zmq/info.js');
  if (!readBrokerInfo(root)) return createBus(root, config, options);
  const { ZmqBus } = await import('../events/zmq/zmq-bus.js');
  return ZmqBus.connect(root, { strict: options.strict });
}

/**
 * Finds the workspace at or above `cwd`, validates `metarepo.yaml`, creates the bus, and publishes
 * `core:system:startup` (with the command name) and `core:workspace:loaded`.
 * @param options.strict - event payloads that break their schema throw instead of warning (`--strict`).
 * @throws MetarepoError (exit 2) when there is no workspace or the config is invalid.
 */
export async function openWorkspace(cwd: string, command: string, options: { strict?: boolean } = {}): Promise<Workspace> {
  const root = requireWorkspaceRoot(cwd);
  const { config, document } = await loadConfig(root);
  const bus = await connectBus(root, config, options);
  bus.publish('core:system:startup', { command, pid: process.pid });
  bus.publish('core:workspace:loaded', { root, name: config.name, targets: config.targets?.length ?? 0, projects: config.projects?.length ?? 0 });
  let registry: Promise<ModelRegistry> | undefined;
  const ws: Workspace = {
    root,
    config,
    document,
    bus,
    plugins: () => (ws.pluginHost ??= openPluginHost({ root, config, document, bus })),
    models: () => (registry ??= ModelRegistry.load(root, { modelsDir: config.modelsDir })),
  };
  return ws;
}

/** Publishes `core:system:shutdown`, unloads the plugins that were loaded, and closes the bus. */
export async function closeWorkspace(ws: Workspace, exitCode: number): Promise<void> {
  if (ws.pluginHost) await (await ws.pluginHost).close();
  ws.bus.publish('core:system:shutdown', { exitCode });
  await ws.bus.close();
}
