/**
 * Entry of a `process` plugin's supervisor (compiled to `dist/src/plugins/process/supervisor.js`, forked by
 * `ProcessPlugin` with a `SupervisorSpec` as its one argument). It stands between metarepo and the plugin, so
 * that whatever the plugin does to its parent or its process group ends only the supervisor and the plugin:
 * - `process.kill(process.ppid, …)` in the plugin reaches the supervisor, whose death metarepo sees and reports;
 * - the plugin leads its own process group (`detached`), so `process.kill(0, …)` ends the plugin and its children;
 * - the plugin's data segment is bounded (`ulimit -d` through `/bin/sh`, as Node has no `setrlimit`), so Buffers
 *   and native allocations fail past the bound instead of taking the machine's memory.
 * Messages are relayed unchanged both ways (./protocol.ts); the supervisor adds `supervisor:spawned` and
 * `supervisor:exited`. The plugin's stdout and stderr are metarepo's pipes (inherited), not relayed.
 */
import { spawn } from 'node:child_process';
import type { ChildMessage, HostMessage, SupervisorMessage, SupervisorSpec } from './protocol.js';

const spec = JSON.parse(process.argv[2] ?? '{}') as SupervisorSpec;
const posix = process.platform !== 'win32';

/** To the host; nothing when it is gone. */
function toHost(message: ChildMessage | SupervisorMessage): void {
  if (process.connected) process.send?.(message, undefined, {}, () => undefined);
}

const node = [process.execPath, ...spec.execArgv, spec.entry];
// `ulimit -d` fails when the hard limit is lower than asked; the lower hard limit then bounds the plugin anyway.
const [command, ...args] =
  posix && spec.dataLimitKiB !== null ? ['/bin/sh', '-c', 'ulimit -d "$0" 2>/dev/null; exec "$@"', String(spec.dataLimitKiB), ...node] : node;
const plugin = spawn(command!, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json', detached: posix });

/** Signals the plugin's whole process group (it and the processes it started), or the plugin alone off POSIX. */
function signalPlugin(signal: NodeJS.Signals): void {
  if (plugin.pid === undefined) return;
  try {
    process.kill(posix ? -plugin.pid : plugin.pid, signal);
  } catch {
    // ESRCH: already gone.
  }
}

if (plugin.pid !== undefined) toHost({ type: 'supervisor:spawned', pid: plugin.pid });
plugin.on('message', (message: ChildMessage | SupervisorMessage) => {
  // The plugin may not speak for the supervisor.
  if (!message.type.startsWith('supervisor:')) toHost(message);
});
process.on('message', (message: HostMessage) => {
  if (plugin.connected) plugin.send(message, () => undefined);
});

let exited = false;
const exit = (report: Omit<Extract<SupervisorMessage, { type: 'supervisor:exited' }>, 'type'>): void => {
  if (exited) return;
  exited = true;
  // Whatever the plugin started in its group goes with it.
  signalPlugin('SIGKILL');
  toHost({ type: 'supervisor:exited', ...report });
  if (process.connected) process.disconnect();
};
// 'close': the plugin has exited and its IPC channel is drained, so every message it sent was relayed before this.
plugin.on('close', (code, signal) => exit({ code, signal }));
plugin.on('error', (error) => {
  if (plugin.pid === undefined) exit({ code: null, signal: null, error: error.message });
});

// metarepo went away: let the plugin dispose (its channel closes, see child.ts), then end it.
process.on('disconnect', () => {
  if (plugin.connected) plugin.disconnect();
  setTimeout(() => signalPlugin('SIGKILL'), spec.graceMs).unref();
});
// The host's SIGTERM is for the plugin. Ctrl-C reaches metarepo and this process, not the plugin's group: metarepo
// decides (it disposes its plugins, or exits, which closes the channel).
process.on('SIGTERM', () => signalPlugin('SIGTERM'));
process.on('SIGINT', () => undefined);
