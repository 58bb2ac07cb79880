/**
 * Where templates are: metarepo's built-ins (`<package>/templates/<name>/`) and the workspace's
 * (`templates/<name>/` and, Nx-style, `generators/<name>/`): every such folder holding a `template.yaml`.
 * A workspace template with a built-in's name replaces it, as workspace generators replace built-in ones.
 * Snapshots of a template are under `snapshots/<name>/` beside its home (the workspace, or metarepo's package).
 */
import fs from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { MetarepoError } from '../core/errors.js';
import type { PlopfileGeneratorRef } from './scaffold/run.js';
import type { ScaffoldGenerator } from '../plugins/api.js';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { loadTemplateManifest, TEMPLATE_MANIFEST, type TemplateManifest } from './manifest.js';

/** Folders of a workspace (and of metarepo's package, `templates` only) that hold template folders. */
export const TEMPLATE_FOLDERS = ['templates', 'generators'] as const;

/** Folder beside a template's home that holds its snapshots: `snapshots/<template>/<fixture>/`. */
export const SNAPSHOTS_DIR = 'snapshots';

/** A template folder found on disk (its manifest is loaded on demand). */
export interface TemplateLocation {
  /** The folder name, which the manifest's `name` must equal. */
  name: string;
  /** Absolute path of the template folder. */
  dir: string;
  source: 'builtin' | 'workspace';
  /** Absolute folder that paths are shown relative to and that holds `snapshots/`: the workspace root, or metarepo's package. */
  home: string;
}

/** Absolute path of a template's snapshot folder, `<home>/snapshots/<name>`. */
export function snapshotsDir(t: TemplateLocation): string {
  return path.join(t.home, SNAPSHOTS_DIR, t.name);
}

function templateFolders(parent: string): string[] {
  if (!fs.existsSync(parent)) return [];
  return fs
    .readdirSync(parent, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(parent, e.name, TEMPLATE_MANIFEST)))
    .map((e) => e.name)
    .sort();
}

/**
 * Every template: the built-ins, then the workspace's (`root` null: built-ins only). A workspace template
 * with a built-in's name replaces it. Sorted by name.
 * @throws MetarepoError (exit 2) when the workspace has two template folders with one name
 *   (`templates/x/` and `generators/x/`).
 */
