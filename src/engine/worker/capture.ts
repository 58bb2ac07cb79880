/**
 * Keeps whatever code in a codegen worker prints away from the user's terminal. Libraries print
 * diagnostics on their own (json-schema-to-typescript logs its validation errors with
 * `console.error` before throwing an error with an empty message), and a worker thread's stdout and
 * stderr are forwarded to the main process's. Patching the two streams' `write` catches every
 * `console` method, direct `process.stdout.write` calls and Node's warnings alike, synchronously, so
 * the text is in hand when the job's reply is posted.
 */
import { stripVTControlCharacters } from 'node:util';

/** The text a job printed, for reasons: see {@link OutputCapture.take}. */
export interface OutputCapture {
  /**
   * Returns what was printed since the last call (or since capturing began) as one line: terminal
   * colour codes removed, runs of whitespace collapsed to one space, trimmed, at most
   * {@link EXCERPT_LENGTH} characters (cut text ends with `…`); empty when nothing was printed.
   * Clears the buffer.
   */
  take(): string;
}

/** Longest excerpt {@link OutputCapture.take} returns, in characters. */
export const EXCERPT_LENGTH = 300;

/**
 * Starts capturing this thread's `process.stdout` and `process.stderr` for good. Call once, in the
 * worker, before any generator module loads. Only the start of each job's output is kept, so a
 * generator that prints in a loop costs no memory.
 */
export function captureThreadOutput(): OutputCapture {
  let buffer = '';
  for (const stream of [process.stdout, process.stderr]) {
    stream.write = ((chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
      // Slack over the excerpt length leaves room for whitespace that collapses away.
      if (buffer.length < EXCERPT_LENGTH * 4) buffer += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') queueMicrotask(() => done(null));
      return true;
    }) as typeof stream.write;
  }
  return {
    take() {
      const text = stripVTControlCharacters(buffer).replace(/\s+/g, ' ').trim();
      buffer = '';
      return text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH - 1)}…` : text;
    },
  };
}
