/**
 * Indents TypeScript declarations that json-schema-to-typescript emits with `format: false` (flush
 * left). Prettier would do it too but costs ~70 ms per file plus a large import; this pass is linear
 * and deterministic. It relies on that emitter's shape: one member per line, brackets balanced per
 * declaration, comments only as whole `/** ... *\/` lines, strings only as double-quoted literals.
 */

const INDENT = '  ';
const OPENERS = new Set(['{', '(', '[']);
const CLOSERS = new Set(['}', ')', ']']);

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
    const brackets = [...line.replace(/"(?:[^"\\]|\\.)*"/g, '""')].filter((c) => OPENERS.has(c) || CLOSERS.has(c));
    const leading = brackets.findIndex((c) => !CLOSERS.has(c));
    const leadingClosers = leading === -1 ? brackets.length : leading;
    const net = brackets.reduce((n, c) => n + (OPENERS.has(c) ? 1 : -1), 0);
    const afterLeading = close(levels.slice(), leadingClosers).length;
    const afterLine = net < 0 ? close(levels.slice(), -net).length : levels.length;
    out.push(line === '' ? '' : INDENT.repeat(Math.min(afterLeading, afterLine)) + line);
    if (net > 0) levels.push(net);
    else close(levels, -net);
  }
  return out.join('\n').replace(/\n+$/, '') + '\n';
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
