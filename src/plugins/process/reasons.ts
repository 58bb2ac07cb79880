/**
 * One-line, user-facing reasons for failures of a `process` plugin, and the errors that carry them. The host
 * words what it sees (an exit, a timeout) and what the child reports (a throw, a permission denial) here, so
 * every failure names the plugin and what it was doing.
 */
import path from 'node:path';
import { EXIT_FAILURE, MetarepoError } from '../../core/errors.js';
import { formatSeconds } from '../../core/error-text.js';
import type { SerializedError } from './protocol.js';

/**
 * How a process ended: its exit code or signal; `supervisor` when it was the plugin's supervisor that ended (the
 * plugin, or something else, killed it), not the plugin's own process.
 */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  supervisor?: boolean;
}

/**
 * A line Node or V8 prints when a process runs out of memory: V8's fatal heap exhaustion
 * (`FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory`, also when committing
 * memory fails under the data-segment bound) or C++'s `std::bad_alloc`.
 */
export const OUT_OF_MEMORY_LINE = /FATAL ERROR:.*out of memory|Fatal process out of memory|std::bad_alloc/;

/** Whether a thrown error is a failed allocation (a Buffer or ArrayBuffer past the data-segment bound). */
function allocationFailed(error: SerializedError): boolean {
  return /^Array buffer allocation failed$|^Cannot allocate memory$/.test(error.message) || error.code === 'ERR_MEMORY_ALLOCATION_FAILED' || error.code === 'ENOMEM';
}

/** Reason for a plugin past its memory bound. */
function memoryReason(plugin: string, activity: string | undefined, memoryMb: number): string {
  return `plugin ${plugin} ran out of memory (limit ${memoryMb} MiB) ${activity === undefined ? 'while idle' : `while running ${activity}`}`;
}

/** Hint for a plugin past its memory bound. */
export function memoryHint(memoryMb: number): string {
  return `If the plugin legitimately needs more, raise the bound with METAREPO_PLUGIN_MEMORY_MB (now ${memoryMb}); else fix what it keeps in memory.`;
}

/*
 * `activity` everywhere: what the plugin was doing, as messages name it: `check y`, `command y`,
 * `codegen generator y`, `setup`.
 */

/**
 * Reason for an error the plugin raised. Node's permission denials (`ERR_ACCESS_DENIED`) are worded after the
 * manifest field that would allow them, e.g.
 * `plugin x may not write /abs/path: not in its declared permissions.write (while running check y)`; a failed
 * allocation as running out of memory (`memoryMb`: the plugin's bound).
 */
export function thrownReason(plugin: string, activity: string, error: SerializedError, memoryMb: number): string {
  const denied = deniedReason(plugin, error);
  if (denied !== undefined) return `${denied} (while running ${activity})`;
  if (allocationFailed(error)) return memoryReason(plugin, activity, memoryMb);
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
 * idle` when no call was running; `plugin x could not be started` when it never ran; `crashed (its supervisor
 * process ended by signal SIGKILL)` when the plugin killed its parent), followed by the error nothing caught, if
 * the child reported one, and the last lines it printed. With `outOfMemory` (the process printed
 * {@link OUT_OF_MEMORY_LINE}): `plugin x ran out of memory (limit N MiB) while …`.
 */
export function crashReason(
  plugin: string,
  activity: string | undefined,
  exit: Exit,
  fatal: SerializedError | undefined,
  tail: string,
  outOfMemory?: { memoryMb: number },
): string {
  if (outOfMemory) return memoryReason(plugin, activity, outOfMemory.memoryMb);
  const when = activity === undefined ? 'while idle' : `while running ${activity}`;
  const how = exit.signal !== null ? `signal ${exit.signal}` : `exit code ${exit.code}`;
  // Neither code nor signal: the process never started (e.g. its working directory is missing).
  let reason =
    exit.signal === null && exit.code === null ? `plugin ${plugin} could not be started`
    : exit.supervisor ? `plugin ${plugin} crashed (its supervisor process ended by ${how}) ${when}`
    : `plugin ${plugin} crashed (${how}) ${when}`;
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

/**
 * Hint for an error the plugin raised: for a denied write, the exact `permissions.write` entry to declare (the
 * path relative to `root`), or that the path is outside the workspace; for another denial, how to declare a
 * permission; for a failed allocation, the memory bound; else the error's own hint.
 */
export function failureHint(error: SerializedError, root: string | null, memoryMb: number): string | undefined {
  if (error.code === 'ERR_ACCESS_DENIED') {
    if (error.permission === 'FileSystemWrite' && error.resource !== undefined) return writeHint(error.resource, root);
    if (error.permission === 'ChildProcess') return 'Declare it in the plugin\'s package.json: "metarepo": { "permissions": { "childProcess": true } }.';
    return 'Declare what the plugin needs under `metarepo.permissions` in its package.json (write paths are relative to the workspace).';
  }
  if (allocationFailed(error)) return memoryHint(memoryMb);
  return error.hint;
}

function writeHint(resource: string, root: string | null): string {
  const relative = root === null ? '' : path.relative(root, resource);
  if (root === null || relative.startsWith('..') || path.isAbsolute(relative)) {
    return `${resource} is outside the workspace, where no plugin may write: write under the workspace instead and declare that folder in metarepo.permissions.write.`;
  }
  const entry = JSON.stringify(relative === '' ? '.' : relative.split(path.sep).join('/'));
  return `Declare it in the plugin's package.json: "metarepo": { "permissions": { "write": [${entry}] } } (paths are relative to the workspace).`;
}

/** The error a failed call rejects with: exit code 1 (the run failed), `reason` as message. */
export function pluginFailure(reason: string, hint: string | undefined): MetarepoError {
  return new MetarepoError(reason, hint === undefined ? { exitCode: EXIT_FAILURE } : { exitCode: EXIT_FAILURE, hint });
}
