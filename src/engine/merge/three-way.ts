import { diff3Merge } from 'node-diff3';

/** One conflicting hunk of a 3-way merge. Line numbers are 1-based; each side is its lines, terminators kept. */
export interface MergeConflict {
  /** First line of the hunk in ours (the file on disk). */
  oursLine: number;
  /** First line of the hunk in the base. */
  baseLine: number;
  /** First line of the hunk in theirs (the new output). */
  theirsLine: number;
  ours: string[];
  base: string[];
  theirs: string[];
}

/** A file whose 3-way merge conflicted, as `generate --merge` and `update` report it. */
export interface FileConflict {
  /** Path relative to the workspace root. */
  file: string;
  /**
   * `markers`: written with conflict markers; `untouched`: left as it was; `no-base`: no merge base was stored;
   * `both-added`: the file is new in the output but a different file of that name exists.
   */
  resolution: 'markers' | 'untouched' | 'no-base' | 'both-added';
  hunks: MergeConflict[];
}

/** Result of {@link mergeThreeWay}. */
export interface ThreeWayResult {
  /** True when every hunk merged without conflict; `text` is then the merged file. */
  clean: boolean;
  /** The merged text; conflicting hunks are written with git-style markers (see {@link mergeThreeWay}). */
  text: string;
  conflicts: MergeConflict[];
}

/** Labels printed after the conflict markers. */
export interface MergeLabels {
  ours: string;
  base: string;
  theirs: string;
}

const DEFAULT_LABELS: MergeLabels = { ours: 'ours (on disk)', base: 'base', theirs: 'theirs (generated)' };

/**
 * Line-based 3-way merge of `ours` and `theirs` against their common ancestor `base`, with node-diff3's diff3
 * (Khanna, Kunal and Pierce, "A Formal Investigation of Diff3", FSTTCS 2007). A hunk both sides changed the same
 * way is no conflict (`excludeFalseConflicts`). Conflicting hunks appear in `text` as in `git merge-file --diff3`:
 * `<<<<<<< ours`, the ours lines, `||||||| base`, the base lines, `=======`, the theirs lines, `>>>>>>> theirs`.
 * Line terminators are kept, so CRLF files and a missing final newline survive a clean merge unchanged.
 */
export function mergeThreeWay(base: string, ours: string, theirs: string, labels: MergeLabels = DEFAULT_LABELS): ThreeWayResult {
  if (ours === theirs) return { clean: true, text: ours, conflicts: [] };
  if (base === ours) return { clean: true, text: theirs, conflicts: [] };
  if (base === theirs) return { clean: true, text: ours, conflicts: [] };
  const regions = diff3Merge(splitLines(ours), splitLines(base), splitLines(theirs), { excludeFalseConflicts: true });
  const out: string[] = [];
  const conflicts: MergeConflict[] = [];
  for (const region of regions) {
    if (region.ok) {
      out.push(...region.ok);
      continue;
    }
    const c = region.conflict!;
    conflicts.push({ oursLine: c.aIndex + 1, baseLine: c.oIndex + 1, theirsLine: c.bIndex + 1, ours: c.a, base: c.o, theirs: c.b });
    out.push(
      `<<<<<<< ${labels.ours}\n`,
      ...terminated(c.a),
      `||||||| ${labels.base}\n`,
      ...terminated(c.o),
      '=======\n',
      ...terminated(c.b),
      `>>>>>>> ${labels.theirs}\n`,
    );
  }
  return { clean: conflicts.length === 0, text: out.join(''), conflicts };
}

/** Splits text into lines that keep their terminator (`\n`, `\r\n`); the last line may have none. */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Lines of a conflict side, the last one given a newline so the next marker starts a line. */
function terminated(lines: string[]): string[] {
  if (lines.length === 0 || lines[lines.length - 1].endsWith('\n')) return lines;
  return [...lines.slice(0, -1), `${lines[lines.length - 1]}\n`];
}

/** A conflict as a short report: its position and the three sides, each line prefixed. */
export function describeConflict(file: string, c: MergeConflict, labels: MergeLabels = DEFAULT_LABELS): string {
  const side = (prefix: string, lines: string[]) => lines.map((l) => `${prefix}${l.replace(/\r?\n$/, '')}`);
  return [
    `${file}:${c.oursLine}: conflict`,
    `  ${labels.ours}:`,
    ...side('    < ', c.ours),
    `  ${labels.base}:`,
    ...side('    | ', c.base),
    `  ${labels.theirs}:`,
    ...side('    > ', c.theirs),
  ].join('\n');
}
