import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MetarepoError, formatLocation } from '../core/errors.js';
import type { Bus } from '../events/bus.js';
import type { EventEnvelope } from '../events/envelope.js';
import type { WorkspaceConfig } from '../generated/workspace.js';
import { TOOL_VERSION } from '../core/version.js';
import type { PositionedDocument } from '../core/document.js';
import { CODE_EXT, CODE_ROOT, PACKAGE_ROOT } from '../core/package-root.js';
import type { Check, CodegenGenerator, PageContribution, PatternContribution, Plugin, PluginCommand, ScaffoldGenerator } from './api.js';
import { validatePluginConfig } from './config.js';
import { createPluginContext, type PluginContext } from './context.js';
import { ActivationQueue } from './activation-queue.js';
import { ContributionRegistry, type ContributionKind } from './contributions.js';
import { pluginModuleUrl } from './fresh-import.js';
import type { DiscoveryProblem } from './discovery.js';
import { readDiscoveryCache, writeDiscoveryCache, type DiscoveredPlugins } from './discovery-cache.js';
import { PluginLifecycle, publishTransitions, type PluginState } from './lifecycle.js';
import type { PluginContributes, PluginManifest } from './manifest.js';

/** Where a kind of contribution is declared in a manifest's `contributes`. */
const DECLARED_IN: Record<ContributionKind, keyof PluginContributes> = {
  codegen: 'generators',
  scaffold: 'scaffolds',
  check: 'checks',
  command: 'commands',
  patterns: 'patterns',
  pages: 'pages',
};

/** One plugin as the host tracks it. */
export interface PluginRecord {
  manifest: PluginManifest;
  lifecycle: PluginLifecycle;
  /** `false` when metarepo.yaml says `enabled: false`: resolved, but never loaded. */
  enabledInConfig: boolean;
  /** What activation would cost nothing to undo: the in-process context, or the plugin's host process. */
  runtime?: PluginRuntime;
}

/** A loaded plugin: in process (a context) or in its own process (see `process/host.ts`). */
export interface PluginRuntime {
  /** Takes back everything the plugin registered; never throws. */
  dispose(): Promise<MetarepoError[]>;
}

/** What {@link PluginHost.open} needs. */
export interface PluginHostOptions {
  /** Absolute workspace root, or `null` outside a workspace (built-ins only). */
  root: string | null;
  config?: WorkspaceConfig;
  document?: PositionedDocument;
  bus: Bus;
  /** Folder of the built-in plugins' package.json files. Default: the package's `plugins/`. */
  builtinDir?: string;
  /**
   * Loads a `process` plugin; injected so that in-process runs never import the process host. `bus` is the one the
   * plugin must use: the workspace bus, holding its events until its setup is done.
   */
  startProcessPlugin?: (record: PluginRecord, config: Record<string, unknown>, host: PluginHost, bus: Bus) => Promise<PluginRuntime>;
}

/**
 * The plugin host: discovers every plugin (reading package.json files only), resolves versions and dependency
 * order, and activates a plugin lazily — when one of its declared contributions is first needed, or an
 * activation event (`onStartup`, `onEvent:<pattern>`) fires — so a command that needs nothing from a plugin pays
 * nothing for it. Each plugin's lifecycle is an explicit state machine whose transitions are published as
 * `core:plugin:<state>` events. A plugin that fails (resolution, config, setup) is `failed` with its reason and
 * never stops the others.
 */
export class PluginHost {
  readonly registry = new ContributionRegistry();
  readonly records = new Map<string, PluginRecord>();
  /** Plugins that could not even be discovered (bad manifest, missing package). */
  readonly problems: DiscoveryProblem[] = [];
  private readonly order: string[] = [];
  private readonly activating = new Map<string, Promise<boolean>>();
  /** The queue of each activation in progress (see {@link ActivationQueue}). */
  private readonly queues = new Map<string, ActivationQueue>();
  /** Each plugin's `onEvent:` activation subscriptions, until its first activation ends. */
  private readonly armed = new Map<string, Array<() => void>>();
  private readonly configs = new Map<string, Record<string, unknown>>();

  private constructor(readonly opts: PluginHostOptions) {}

