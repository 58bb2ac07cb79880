/**
 * Workspace-local scaffold generators: plopfiles. A workspace may have one root plopfile
 * (`plopfile.js|mjs|cjs|ts`) and any number of `generators/*.mjs` files; each is a
 * plopfile (`export default function (plop) { plop.setGenerator(...) }`) loaded by node-plop.
 * node-plop is imported lazily, and its inquirer on first question only (see {@link loadNodePlop}).
 */
import fs from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MetarepoError } from '../../core/errors.js';
import { HANDLEBARS_MODULE } from '../hbs-module.js';

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

/** node-plop's default export: `nodePlop(plopfilePath, config)`. */
export type NodePlopFactory = (typeof import('node-plop'))['default'];

let factory: Promise<NodePlopFactory> | undefined;

/**
 * node-plop's factory, whose inquirer loads on first use. node-plop is the engine of plopfiles, unchanged: its API
 * object, generator runner, actions and helpers are its own modules. Only its factory module (`src/node-plop.js`),
 * which imports inquirer when it loads — about half of what loading node-plop costs, for runs that mostly ask
 * nothing — is evaluated from its own text with that one import pointing at `lazy-inquirer.ts`, `resolve` (used by
 * `plop.load()` alone) required on that call, and its other imports at the very files they name, resolved from
 * node-plop's folder, so every other module is node-plop's own instance. When that text is not as expected (another node-plop version), or anything in this fails, the
 * package is imported as it is.
 */
export function loadNodePlop(): Promise<NodePlopFactory> {
  factory ??= withLazyInquirer().then((f) => f ?? import('node-plop').then((m) => m.default));
  return factory;
}

/** Imports of node-plop's factory module: `import x from "spec";`, one per line. */
const IMPORT_LINE = /^import\s+([\w${}\s,*]+?)\s+from\s+"([^"]+)";$/gm;

async function withLazyInquirer(): Promise<NodePlopFactory | undefined> {
  try {
    const require = createRequire(import.meta.url);
    const file = path.join(path.dirname(require.resolve('node-plop')), 'node-plop.js');
    const text = fs.readFileSync(file, 'utf8');
    // From the compiled package only: under vitest this module is TypeScript, which a data: URL module cannot import.
    if (!import.meta.url.endsWith('.js')) return undefined;
    const shim = new URL('./lazy-inquirer.js', import.meta.url);
    if (!fs.existsSync(shim) || !/^import inquirer from "inquirer";$/m.test(text) || !/^export default nodePlop;$/m.test(text)) return undefined;
    const fromFactory = createRequire(file);
    // Every import statement must be of the one form rewritten below, else the text could not load from a data: URL.
    const statements = (text.match(/^import\s/gm) ?? []).length;
    if (/^export\s.*\sfrom\s/m.test(text)) return undefined;
    // `resolve` (thirty CommonJS files) serves `plop.load()` only, through `resolve.sync`: it loads on that call.
    const lazyResolve = !/(?<![.\w])resolve\b(?!\.sync\()/.test(text.replace(/^import resolve from "resolve";$/m, ''));
    const requireFromFactory = `__metarepoRequire(${JSON.stringify(file)})`;
    let rewrittenCount = 0;
    let rewritten = text.replace(IMPORT_LINE, (_line, bindings: string, spec: string) => {
      rewrittenCount++;
      // The same Handlebars instance metarepo renders with, from its single-file build (see HANDLEBARS_MODULE).
      if (spec === 'handlebars' && /^\w+$/.test(bindings)) return `const ${bindings} = ${requireFromFactory}(${JSON.stringify(fromFactory.resolve(HANDLEBARS_MODULE))});`;
      if (spec === 'resolve' && bindings === 'resolve' && lazyResolve) {
        const load = `(${JSON.stringify(fromFactory.resolve(spec))})`;
        return `const resolve = { sync: (...args) => ${requireFromFactory}${load}.sync(...args) };`;
      }
      const target =
        spec === 'inquirer'
          ? shim.href
          : isBuiltin(spec)
            ? spec
            : spec.startsWith('.')
              ? pathToFileURL(path.resolve(path.dirname(file), spec)).href
              : pathToFileURL(fromFactory.resolve(spec)).href;
      return `import ${bindings} from ${JSON.stringify(target)};`;
    });
    if (rewrittenCount !== statements) return undefined;
    rewritten = `import { createRequire as __metarepoRequire } from "node:module";\n${rewritten}`;
    rewritten = rewritten.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(file).href));
    const mod = (await import(`data:text/javascript;charset=utf-8,${encodeURIComponent(rewritten)}`)) as { default: NodePlopFactory };
    return typeof mod.default === 'function' ? mod.default : undefined;
  } catch {
    return undefined;
  }
}

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
  const nodePlop = await loadNodePlop();
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
