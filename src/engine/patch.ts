import { OMIT_HEADERS, formatPatch, structuredPatch } from 'diff';
import type { FileChange } from './tree.js';

/**
 * The unified patch of a set of {@link FileChange}s in git's format (moved down from src/cli/diff.ts so that every
 * front end — the CLI's dry runs, the MCP server's write tools — shows the one patch).
 */

/** Lines of context around each hunk, as `git diff` and `diff -u` print them. */
const CONTEXT = 3;

/** How a patch is painted: header lines and the hunk text (the CLI colours them on a terminal). Default: plain. */
export interface PatchPaint {
  header(line: string): string;
  hunks(text: string): string;
}

const PLAIN: PatchPaint = { header: (l) => l, hunks: (t) => t };

/**
 * The patch of a set of changes in git's format: one `diff --git a/<path> b/<path>` section per file, `/dev/null`
 * for the missing side of a created or deleted file (`new file mode` / `deleted file mode` headers, so empty files
 * are created and removed too), hunks with 3 lines of context (hunks by the `diff` library's `structuredPatch`).
 * `git apply` and `patch -p1` apply it to the workspace as it was when the changes were computed. Changes that
 * leave a file as it is print nothing; no changes give the empty string.
 */
export function formatChangesPatch(changes: readonly FileChange[], paint: PatchPaint = PLAIN): string {
  return changes.map((c) => filePatch(c, paint)).join('');
}

function filePatch(c: FileChange, paint: PatchPaint): string {
  const before = c.type === 'create' ? '' : (c.previous ?? '');
  const after = c.type === 'delete' ? '' : (c.content ?? '');
  if (c.type === 'modify' && before === after) return '';
  const a = quotePath(`a/${c.path}`);
  const b = quotePath(`b/${c.path}`);
  const head = [`diff --git ${a} ${b}`];
  if (c.type === 'create') head.push('new file mode 100644');
  if (c.type === 'delete') head.push('deleted file mode 100644');
  const hunks = before === after ? '' : formatPatch(structuredPatch(a, b, before, after, undefined, undefined, { context: CONTEXT }), OMIT_HEADERS);
  if (hunks.trim() !== '') {
    // git puts a tab after a name with a space in it, so that `patch` reads the whole name.
    const tab = c.path.includes(' ') ? '\t' : '';
    head.push(`--- ${c.type === 'create' ? '/dev/null' : a + tab}`, `+++ ${c.type === 'delete' ? '/dev/null' : b + tab}`);
  }
  const text = `${head.map((l) => paint.header(l)).join('\n')}\n${hunks.trim() === '' ? '' : hunks}`;
  return paint.hunks(text.endsWith('\n') ? text : `${text}\n`);
}

/**
 * A path as git writes it in patch headers: as is, unless it holds a double quote, a backslash or a control
 * character; then in double quotes with C escapes (git's `quote_c_style`), which `git apply` reads back.
 */
export function quotePath(p: string): string {
  if (!/["\\\x00-\x1f\x7f]/.test(p)) return p;
  const named: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\x07': '\\a', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\v': '\\v', '\f': '\\f', '\r': '\\r' };
  return `"${p.replace(/["\\\x00-\x1f\x7f]/g, (ch) => named[ch] ?? `\\${ch.charCodeAt(0).toString(8).padStart(3, '0')}`)}"`;
}
