/**
 * Which projects use which generated types: an import scan of the projects' sources, so that a SOURCE-breaking
 * change to a type no project imports can be downgraded to a warning (GraphQL Inspector's `considerUsage`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { glob } from 'tinyglobby';
import type { WorkspaceConfig } from '../generated/workspace.js';

type ProjectConfig = NonNullable<WorkspaceConfig['projects']>[number];

/** One import of a generated file by a project source file. */
export interface GeneratedImport {
  /** Project name. */
  project: string;
  /** The importing file, relative to the workspace root. */
  file: string;
  /** The generated file it imports, relative to the workspace root. */
  generated: string;
  /** The names it imports (original names, before `as`), or `*` for a namespace import or `export *`. */
  names: string[] | '*';
}

const SOURCE_GLOB = '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}';
const IGNORED = ['**/node_modules/**', '**/dist/**', '**/build/**', '**/*.d.ts'];
// `import … from '…'`, `import type … from '…'`, `export { … } from '…'`, `export * from '…'`. Static ES module
// syntax only: dynamic import() and require() name no types.
const IMPORT = /\b(import|export)\s+(?:type\s+)?([\w*\s{},$]*?)\s*from\s*['"]([^'"]+)['"]/g;

/**
 * Scans every source file of every project (TypeScript and JavaScript, `.d.ts`, `node_modules`, `dist` and `build`
 * left out) for static imports of generated files. Only relative specifiers are followed: `./x.js` may name
 * `x.ts`, `x.tsx`, `x.mts` (TypeScript's NodeNext rule), `./x` also `x.ts` and `x/index.ts`.
 * @param generated - generated files, relative to the root.
 * @returns the imports, sorted by project, file, generated file.
 */
export async function scanGeneratedImports(root: string, projects: ProjectConfig[], generated: Iterable<string>): Promise<GeneratedImport[]> {
  const targets = new Set(generated);
  const out: GeneratedImport[] = [];
  for (const project of projects) {
    const files = await glob(SOURCE_GLOB, { cwd: path.join(root, project.path), ignore: IGNORED, onlyFiles: true });
    for (const rel of files.sort()) {
      const file = path.posix.join(project.path, rel);
      if (targets.has(file)) continue;
      let text: string;
      try {
        text = fs.readFileSync(path.join(root, file), 'utf8');
      } catch {
        continue;
      }
      for (const m of text.matchAll(IMPORT)) {
        const target = resolveRelative(file, m[3], targets);
        if (target) out.push({ project: project.name, file, generated: target, names: importedNames(m[1], m[2]) });
      }
    }
  }
  return out.sort((a, b) => a.project.localeCompare(b.project) || a.file.localeCompare(b.file) || a.generated.localeCompare(b.generated));
}

/** The generated file a relative specifier names, if any. */
function resolveRelative(importer: string, specifier: string, targets: Set<string>): string | undefined {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(importer), specifier));
  const stem = base.replace(/\.(m|c)?js$/, '');
  const candidates = [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.cts`, `${base}.ts`, `${base}/index.ts`];
  return candidates.find((c) => targets.has(c));
}

/** Original names of an import or export clause (`A, { B, type C as D }` → A, B, C); `*` for namespaces. */
function importedNames(keyword: string, clause: string): string[] | '*' {
  if (clause.includes('*')) return '*';
  const braces = /\{([^}]*)\}/.exec(clause);
  const names = braces
    ? braces[1]
        .split(',')
        .map((s) => s.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0])
        .filter(Boolean)
    : [];
  const outside = (braces ? clause.replace(braces[0], '') : clause).replace(/,/g, ' ').trim();
  if (keyword === 'import' && outside) names.push('default');
  return names;
}

/**
 * Whether a generated type name is used: imported by name (compared without case and punctuation, since
 * generators PascalCase schema titles and definition keys) or through a namespace import.
 */
export function usesType(imports: GeneratedImport[], typeName: string): boolean {
  const wanted = simplify(typeName);
  return imports.some((i) => i.names === '*' || i.names.some((n) => simplify(n) === wanted));
}

function simplify(name: string): string {
  return name.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
}