export function listTemplateLocations(root: string | null): TemplateLocation[] {
  const byName = new Map<string, TemplateLocation>();
  for (const name of templateFolders(path.join(PACKAGE_ROOT, 'templates'))) {
    byName.set(name, { name, dir: path.join(PACKAGE_ROOT, 'templates', name), source: 'builtin', home: PACKAGE_ROOT });
  }
  if (root) {
    const seen = new Map<string, string>();
    for (const folder of TEMPLATE_FOLDERS) {
      for (const name of templateFolders(path.join(root, folder))) {
        const clash = seen.get(name);
        if (clash) {
          throw new MetarepoError(`Template "${name}" is defined twice: in ${clash}/${name}/ and ${folder}/${name}/.`, {
            location: { file: `${folder}/${name}/${TEMPLATE_MANIFEST}` },
            hint: 'Rename one of the folders (a template name is its folder name).',
          });
        }
        seen.set(name, folder);
        byName.set(name, { name, dir: path.join(root, folder, name), source: 'workspace', home: root });
      }
    }
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The generator that renders a template, as `runScaffold` takes it. */
export type TemplateGenerator = ScaffoldGenerator | PlopfileGeneratorRef;

/**
 * Templates and their generators for one command: finds templates once, loads manifests and resolves
 * generators on demand, and caches both (loading plopfiles is the slow part).
 */
export class TemplateCatalog {
  private readonly manifests = new Map<string, Promise<TemplateManifest>>();
  private workspaceGenerators?: Promise<Array<{ name: string; source: 'builtin' | 'workspace'; generator: TemplateGenerator }>>;
  /** Every template, built-ins and the workspace's. */
  readonly locations: TemplateLocation[];

  /**
   * @param root - the workspace root, or `null` outside a workspace (built-ins only).
   * @param builtins - the scaffold generators plugins register (`host.scaffolds()`).
   */
  constructor(
    readonly root: string | null,
    private readonly builtins: ScaffoldGenerator[],
  ) {
    this.locations = listTemplateLocations(root);
  }

  /**
   * The templates named (each looked up among the workspace's, then the built-ins); without names, the
   * workspace's templates, or with `builtin` the built-ins.
   * @throws MetarepoError (exit 2) for an unknown name, naming the templates there are, or when nothing is selected.
   */
  select(names: string[], options: { builtin?: boolean } = {}): TemplateLocation[] {
    if (names.length > 0) {
      return names.map((n) => {
        const hit = this.locations.find((l) => l.name === n && (!options.builtin || l.source === 'builtin'));
        if (hit) return hit;
        throw new MetarepoError(`There is no template called "${n}".`, {
          hint: `Templates: ${this.locations.map((l) => `${l.name}${l.source === 'builtin' ? ' (built-in)' : ''}`).join(', ') || '(none)'}. A template is a folder templates/<name>/ with a template.yaml.`,
        });
      });
    }
    const picked = this.locations.filter((l) => l.source === (options.builtin ? 'builtin' : 'workspace'));
    if (!this.root && !options.builtin) {
      throw new MetarepoError('There is no workspace here, so no workspace templates to choose from.', {
        hint: "Name templates, pass --builtin for metarepo's built-in templates, or run inside a workspace (-C <dir>).",
      });
    }
    if (picked.length === 0) {
      throw new MetarepoError(options.builtin ? 'metarepo has no built-in templates here.' : 'This workspace has no templates (templates/<name>/template.yaml or generators/<name>/template.yaml).', {
        hint: 'Start one with "metarepo new generator <name>", or pass --builtin to test metarepo\'s built-in templates.',
      });
    }
    return picked;
  }

  /** The manifest of a template (loaded once). @throws MetarepoError as {@link loadTemplateManifest}. */
  manifest(t: TemplateLocation): Promise<TemplateManifest> {
    let m = this.manifests.get(t.dir);
    if (!m) {
      m = loadTemplateManifest(t.dir, { root: t.home });
      this.manifests.set(t.dir, m);
    }
    return m;
  }

  /**
   * The generator that renders `t`: for a built-in template, the built-in generator it names; for a workspace
   * template, the workspace generator (plopfile or `generators/*.mjs`) it names.
   * @throws MetarepoError (exit 2) when there is no such generator, or when a workspace template names a
   *   built-in generator (which reads its templates from metarepo's package, not from the workspace).
   */
  async generator(t: TemplateLocation): Promise<TemplateGenerator> {
    const { generator } = await this.manifest(t);
    if (t.source === 'builtin') {
      const hit = this.builtins.find((g) => g.name === generator);
      if (hit) return hit;
      throw new MetarepoError(`Built-in template "${t.name}" names generator "${generator}", which no plugin registers.`, {
        hint: 'Reinstall metarepo, or enable the plugin that registers it (scaffold-core).',
        exitCode: 1,
      });
    }
    const all = await this.listWorkspaceGenerators();
    const hit = all.find((g) => g.name === generator);
    const file = `${path.relative(t.home, t.dir).split(path.sep).join('/')}/${TEMPLATE_MANIFEST}`;
    if (!hit) {
      throw new MetarepoError(`Template "${t.name}" names generator "${generator}", which the workspace does not define.`, {
        location: { file },
        hint: `Write generators/${generator}.mjs (a plopfile module; "metarepo new generator ${generator}" starts one), or set "generator:" in template.yaml.`,
      });
    }
    if (hit.source === 'builtin') {
      throw new MetarepoError(`Template "${t.name}" names the built-in generator "${generator}", which renders metarepo's own templates, not this folder.`, {
        location: { file },
        hint: `Give the template a workspace generator (generators/<name>.mjs) whose actions use templates/${t.name}/.`,
      });
    }
    return hit.generator;
  }

  private listWorkspaceGenerators() {
    this.workspaceGenerators ??= (async () => {
      const { listScaffoldGenerators } = await import('./scaffold/run.js');
      return this.root ? listScaffoldGenerators(this.root, this.builtins) : [];
    })();
    return this.workspaceGenerators;
  }
}

/** One text file of a template folder. */
export interface TemplateFile {
  /** Absolute path. */
  abs: string;
  /** Path inside the template folder, `/`-separated (file names may hold `{{…}}`). */
  name: string;
  /** Path relative to the template's home, for messages (`templates/widget/files/a.ts.hbs`). */
  file: string;
  text: string;
}

/**
 * Every file of a template folder except its manifest (`template.yaml` at the top; one deeper is a template
 * like any other), sorted. Files that are not UTF-8 text (images, fonts) are left out: they are copied, not rendered.
 */
export function readTemplateFiles(t: TemplateLocation): TemplateFile[] {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const out: TemplateFile[] = [];
  for (const name of globSync('**/*', { cwd: t.dir, dot: true, ignore: [TEMPLATE_MANIFEST] }).sort()) {
    const abs = path.join(t.dir, name);
    let text: string;
    try {
      text = decoder.decode(fs.readFileSync(abs));
    } catch {
      continue;
    }
    out.push({ abs, name, file: path.relative(t.home, abs).split(path.sep).join('/'), text });
  }
  return out;
}

/**
 * A {@link TemplateCatalog} for code outside the CLI (the vitest helper): finds the workspace at or above `cwd`
 * (none: built-ins only), opens a plugin host for its scaffold generators, with an in-process bus and no event log.
 * @returns the catalog and `close`, which unloads the plugins; call it when done.
 * @throws MetarepoError when metarepo.yaml is invalid.
 */
export async function openTemplateCatalog(cwd: string): Promise<{ catalog: TemplateCatalog; close(): Promise<void> }> {
  const [{ findWorkspaceRoot }, { loadConfig }, { openPluginHost }, { InProcessBus }] = await Promise.all([
    import('../workspace/root.js'),
    import('../workspace/config.js'),
    import('../plugins/open.js'),
    import('../events/in-process-bus.js'),
  ]);
  const root = findWorkspaceRoot(cwd);
  const loaded = root ? await loadConfig(root) : undefined;
  const host = await openPluginHost({ root, config: loaded?.config, document: loaded?.document, bus: new InProcessBus() });
  try {
    return { catalog: new TemplateCatalog(root, await host.scaffolds()), close: () => host.close() };
  } catch (e) {
    await host.close();
    throw e;
  }
}
