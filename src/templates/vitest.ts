/**
 * Vitest integration, exported as `metarepo/testing`: a template's snapshot test in one line, on vitest's own
 * file snapshots (`toMatchFileSnapshot`), so `vitest -u` updates them and vitest reports the diffs.
 *
 * ```ts
 * // tests/templates.test.ts
 * import { testTemplate } from 'metarepo/testing';
 * testTemplate('widget');
 * ```
 *
 * The snapshots are the ones `metarepo template test` uses (`snapshots/<template>/<fixture>/`, file by file), so
 * either tool accepts a change the other sees. Needs vitest ≥ 3 (a peer dependency).
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { MetarepoError } from '../core/errors.js';
import { openTemplateCatalog, snapshotsDir } from './catalog.js';
import { displayPath } from './manifest.js';
import { renderFixture } from './render.js';
import { readSnapshot } from './snapshot.js';
import { obsoleteFixtures, requireValidFixtures } from './snapshot-test.js';

/** Options of {@link testTemplate} and {@link expectTemplateSnapshots}. */
export interface TemplateSnapshotOptions {
  /** Only this fixture (default: every fixture of template.yaml). */
  fixture?: string;
  /** Where to look for the workspace (default: the current directory, which vitest sets to the project root). */
  cwd?: string;
  /** Look the name up among metarepo's built-in templates only. */
  builtin?: boolean;
}

/** Vitest's snapshot update modes: `all` (`-u`), `new` (the default: write missing snapshots), `none` (CI). */
export type SnapshotUpdateMode = 'all' | 'new' | 'none';

/**
 * The snapshot update mode of the running vitest test file, or `undefined` when it cannot be read.
 *
 * Vitest 3 has no public way to read it inside a test: it lives on the file's `SnapshotState` (the public
 * `expect.getState().snapshotState`) as the private field `_updateSnapshot`, set from
 * `snapshotOptions.updateSnapshot`; vitest's maintainers suggest a globalSetup that `provide`s
 * `project.serializedConfig.snapshotOptions.updateSnapshot`, which would cost every user a config entry. So this one
 * function reads the private field, and answers `undefined` (the fallback: callers then delete nothing) when it is
 * not one of the modes, as after a vitest release that renames it. tests/unit/templates/vitest.test.ts fails then.
 * Call it inside a test.
 */
export function snapshotUpdateMode(): SnapshotUpdateMode | undefined {
  const state = expect.getState() as unknown as { snapshotState?: Record<string, unknown> };
  const mode = state.snapshotState?._updateSnapshot;
  return mode === 'all' || mode === 'new' || mode === 'none' ? mode : undefined;
}

/**
 * Renders each fixture of template `name` (see `renderFixture`) and asserts, with `expect(…).toMatchFileSnapshot(…)`,
 * that every file equals `snapshots/<name>/<fixture>/<path>`: a missing snapshot file is written (vitest's rule:
 * not on CI), a different one fails with vitest's diff, `vitest -u` rewrites it. Files of the snapshot folder the
 * template no longer renders fail the test too; under `-u` they are deleted. Every file is checked before the
 * test fails; the error shows the first difference and names the others. Snapshot folders of fixtures template.yaml
 * no longer has fail the test too (unless `options.fixture` limits it to one fixture), as in `metarepo template
 * test`; under `-u` they are deleted. When the update mode cannot be read (see {@link snapshotUpdateMode}) nothing
 * is deleted: stale files and folders fail, and the message says how to remove them.
 * Call it inside a vitest test.
 * @throws MetarepoError for an unknown template, an invalid template.yaml or fixture, a missing generator, or a
 *   render error (with file, line and column).
 */
export async function expectTemplateSnapshots(name: string, options: TemplateSnapshotOptions = {}): Promise<void> {
  const { catalog, close } = await openTemplateCatalog(options.cwd ?? process.cwd());
  try {
    const [t] = catalog.select([name], { builtin: options.builtin });
    const manifest = await catalog.manifest(t);
    await requireValidFixtures(manifest);
    const fixtures = Object.keys(manifest.fixtures).filter((f) => !options.fixture || f === options.fixture);
    if (fixtures.length === 0) throw new MetarepoError(`Template "${name}" has no fixture "${options.fixture}".`);
    const generator = await catalog.generator(t);
    const mode = snapshotUpdateMode();
    const remedy = mode === undefined ? 'metarepo template test --update deletes them; this vitest does not tell whether -u is on' : 'vitest -u deletes them';
    const failures: Error[] = [];
    /** Snapshot files or folders no longer rendered: deleted under -u, else a failure naming them as `shown`. */
    const stale = (what: string, abs: string[], shown: string[]): void => {
      if (abs.length === 0) return;
      if (mode === 'all') for (const p of abs) fs.rmSync(p, { recursive: true, force: true });
      else failures.push(new Error(`${what} (${remedy}): ${shown.join(', ')}`));
    };
    for (const fixture of fixtures) {
      const { files } = await renderFixture(t, manifest, generator, fixture);
      const dir = path.join(snapshotsDir(t), fixture);
      // Every file is compared (and, under -u, written) before anything fails; the hint names the file in
      // vitest's "Snapshot `…` mismatched" line.
      const settled = await Promise.allSettled([...files].map(([p, content]) => expect(content).toMatchFileSnapshot(path.join(dir, p), `${name}/${fixture}: ${p}`)));
      for (const r of settled) if (r.status === 'rejected') failures.push(r.reason as Error);
      const gone = [...(readSnapshot(dir)?.keys() ?? [])].filter((p) => !files.has(p));
      stale(`${name}/${fixture}: files in ${displayPath(dir, t.home)} that the template no longer renders`, gone.map((p) => path.join(dir, p)), gone);
    }
    // As in metarepo template test: a fixture run alone says nothing about the others.
    const obsolete = (options.fixture ? [] : obsoleteFixtures(t, manifest)).map((f) => path.join(snapshotsDir(t), f));
    stale(`${name}: snapshot folders of fixtures that template.yaml no longer has`, obsolete, obsolete.map((d) => displayPath(d, t.home)));
    if (failures.length > 0) {
      // The first failure keeps vitest's diff; the others are named after it.
      const [first, ...rest] = failures;
      if (rest.length > 0) first.message += `\n\n…and ${rest.length} more: ${rest.map((e) => e.message.split('\n')[0]).join('; ')}`;
      throw first;
    }
  } finally {
    await close();
  }
}

/**
 * Declares one vitest test, `template <name>`, that runs {@link expectTemplateSnapshots}. The one line of a
 * template's snapshot test file.
 */
export function testTemplate(name: string, options: TemplateSnapshotOptions = {}): void {
  test(`template ${name}${options.fixture ? ` (${options.fixture})` : ''}`, () => expectTemplateSnapshots(name, options));
}
