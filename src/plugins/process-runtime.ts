import { MetarepoError } from '../core/errors.js';
import type { CodegenFunction, CodegenGenerator } from './api.js';
import type { Contribution } from './contributions.js';
import type { Bus } from '../events/bus.js';
import type { ContributionSink } from './contributions.js';
import type { PluginRecord, PluginRuntime } from './host.js';
import { DEFAULT_PLUGIN_MEMORY_MB, ProcessPlugin } from './process/host.js';

/** A codegen generator whose work runs through `run` (a plugin process) instead of the codegen worker pool. */
export type DirectCodegen = CodegenGenerator & { run: CodegenFunction };

/** Where a process runtime registers its proxies and bridges its events (the plugin host, or `plugin dev`). */
export interface RuntimeHost {
  root: string | null;
  bus: Bus;
  registry: ContributionSink;
}

/** A `process` plugin's runtime: its host process, plus the proxies it registered with the host. */
export interface ProcessRuntime extends PluginRuntime {
  /** Restarts the plugin's process (hot reload) and re-registers its contributions. */
  reload(): Promise<void>;
}

/** Smallest memory bound a plugin process can start with, in MiB. */
const MIN_MEMORY_MB = 16;

/**
 * The memory bound of process plugins in MiB: `METAREPO_PLUGIN_MEMORY_MB` when set, else
 * {@link DEFAULT_PLUGIN_MEMORY_MB}.
 * @throws MetarepoError (exit 2) when the variable is not a whole number of at least 16.
 */
export function pluginMemoryMb(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.METAREPO_PLUGIN_MEMORY_MB;
  if (text === undefined || text.trim() === '') return DEFAULT_PLUGIN_MEMORY_MB;
  const value = Number(text);
  if (!Number.isInteger(value) || value < MIN_MEMORY_MB) {
    throw new MetarepoError(`METAREPO_PLUGIN_MEMORY_MB must be a whole number of MiB, at least ${MIN_MEMORY_MB}; got ${JSON.stringify(text)}.`, {
      hint: `Set it to e.g. ${DEFAULT_PLUGIN_MEMORY_MB}, or unset it for that default.`,
    });
  }
  return value;
}

/**
 * Starts a `process` plugin in its own Node process (permission flags from its manifest) and registers proxies
 * of its checks, commands and codegen generators with the host; calling a proxy runs the plugin's code there,
 * bounded by a timeout and the plugin's memory by {@link pluginMemoryMb}. A crash while idle marks the plugin
 * failed.
 * @throws MetarepoError as `ProcessPlugin.start` does, or (exit 2) for an invalid `METAREPO_PLUGIN_MEMORY_MB`.
 */
export async function startProcessRuntime(record: PluginRecord, config: Record<string, unknown>, host: RuntimeHost): Promise<ProcessRuntime> {
  const { manifest } = record;
  const plugin = new ProcessPlugin({
    manifest,
    config,
    root: host.root,
    bus: host.bus,
    memoryMb: pluginMemoryMb(),
    onCrash: (reason) => {
      if (record.lifecycle.state !== 'failed') record.lifecycle.transition('failed', reason);
      unregister();
    },
  });
  let registered: Contribution[] = [];
  const unregister = () => {
    for (const c of registered) host.registry.remove(c);
    registered = [];
  };
  const register = () => {
    const { checks, commands, codegen } = plugin.contributions;
    const all: Contribution[] = [
      ...checks.map((item): Contribution => ({ kind: 'check', plugin: manifest.name, item })),
      ...commands.map((item): Contribution => ({ kind: 'command', plugin: manifest.name, item })),
      // The generator runs in the plugin's process, not from a module the engine imports: its code is the plugin's
      // folder, declared as an input so that editing it changes the targets' input hash (and re-renders them).
      ...codegen.map(({ generate, ...g }): Contribution => ({
        kind: 'codegen',
        plugin: manifest.name,
        item: { ...g, module: '', inputs: [...(g.inputs ?? []), manifest.dir], run: generate } as DirectCodegen,
      })),
    ];
    for (const c of all) {
      host.registry.add(c);
      registered.push(c);
    }
  };
  await plugin.start();
  register();
  return {
    async dispose() {
      unregister();
      try {
        await plugin.stop();
        return [];
      } catch (e) {
        return [new MetarepoError(`Plugin ${manifest.name} did not stop cleanly: ${(e as Error).message}`)];
      }
    },
    async reload() {
      unregister();
      await plugin.restart();
      register();
    },
  };
}
