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

/** What {@link colorWanted} looks at in a stream. */
export interface ColorStream {
  isTTY?: boolean;
}

/**
 * Whether text written to `stream` should be coloured: never with `NO_COLOR` (any non-empty value); always with
 * `FORCE_COLOR` set to anything but `0` or `false`; otherwise only on a terminal whose `TERM` is not `dumb`. Unlike
 * picocolors' own guess, `CI` alone does not turn colours on: piped output (`--dry-run | git apply`) stays plain.
 */
export function colorWanted(stream: ColorStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/**
 * Turns picocolors' colours on or off for the whole process by {@link colorWanted} on stdout. Every module uses
 * the one picocolors object (`pc.red(…)` is looked up at each call), so the CLI entry point calls this once,
 * before any command module loads.
 */
export function configureColors(stream: ColorStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  const on = colorWanted(stream, env);
  Object.assign(pc, pc.createColors(on));
  return on;
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

/** What {@link endQuietlyOnClosedPipe} needs of a stream: an `error` event and a `write` it can silence. */
export interface PipeStream {
  on(event: 'error', listener: (e: NodeJS.ErrnoException) => void): unknown;
  write: unknown;
}

/**
 * A reader that closes the pipe early (`metarepo events | head -1`) ends the run quietly, as `SIGPIPE` ends a C
 * tool, but with exit code 0: on `EPIPE` from any of `streams`, every one of them stops writing (nothing more can
 * fail or print a stack trace) and `exit(0)` is called. Any other stream error is thrown, as Node would.
 * Interrupting a writer there is safe: its commit is journaled and its lock is taken over once the process is gone.
 */
export function endQuietlyOnClosedPipe(streams: PipeStream[] = [process.stdout, process.stderr], exit: (code: number) => void = (code) => process.exit(code)): void {
  let closed = false;
  for (const s of streams) {
    s.on('error', (e) => {
      if (e.code !== 'EPIPE') throw e;
      if (closed) return;
      closed = true;
      for (const t of streams) t.write = () => true;
      exit(0);
    });
  }
}
