import pc from 'picocolors';
import { MetarepoError, formatLocation } from '../core/errors.js';

/** Global flags every command sees. */
export interface GlobalOptions {
  /** Working directory (`-C <dir>`). */
  cwd: string;
  verbose: boolean;
  json: boolean;
  /** Development mode: event payloads that break their schema are errors. */
  strict: boolean;
}

/** Prints a command's result: JSON (`--json`) or human text. */
export function emit(g: GlobalOptions, data: unknown, human: () => string): void {
  if (g.json) process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
  else {
    const text = human();
    if (text) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}

/**
 * Prints an error and returns the exit code. A {@link MetarepoError} prints its message, location, details and
 * hint; anything else is an internal error. Stack traces only with `--verbose`.
 */
export function reportError(g: Pick<GlobalOptions, 'json' | 'verbose'>, e: unknown): number {
  const known = e instanceof MetarepoError;
  const exitCode = known ? e.exitCode : 1;
  const message = e instanceof Error ? e.message : String(e);
  if (g.json) {
    const err = known
      ? { message, location: e.location, hint: e.hint, details: e.details, exitCode }
      : { message: `internal error: ${message}`, exitCode };
    process.stdout.write(`${JSON.stringify({ error: err }, null, 2)}\n`);
  } else {
    const where = known && e.location ? `${formatLocation(e.location)}: ` : '';
    let out = `${pc.red('error')} ${where}${known ? message : `internal error: ${message}`}\n`;
    if (known) for (const d of e.details.slice(0, 20)) out += `  ${d}\n`;
    if (known && e.details.length > 20) out += `  … and ${e.details.length - 20} more\n`;
    if (known && e.hint) out += `${pc.dim('hint:')} ${e.hint}\n`;
    process.stderr.write(out);
  }
  if (g.verbose && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  return exitCode;
}