  /** Discovers and resolves plugins, and arms their activation events. Imports no plugin code by itself. */
  static async open(opts: PluginHostOptions): Promise<PluginHost> {
    const host = new PluginHost(opts);
    await host.discover();
    return host;
  }

  private async discover(): Promise<void> {
    const { root, bus } = this.opts;
    const found = (root && readDiscoveryCache(root, this.builtinDir(), this.opts.config)) || (await this.discoverAndResolve());
    const disabled = new Set(found.disabled);
    for (const [name, c] of found.configs) this.configs.set(name, c);
    for (const manifest of found.manifests) {
      const lifecycle = new PluginLifecycle(manifest.name);
      publishTransitions(lifecycle, bus);
      this.records.set(manifest.name, { manifest, lifecycle, enabledInConfig: !disabled.has(manifest.name) });
    }
    for (const f of found.failed) this.records.get(f.name)?.lifecycle.transition('failed', f.reason);
    for (const name of found.order) {
      this.records.get(name)!.lifecycle.transition('resolved');
      this.order.push(name);
    }
    for (const name of this.order) this.armActivationEvents(this.records.get(name)!);
  }

  /**
   * Discovers (package.json files only) and resolves; records the outcome in the discovery cache when nothing was
   * wrong (see discovery-cache.ts). Discovery, manifest validation and semver load only here.
   */
  private async discoverAndResolve(): Promise<DiscoveredPlugins> {
    const { root, config, document } = this.opts;
    const startedAt = Date.now();
    const [{ discoverPlugins }, { resolvePlugins }] = await Promise.all([import('./discovery.js'), import('./resolution.js')]);
    const discovery = await discoverPlugins({ root, builtinDir: this.builtinDir(), config, document });
    this.problems.push(...discovery.problems);
    const resolution = resolvePlugins(discovery.manifests, { metarepoVersion: TOOL_VERSION, disabled: discovery.disabled });
    const found: DiscoveredPlugins = {
      manifests: discovery.manifests,
      disabled: [...discovery.disabled],
      configs: [...discovery.configs],
      order: resolution.order.map((m) => m.name),
      failed: resolution.failed,
    };
    if (root && discovery.problems.length === 0) writeDiscoveryCache(root, this.builtinDir(), config, discovery.examined, startedAt, found);
    return found;
  }

  private builtinDir(): string {
    return this.opts.builtinDir ?? path.join(PACKAGE_ROOT, 'plugins');
  }

  /**
   * `onStartup` activates now; each `onEvent:<pattern>` subscribes until the plugin's first activation ends. A matching
   * event starts the activation, and it and every later match are queued for the plugin until its setup is done.
   */
  private armActivationEvents(record: PluginRecord): void {
    if (!record.enabledInConfig) return;
    const name = record.manifest.name;
    const subscriptions: Array<() => void> = [];
    for (const event of record.manifest.activationEvents) {
      if (event === 'onStartup') {
        void this.activate(name);
        continue;
      }
      subscriptions.push(
        this.opts.bus.subscribe(event.slice('onEvent:'.length), (e) => {
          const queue = this.queues.get(name);
          if (queue) queue.offer(e);
          else if (record.lifecycle.state === 'resolved') void this.activate(name, e);
        }),
      );
    }
    if (subscriptions.length > 0) this.armed.set(name, subscriptions);
  }

  private disarm(name: string): void {
    for (const unsubscribe of this.armed.get(name) ?? []) unsubscribe();
    this.armed.delete(name);
  }

  /** Every plugin in a stable order: resolved ones in load order, then failed ones by name. */
  list(): PluginRecord[] {
    const rest = [...this.records.keys()].filter((n) => !this.order.includes(n)).sort();
    return [...this.order, ...rest].map((n) => this.records.get(n)!);
  }

  /** The plugin called `name`. @throws MetarepoError (exit 2) naming the plugins there are. */
  get(name: string): PluginRecord {
    const record = this.records.get(name);
    if (!record) {
      throw new MetarepoError(`There is no plugin called "${name}".`, { hint: `Plugins: ${[...this.records.keys()].sort().join(', ')}. See \`metarepo plugin list\`.` });
    }
    return record;
  }

