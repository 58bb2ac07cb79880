/**
 * What a codegen generator's output depends on besides the model and options: its own code when it lives in the
 * workspace (a workspace plugin edited in place keeps its version: every file of its package, so the helpers its
 * module imports count too), and the files it declares as `inputs`
 * (templates, lookup data). Their content goes into every output's input hash, so editing one regenerates — in
 * `metarepo generate` as in `watch` — while a built-in generator is covered by metarepo's version.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MetarepoError } from '../core/errors.js';
import type { CodegenGenerator } from '../plugins/api.js';
import { sha256, stableStringify } from '../core/hash.js';

/**
 * The hash of a generator's sources: `{ file (relative to the root), sha256 }` of every file of its package (the
 * folder of the nearest package.json above its module, else the module's folder; `node_modules` and dotfiles left
 * out) when the module lies inside `root`, and of every file of its `inputs` (a folder stands for the files below
 * it), sorted; `''` when there are none.
 * @throws MetarepoError (exit 2) naming the generator when a declared input does not exist.
 */
export async function generatorSourcesHash(root: string, generator: CodegenGenerator): Promise<string> {
  const files = new Set<string>();
  const module = generator.module ? toPath(generator.module) : undefined;
  if (module && isInside(root, module)) for (const f of await filesBelow(packageFolder(root, module))) files.add(f);
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
    else for (const f of await filesBelow(file)) files.add(f);
  }
  if (files.size === 0) return '';
  const entries = [...files].sort().map((f) => ({ file: path.relative(root, f).split(path.sep).join('/'), sha256: sha256(fs.readFileSync(f)) }));
  return sha256(stableStringify(entries));
}

async function filesBelow(dir: string): Promise<string[]> {
  const { glob } = await import('tinyglobby');
  return (await glob('**/*', { cwd: dir, onlyFiles: true, dot: false, ignore: ['**/node_modules/**'] })).map((rel) => path.join(dir, rel));
}

/** The folder of the nearest package.json at or above the module's folder, within `root`; else the module's folder. */
function packageFolder(root: string, module: string): string {
  for (let dir = path.dirname(module); isInside(root, dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
  }
  return path.dirname(module);
}

function toPath(ref: string): string {
  return ref.startsWith('file:') ? fileURLToPath(ref) : path.resolve(ref);
}

function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) && !rel.split(path.sep).includes('node_modules');
}
