import fs from 'node:fs';
import path from 'node:path';
import { STATE_DIR } from '../core/layout.js';
import type { Check, Finding, PendingChange } from '../plugins/api.js';
import { readManifest } from './manifest.js';

/**
 * The built-in `conflict-markers` check: no generated file (listed in the manifest) and no scaffolded file (listed
 * in a project's answers record) holds an unresolved git-style conflict block — a `<<<<<<< ` line followed by
 * `=======` and `>>>>>>> ` lines, as `generate --merge --conflicts=markers` and `update --conflicts=markers` write
 * them. Files are judged as they will be after the pending changes.
 */

/**
 * Severity error: `status`, `check`, `generate` and `generate --check` fail until every block is resolved.
 * @param lineOf - see {@link findConflictMarkers}.
 */
export function conflictMarkersCheck(allowed: ReadonlySet<string> = new Set(), lineOf?: ConflictLineOf): Check {
  return {
    name: 'conflict-markers',
    description: 'Generated and scaffolded files hold no unresolved conflict markers.',
    run: (ctx) => findConflictMarkers(ctx.root, ctx.changes, allowed, lineOf),
  };
}

/** The first conflict line of a workspace file as it is on disk (0: none), `null` when it does not exist. */
export type ConflictLineOf = (rel: string) => number | null;

/**
 * The findings of {@link conflictMarkersCheck}: one error per tracked file holding a conflict block, at its line.
 * @param root - absolute workspace root.
 * @param pending - changes about to be committed (a file is judged by its pending content).
 * @param allowed - files to leave out.
 * @param lineOf - how to judge a file without pending changes (default: read it); the engine passes its file facts,
 *   which read only files changed since they were last judged.
 */
export function findConflictMarkers(root: string, pending: readonly PendingChange[] = [], allowed: ReadonlySet<string> = new Set(), lineOf?: ConflictLineOf): Finding[] {
  const byPath = new Map(pending.map((c) => [c.path, c]));
  const findings: Finding[] = [];
  const onDisk: ConflictLineOf = lineOf ?? ((rel) => {
    const text = read(root, rel);
    return text === null ? null : firstConflictLine(text);
  });
  for (const file of trackedFiles(root)) {
    if (allowed.has(file)) continue;
    const change = byPath.get(file);
    const line = change ? (change.content === undefined ? 0 : firstConflictLine(change.content)) : (onDisk(file) ?? 0);
    if (line > 0) {
      findings.push({
        severity: 'error',
        file,
        line,
        column: 1,
        message: `unresolved conflict markers in ${file}; keep the lines you want, delete the <<<<<<< ======= >>>>>>> lines, then run the command again`,
      });
    }
  }
  return findings;
}

/**
 * The 1-based line of the first complete conflict block (`<<<<<<<`, then `=======`, then `>>>>>>>`, each at the start
 * of a line, the outer two followed by a space or the line end), or 0 when there is none. A lone `=======` (a
 * Markdown heading underline) is not a conflict.
 */
export function firstConflictLine(text: string): number {
  if (!text.includes('<<<<<<<')) return 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^<{7}( |\r?$)/.test(lines[i])) continue;
    let separator = false;
    for (let j = i + 1; j < lines.length; j++) {
      if (/^<{7}( |\r?$)/.test(lines[j])) break;
      if (!separator && /^={7}\r?$/.test(lines[j])) separator = true;
      else if (separator && /^>{7}( |\r?$)/.test(lines[j])) return i + 1;
    }
  }
  return 0;
}

/** Files metarepo wrote and tracks: the manifest's, then every answers record's, sorted, each once. */
export function trackedFiles(root: string): string[] {
  const files = new Set(Object.keys(readManifest(root).files));
  const dir = path.join(root, STATE_DIR, 'answers');
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    // no scaffolded project yet
  }
  for (const name of names) {
    try {
      const record = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as { files?: Record<string, string> };
      for (const f of Object.keys(record.files ?? {})) files.add(f);
    } catch {
      // an unreadable answers record: `update` reports it when it is used
    }
  }
  return [...files].sort();
}

function read(root: string, rel: string): string | null {
  try {
    return fs.readFileSync(path.join(root, rel), 'utf8');
  } catch {
    return null;
  }
}
