/**
 * Module resolution hooks for fresh plugin imports (registered by `enableFreshPluginImports` in ./fresh-import.ts,
 * with Node's `module.register`). A plugin module imported as `<file>?metarepo-fresh=<stamp>&metarepo-root=<folder URL>`
 * passes the same query on to every file it imports from inside its own folder (not `node_modules`), so the whole
 * plugin is evaluated anew when its stamp changes, while metarepo and the plugin's dependencies stay shared.
 */
const STAMP = 'metarepo-fresh';
const ROOT = 'metarepo-root';

interface Resolved {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}

type NextResolve = (specifier: string, context: { parentURL?: string }) => Promise<Resolved>;

/** Node's `resolve` hook: adds the parent's fresh-import query to a file of the same plugin folder. */
export async function resolve(specifier: string, context: { parentURL?: string }, nextResolve: NextResolve): Promise<Resolved> {
  const resolved = await nextResolve(specifier, context);
  if (!context.parentURL?.includes(STAMP)) return resolved;
  const parent = new URL(context.parentURL);
  const stamp = parent.searchParams.get(STAMP);
  const root = parent.searchParams.get(ROOT);
  if (!stamp || !root || !resolved.url.startsWith(root) || resolved.url.includes('/node_modules/')) return resolved;
  const url = new URL(resolved.url);
  if (url.search !== '') return resolved;
  url.searchParams.set(STAMP, stamp);
  url.searchParams.set(ROOT, root);
  return { ...resolved, url: url.href };
}