  /** Names declared for a kind of contribution by plugins that can still run, without loading any of them. */
  declared(kind: ContributionKind): string[] {
    return this.usable()
      .flatMap((r) => r.manifest.contributes[DECLARED_IN[kind]].map((d) => (typeof d === 'string' ? d : d.name)))
      .sort();
  }

  /**
   * Commands declared by enabled plugins (for CLI registration and help), without loading them. A failed plugin's
   * commands are there too: running one says why it is unavailable rather than that no such command exists.
   */
  declaredCommands(): Array<{ plugin: string; name: string; description: string }> {
    return this.enabled().flatMap((r) => r.manifest.contributes.commands.map((c) => ({ plugin: r.manifest.name, name: c.name, description: c.description })));
  }

  /**
   * Activates every enabled plugin that has not failed yet, in load order, so that each one's state is the truth:
   * `enabled`, or `failed` with the reason (config, setup, its process). For `metarepo plugin list`.
   */
  async activateAll(): Promise<void> {
    for (const r of this.usable()) await this.activate(r.manifest.name);
  }

  /** The codegen generator called `name`, activating the plugin that declares it. */
  async codegen(name: string): Promise<CodegenGenerator | undefined> {
    return (await this.contribution('codegen', name))?.item;
  }

  /** The plugin command called `name`, activating the plugin that declares it. */
  async command(name: string): Promise<PluginCommand | undefined> {
    return (await this.contribution('command', name))?.item;
  }

  /** Every scaffold generator (activates the plugins that declare any). */
  async scaffolds(): Promise<ScaffoldGenerator[]> {
    await this.activateDeclaring('scaffold');
    return this.registry.list('scaffold').map((c) => c.item);
  }

  /** Every pattern-detection contribution (languages, unit kinds); activates the plugins that declare any. */
  async patterns(): Promise<Array<{ plugin: string; contribution: PatternContribution }>> {
    await this.activateDeclaring('patterns');
    return this.registry.list('patterns').map((c) => ({ plugin: c.plugin, contribution: c.item }));
  }

  /** Every docs page contribution with its plugin; activates the plugins that declare any. */
  async pages(): Promise<Array<{ plugin: string; contribution: PageContribution }>> {
    await this.activateDeclaring('pages');
    return this.registry.list('pages').map((c) => ({ plugin: c.plugin, contribution: c.item }));
  }

  /**
   * Every check with its plugin (activates the plugins that declare checks or codegen generators). Every enabled
   * plugin that failed — to resolve, to validate its config, or in setup — contributes one check that reports its
   * failure as an error finding, so a broken plugin can never make `metarepo check`, `generate` or
   * `generate --check` pass silently.
   * A built-in codegen plugin that no target uses, has no config in metarepo.yaml and no config schema is not
   * activated: nothing of the workspace reaches it, so its activation could only fail if metarepo itself were broken
   * (its own tests cover that), and loading it would cost every run its modules and events.
   */
  async checks(): Promise<Array<{ plugin: string; check: Check }>> {
    await this.activateDeclaring('check');
    const used = new Set((this.opts.config?.targets ?? []).map((t) => t.generator));
    const inert = (r: PluginRecord) =>
      r.manifest.source === 'builtin' &&
      !r.manifest.configSchema &&
      !this.configs.has(r.manifest.name) &&
      !r.manifest.contributes.generators.some((g) => used.has(g));
    await this.activateDeclaring('codegen', (r) => !inert(r));
    const failed = this.list()
      .filter((r) => r.enabledInConfig && r.lifecycle.state === 'failed')
      .map((r) => ({ plugin: r.manifest.name, check: failedPluginCheck(r) }));
    return [...this.registry.list('check').map((c) => ({ plugin: c.plugin, check: c.item })), ...failed];
  }

