/**
 * The host side of `process` isolation (issue 3, item 7; issue 13, item 8): a plugin runs in its own Node process
 * under Node's permission model and a memory bound, behind a supervising shell (./launch.ts); metarepo talks
 * to it over IPC (./protocol.ts) and bridges it to the bus. Whatever the plugin does — crash, hang, throw, run out
 * of memory, touch what it did not declare, signal its parent or its process group — fails only the call that
 * was running, with a one-line reason naming the plugin; metarepo itself never crashes from it.
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Bus } from '../../events/bus.js';
import type { Check, CodegenFunction, CodegenGenerator, PluginCommand } from '../api.js';
import type { PluginManifest } from '../manifest.js';
import { launchPlugin, pluginExit, signalPlugin } from './launch.js';
import { OutputTail } from './output.js';
import { permissionFlags } from './permissions.js';
import type { ChildMessage, HostMessage, Invocation, InvocationResults, RegisteredContributions, SerializedError } from './protocol.js';
import { CRASH_HINT, OUT_OF_MEMORY_LINE, TIMEOUT_HINT, crashReason, failureHint, memoryHint, pluginFailure, thrownReason, timeoutReason, type Exit } from './reasons.js';

/** Default of {@link ProcessPluginOptions.memoryMb}, in MiB. */
export const DEFAULT_PLUGIN_MEMORY_MB = 2048;

/**
 * What Node itself needs beside a plugin's heap, in MiB, added to the data-segment bound: its code's data, the
 * allocator's arenas and the stacks of its threads (libuv pool, V8 platform). Measured on Node 20 (x64 Linux): a
 * plugin process at rest holds ~60–90 MiB of data segment.
 */
const NODE_OVERHEAD_MB = 128;

/** Options of {@link ProcessPlugin}. */
export interface ProcessPluginOptions {
  /** The plugin's manifest; it crosses to the child as is. */
  manifest: PluginManifest;
  /** The plugin's validated configuration. Default `{}`. */
  config?: Record<string, unknown>;
  /** Absolute workspace root (write permissions resolve against it), or `null` outside a workspace. */
  root: string | null;
  /** The bus the plugin's subscriptions and publications are bridged to. Without one, both go nowhere. */
  bus?: Bus;
  /** Time limit in milliseconds of setup and of each call. Default 30 000. */
  timeoutMs?: number;
  /** How long `stop()` waits after asking the child to dispose, and again after SIGTERM, in ms. Default 2 000. */
  graceMs?: number;
  /**
   * Memory bound of the plugin process in MiB (default {@link DEFAULT_PLUGIN_MEMORY_MB}): its JavaScript heap
   * (`--max-old-space-size`) and, on Linux, everything it allocates — heap, Buffers, native memory — up to this
   * plus the ~128 MiB Node itself needs (`ulimit -d`). Past it the call fails with
   * `plugin x ran out of memory (limit N MiB) while running …`.
   */
  memoryMb?: number;
  /** Echo what the child prints (stdout, stderr) to metarepo's stderr, prefixed `[plugin name]`. Default: only kept for crash messages. */
  verbose?: boolean;
  /**
   * Receives the plugin's `api.log` lines and reports of its contained failures (an event handler that threw), as
   * `createPluginContext`'s `log` does for in-process plugins. Default: stderr, prefixed with the plugin name.
   */
  log?: (line: string) => void;
  /**
   * Called once when a started plugin's process ends other than by `stop()` or `restart()` — it crashed (during a
   * call or idle) or was stopped after a timeout — with the reason, e.g. `plugin x crashed (exit code 1) while
   * idle`, so the lifecycle can mark the plugin failed. Calls that were running reject as well.
   */
  onCrash?: (reason: string) => void;
  /**
   * The compiled child entry. Default `child.js` next to this module (`dist/src/plugins/process/child.js`);
   * code running from TypeScript sources (tests) passes the compiled file.
   */
  childUrl?: URL;
}

/**
 * A codegen generator of a `process` plugin: its descriptor plus `generate`, which runs the function in the
 * plugin's process. Callers should use `generate` rather than load `module` in the codegen worker pool, which
 * would run the plugin's code outside its process and its permissions.
 */
export type ProcessCodegen = CodegenGenerator & { generate: CodegenFunction };

/** The contributions of a started plugin as proxies: calling them runs the plugin's code in its process. */
export interface ProcessContributions {
  checks: Check[];
  commands: PluginCommand[];
  codegen: ProcessCodegen[];
  /** Type patterns the plugin currently subscribes to. */
  subscriptions: string[];
}

interface Pending {
  activity: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
  print?: (text: string) => void;
}

