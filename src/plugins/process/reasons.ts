/**
 * One-line, user-facing reasons for failures of a `process` plugin, and the errors that carry them. The host
 * words what it sees (an exit, a timeout) and what the child reports (a throw, a permission denial) here, so
 * every failure names the plugin and what it was doing.
 */
import { EXIT_FAILURE, MetarepoError } from '../../core/errors.js';
import { formatSeconds } from '../../core/error-text.js';
import type { SerializedError } from './protocol.js';

/*
 * `activity` everywhere: what the plugin was doing, as messages name it: `check y`, `command y`,
 * `codegen generator y`, `setup`.
 */

/**
 * Reason for an error the plugin raised. Node's permission denials (`ERR_ACCESS_DENIED`) are worded after the
 * manifest field that would allow them, e.g.
 * `plugin x may not write /abs/path: not in its declared permissions.write (while running check y)`.
 */
export function thrownReason(plugin: string, activity: string, error: SerializedError): string {
  const denied = deniedReason(plugin, error);
  if (denied !== undefined) return `${denied} (while running ${activity})`;
  return `plugin ${plugin} failed while running ${activity}: ${error.message}`;
}

function deniedReason(plugin: string, error: SerializedError): string | undefined {
  if (error.code !== 'ERR_ACCESS_DENIED') return undefined;
  switch (error.permission) {
    case 'FileSystemWrite':
      return `plugin ${plugin} may not write ${error.resource ?? 'there'}: not in its declared permissions.write`;
    case 'ChildProcess':
      return `plugin ${plugin} may not start child processes: permissions.childProcess is not declared`;
    case 'WorkerThreads':
      return `plugin ${plugin} may not start worker threads: process plugins never may`;
    default:
      return `plugin ${plugin} was denied ${error.permission ?? 'an operation'}${error.resource ? ` on ${error.resource}` : ''}`;
  }
}

/**
 * Reason for a child that exited on its own: `plugin x crashed (exit code 3) while running check y` (or `while
 * idle` when no call was running; `plugin x could not be started` when it never ran), followed by the error
 * nothing caught, if the child reported one, and the last lines it printed.
 */
export function crashReason(
  plugin: string,
  activity: string | undefined,
  exit: { code: number | null; signal: NodeJS.Signals | null },
  fatal: SerializedError | undefined,
  tail: string,
): string {
  const when = activity === undefined ? 'while idle' : `while running ${activity}`;
  // Neither code nor signal: the process never started (e.g. its working directory is missing).
  let reason =
    exit.signal !== null ? `plugin ${plugin} crashed (signal ${exit.signal}) ${when}`
    : exit.code !== null ? `plugin ${plugin} crashed (exit code ${exit.code}) ${when}`
    : `plugin ${plugin} could not be started`;
  if (fatal) reason += `: ${deniedReason(plugin, fatal) ?? fatal.message}`;
  return tail === '' ? reason : `${reason} (last output: ${tail})`;
}

/** Reason for a call that ran out of time; the host stops the child. */
export function timeoutReason(plugin: string, activity: string, timeoutMs: number): string {
  return `plugin ${plugin} did not answer within ${formatSeconds(timeoutMs)} while running ${activity}; it was stopped`;
}

/** Hint for a call that ran out of time. */
export const TIMEOUT_HINT = 'Fix the loop or wait in the plugin, or raise its timeout if the work is legitimately slow.';

/** Hint for a crash without a more specific one. */
export const CRASH_HINT = 'Run with --verbose to see everything the plugin printed.';

/** Hint for an error the plugin raised: how to declare a denied permission, else the error's own hint. */
export function failureHint(error: SerializedError): string | undefined {
  if (error.code === 'ERR_ACCESS_DENIED') {
    return 'Declare what the plugin needs under `metarepo.permissions` in its package.json (write paths are relative to the workspace).';
  }
  return error.hint;
}

/** The error a failed call rejects with: exit code 1 (the run failed), `reason` as message. */
export function pluginFailure(reason: string, hint: string | undefined): MetarepoError {
  return new MetarepoError(reason, hint === undefined ? { exitCode: EXIT_FAILURE } : { exitCode: EXIT_FAILURE, hint });
}
