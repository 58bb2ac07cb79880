/**
 * One-line, user-facing reasons for failed codegen jobs. Shared by the worker (which classifies what
 * it caught) and the pool (which words what it saw from outside: timeouts, out of memory, exits).
 */
import type { FailureKind } from './protocol.js';

/** True for V8's "Maximum call stack size exceeded" RangeError (also after a structured clone). */
export function isStackOverflow(error: unknown): boolean {
  return /Maximum call stack size exceeded/.test(errorMessage(error));
}

/** True for the error Node raises when a worker exceeds `resourceLimits` (ERR_WORKER_OUT_OF_MEMORY). */
export function isOutOfMemory(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
}

/** The first line of an error's message (or of its string form), never empty. */
export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const first = text.split('\n').find((line) => line.trim() !== '');
  return first?.trim() ?? (error instanceof Error ? error.name : 'unknown error');
}

/** The `hint` of a MetarepoError (or any error carrying a string `hint`), if any. */
export function errorHint(error: unknown): string | undefined {
  const hint = (error as { hint?: unknown } | null)?.hint;
  return typeof hint === 'string' ? hint : undefined;
}

/** Seconds for messages: 60000 → "60 s", 250 → "0.25 s". */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** Limits that reasons quote. */
export interface ReasonLimits {
  timeoutMs: number;
  maxOldGenerationSizeMb: number;
  stackSizeMb: number;
}

/**
 * Words a failure the worker reported.
 * @param generator - generator name, e.g. `quicktype`.
 * @param output - what the job printed, quoted after the reason when not empty, e.g.
 *   `generator x failed: bad schema (printed: [ 'Error at key "a" ...' ])`.
 */
export function workerFailureReason(generator: string, kind: FailureKind, message: string, limits: ReasonLimits, output = ''): string {
  const reason = failureReason(generator, kind, message, limits);
  return output === '' ? reason : `${reason} (printed: ${output})`;
}

function failureReason(generator: string, kind: FailureKind, message: string, limits: ReasonLimits): string {
  switch (kind) {
    case 'load':
      return `could not load generator ${generator}: ${message}`;
    case 'stack':
      return stackOverflowReason(generator, limits);
    case 'output':
      return `generator ${generator} returned an invalid result: ${message}`;
    case 'error':
      return `generator ${generator} failed: ${message}`;
  }
}

/** Reason for a stack overflow, which in practice comes from a recursive or very deep schema. */
export function stackOverflowReason(generator: string, limits: ReasonLimits): string {
  return `stack overflow in ${generator}: recursive schema or nesting too deep for this generator (stack limit ${limits.stackSizeMb} MB)`;
}

/** Reason for a worker that died from outside the job's own control flow. */
export function crashReason(generator: string, error: unknown, limits: ReasonLimits): string {
  if (isOutOfMemory(error)) return `ran out of memory (limit ${limits.maxOldGenerationSizeMb} MB)`;
  if (isStackOverflow(error)) return stackOverflowReason(generator, limits);
  return `generator ${generator} crashed: ${errorMessage(error)}`;
}
