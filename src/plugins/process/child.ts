/**
 * Entry of a `process` plugin's host process (compiled to `dist/src/plugins/process/child.js`, forked by
 * `ProcessPlugin`). It imports the plugin, runs its `setup` with the same api in-process plugins get
 * (`createPluginContext`) over a bus that relays to the parent, answers invocations and exits on `dispose` or
 * when the parent goes away. Messages: ./protocol.ts.
 */
import { pathToFileURL } from 'node:url';
import { errorHint, errorMessage } from '../../core/error-text.js';
import type { Bus, EventHandler } from '../../events/bus.js';
import { createEnvelope, type EventEnvelope } from '../../events/envelope.js';
import type { CodegenFunction, Plugin } from '../api.js';
import { createPluginContext, type PluginContext } from '../context.js';
import { ContributionRegistry, type Contribution, type ContributionSink } from '../contributions.js';
import type { ChildMessage, HostMessage, Invocation, RegisteredContributions, SerializedError } from './protocol.js';

/** Sends to the parent. Resolves once the message is out, or at once when the channel is closed (nobody listens). */
function send(message: ChildMessage): Promise<void> {
  const sent = new Promise<void>((resolve) => {
    if (process.connected && process.send) process.send(message, undefined, {}, () => resolve());
    else resolve();
  });
  inFlight.add(sent);
  void sent.then(() => inFlight.delete(sent));
  return sent;
}

/** Messages handed to `process.send` whose callback has not run yet: `process.exit` would drop them. */
const inFlight = new Set<Promise<void>>();

/** Exits once every message sent so far (including those sent while waiting) is handed to the channel. */
async function exitAfterSending(code: number): Promise<never> {
  while (inFlight.size > 0) await Promise.all([...inFlight]);
  process.exit(code);
}

/**
 * An error as the host words it: first line of the message, a MetarepoError's hint, and Node's permission fields
 * (`code`, `permission`, `resource`) — of the error or of its `cause` (an import failure wraps the denial).
 */
function serialize(error: unknown): SerializedError {
  const out: SerializedError = { message: errorMessage(error) };
  const fields = (e: unknown) => (e ?? {}) as { code?: unknown; permission?: unknown; resource?: unknown };
  const { cause } = (error ?? {}) as { cause?: unknown };
  const e = typeof fields(error).code === 'string' ? fields(error) : fields(cause);
  if (typeof e.code === 'string') out.code = e.code;
  if (typeof e.permission === 'string') out.permission = e.permission;
  if (typeof e.resource === 'string') out.resource = e.resource;
  const hint = errorHint(error);
  if (hint !== undefined) out.hint = hint;
  return out;
}

/** The bus as a plugin in this process sees it: publications go to the parent, events come from it. */
class ParentBus implements Bus {
  private readonly handlers = new Map<number, EventHandler>();
  private next = 1;

  constructor(
    readonly runid: string,
    private readonly source: string,
  ) {}

  /** @returns the envelope as built here; the parent's bus publishes it anew (own id, time, sequence). */
  publish<T>(type: string, data: T): EventEnvelope<T> {
    void send({ type: 'publish', eventType: type, data });
    return createEnvelope(type, data, this.source, this.runid);
  }

  subscribe(pattern: string, handler: EventHandler): () => void {
    const subscription = this.next++;
    this.handlers.set(subscription, handler);
    void send({ type: 'subscribe', subscription, pattern });
    return () => {
      if (this.handlers.delete(subscription)) void send({ type: 'unsubscribe', subscription });
    };
  }

  /** Hands an event to the subscription it was forwarded for (the context contains handler failures). */
  deliver(subscription: number, event: EventEnvelope): void {
    void this.handlers.get(subscription)?.(event);
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}

/** Scaffold generators hold functions that node-plop calls in metarepo's process, so they cannot live here. */
class ProcessSink implements ContributionSink {
  readonly registry = new ContributionRegistry();

  add(contribution: Contribution): void {
    if (contribution.kind === 'scaffold') {
      throw new Error(`scaffold generator "${contribution.item.name}" cannot run in a process plugin; use "isolation": "in-process"`);
    }
    if (contribution.kind === 'pages') {
      throw new Error(`page contribution "${contribution.item.name}" runs in metarepo's process during docs builds, so it cannot come from a process plugin; use "isolation": "in-process"`);
    }
    if (contribution.kind === 'patterns') {
      throw new Error(`pattern contribution "${contribution.item.name}" parses files in metarepo's process, so it cannot come from a process plugin; use "isolation": "in-process"`);
    }
    this.registry.add(contribution);
  }

