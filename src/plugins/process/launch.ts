/**
 * How a `process` plugin's process is started and ended (issue 13, item 8). On POSIX systems it runs behind a
 * small shell, its supervisor:
 * - the shell is the plugin's parent, so `process.kill(process.ppid, …)` in the plugin ends the shell, whose death
 *   metarepo sees and reports, never metarepo itself;
 * - the shell leads a process group of its own (`detached`), so `process.kill(0, …)` ends the shell, the plugin
 *   and what it started, never metarepo; metarepo ends a plugin the same way, by signalling the whole group;
 * - the shell bounds the plugin's data segment (`ulimit -d`, RLIMIT_DATA: heap, Buffers, native allocations) before
 *   starting it, since Node has no `setrlimit`.
 * A shell rather than a Node supervisor: it starts in about a millisecond where Node takes tens (a plugin start is
 * on the path of `check` and `generate`), and it relays nothing — the IPC channel (fd 3, `NODE_CHANNEL_FD`) passes
 * through it to the plugin untouched. Off POSIX (Windows) the plugin is forked directly, without that protection.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import type { Exit } from './reasons.js';

const POSIX = process.platform !== 'win32';

/**
 * `$1`: the data-segment bound in KiB, or empty for none (`ulimit -d` fails when the hard limit is lower than
 * asked; the lower hard limit then bounds the plugin anyway). The rest: the plugin's command. Not `exec`: the shell
 * must stay its parent. `exit $?` after the command keeps shells that would exec a last command from doing so.
 */
const SUPERVISOR_SCRIPT = 'if [ -n "$1" ]; then ulimit -d "$1" 2>/dev/null; fi; shift; "$@"; exit $?';

/** What {@link launchPlugin} needs. */
export interface LaunchOptions {
  /** Absolute path of the plugin's entry (`child.js`). */
  entry: string;
  /** Node flags of the plugin process (permissions, heap limit). */
  execArgv: string[];
  /** Working directory. */
  cwd: string;
  /** Bound of the plugin's data segment in KiB, or `null` for none. */
  dataLimitKiB: number | null;
}

/**
 * Starts the plugin process (behind its shell on POSIX) with stdout and stderr piped and an IPC channel
 * (JSON serialisation) to the plugin itself. Spawn errors arrive as the child's `error` event.
 */
export function launchPlugin({ entry, execArgv, cwd, dataLimitKiB }: LaunchOptions): ChildProcess {
  const stdio: Array<'ignore' | 'pipe' | 'ipc'> = ['ignore', 'pipe', 'pipe', 'ipc'];
  if (!POSIX) return fork(entry, [], { cwd, execArgv, stdio, serialization: 'json' });
  const command = [process.execPath, ...execArgv, entry];
  return spawn('/bin/sh', ['-c', SUPERVISOR_SCRIPT, 'sh', dataLimitKiB === null ? '' : String(dataLimitKiB), ...command], {
    cwd,
    stdio,
    serialization: 'json',
    detached: true,
  });
}

/**
 * Signals everything the launch started: the shell's process group (shell, plugin, the plugin's own children), or
 * the plugin alone off POSIX. Does nothing once the group is gone. (A group id is not reused while any member
 * lives; once all are gone the call finds nobody.)
 */
export function signalPlugin(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (POSIX) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // ESRCH: gone already.
  }
}

/**
 * How the plugin ended, from how its launch process ended: the shell reports a plugin killed by signal N as exit
 * code 128 + N (so a plugin calling `process.exit(134)` reads as SIGABRT — the shell cannot tell them apart); a
 * signal on the shell itself means the shell was killed (`supervisor`), by the plugin or by anyone.
 */
export function pluginExit(code: number | null, signal: NodeJS.Signals | null): Exit {
  if (!POSIX) return { code, signal };
  if (signal !== null) return { code, signal, supervisor: true };
  const name = code !== null && code > 128 ? signalName(code - 128) : undefined;
  return name === undefined ? { code, signal } : { code: null, signal: name };
}

function signalName(number: number): NodeJS.Signals | undefined {
  return (Object.keys(constants.signals) as NodeJS.Signals[]).find((name) => constants.signals[name] === number);
}
