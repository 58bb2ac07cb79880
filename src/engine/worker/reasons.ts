/**
 * One-line, user-facing reasons for failed codegen jobs. Shared by the worker (which classifies what
 * it caught) and the pool (which words what it saw from outside: timeouts, out of memory, exits).
 */
import { errorMessage, isOutOfMemory, isStackOverflow } from '../../core/error-text.js';
import type { FailureKind } from './protocol.js';

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
