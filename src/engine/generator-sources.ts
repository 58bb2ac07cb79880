/**
 * What a codegen generator's output depends on besides the model and options: its own code when it lives in the
 * workspace (a workspace plugin edited in place keeps its version), and the files it declares as `inputs`
 * (templates, lookup data). Their content goes into every output's input hash, so editing one regenerates — in
 * `metarepo generate` as in `watch` — while a built-in generator is covered by metarepo's version.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MetarepoError } from '../errors.js';
import type { CodegenGenerator } from '../plugins/api.js';
import { sha256, stableStringify } from './hash.js';

/**
 * The hash of a generator's sources: `{ file (relative to the root), sha256 }` of its module when inside `root` and
 * of every file of its `inputs` (a folder stands for the files below it), sorted; `''` when there are none.
 * @throws MetarepoError (exit 2) naming the generator when a declared input does not exist.
 */
export async function generatorSourcesHash(root: string, generator: CodegenGenerator): Promise<string> {
  const files = new Set<string>();
  const module = generator.module ? toPath(generator.module) : undefined;
  if (module && isInside(root, module)) files.add(module);
  for (const input of generator.inputs ?? []) {
    const file = toPath(input);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      throw new MetarepoError(`Generator ${generator.name} declares the input ${file}, which does not exist.`, {
        hint: "Fix the generator's `inputs` (absolute paths or file URLs of the files and folders it reads).",
      });
    }
    if (!stat.isDirectory()) files.add(file);
    else {
      const { glob } = await import('tinyglobby');
      for (const rel of await glob('**/*', { cwd: file, onlyFiles: true, dot: false })) files.add(path.join(file, rel));
    }
  }
  if (files.size === 0) return '';
  const entries = [...files].sort().map((f) => ({ file: path.relative(root, f).split(path.sep).join('/'), sha256: sha256(fs.readFileSync(f)) }));
  return sha256(stableStringify(entries));
}

function toPath(ref: string): string {
  return ref.startsWith('file:') ? fileURLToPath(ref) : path.resolve(ref);
}

function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) && !rel.split(path.sep).includes('node_modules');
}
