import { spawn as spawnProcess, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { EXIT_FAILURE, MetarepoError } from '../core/errors.js';
import type { Bus } from '../events/bus.js';
import type { PluginApi, PluginEvent } from './api.js';
import type { Contribution, ContributionKind, ContributionSink } from './contributions.js';
import type { PluginContributes, PluginManifest } from './manifest.js';

/** What {@link createPluginContext} needs. */
export interface PluginContextOptions {
  manifest: PluginManifest;
  /** The plugin's validated configuration (see `validatePluginConfig`); the api hands out a frozen copy. */
  config: Record<string, unknown>;
  /** Absolute workspace root, or `null` outside a workspace. */
  root: string | null;
  bus: Bus;
  sink: ContributionSink;
  /** Receives `api.log` lines and reports of contained failures. Default: stderr, prefixed with the plugin name. */
  log?: (line: string) => void;
  /** Milliseconds between SIGTERM and SIGKILL when disposing child processes. Default 2000. */
  killGraceMs?: number;
}

/** A plugin's api together with the means to take back everything it registered. */
export interface PluginContext {
  api: PluginApi;
  /**
   * Takes back, in this order: contributions (removed from the sink), event subscriptions, timers, child processes
   * (SIGTERM, then SIGKILL after `killGraceMs`), then runs `onDispose` callbacks in reverse order. Never throws:
   * each failure is returned, as a MetarepoError naming the plugin. A second call does nothing and returns `[]`.
   * Afterwards every owning api method throws.
   */
  dispose(): Promise<MetarepoError[]>;
}

const DECLARED_IN: Record<ContributionKind, keyof PluginContributes> = {
  codegen: 'generators',
  scaffold: 'scaffolds',
  check: 'checks',
  command: 'commands',
  patterns: 'patterns',
  pages: 'pages',
};

/**
 * Builds the {@link PluginApi} one plugin's `setup` receives. The context owns everything registered through it
 * (contributions, subscriptions, timers, child processes, disposers) so `dispose` can guarantee cleanup when the
 * plugin is disabled or unloaded. Failures of the plugin's event handlers and timer callbacks are contained:
 * reported through `log`, never thrown to the publisher or the event loop.
 *
 * `register…` throws a MetarepoError (exit 2) for a contribution the manifest does not declare in `contributes`,
 * naming the plugin and the contribution, or when the sink refuses it; `spawn` throws unless the manifest grants
 * `permissions.childProcess`.
 */
export function createPluginContext(opts: PluginContextOptions): PluginContext {
  const { manifest, bus, sink } = opts;
  const name = manifest.name;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${name}: ${line}\n`));
  const graceMs = opts.killGraceMs ?? 2000;
  const packageJson = path.join(manifest.dir, 'package.json');

  const contributions: Contribution[] = [];
  const unsubscribes: Array<() => void> = [];
  const timers = new Set<NodeJS.Timeout>();
  const children = new Set<ChildProcess>();
  const disposers: Array<() => void | Promise<void>> = [];
  let disposed = false;

  const contained = (what: string, e: unknown): void => log(`${what} failed: ${e instanceof Error ? e.message : String(e)}`);
  const guard = (what: string): void => {
    if (disposed) throw new MetarepoError(`Plugin ${name} is disposed and can no longer ${what}.`, { hint: 'Re-enable the plugin to register again.' });
  };
  const register = (contribution: Contribution): void => {
    guard(`register ${contribution.kind} "${contribution.item.name}"`);
    const field = DECLARED_IN[contribution.kind];
    const declared = manifest.contributes[field].map((d) => (typeof d === 'string' ? d : d.name));
    if (!declared.includes(contribution.item.name)) {
      throw new MetarepoError(
        `Plugin ${name} registers ${contribution.kind} "${contribution.item.name}", which its manifest does not declare in metarepo.contributes.${field}.`,
        { location: { file: packageJson }, hint: `Add "${contribution.item.name}" to metarepo.contributes.${field} in the plugin's package.json.` },
      );
    }
    sink.add(contribution);
    contributions.push(contribution);
  };

  const api: PluginApi = {
    config: Object.freeze(structuredClone(opts.config)),
    root: opts.root,
    registerCodegen: (item) => register({ kind: 'codegen', plugin: name, item }),
    registerScaffold: (item) => register({ kind: 'scaffold', plugin: name, item }),
    registerCheck: (item) => register({ kind: 'check', plugin: name, item }),
    registerCommand: (item) => register({ kind: 'command', plugin: name, item }),
    registerPatterns: (item) => register({ kind: 'patterns', plugin: name, item }),
    registerPages: (item) => register({ kind: 'pages', plugin: name, item }),
    onEvent(pattern, handler) {
      guard(`subscribe to ${pattern}`);
      const what = `handler of ${pattern}`;
      unsubscribes.push(
        bus.subscribe(pattern, (event) => {
          if (disposed) return;
          try {
            Promise.resolve(handler(event as PluginEvent)).catch((e: unknown) => contained(what, e));
          } catch (e) {
            contained(what, e);
          }
        }),
      );
    },
    publish(type, data) {
      guard(`publish ${type}`);
      bus.publish(type, data, name);
    },
    setInterval(fn, ms) {
      guard('set an interval');
      timers.add(setInterval(() => run('interval callback', fn), ms));
    },
    setTimeout(fn, ms) {
      guard('set a timeout');
      const timer = setTimeout(() => {
        timers.delete(timer);
        run('timeout callback', fn);
      }, ms);
      timers.add(timer);
    },
    spawn(command, args, options = {}) {
      guard(`spawn ${command}`);
      if (!manifest.permissions.childProcess) {
        throw new MetarepoError(`Plugin ${name} may not start child processes (it tried to run ${command}).`, {
          location: { file: packageJson },
          hint: 'Declare "permissions": { "childProcess": true } in the metarepo field of the plugin\'s package.json.',
        });
      }
      const child = spawnProcess(command, args, { cwd: options.cwd ?? opts.root ?? process.cwd() });
      children.add(child);
      child.once('exit', () => children.delete(child));
      // Without a listener, a failed spawn (ENOENT) would crash metarepo; report it as the plugin's failure.
      child.on('error', (e) => {
        children.delete(child);
        contained(`child process ${command}`, e);
      });
      return child;
    },
    onDispose(fn) {
      guard('add a dispose callback');
      disposers.push(fn);
    },
    log,
  };

  function run(what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      contained(what, e);
    }
  }

  async function dispose(): Promise<MetarepoError[]> {
    if (disposed) return [];
    disposed = true;
    const errors: MetarepoError[] = [];
    const attempt = async (what: string, fn: () => unknown): Promise<void> => {
      try {
        await fn();
      } catch (e) {
        errors.push(new MetarepoError(`Plugin ${name}: ${what} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e, exitCode: EXIT_FAILURE }));
      }
    };
    for (const c of contributions.splice(0)) await attempt(`removing ${c.kind} "${c.item.name}"`, () => sink.remove(c));
    for (const unsubscribe of unsubscribes.splice(0)) await attempt('unsubscribing', unsubscribe);
    for (const timer of timers) clearTimeout(timer); // clearTimeout clears intervals too (same Timeout class)
    timers.clear();
    await Promise.all([...children].map((child) => attempt(`stopping child process ${child.pid}`, () => stopChild(child, graceMs))));
    for (const fn of disposers.splice(0).reverse()) await attempt('a dispose callback', fn);
    return errors;
  }

  return { api, dispose };
}

/**
 * Stops a child process: SIGTERM, then SIGKILL when it has not exited after `graceMs` milliseconds.
 * @throws Error when it still has not exited `graceMs` after SIGKILL.
 */
async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  if (await settlesWithin(exited, graceMs)) return;
  child.kill('SIGKILL');
  if (!(await settlesWithin(exited, graceMs))) throw new Error(`process ${child.pid} did not exit after SIGKILL`);
}

/** Whether `promise` settles within `ms` milliseconds. */
async function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
