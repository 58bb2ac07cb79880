/**
 * Workspace-local scaffold generators: plopfiles. A workspace may have one root plopfile
 * (`plopfile.js|mjs|cjs|ts`) and any number of `generators/*.mjs` files; each is a
 * plopfile (`export default function (plop) { plop.setGenerator(...) }`) loaded by node-plop.
 * node-plop is imported lazily.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MetarepoError } from '../../core/errors.js';

/** Root plopfile names, in the order they are looked for. */
export const PLOPFILE_NAMES = ['plopfile.js', 'plopfile.mjs', 'plopfile.cjs', 'plopfile.ts'] as const;
/** Folder (relative to the workspace root) whose plopfile-shaped modules are generators too. */
export const GENERATORS_DIR = 'generators';
/** Only `.mjs` there: Node 20 loads it as an ES module whatever package.json says, and helper
 * modules can sit beside it as `.js` without being taken for generators. */
const GENERATOR_EXTENSION = '.mjs';

/** A generator defined in a workspace plopfile. */
export interface PlopfileGenerator {
  name: string;
  description: string;
  /** Absolute path of the plopfile that defines it. */
  plopfile: string;
}

/** The node-plop API (its type, without loading the module). */
export type NodePlopApi = Awaited<ReturnType<typeof import('node-plop')['default']>>;

/**
 * Absolute paths of the workspace's plopfiles: the root plopfile first, then `generators/*` sorted.
 * @throws MetarepoError if the root holds more than one plopfile (which one is meant is unclear).
 */
export function findPlopfiles(root: string): string[] {
  const roots = PLOPFILE_NAMES.filter((n) => fs.existsSync(path.join(root, n)));
  if (roots.length > 1) {
    throw new MetarepoError(`The workspace has ${roots.length} plopfiles (${roots.join(', ')}).`, {
      location: { file: roots[1] },
      hint: 'Keep one root plopfile; move other generators to generators/<name>.mjs.',
    });
  }
  const dir = path.join(root, GENERATORS_DIR);
  const local = fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isFile() && path.extname(e.name) === GENERATOR_EXTENSION)
        .map((e) => path.join(dir, e.name))
        .sort()
    : [];
  return [...roots.map((n) => path.join(root, n)), ...local];
}

/**
 * Loads one plopfile with node-plop, writing nowhere: `destBasePath` is the workspace root (for
 * plop's `pkg` helper) and actions only run through the scaffold runner's Tree actions.
 * @throws MetarepoError when the module cannot be loaded or its setup function throws. A `.ts`
 *   plopfile loads only where Node strips types itself (Node ≥ 22.18); on Node 20 the error says
 *   to use `.mjs`. We do not transpile to a temporary file: relative imports from the plopfile
 *   would break, and writing next to it would touch the workspace outside a commit.
 */
export async function loadPlopfile(file: string, root: string): Promise<NodePlopApi> {
  const { default: nodePlop } = await import('node-plop');
  try {
    return await nodePlop(file, { destBasePath: root, force: false });
  } catch (err) {
    const rel = path.relative(root, file) || file;
    const code = (err as { code?: string }).code;
    if (code === 'ERR_UNKNOWN_FILE_EXTENSION' && file.endsWith('.ts')) {
      throw new MetarepoError(`Cannot load "${rel}": this Node.js (${process.version}) cannot import TypeScript files.`, {
        location: { file: rel },
        hint: `Rename it to ${rel.replace(/\.ts$/, '.mjs')} and write it as JavaScript (ES module), or use Node.js 22.18 or newer.`,
        cause: err,
      });
    }
    throw new MetarepoError(`Cannot load plopfile "${rel}": ${(err as Error).message ?? String(err)}`, {
      location: { file: rel },
      hint: 'A plopfile exports a function (default export) that receives plop and calls plop.setGenerator(name, config).',
      cause: err,
    });
  }
}

/**
 * Every generator the workspace's plopfiles define (see {@link findPlopfiles}), in file order.
 * @throws MetarepoError if two plopfiles define the same generator name, or a plopfile fails to load.
 */
export async function loadPlopfiles(root: string): Promise<PlopfileGenerator[]> {
  const out: PlopfileGenerator[] = [];
  for (const file of findPlopfiles(root)) {
    const plop = await loadPlopfile(file, root);
    for (const g of plop.getGeneratorList()) {
      const clash = out.find((o) => o.name === g.name);
      if (clash) {
        throw new MetarepoError(
          `Scaffold generator "${g.name}" is defined twice: in ${path.relative(root, clash.plopfile)} and ${path.relative(root, file)}.`,
          { location: { file: path.relative(root, file) }, hint: 'Rename one of them.' },
        );
      }
      out.push({ name: g.name, description: g.description ?? '', plopfile: file });
    }
  }
  return out;
}
