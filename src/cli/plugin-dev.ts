import fs from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import { buildCheckContext, runChecks } from '../engine/checks.js';
import { ContributionRegistry } from '../plugins/contributions.js';
import { loadPluginEventSchemas, pluginEventBus } from '../plugins/events.js';
import { PluginLifecycle, publishTransitions } from '../plugins/lifecycle.js';
import { readPluginManifest, type PluginManifest } from '../plugins/manifest.js';
import { validatePluginConfig } from '../plugins/config.js';
import { startProcessRuntime, type ProcessRuntime } from '../plugins/process-runtime.js';
import { reloadOnChange } from '../plugins/process/reload.js';
import { openWorkspace, closeWorkspace } from '../workspace/open.js';
import type { Workspace } from '../workspace/workspace.js';
import { describeFindings } from './check.js';
import type { GlobalOptions } from './output.js';

/**
 * `metarepo plugin dev <path>`: runs a local plugin in its own host process (whatever its declared isolation, the
 * way VS Code runs extensions under development), prints its contributions and what its checks find, and on
 * every change to its files restarts that process and does it again. A load that fails — a bad manifest or config,
 * a syntax error, a setup that throws — is reported and the next save tries again, the first load included.
 * metarepo itself keeps running; Ctrl-C stops.
 */
export async function pluginDevCommand(g: GlobalOptions, dir: string): Promise<number> {
  const ws = await openWorkspace(g.cwd, 'plugin dev', { strict: g.strict });
  const folder = path.resolve(g.cwd, dir);
  const registry = new ContributionRegistry();
  const dev = new DevPlugin(ws, folder, registry);
  const report = async (what: string) => {
    const m = dev.manifest!;
    const checks = registry.list('check').map((c) => ({ plugin: c.plugin, check: c.item }));
    const names = (kind: 'check' | 'command' | 'codegen') => registry.list(kind).map((c) => c.item.name).join(', ') || '-';
    process.stdout.write(`${pc.green(what)} ${m.name}@${m.version}  checks: ${names('check')}  commands: ${names('command')}  generators: ${names('codegen')}\n`);
    if (checks.length) process.stdout.write(`${describeFindings(await runChecks(ws, checks, await buildCheckContext(ws)), checks.length)}\n`);
  };
  const failed = (what: string, error: Error) =>
    process.stdout.write(`${pc.red(what)} ${dev.manifest?.name ?? folder}: ${error.message}\n${pc.dim('waiting for the next save')}\n`);
  const watcher = await reloadOnChange(
    () => dev.load(),
    folder,
    (result) => {
      if (result.ok) void report('reloaded');
      else failed('reload failed', result.error);
    },
  );
  // After the watcher is up, so a change made on seeing this line is picked up.
  await dev.load().then(
    () => report('ready'),
    (e: Error) => failed('load failed', e),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await watcher.close();
  await dev.dispose();
  await closeWorkspace(ws, 0);
  return 0;
}

/** The plugin under development: its runtime, restarted on each load, started afresh when its package.json changed. */
class DevPlugin {
  manifest: PluginManifest | undefined;
  private runtime: ProcessRuntime | undefined;
  /** The package.json text the runtime was started with. */
  private started: string | undefined;

  constructor(
    private readonly ws: Workspace,
    private readonly folder: string,
    private readonly registry: ContributionRegistry,
  ) {}

  /**
   * Restarts the plugin's process; reads the manifest and config and starts a new runtime first when there is none
   * (the first load, or the last one failed before it started) or package.json changed.
   * @throws MetarepoError as reading the manifest, validating the config, or starting the plugin does.
   */
  async load(): Promise<void> {
    const packageJson = readText(path.join(this.folder, 'package.json'));
    if (this.runtime && packageJson === this.started) return this.runtime.reload();
    await this.dispose();
    const manifest = { ...(await readPluginManifest(this.folder, 'path')), isolation: 'process' as const };
    this.manifest = manifest;
    const config = await validatePluginConfig({ manifest, config: this.ws.config.plugins?.[manifest.name]?.config, document: this.ws.document });
    await loadPluginEventSchemas(manifest);
    const lifecycle = new PluginLifecycle(manifest.name);
    publishTransitions(lifecycle, this.ws.bus);
    const bus = pluginEventBus(this.ws.bus, manifest, { contain: true });
    this.runtime = await startProcessRuntime({ manifest, lifecycle, enabledInConfig: true }, config, { root: this.ws.root, bus, registry: this.registry });
    this.started = packageJson;
  }

  async dispose(): Promise<void> {
    await this.runtime?.dispose();
    this.runtime = undefined;
  }
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
