import fs from 'node:fs';
import path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { MetarepoError } from '../../core/errors.js';

/** One schema file to import. */
export interface ImportSource {
  /** Absolute path of the file. */
  file: string;
  /** How messages name it: the path relative to the current folder, `/`-separated. */
  display: string;
  /** Its path relative to the import's base folder, `/`-separated (model names may come from it). */
  rel: string;
  /** The file's text. */
  text: string;
}

/** What `--from` named: one file, or a folder or glob (many files), with the files it holds. */
export interface ImportSources {
  kind: 'file' | 'folder' | 'glob';
  sources: ImportSource[];
}

/**
 * The schema files `--from` names, sorted by path: a file; a folder, meaning every `**\/*.json` beneath it (which
 * includes `*.schema.json`; the registry reads JSON models only, so YAML is not imported), skipping `node_modules`;
 * or a glob (tinyglobby syntax, relative to `cwd`). `rel` is relative to the folder, for a glob to the deepest folder
 * holding every match, for a file to its own folder.
 * @throws MetarepoError (exit 2) when `from` names nothing readable, or a folder or glob with no `.json` file.
 */
export async function findImportSources(cwd: string, from: string): Promise<ImportSources> {
  const target = path.resolve(cwd, from);
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  let kind: ImportSources['kind'];
  let files: string[];
  if (stat?.isFile()) {
    kind = 'file';
    files = [target];
  } else if (stat?.isDirectory()) {
    kind = 'folder';
    files = await glob('**/*.json', { cwd: target, absolute: true, onlyFiles: true, ignore: ['**/node_modules/**'] });
  } else if (isDynamicPattern(from)) {
    kind = 'glob';
    files = await glob(from, { cwd, absolute: true, onlyFiles: true });
  } else {
    throw new MetarepoError(`Cannot read ${from}: no such file or folder.`, {
      hint: 'Pass --from <file>, --from <folder> or --from "<glob>" (quoted, e.g. "schemas/**/*.json").',
    });
  }
  files = files.map((f) => path.resolve(f)).sort();
  if (files.length === 0) {
    throw new MetarepoError(`${from} holds no .json file.`, {
      hint: kind === 'glob' ? 'Check the pattern; it is relative to the current folder.' : 'Point --from at the folder that holds the schemas.',
    });
  }
  const base = kind === 'folder' ? target : commonFolder(files);
  return {
    kind,
    sources: files.map((file) => ({
      file,
      display: toPosix(path.relative(cwd, file)) || path.basename(file),
      rel: toPosix(path.relative(base, file)),
      text: read(file, toPosix(path.relative(cwd, file))),
    })),
  };
}

/** The deepest folder holding every file. */
function commonFolder(files: string[]): string {
  let base = path.dirname(files[0]!);
  while (!files.every((f) => f.startsWith(base.endsWith(path.sep) ? base : base + path.sep))) base = path.dirname(base);
  return base;
}

function read(file: string, display: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new MetarepoError(`Cannot read ${display}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`, {
      hint: 'Check the file permissions, or leave the file out of --from.',
    });
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
