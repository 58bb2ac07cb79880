/**
 * Messages between metarepo (the host) and a `process` plugin's host process (the child), sent over Node's IPC
 * channel (`child_process.fork`, JSON serialisation). Everything here is plain data: functions a plugin
 * registers stay in the child, and the host sees only their names and metadata.
 *
 * A session: host sends `setup`; the child imports the plugin, runs its `setup` and answers `ready` (or
 * `failed`); then any number of `invoke` → `result` | `error` round trips and `event` deliveries, with
 * `subscribe`, `publish`, `print` and `log` flowing back at any time; finally host sends `dispose` and the
 * child exits with code 0.
 */
import type { EventEnvelope } from '../../events/envelope.js';
import type { CheckContext, CodegenGenerator, CodegenInput, CommandContext, Finding, GeneratedFile } from '../api.js';
import type { PluginManifest } from '../manifest.js';

/** One call into a contribution, by kind and name. */
export type Invocation =
  | { kind: 'check'; name: string; context: CheckContext }
  | { kind: 'command'; name: string; context: Omit<CommandContext, 'print'> }
  | { kind: 'codegen'; name: string; input: CodegenInput };

/** What each kind of invocation answers: findings, an exit code, generated files. */
export interface InvocationResults {
  check: Finding[];
  command: number;
  codegen: GeneratedFile[];
}

/** Host → child. */
export type HostMessage =
  /** `manifest.main` is the module the child imports; `runid` is the bus's, for envelopes built in the child. */
  | { type: 'setup'; manifest: PluginManifest; config: Record<string, unknown>; root: string | null; runid: string }
  /** `id` is unique per child; the answer echoes it. */
  | { type: 'invoke'; id: number; call: Invocation }
  /** An event from the bus matching the child's subscription `subscription`. */
  | { type: 'event'; subscription: number; event: EventEnvelope }
  | { type: 'dispose' };

/**
 * An error as it crosses the process boundary. `code`, `permission` and `resource` are those of Node's
 * `ERR_ACCESS_DENIED` (e.g. `FileSystemWrite` and the absolute path); `hint` that of a `MetarepoError`.
 */
export interface SerializedError {
  message: string;
  code?: string;
  permission?: string;
  resource?: string;
  hint?: string;
}

/** Names and metadata of what a plugin registered in `setup`; the functions stay in the child. */
export interface RegisteredContributions {
  checks: Array<{ name: string; description: string }>;
  commands: Array<{
    name: string;
    description: string;
    arguments?: string;
    options?: Array<{ flags: string; description: string }>;
  }>;
  /** The descriptors as registered (plain data); the function they name runs in the plugin process. */
  codegen: CodegenGenerator[];
}

/** Child → host. */
export type ChildMessage =
  | { type: 'ready'; contributions: RegisteredContributions }
  /** Importing the plugin or its `setup` failed; the child exits after sending this. */
  | { type: 'failed'; error: SerializedError }
  | { [K in keyof InvocationResults]: { type: 'result'; id: number; kind: K; value: InvocationResults[K] } }[keyof InvocationResults]
  | { type: 'error'; id: number; error: SerializedError }
  /** Text a running command printed with `ctx.print`. */
  | { type: 'print'; id: number; text: string }
  /** The plugin subscribed to `pattern` (see `matchesType`); the host forwards matching events. */
  | { type: 'subscribe'; subscription: number; pattern: string }
  | { type: 'unsubscribe'; subscription: number }
  /** The host publishes this on the bus with the plugin as `source`. */
  | { type: 'publish'; eventType: string; data: unknown }
  | { type: 'log'; message: string }
  /** An error nothing caught (in a timer, an event handler's promise, ...); the child exits after sending it. */
  | { type: 'fatal'; error: SerializedError };