/** One child process and everything tied to it, so a late message from an old child never reaches a new one. */
interface Session {
  /** The launch process: the plugin's supervising shell (its IPC channel leads to the plugin), see ./launch.ts. */
  child: ChildProcess;
  pending: Map<number, Pending>;
  /** Bus subscriptions by the child's subscription number, with their patterns. */
  subscriptions: Map<number, { pattern: string; unsubscribe: () => void }>;
  tail: OutputTail;
  /** The error the child reported before dying of it. */
  fatal?: SerializedError;
  /** Set when the host ends the child: the reason given to calls still pending. */
  stopping?: string;
  /** Whether `stop()` (or `restart()`) asked for the end, as opposed to a timeout or a failed start. */
  requested?: boolean;
  /** Whether setup succeeded, so the plugin was in use. */
  started?: boolean;
  /** Set once the child is gone: why (the crash reason, or the host's reason for ending it). */
  ended?: string;
  closed: Promise<void>;
  ready: Promise<RegisteredContributions>;
}

/** Id of the setup round trip; invocations count from 1. */
const SETUP_ID = 0;

/**
 * A `process` plugin: `start()` forks its host process and runs its setup there; `contributions` are proxies
 * that invoke the plugin over IPC, each call bounded by the timeout. `restart()` replaces the process (hot
 * reload); `stop()` ends it.
 *
 * ```ts
 * const plugin = new ProcessPlugin({ manifest, root, bus });
 * await plugin.start();
 * const findings = await plugin.contributions.checks[0].run(ctx); // rejects with a MetarepoError on failure
 * await plugin.stop();
 * ```
 */
export class ProcessPlugin {
  private readonly timeoutMs: number;
  private readonly graceMs: number;
  private readonly memoryMb: number;
  private session?: Session;
  private registered?: RegisteredContributions;
  private nextId = SETUP_ID + 1;

