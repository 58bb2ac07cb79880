/**
 * Byte-level reading of log segments: lines are found and their trailing `sequence` read without decoding the
 * line, so a query over a large log decodes and parses only the lines it may return. Every metarepo writer puts
 * `,"sequence":N}` last in a line (EventLog stamps it so; the broker splices it in).
 */

const SEQUENCE_KEY = Buffer.from('"sequence":');

/**
 * The sequence that the line in bytes [start, end) of `buf` ends with (`…"sequence":N}`), or -1 when it does not end
 * so (garbage, a cut-off write, a line written by hand): such a line has to be parsed to be judged.
 */
export function trailingSequence(buf: Buffer, start: number, end: number): number {
  let i = end - 1;
  if (i <= start || buf[i] !== 0x7d /* } */) return -1;
  let n = 0;
  let scale = 1;
  let digits = 0;
  for (i--; i >= start && buf[i]! >= 0x30 && buf[i]! <= 0x39; i--) {
    n += (buf[i]! - 0x30) * scale;
    scale *= 10;
    if (++digits > 15) return -1; // past Number.MAX_SAFE_INTEGER's length: not one of ours
  }
  const key = i - SEQUENCE_KEY.length + 1;
  if (digits === 0 || key < start) return -1;
  for (let k = 0; k < SEQUENCE_KEY.length; k++) if (buf[key + k] !== SEQUENCE_KEY[k]) return -1;
  return n;
}

/**
 * Calls `visit` for each non-empty line of `buf` in order: its bytes [start, end) without the line end, its 0-based
 * index among all lines (empty ones included, so `index + 1` is the line number), and whether it has a line end.
 * `visit` returns false to stop early.
 */
export function forEachLine(buf: Buffer, visit: (start: number, end: number, index: number, terminated: boolean) => boolean | void): void {
  let index = 0;
  for (let start = 0; start < buf.length; index++) {
    const newline = buf.indexOf(0x0a, start);
    const end = newline < 0 ? buf.length : newline;
    if (end > start && visit(start, end, index, newline >= 0) === false) return;
    start = end + 1;
  }
}

/**
 * Finds a byte string inside successive lines of one buffer in amortised linear time: the next occurrence is searched
 * once and reused until the lines visited pass it, so a rare needle costs one scan of the buffer, not one per line.
 */
export class NeedleCursor {
  private next = -2; // -2: not searched yet; -1: no further occurrence

  constructor(
    private readonly buf: Buffer,
    private readonly needle: Buffer,
  ) {}

  /** Whether the needle occurs inside bytes [start, end). Calls must come with non-decreasing `start`. */
  within(start: number, end: number): boolean {
    if (this.next === -1) return false;
    if (this.next < start) this.next = this.buf.indexOf(this.needle, start);
    return this.next >= 0 && this.next + this.needle.length <= end;
  }
}