  remove(contribution: Contribution): void {
    this.registry.remove(contribution);
  }
}

let bus: ParentBus | undefined;
let context: PluginContext | undefined;
const sink = new ProcessSink();

async function setup(message: Extract<HostMessage, { type: 'setup' }>): Promise<void> {
  const { manifest, config, root, runid } = message;
  try {
    const plugin = await importPlugin(manifest.main);
    if (typeof plugin?.setup !== 'function') {
      throw new Error(`${manifest.main} has no default export made with definePlugin({ name, setup })`);
    }
    bus = new ParentBus(runid, manifest.name);
    context = createPluginContext({ manifest, config, root, bus, sink, log: (line) => void send({ type: 'log', message: line }) });
    await plugin.setup(context.api);
    await send({ type: 'ready', contributions: registered() });
  } catch (error) {
    await send({ type: 'failed', error: serialize(error) });
    await exitAfterSending(1);
  }
}

/** Imports the plugin module; a failure names the module, which a SyntaxError's message does not. */
async function importPlugin(main: string): Promise<Plugin | undefined> {
  try {
    return ((await import(pathToFileURL(main).href)) as { default?: Plugin }).default;
  } catch (error) {
    throw new Error(`cannot import ${main}: ${errorMessage(error)}`, { cause: error });
  }
}

function registered(): RegisteredContributions {
  const { registry } = sink;
  return {
    checks: registry.list('check').map(({ item: { name, description } }) => ({ name, description })),
    commands: registry.list('command').map(({ item: { name, description, arguments: args, options } }) => ({ name, description, arguments: args, options })),
    codegen: registry.list('codegen').map(({ item }) => ({ ...item })),
  };
}

async function invoke(id: number, call: Invocation): Promise<void> {
  try {
    await send(await answer(id, call));
  } catch (error) {
    await send({ type: 'error', id, error: serialize(error) });
  }
}

/** Runs the contribution and checks the shape of what it returns (it crosses to the host as plain data). */
async function answer(id: number, call: Invocation): Promise<ChildMessage> {
  const missing = new Error(`the plugin registered no ${call.kind} named "${call.name}"`);
  switch (call.kind) {
    case 'check': {
      const check = sink.registry.get('check', call.name)?.item;
      if (!check) throw missing;
      const findings = await check.run(call.context);
      if (!Array.isArray(findings)) throw new Error(`check ${call.name} returned ${typeof findings}, not a list of findings`);
      return { type: 'result', id, kind: 'check', value: findings };
    }
    case 'command': {
      const command = sink.registry.get('command', call.name)?.item;
      if (!command) throw missing;
      const code = await command.run({ ...call.context, print: (text) => void send({ type: 'print', id, text }) });
      if (code !== undefined && !Number.isInteger(code)) throw new Error(`command ${call.name} returned ${String(code)}, not an exit code`);
      return { type: 'result', id, kind: 'command', value: code ?? 0 };
    }
    case 'codegen': {
      const generator = sink.registry.get('codegen', call.name)?.item;
      if (!generator) throw missing;
      const url = generator.module.startsWith('file:') ? generator.module : pathToFileURL(generator.module).href;
      const exportName = generator.exportName ?? 'generate';
      const generate = ((await import(url)) as Record<string, unknown>)[exportName];
      if (typeof generate !== 'function') throw new Error(`${generator.module} does not export a function named ${exportName}`);
      const files: unknown = await (generate as CodegenFunction)(call.input);
      const valid = Array.isArray(files) && files.every((f) => typeof f?.path === 'string' && typeof f?.content === 'string');
      if (!valid) throw new Error(`codegen generator ${call.name} did not return a list of { path, content } files`);
      return { type: 'result', id, kind: 'codegen', value: files };
    }
  }
}

/** Disposes what the plugin owns (timers, child processes, onDispose callbacks), then exits. */
async function shutdown(): Promise<void> {
  const errors = (await context?.dispose()) ?? [];
  await Promise.all(errors.map((error) => send({ type: 'log', message: error.message })));
  await bus?.close();
  await exitAfterSending(0);
}

process.on('message', (message: HostMessage) => {
  switch (message.type) {
    case 'setup':
      void setup(message);
      return;
    case 'invoke':
      void invoke(message.id, message.call);
      return;
    case 'event':
      bus?.deliver(message.subscription, message.event);
      return;
    case 'dispose':
      void shutdown();
      return;
  }
});
// metarepo went away (or closed the channel): nobody can use this process any more.
process.on('disconnect', () => void shutdown());
// A throw or rejection outside any call (a timer, a stray promise) would kill the process silently: report it.
const fatal = (error: unknown): void => void send({ type: 'fatal', error: serialize(error) }).then(() => exitAfterSending(1));
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);
