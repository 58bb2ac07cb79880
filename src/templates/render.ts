/**
 * Renders a template with one of its fixtures the way `metarepo new` would, but into memory: the template's
 * real generator runs through `runScaffold` over an empty {@link Tree}, so the output depends on the template,
 * the generator and the fixture's answers only, never on what the workspace holds.
 */
import { Tree } from '../engine/tree.js';
import { runScaffold } from './scaffold/run.js';
import type { TemplateGenerator, TemplateLocation } from './catalog.js';
import type { HandlebarsEnv } from './handlebars.js';
import type { TemplateManifest } from './manifest.js';

/** The output of one fixture. */
export interface RenderedFixture {
  template: string;
  fixture: string;
  /** Output path (relative to the workspace, `/`-separated) → content, sorted by path. */
  files: Map<string, string>;
  /** The generator's messages (plop comments, skipped actions). */
  messages: string[];
}

/** Options of {@link renderFixture}. */
export interface RenderFixtureOptions {
  /** Sees the run's Handlebars environment before anything renders (branch coverage instruments it). */
  handlebars?: (hb: HandlebarsEnv) => void;
}

/**
 * Runs `generator` with the answers of `manifest.fixtures[fixture]` into an empty in-memory tree rooted at the
 * template's home. Custom plop action types and function actions (which act outside the tree) are skipped, as
 * in a dry run, so rendering never touches the disk.
 * @throws MetarepoError as `runScaffold` does (invalid answers, template syntax or render errors with file,
 *   line and column, unsafe output paths); an `Error` for a fixture the manifest does not have.
 */
export async function renderFixture(
  t: TemplateLocation,
  manifest: TemplateManifest,
  generator: TemplateGenerator,
  fixture: string,
  options: RenderFixtureOptions = {},
): Promise<RenderedFixture> {
  const answers = manifest.fixtures[fixture];
  if (!answers) throw new Error(`template ${t.name} has no fixture ${fixture}`);
  const tree = new Tree(t.home, { empty: true });
  const result = await runScaffold({
    root: t.home,
    tree,
    generator,
    answers: structuredClone(answers),
    interactive: false,
    dryRun: true,
    template: manifest,
    handlebars: options.handlebars,
  });
  const files = new Map<string, string>();
  for (const c of result.changes) if (c.type !== 'delete') files.set(c.path, c.content ?? '');
  return { template: t.name, fixture, files, messages: result.messages };
}
