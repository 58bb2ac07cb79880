/**
 * Errors that reach the user. Every failure metarepo reports on purpose is a {@link MetarepoError}:
 * the CLI prints `message` (plus location and hint) without a stack trace unless `--verbose`,
 * and exits with `exitCode`.
 */

/** Where in a file an error was found. `line` and `column` are 1-based. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

/** Exit codes: 0 ok, 1 the run failed (stale output, failed check), 2 bad usage or bad input. */
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;

/**
 * A failure with a user-facing message.
 * @param message - what went wrong, one sentence.
 * @param options.location - file, line, column where there is one.
 * @param options.hint - how to fix it.
 * @param options.exitCode - 1 (run failed) or 2 (bad input, the default).
 */
export class MetarepoError extends Error {
  readonly location?: SourceLocation;
  readonly hint?: string;
  readonly exitCode: number;
  /** Further errors of the same kind (e.g. every schema violation in one file). */
  readonly details: string[];

  constructor(
    message: string,
    options: { location?: SourceLocation; hint?: string; exitCode?: number; details?: string[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MetarepoError';
    this.location = options.location;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? EXIT_BAD_INPUT;
    this.details = options.details ?? [];
  }
}

/** Formats a location as `file:line:column` (omitting what is unknown). */
export function formatLocation(loc: SourceLocation): string {
  let s = loc.file;
  if (loc.line !== undefined) s += `:${loc.line}`;
  if (loc.line !== undefined && loc.column !== undefined) s += `:${loc.column}`;
  return s;
}