  /**
   * Activates a plugin and, first, its dependencies: loaded (module imported, or host process started), config
   * validated, `setup` run, enabled. Idempotent and safe to call concurrently. Events that reach the plugin's
   * subscriptions before its setup is done are delivered, in order, right after it (see {@link ActivationQueue}).
   * @param trigger - the event that activates the plugin (`onEvent:`): it is the first the plugin receives.
   * @returns whether the plugin is enabled afterwards; a failure is recorded on its lifecycle, not thrown.
   */
  activate(name: string, trigger?: EventEnvelope): Promise<boolean> {
    const record = this.records.get(name);
    if (!record) return Promise.resolve(false);
    if (record.lifecycle.state === 'enabled') return Promise.resolve(true);
    let pending = this.activating.get(name);
    if (!pending) {
      const queue = new ActivationQueue(this.opts.bus);
      if (trigger) queue.offer(trigger);
      this.queues.set(name, queue);
      pending = this.doActivate(record, queue).then(
        (enabled) => {
          this.settleActivation(name, queue, enabled);
          return enabled;
        },
        (e: unknown) => {
          this.settleActivation(name, queue, false);
          throw e;
        },
      );
      this.activating.set(name, pending);
    }
    return pending;
  }

  /** An activation ended: its queue goes to the plugin (or away), and activation events stop listening. */
  private settleActivation(name: string, queue: ActivationQueue, enabled: boolean): void {
    this.activating.delete(name);
    this.queues.delete(name);
    this.disarm(name);
    if (enabled) queue.release();
    else queue.discard();
  }

