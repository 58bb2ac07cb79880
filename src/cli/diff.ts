import pc from 'picocolors';
import type { FileChange } from '../engine/tree.js';
import { formatChangesPatch as enginePatch } from '../engine/patch.js';
import { describeConflict, type FileConflict } from '../engine/merge/three-way.js';

export { quotePath } from '../engine/patch.js';

/** The note every dry run ends with. */
export const DRY_RUN_NOTE = 'dry run: nothing was written';

/**
 * The patch of a set of changes in git's format (see `formatChangesPatch` in src/engine/patch.ts), with colours
 * (bold headers, green additions, red removals) only where picocolors has them on, that is on a terminal (see
 * `configureColors` in `output.ts`).
 */
export function formatChangesPatch(changes: readonly FileChange[]): string {
  return enginePatch(changes, { header: (l) => pc.bold(l), hunks: colorHunks });
}

/** Green `+` lines, red `-` lines, cyan `@@` lines; unchanged when colours are off. */
function colorHunks(text: string): string {
  if (!pc.isColorSupported) return text;
  return text
    .split('\n')
    .map((l) => (l.startsWith('@@') ? pc.cyan(l) : l.startsWith('+') && !l.startsWith('+++ ') ? pc.green(l) : l.startsWith('-') && !l.startsWith('--- ') ? pc.red(l) : l))
    .join('\n');
}

const VERB = { create: 'create', modify: 'update', delete: 'remove' } as const;

/**
 * One line per change: `create <path> (<n> lines)`, `update <path>`, `remove <path>`, with ` (edited by hand)` for
 * the paths in `edited`. None of these lines can be taken for a patch header, so they may stand before a patch as
 * its commentary (as a mailed patch's message does).
 */
export function summarizeChanges(changes: readonly FileChange[], edited: readonly string[] = []): string[] {
  return changes.map((c) => {
    const note = edited.includes(c.path) ? ' (edited by hand)' : '';
    const size = c.type === 'create' ? ` (${lineCount(c.content ?? '')} lines)` : '';
    return `${VERB[c.type]} ${c.path}${size}${note}`;
  });
}

function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/**
 * A dry run's report as one text: the summary of {@link summarizeChanges}, a blank line, then the patch of
 * {@link formatChangesPatch}. The whole text is a valid patch: `git apply` and `patch -p1` skip the summary lines
 * as commentary before the first `diff --git`, and whatever a command prints after the last hunk. `no changes`
 * when there are none.
 */
export function describeChanges(changes: FileChange[], edited: string[] = []): string {
  if (changes.length === 0) return 'no changes';
  const patch = formatChangesPatch(changes);
  return `${summarizeChanges(changes, edited).join('\n')}\n${patch ? `\n${patch.trimEnd()}` : ''}`;
}

/** Where {@link printDryRun} writes (the process's streams by default; tests pass their own). */
export interface DryRunStreams {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/**
 * Prints a dry run with the patch cleanly apart from the words: the patch alone on stdout (so
 * `metarepo <command> --dry-run | git apply` applies exactly what a real run would write), and on stderr the
 * summary of {@link summarizeChanges}, then `notes` (one per line), then `dry run: nothing was written`. With no
 * change, stdout stays empty and stderr says `no changes`. Prints nothing with `--json` (the command's JSON
 * report says it all).
 */
export function printDryRun(
  g: { json: boolean },
  changes: readonly FileChange[],
  opts: { edited?: readonly string[]; notes?: readonly string[] } = {},
  streams: DryRunStreams = process,
): void {
  if (g.json) return;
  const patch = formatChangesPatch(changes);
  if (patch) streams.stdout.write(patch);
  const words = [...(changes.length ? summarizeChanges(changes, opts.edited) : ['no changes']), ...(opts.notes ?? []), pc.dim(DRY_RUN_NOTE)];
  streams.stderr.write(`${words.join('\n')}\n`);
}

const RESOLUTION = {
  untouched: 'left untouched; resolve by hand, or rerun with --conflicts=markers',
  markers: 'written with conflict markers; resolve them in the file',
  'no-base': 'left untouched: no merge base is stored for it (written before metarepo kept bases); merge by hand, or overwrite it with --force',
  'both-added': 'the new output adds this file but a different one exists; rerun with --conflicts=markers to merge them',
} as const;

/** A conflicting file: what happened to it and how to go on, then each hunk with its three sides. */
export function describeFileConflict(c: FileConflict): string {
  return [`${pc.red('conflict')} ${c.file}: ${RESOLUTION[c.resolution]}`, ...c.hunks.map((h) => describeConflict(c.file, h))].join('\n');
}
