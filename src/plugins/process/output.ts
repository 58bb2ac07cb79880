/**
 * The last lines a plugin process printed, kept so a crash message can quote them while nothing reaches the
 * user's terminal (unless verbose).
 */
import { stripVTControlCharacters } from 'node:util';

/** Longest line kept, in characters; longer lines end with `…`. */
const LINE_LENGTH = 200;

/** A bounded buffer of a process's output lines (stdout and stderr interleaved as they arrive). */
export class OutputTail {
  private lines: string[] = [];
  private partial = '';
  /** The first complete line that matched `watch`, kept even once it left the tail. */
  matched: string | undefined;

  /**
   * @param keep - how many complete lines to keep.
   * @param watch - a line to remember when it appears (e.g. an out-of-memory report followed by a long stack).
   */
  constructor(
    private readonly keep = 20,
    private readonly watch?: RegExp,
  ) {}

  /** Adds a chunk of output; splits it into lines, dropping colour codes and blank lines. */
  push(chunk: string): void {
    const parts = (this.partial + chunk).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.add(line);
    // A process that prints without newlines must not grow the buffer without bound.
    if (this.partial.length > LINE_LENGTH) {
      this.add(this.partial);
      this.partial = '';
    }
  }

  /**
   * The last `count` lines (including an unterminated last line) joined with ` | `, e.g.
   * `loading x | Error: boom`; empty when nothing was printed.
   */
  last(count = 5): string {
    const all = this.partial.trim() === '' ? this.lines : [...this.lines, clean(this.partial)];
    return all.slice(-count).join(' | ');
  }

  private add(line: string): void {
    const text = clean(line);
    if (text === '') return;
    if (this.matched === undefined && this.watch?.test(text)) this.matched = text;
    this.lines.push(text);
    if (this.lines.length > this.keep) this.lines.shift();
  }
}

function clean(line: string): string {
  const text = stripVTControlCharacters(line).trim();
  return text.length > LINE_LENGTH ? `${text.slice(0, LINE_LENGTH - 1)}…` : text;
}
