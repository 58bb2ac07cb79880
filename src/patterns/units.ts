/**
 * Stage 0 of pattern detection: the units to compare. Finds the files under the given paths, parses each with the
 * language claiming its extension (plain-text tokens otherwise), annotates the trees (see `syntax.ts`) and picks
 * the units of the requested kind: whole files, top-level declarations, or class/interface members.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MetarepoError } from '../core/errors.js';
import type { PatternLanguage, PatternNode, PatternUnitKind } from '../plugins/api.js';
import { textLanguage } from './languages/text.js';
import { annotate, forEachNode, type FileTokens, type ShapeTable, type SyntaxNode } from './syntax.js';

/** One parsed file. */
export interface SourceFile {
  /** Path relative to the detection root, `/`-separated. */
  path: string;
  /** Absolute path. */
  abs: string;
  language: string;
  tokens: FileTokens;
  /** Absolute folder of the nearest package.json above the file; empty when there is none. */
  packageDir: string;
}

/** One unit: a file or a subtree of one. */
export interface Unit {
  /** Position in the run's unit list (sorted by path, then position in the file). */
  index: number;
  file: SourceFile;
  /** The unit's first token in `file.tokens`, and how many it spans. */
  first: number;
  count: number;
  /** Exact structural shape (see `syntax.ts`). */
  shape: number;
  /**
   * The unit's tree, kept only for the first unit of each shape (the class representative): units of one shape
   * have the same tree, so the others are read through the representative's token positions.
   */
  node?: SyntaxNode;
  /** The unit's key: the file name without extensions for file units, else the declared name (or `unit<n>`). */
  key: string;
  /** Tokens that carry text (the empty end-of-file token does not count). */
  size: number;
}

/** The built-in unit kinds. */
export const BUILTIN_UNIT_KINDS: PatternUnitKind[] = [
  { name: 'file', description: 'whole files', select: (root) => [root] },
  { name: 'declaration', description: 'top-level declarations and statements', select: (root) => byRole(root, 'declaration') },
  { name: 'member', description: 'class and interface members', select: (root) => byRole(root, 'member') },
];

function byRole(root: PatternNode, role: PatternNode['role']): PatternNode[] {
  const out: PatternNode[] = [];
  forEachNode(root as SyntaxNode, (n) => {
    if (n.role === role) out.push(n);
  });
  return out;
}

/** Folders never entered while walking a path (a path given explicitly is always read). */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.metarepo']);

/** Files larger than this are skipped (minified bundles, lock files): they do not follow a hand-written pattern. */
export const MAX_FILE_BYTES = 512 * 1024;

/**
 * Every file under `paths` (files or folders, absolute), sorted, without duplicates. Folders are walked
 * recursively, skipping `node_modules`, `.git` and `.metarepo`.
 * @throws MetarepoError (exit 2) for a path that does not exist.
 */
export function listFiles(paths: string[]): string[] {
  const out = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) walk(p);
      } else if (e.isFile()) out.add(p);
    }
  };
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      throw new MetarepoError(`Path "${p}" does not exist.`, { hint: 'Give files or folders to scan, e.g. metarepo patterns detect src/commands.' });
    }
    if (stat.isDirectory()) walk(p);
    else out.add(p);
  }
  return [...out].sort();
}

/** Options of {@link readUnits}. */
export interface ReadUnitsOptions {
  /** Absolute folder paths are reported relative to. */
  root: string;
  files: string[];
  unitKind: PatternUnitKind;
  /** Languages by precedence: the longest matching extension wins; files no language claims are read as text. */
  languages: PatternLanguage[];
  table: ShapeTable;
  /** Called after each file, for progress bars. */
  onFile?: (done: number, total: number) => void;
}

/** What {@link readUnits} returns. */
export interface ReadUnitsResult {
  files: SourceFile[];
  units: Unit[];
  /** Files skipped, with the reason (binary, too large, unreadable). */
  skipped: Array<{ path: string; reason: string }>;
}

