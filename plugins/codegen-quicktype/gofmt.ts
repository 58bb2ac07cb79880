/**
 * Makes quicktype's Go output what `gofmt` prints, so a project that runs gofmt in CI never fights
 * `metarepo generate --check` (a reformatted file would count as edited by hand). We cannot run gofmt itself:
 * generation must not depend on a Go toolchain being installed. quicktype's Go differs from gofmt's in two
 * regular ways only, and this fixes exactly those:
 * - trailing spaces (in comments built from schema descriptions);
 * - the alignment of struct fields: gofmt aligns the columns (name, type, tag) of consecutive field lines only, a
 *   comment line or blank line ending the run (its tabwriter ends a column block at a line without that cell),
 *   with one space of padding; quicktype aligns across comment lines;
 * - the indentation of quicktype's union helpers (`unmarshalUnion`, `marshalUnion`): their nested lines carry
 *   2·depth − 1 tabs instead of depth (a function whose indented lines all have an odd number of tabs, some 3 or
 *   more, is re-indented to depth; no gofmt-printed function looks like that, since its depth-2 lines have 2);
 * - old-style headings in doc comments (Go 1.19+): a top-level comment line that go/doc/comment takes for a heading
 *   (`isOldHeading` in go/doc/comment/parse.go) gets gofmt's `# ` prefix.
 * Source of the rules: go/printer (struct field lists are printed through text/tabwriter with padding 1).
 */

/** A field line of a struct: indentation tab, name, type, optional struct tag. */
const FIELD = /^\t([A-Za-z_][A-Za-z0-9_]*) +(\S+)(?: +(`[^`]*`))?$/;

/**
 * `source` with trailing whitespace removed from every line and struct fields aligned as gofmt aligns them.
 * @param source - Go source as quicktype renders it.
 */
export function gofmtQuicktypeGo(source: string): string {
  const lines = source.split('\n').map((l) => l.replace(/[ \t]+$/, ''));
  let inStruct = false;
  let run: Array<{ index: number; name: string; type: string; tag?: string }> = [];
  const flush = (): void => {
    alignRun(lines, run);
    run = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^type \S+ struct \{$/.test(line)) {
      inStruct = true;
      continue;
    }
    if (!inStruct) continue;
    const field = FIELD.exec(line);
    if (field) {
      run.push({ index: i, name: field[1]!, type: field[2]!, tag: field[3] });
      continue;
    }
    flush();
    if (line === '}') inStruct = false;
  }
  flush();
  reindentDoubledFunctions(lines);
  markOldHeadings(lines);
  return lines.join('\n');
}

/** Prefixes `# ` to each line of a top-level `//` comment group that go/doc/comment reads as an old-style heading. */
function markOldHeadings(lines: string[]): void {
  for (let start = 0; start < lines.length; start++) {
    if (!lines[start]!.startsWith('//')) continue;
    let end = start;
    while (end < lines.length && lines[end]!.startsWith('//')) end++;
    const text = lines.slice(start, end).map((l) => l.replace(/^\/\/ ?/, ''));
    for (let off = 0; off < text.length; off++) if (isOldHeading(text, off)) lines[start + off] = `// # ${text[off]!.trim()}`;
    start = end;
  }
}

/**
 * go/doc/comment's rule for an old-style heading: a line alone between blank lines, followed by unindented text,
 * starting with an upper-case letter, ending with a letter or digit, without the punctuation it excludes, `'` only
 * in a possessive `'s`, `.` only when followed by a non-space.
 */
function isOldHeading(all: string[], off: number): boolean {
  if (off <= 0 || all[off - 1] !== '' || off + 2 >= all.length || all[off + 1] !== '' || /^\s/.test(all[off + 2]!)) return false;
  const line = all[off]!.trim();
  if (!/^\p{Lu}/u.test(line) || !/[\p{L}\p{N}]$/u.test(line)) return false;
  if (/[;:!?+*/=[\]{}_^°&§~%#@<">\\]/.test(line)) return false;
  if (line.split("'").slice(1).some((after) => after !== 's' && !after.startsWith('s '))) return false;
  if (line.split('.').slice(1).some((after) => after === '' || after.startsWith(' '))) return false;
  return true;
}

/** Re-indents, in place, each top-level function whose body uses 2·depth − 1 tabs (see the module comment). */
function reindentDoubledFunctions(lines: string[]): void {
  for (let start = 0; start < lines.length; start++) {
    if (!lines[start]!.startsWith('func ') || !lines[start]!.endsWith('{')) continue;
    let end = start + 1;
    while (end < lines.length && lines[end] !== '}') end++;
    const tabs = lines.slice(start + 1, end).filter((l) => l !== '').map((l) => /^\t*/.exec(l)![0].length);
    if (tabs.some((t) => t % 2 === 0) || !tabs.some((t) => t >= 3)) continue;
    for (let i = start + 1; i < end; i++) {
      const t = /^\t*/.exec(lines[i]!)![0].length;
      if (t > 0) lines[i] = '\t'.repeat((t + 1) / 2) + lines[i]!.slice(t);
    }
    start = end;
  }
}

/**
 * Aligns one run of consecutive field lines: the name column over the whole run; the type column over each
 * sub-run of lines that have a tag (a line without one ends the type column's block, as in text/tabwriter).
 */
function alignRun(lines: string[], run: Array<{ index: number; name: string; type: string; tag?: string }>): void {
  if (run.length === 0) return;
  const nameWidth = Math.max(...run.map((f) => f.name.length));
  let start = 0;
  while (start < run.length) {
    let end = start;
    while (end < run.length && (run[end]!.tag !== undefined) === (run[start]!.tag !== undefined)) end++;
    const block = run.slice(start, end);
    const typeWidth = Math.max(...block.map((f) => f.type.length));
    for (const f of block) {
      const name = f.name.padEnd(nameWidth + 1);
      lines[f.index] = f.tag === undefined ? `\t${name}${f.type}` : `\t${name}${f.type.padEnd(typeWidth + 1)}${f.tag}`;
    }
    start = end;
  }
}