  constructor(private readonly options: ProcessPluginOptions) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.graceMs = options.graceMs ?? 2_000;
    this.memoryMb = options.memoryMb ?? DEFAULT_PLUGIN_MEMORY_MB;
  }

  /** The plugin's name. */
  get name(): string {
    return this.options.manifest.name;
  }

  /** Whether a child process is up (started and neither stopped nor dead). */
  get running(): boolean {
    return this.session !== undefined && this.session.ended === undefined;
  }

  /** What the plugin registered in its last successful setup, as proxies; empty before that. */
  get contributions(): ProcessContributions {
    const registered = this.registered ?? { checks: [], commands: [], codegen: [] };
    return {
      checks: registered.checks.map((c) => ({ ...c, run: (context) => this.call({ kind: 'check', name: c.name, context }, `check ${c.name}`) })),
      commands: registered.commands.map((c) => ({
        ...c,
        run: ({ root, args, options, print }) => this.call({ kind: 'command', name: c.name, context: { root, args, options } }, `command ${c.name}`, print),
      })),
      codegen: registered.codegen.map((g) => ({
        ...g,
        generate: (input) => this.call({ kind: 'codegen', name: g.name, input }, `codegen generator ${g.name}`),
      })),
      subscriptions: [...(this.session?.subscriptions.values() ?? [])].map((s) => s.pattern),
    };
  }

  /**
   * Starts the plugin's process (see `launchPlugin`) with the permission flags of its manifest (see
   * `permissionFlags`) and the memory bound, sends it setup and waits for its contributions. Returns the running
   * session's when already started.
   * @throws MetarepoError (exit 1) when importing the plugin or its setup throws, the process dies, or setup
   *   takes longer than the timeout (the process is then stopped); exit 2 when a write permission leaves the
   *   workspace.
   */
  async start(): Promise<RegisteredContributions> {
    if (this.session && this.session.ended === undefined) return this.session.ready;
    const { manifest, config = {}, root } = this.options;
    const child = launchPlugin({
      entry: fileURLToPath(this.options.childUrl ?? new URL('./child.js', import.meta.url)),
      execArgv: [...permissionFlags(manifest, root), `--max-old-space-size=${this.memoryMb}`],
      cwd: root ?? manifest.dir,
      // RLIMIT_DATA counts every private writable mapping on Linux only; elsewhere it would bound little or nothing.
      dataLimitKiB: process.platform === 'linux' ? (this.memoryMb + NODE_OVERHEAD_MB) * 1024 : null,
    });
    const session = this.open(child);
    this.session = session;
    this.send(session, { type: 'setup', manifest, config, root, runid: this.options.bus?.runid ?? randomUUID() });
    try {
      this.registered = await session.ready;
    } catch (error) {
      // Make sure the process is gone before reporting, so a failed start never leaves it running.
      await this.end(session, (error as Error).message, false);
      throw error;
    }
    return this.registered;
  }

  /**
   * Ends the process: asks it to dispose (its `onDispose` callbacks run), then SIGTERM, then SIGKILL, waiting
   * `graceMs` between steps. Calls still running reject with `plugin x was stopped while running …`; bus
   * subscriptions end. Does nothing when not running.
   */
  async stop(): Promise<void> {
    if (!this.session || this.session.ended !== undefined) return;
    this.session.requested = true;
    await this.end(this.session, `plugin ${this.name} was stopped`, true);
  }

  /**
   * Hot reload: stops the process and starts a fresh one, which imports the plugin's code anew and re-runs
   * setup, so changed files take effect (no in-process module unloading, as VS Code reloads extension hosts).
   * @throws MetarepoError as {@link start} does; the plugin is then not running.
   */
  async restart(): Promise<RegisteredContributions> {
    await this.stop();
    return this.start();
  }

  private open(child: ChildProcess): Session {
    let closed!: () => void;
    let setup!: Pick<Pending, 'resolve' | 'reject'>;
    const session: Session = {
      child,
      pending: new Map(),
      subscriptions: new Map(),
      tail: new OutputTail(20, OUT_OF_MEMORY_LINE),
      closed: new Promise((resolve) => (closed = resolve)),
      ready: new Promise((resolve, reject) => (setup = { resolve, reject })),
    };
    this.expect(session, SETUP_ID, 'setup', (value) => {
      session.started = true;
      setup.resolve(value);
    }, setup.reject);
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        session.tail.push(chunk);
        if (this.options.verbose) process.stderr.write(prefixLines(this.name, chunk));
      });
    }
    child.on('message', (message: ChildMessage) => this.receive(session, message));
    // 'close' waits for stdio to drain (the tail is complete); the fallback covers a grandchild holding the pipes.
    let done = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (done) return;
      done = true;
      this.ended(session, pluginExit(code, signal));
      closed();
    };
    child.on('close', finish);
    child.on('exit', (code, signal) => setTimeout(() => finish(code, signal), 250).unref());
    // Spawn and IPC errors: a failed spawn gets no 'exit', everything else is followed by one.
    child.on('error', (error) => {
      session.fatal ??= { message: error.message };
      if (child.pid === undefined) finish(null, null);
    });
    return session;
  }

  private call<K extends keyof InvocationResults>(
    call: Extract<Invocation, { kind: K }>,
    activity: string,
    print?: (text: string) => void,
  ): Promise<InvocationResults[K]> {
    const session = this.session;
    if (!session || session.ended !== undefined) {
      const why = session?.ended === undefined ? 'it was not started' : `it is not running (${session.ended})`;
      return Promise.reject(pluginFailure(`plugin ${this.name} cannot run ${activity}: ${why}`, 'Start or restart the plugin first.'));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.expect(session, id, activity, resolve, reject, print);
      this.send(session, { type: 'invoke', id, call });
    });
  }

  /** Registers a pending answer with its timeout, which stops the child (a hung plugin blocks all its calls). */
  private expect(session: Session, id: number, activity: string, resolve: Pending['resolve'], reject: Pending['reject'], print?: Pending['print']): void {
    const timer = setTimeout(() => {
      this.settle(session, id)?.reject(pluginFailure(timeoutReason(this.name, activity, this.timeoutMs), TIMEOUT_HINT));
      void this.end(session, `plugin ${this.name} was stopped after ${activity} timed out`, false);
    }, this.timeoutMs);
    session.pending.set(id, { activity, resolve, reject, timer, ...(print ? { print } : {}) });
    hold(session.child, true);
  }

  private settle(session: Session, id: number): Pending | undefined {
    const pending = session.pending.get(id);
    if (!pending) return undefined;
    clearTimeout(pending.timer);
    session.pending.delete(id);
    if (session.pending.size === 0) hold(session.child, false);
    return pending;
  }

  private send(session: Session, message: HostMessage): void {
    try {
      // A closed channel reports to the callback, ignored: the child's exit rejects what is pending.
      session.child.send(message, () => undefined);
    } catch (error) {
      // Serialisation failed (e.g. a circular value): only this message's call can fail.
      const id = message.type === 'invoke' ? message.id : message.type === 'setup' ? SETUP_ID : undefined;
      const pending = id === undefined ? undefined : this.settle(session, id);
      pending?.reject(pluginFailure(`plugin ${this.name} could not be sent ${pending.activity}: ${(error as Error).message}`, undefined));
    }
  }

  private receive(session: Session, message: ChildMessage): void {
    switch (message.type) {
      case 'ready':
        this.settle(session, SETUP_ID)?.resolve(message.contributions);
        return;
      case 'failed':
        this.rejectWith(session, SETUP_ID, message.error);
        return;
      case 'result':
        this.settle(session, message.id)?.resolve(message.value);
        return;
      case 'error':
        this.rejectWith(session, message.id, message.error);
        return;
      case 'print':
        session.pending.get(message.id)?.print?.(message.text);
        return;
      case 'subscribe':
        this.subscribe(session, message.subscription, message.pattern);
        return;
      case 'unsubscribe':
        session.subscriptions.get(message.subscription)?.unsubscribe();
        session.subscriptions.delete(message.subscription);
        return;
      case 'publish':
        this.options.bus?.publish(message.eventType, message.data, this.name);
        return;
      case 'log':
        if (this.options.log) this.options.log(message.message);
        else process.stderr.write(`${this.name}: ${message.message}\n`);
        return;
      case 'fatal':
        session.fatal = message.error;
        return;
    }
  }

  private rejectWith(session: Session, id: number, error: SerializedError): void {
    const pending = this.settle(session, id);
    pending?.reject(pluginFailure(thrownReason(this.name, pending.activity, error, this.memoryMb), failureHint(error, this.options.root, this.memoryMb)));
  }

  private subscribe(session: Session, subscription: number, pattern: string): void {
    const unsubscribe = this.options.bus?.subscribe(pattern, (event) => {
      if (session.ended === undefined) this.send(session, { type: 'event', subscription, event });
    });
    session.subscriptions.set(subscription, { pattern, unsubscribe: unsubscribe ?? (() => undefined) });
  }

  /**
   * The launch process is gone: end whatever is left of its process group (a plugin that killed its shell, what
   * the plugin started), end the subscriptions and fail what was pending, as a crash unless the host ended it.
   */
  private ended(session: Session, exit: Exit): void {
    signalPlugin(session.child, 'SIGKILL');
    if (session.child.connected) session.child.disconnect();
    for (const { unsubscribe } of session.subscriptions.values()) unsubscribe();
    session.subscriptions.clear();
    const { stopping, fatal } = session;
    const tail = session.tail.last();
    const outOfMemory = session.tail.matched !== undefined;
    const limits = outOfMemory ? { memoryMb: this.memoryMb } : undefined;
    const reason = (activity: string | undefined): string => {
      if (stopping === undefined) return crashReason(this.name, activity, exit, fatal, tail, limits);
      return activity === undefined ? stopping : `${stopping} while running ${activity}`;
    };
    const hint =
      stopping !== undefined ? undefined
      : outOfMemory ? memoryHint(this.memoryMb)
      : ((fatal && failureHint(fatal, this.options.root, this.memoryMb)) ?? CRASH_HINT);
    const activities = [...session.pending.values()].map((p) => p.activity);
    for (const id of [...session.pending.keys()]) {
      const pending = this.settle(session, id)!;
      pending.reject(pluginFailure(reason(pending.activity), hint));
    }
    session.ended = reason(activities[0]);
    if (session.started && !session.requested) this.options.onCrash?.(session.ended);
  }

  /**
   * Ends a session: pending calls reject with `reason`; a graceful end first asks the child to dispose (a hung
   * one cannot, so a timeout skips that step).
   */
  private async end(session: Session, reason: string, graceful: boolean): Promise<void> {
    if (session.ended !== undefined) return;
    session.stopping ??= reason;
    hold(session.child, true);
    const exited = (ms: number): Promise<boolean> => Promise.race([session.closed.then(() => true), delay(ms, false, { ref: false })]);
    if (graceful) {
      this.send(session, { type: 'dispose' });
      if (await exited(this.graceMs)) return;
    }
    signalPlugin(session.child, 'SIGTERM');
    if (await exited(this.graceMs)) return;
    signalPlugin(session.child, 'SIGKILL');
    await session.closed;
  }
}

/**
 * Whether the child keeps metarepo's event loop alive. Only while a call is pending or it is being stopped: an
 * idle plugin process never holds the CLI open, and exits by itself when metarepo does (its IPC channel closes).
 * The stdio pipes are `net.Socket`s at run time, which the `Readable` type does not show.
 */
function hold(child: ChildProcess, on: boolean): void {
  for (const handle of [child, child.channel, child.stdout, child.stderr] as Array<{ ref?(): void; unref?(): void } | null | undefined>) {
    if (on) handle?.ref?.();
    else handle?.unref?.();
  }
}

/** Prefixes every line of `text` with `[plugin name] ` for verbose output. */
function prefixLines(plugin: string, text: string): string {
  return text.replace(/^(?=.)/gm, `[plugin ${plugin}] `);
}
