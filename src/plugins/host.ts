import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MetarepoError } from '../errors.js';
import { CODE_EXT, CODE_ROOT } from '../workspace/meta-models.js';
import type { CodegenGenerator, Plugin, PluginApi, ScaffoldGenerator } from './api.js';

/** What the loaded plugins contribute, by name. */
export interface Contributions {
  codegen: Map<string, CodegenGenerator>;
  scaffold: Map<string, ScaffoldGenerator>;
}

/**
 * Loads the built-in plugins (`plugins/<name>/index`) and collects their contributions through the public
 * plugin API. Plugin modules only register descriptors; heavy libraries load when a contribution runs.
 * @throws MetarepoError if two plugins contribute the same generator name.
 */
export async function loadBuiltinPlugins(): Promise<Contributions> {
  const dir = path.join(CODE_ROOT, 'plugins');
  const names = fs.readdirSync(dir).filter((n) => fs.existsSync(path.join(dir, n, `index${CODE_EXT}`))).sort();
  const contributions: Contributions = { codegen: new Map(), scaffold: new Map() };
  for (const name of names) {
    const mod = (await import(pathToFileURL(path.join(dir, name, `index${CODE_EXT}`)).href)) as { default: Plugin };
    // Interim until the plugin host (issue 3) provides the whole API: built-ins only register generators.
    await mod.default.setup({
      registerCodegen: (g: CodegenGenerator) => add(contributions.codegen, g, mod.default.name),
      registerScaffold: (g: ScaffoldGenerator) => add(contributions.scaffold, g, mod.default.name),
      registerCheck: () => undefined,
    } as unknown as PluginApi);
  }
  return contributions;
}

function add<T extends { name: string }>(map: Map<string, T>, item: T, plugin: string): void {
  if (map.has(item.name)) throw new MetarepoError(`Plugin ${plugin} contributes "${item.name}", which another plugin already contributes.`);
  map.set(item.name, item);
}