  private async doActivate(record: PluginRecord, queue: ActivationQueue): Promise<boolean> {
    const { manifest, lifecycle } = record;
    if (!record.enabledInConfig || !['resolved', 'disabled'].includes(lifecycle.state)) return false;
    for (const dep of Object.keys(manifest.dependencies)) {
      if (!(await this.activate(dep))) return this.fail(record, `its dependency ${dep} could not be enabled: ${this.records.get(dep)?.lifecycle.reason ?? 'not enabled'}`);
    }
    for (const dep of Object.keys(manifest.optionalDependencies)) if (this.records.has(dep)) await this.activate(dep);
    try {
      if (lifecycle.state === 'resolved') {
        record.runtime = await this.load(record, queue.bus);
        lifecycle.transition('loaded');
      } else if (!record.runtime) {
        record.runtime = await this.load(record, queue.bus);
      }
      lifecycle.transition('enabled');
      return true;
    } catch (e) {
      if (record.runtime) await record.runtime.dispose();
      record.runtime = undefined;
      const where = e instanceof MetarepoError && e.location ? `${formatLocation(e.location)}: ` : '';
      return this.fail(record, `${where}${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /**
   * Loads one plugin: validates its config, declares its event schemas, then imports it in process or starts its
   * host process.
   * @param queued - the bus of its activation queue, which the plugin subscribes and publishes through.
   */
  private async load(record: PluginRecord, queued: Bus): Promise<PluginRuntime> {
    const { manifest } = record;
    const config = await validatePluginConfig({ manifest, config: this.configs.get(manifest.name), document: this.opts.document });
    // Imported here: it loads semver, and a run that activates no plugin should not pay for it.
    const { loadPluginEventSchemas, pluginEventBus } = await import('./events.js');
    await loadPluginEventSchemas(manifest);
    const bus = pluginEventBus(queued, manifest, { contain: manifest.isolation === 'process' });
    if (manifest.isolation === 'process') {
      if (!this.opts.startProcessPlugin) throw new MetarepoError(`Plugin ${manifest.name} needs a separate process, which this run cannot start.`);
      return this.opts.startProcessPlugin(record, config, this, bus);
    }
    // Built-ins never change under a running metarepo; any other plugin is imported anew after an edit in watch mode.
    const url = manifest.source === 'builtin' ? pathToFileURL(moduleOf(manifest)).href : pluginModuleUrl(moduleOf(manifest), manifest.dir);
    const mod = (await import(url)) as { default?: Plugin };
    const plugin = mod.default;
    if (!plugin || typeof plugin.setup !== 'function') {
      throw new MetarepoError(`Plugin ${manifest.name}: ${moduleOf(manifest)} has no default export with a setup function.`, {
        hint: 'Export the plugin as the default export: `export default definePlugin({ name, setup(api) { … } })`.',
      });
    }
    const context: PluginContext = createPluginContext({ manifest, config, root: this.opts.root, bus, sink: this.registry });
    try {
      await plugin.setup(context.api);
    } catch (e) {
      await context.dispose();
      throw new MetarepoError(`setup failed: ${(e as Error).message ?? String(e)}`, { cause: e });
    }
    return context;
  }

  /** Disables an enabled plugin: its contributions, subscriptions, timers and child processes go away. */
  async disable(name: string): Promise<MetarepoError[]> {
    const record = this.get(name);
    if (record.lifecycle.state !== 'enabled') return [];
    const errors = (await record.runtime?.dispose()) ?? [];
    record.runtime = undefined;
    record.lifecycle.transition('disabled');
    return errors;
  }

  /** Re-enables a disabled plugin (a fresh load, so changed code takes effect). */
  async enable(name: string): Promise<boolean> {
    return this.activate(name);
  }

  /**
   * Stops listening for activation events, waits for activations in progress (so the events queued for them are
   * delivered), then disables and unloads every plugin (reverse load order).
   */
  async close(): Promise<void> {
    for (const name of [...this.armed.keys()]) this.disarm(name);
    await Promise.allSettled([...this.activating.values()]);
    for (const name of [...this.order].reverse()) {
      const record = this.records.get(name)!;
      if (record.lifecycle.state === 'enabled') await this.disable(name);
      if (record.lifecycle.state === 'disabled') record.lifecycle.transition('unloaded');
    }
  }

  private fail(record: PluginRecord, reason: string): false {
    if (record.lifecycle.state !== 'failed') record.lifecycle.transition('failed', reason);
    return false;
  }

  /** Plugins metarepo.yaml does not disable, failed or not. */
  private enabled(): PluginRecord[] {
    return this.list().filter((r) => r.enabledInConfig);
  }

  private usable(): PluginRecord[] {
    return this.enabled().filter((r) => r.lifecycle.state !== 'failed');
  }

  /**
   * The contribution, activating its plugin.
   * @throws MetarepoError (exit 1) `<kind> "<name>" is unavailable: plugin <p> failed: <reason>` when the plugin that
   *   declares it failed, whatever the cause (resolution, config, setup, its process).
   */
  private async contribution<K extends ContributionKind>(kind: K, name: string) {
    const existing = this.registry.get(kind, name);
    if (existing) return existing;
    const owner = this.enabled().find((r) => r.manifest.contributes[DECLARED_IN[kind]].some((d) => (typeof d === 'string' ? d : d.name) === name));
    if (!owner) return undefined;
    if (!(await this.activate(owner.manifest.name))) {
      throw new MetarepoError(`${kind} "${name}" is unavailable: plugin ${owner.manifest.name} failed: ${owner.lifecycle.reason ?? 'it could not be enabled'}`, {
        exitCode: 1,
        hint: `See \`metarepo plugin info ${owner.manifest.name}\`.`,
      });
    }
    return this.registry.get(kind, name);
  }

  private async activateDeclaring(kind: ContributionKind, wanted: (r: PluginRecord) => boolean = () => true): Promise<void> {
    for (const r of this.usable()) if (r.manifest.contributes[DECLARED_IN[kind]].length > 0 && wanted(r)) await this.activate(r.manifest.name);
  }
}

/** A stand-in check that reports why a plugin could not be used. */
function failedPluginCheck(record: PluginRecord): Check {
  return {
    name: 'plugin-failed',
    description: `Plugin ${record.manifest.name} could not be loaded.`,
    run: () => [{ severity: 'error', file: path.join(record.manifest.dir, 'package.json'), message: `plugin ${record.manifest.name} failed: ${record.lifecycle.reason}` }],
  };
}

/** The module to import for a plugin: built-ins run from the compiled tree (or TS sources under vitest). */
export function moduleOf(manifest: PluginManifest): string {
  if (manifest.source !== 'builtin') return manifest.main;
  return path.join(CODE_ROOT, 'plugins', path.basename(manifest.dir), `index${CODE_EXT}`);
}

/** A plugin's current state for display: `disabled` when metarepo.yaml turned it off. */
export function displayState(record: PluginRecord): PluginState {
  const untouched = record.lifecycle.state === 'discovered' || record.lifecycle.state === 'resolved';
  return !record.enabledInConfig && untouched ? 'disabled' : record.lifecycle.state;
}
