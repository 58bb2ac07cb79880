/** One-line wording of caught errors, shared by the codegen workers and the plugin processes. */

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
