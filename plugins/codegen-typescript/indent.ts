/**
 * Indents TypeScript declarations that json-schema-to-typescript emits with `format: false` (flush
 * left). Prettier would do it too but costs ~70 ms per file plus a large import; this pass is linear
 * and deterministic. It relies on that emitter's shape: one member per line, brackets balanced per
 * declaration, comments only as whole `/** ... *\/` lines, strings only as double-quoted literals.
 */

const INDENT = '  ';

/**
 * Re-indents `code` by bracket depth, two spaces per level; a line that opens several brackets adds
 * one level, not several. Trailing whitespace is removed and the result ends with one newline.
 */
export function indentDeclarations(code: string): string {
  // Brackets opened per indentation level, innermost last.
  const levels: number[] = [];
  const out: string[] = [];
  let inComment = false;
  for (const raw of code.split('\n')) {
    const line = raw.trim();
    if (inComment || line.startsWith('/*')) {
      inComment = !line.endsWith('*/');
      // Keep the comment's own leading space (" * text") so its stars line up.
      out.push(INDENT.repeat(levels.length) + (line.startsWith('*') ? ` ${line}` : line));
      continue;
    }
    const { leadingClosers, net } = countBrackets(line);
    const afterLeading = close(levels.slice(), leadingClosers).length;
    const afterLine = net < 0 ? close(levels.slice(), -net).length : levels.length;
    out.push(line === '' ? '' : INDENT.repeat(Math.min(afterLeading, afterLine)) + line);
    if (net > 0) levels.push(net);
    else close(levels, -net);
  }
  return out.join('\n').replace(/\n+$/, '') + '\n';
}

/**
 * The brackets of one line outside double-quoted string literals (a quote without its closing quote is an ordinary
 * character): how many closers come before the first opener, and openers minus closers. One pass, no allocation:
 * generated files run to millions of lines.
 */
function countBrackets(line: string): { leadingClosers: number; net: number } {
  let leadingClosers = 0;
  let opened = false;
  let net = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(line, i);
      if (end > 0) i = end;
    } else if (c === 0x7b || c === 0x28 || c === 0x5b) {
      net++;
      opened = true;
    } else if (c === 0x7d || c === 0x29 || c === 0x5d) {
      net--;
      if (!opened) leadingClosers++;
    }
  }
  return { leadingClosers, net };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Index of the quote closing the string literal that opens at `start`, or -1 when it is not closed on the line. */
function stringEnd(line: string, start: number): number {
  for (let i = start + 1; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i;
  }
  return -1;
}

/** Closes `count` brackets, dropping levels whose brackets are all closed. Mutates and returns `levels`. */
function close(levels: number[], count: number): number[] {
  let left = count;
  while (left > 0 && levels.length > 0) {
    const top = levels[levels.length - 1]!;
    const used = Math.min(top, left);
    left -= used;
    if (used === top) levels.pop();
    else levels[levels.length - 1] = top - used;
  }
  return levels;
}