/**
 * Reads, parses and annotates every file and extracts its units. A file a language fails to parse is read as
 * plain-text tokens instead, so a syntax error never hides a file.
 */
export function readUnits(opts: ReadUnitsOptions): ReadUnitsResult {
  const files: SourceFile[] = [];
  const units: Unit[] = [];
  const skipped: ReadUnitsResult['skipped'] = [];
  const packageDirs = new Map<string, string>();
  const shapes = new Set<number>();
  opts.files.forEach((abs, i) => {
    const rel = toPosix(path.relative(opts.root, abs));
    const text = readText(abs);
    if (typeof text !== 'string') skipped.push({ path: rel, reason: text.reason });
    else {
      const { file, root } = parseFile(abs, rel, text, opts, packageDirs);
      files.push(file);
      for (const node of opts.unitKind.select(root, rel) as SyntaxNode[]) {
        const unit: Unit = {
          index: units.length,
          file,
          first: node.first,
          count: node.count,
          shape: node.shape,
          key: node === root ? path.posix.basename(rel).replace(/\..*$/, '') : (node.name ?? `unit${units.length}`),
          size: significantTokens(file.tokens, node),
        };
        // Only a new shape's tree is kept: the trees of ten thousand files would cost seconds of garbage collection.
        if (!shapes.has(node.shape)) {
          shapes.add(node.shape);
          unit.node = node;
        }
        units.push(unit);
      }
    }
    opts.onFile?.(i + 1, opts.files.length);
  });
  return { files, units, skipped };
}

function parseFile(abs: string, rel: string, text: string, opts: ReadUnitsOptions, packageDirs: Map<string, string>): { file: SourceFile; root: SyntaxNode } {
  const language = languageFor(rel, opts.languages);
  let root: PatternNode;
  let name = language.name;
  try {
    root = language.parse(text, rel);
  } catch {
    root = textLanguage.parse(text, rel);
    name = textLanguage.name;
  }
  const tokens: FileTokens = { trivia: [], texts: [], trailing: [], shapes: [] };
  const annotated = annotate(root, opts.table, tokens);
  return { file: { path: rel, abs, language: name, tokens, packageDir: packageDirOf(path.dirname(abs), packageDirs) }, root: annotated };
}

function languageFor(file: string, languages: PatternLanguage[]): PatternLanguage {
  let best: PatternLanguage = textLanguage;
  let bestLength = 0;
  const lower = file.toLowerCase();
  for (const l of languages) {
    for (const ext of l.extensions) {
      if (ext.length > bestLength && lower.endsWith(ext.toLowerCase())) {
        best = l;
        bestLength = ext.length;
      }
    }
  }
  return best;
}

/**
 * The file as UTF-8 text, or why it is skipped. A byte-order mark is kept as U+FEFF: templates must reproduce the
 * file byte for byte, and spans index the text as `Tree.read` returns it.
 */
function readText(abs: string): string | { reason: string } {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(abs);
  } catch (e) {
    return { reason: `unreadable: ${(e as Error).message}` };
  }
  if (bytes.length > MAX_FILE_BYTES) return { reason: `larger than ${MAX_FILE_BYTES} bytes` };
  if (bytes.includes(0)) return { reason: 'binary' };
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return { reason: 'not UTF-8' };
  }
}

function packageDirOf(dir: string, cache: Map<string, string>): string {
  const hit = cache.get(dir);
  if (hit !== undefined) return hit;
  const parent = path.dirname(dir);
  const found = fs.existsSync(path.join(dir, 'package.json')) ? dir : parent === dir ? '' : packageDirOf(parent, cache);
  cache.set(dir, found);
  return found;
}

function significantTokens(tokens: FileTokens, node: SyntaxNode): number {
  let n = 0;
  for (let i = node.first; i < node.first + node.count; i++) if (tokens.texts[i] !== '') n++;
  return n;
}

/** `a\b` → `a/b`. */
export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
