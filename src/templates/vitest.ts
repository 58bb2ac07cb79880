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
import { MetarepoError } from '../errors.js';
import { openTemplateCatalog, snapshotsDir } from './catalog.js';
import { displayPath, validateFixtures } from './manifest.js';
import { renderFixture } from './render.js';
import { readSnapshot } from './snapshot.js';

/** Options of {@link testTemplate} and {@link expectTemplateSnapshots}. */
export interface TemplateSnapshotOptions {
  /** Only this fixture (default: every fixture of template.yaml). */
  fixture?: string;
  /** Where to look for the workspace (default: the current directory, which vitest sets to the project root). */
  cwd?: string;
  /** Look the name up among metarepo's built-in templates only. */
  builtin?: boolean;
}

/**
 * Whether vitest runs with `-u` / `--update`. Vitest keeps the mode on the test file's snapshot state only
 * (`SnapshotState._updateSnapshot`, set from `snapshotOptions.updateSnapshot`); there is no public accessor in
 * vitest 3, so this reads that field and treats its absence as "not updating".
 */
function updating(): boolean {
  const state = expect.getState() as unknown as { snapshotState?: { _updateSnapshot?: string } };
  return state.snapshotState?._updateSnapshot === 'all';
}

/**
 * Renders each fixture of template `name` (see `renderFixture`) and asserts, with `expect(…).toMatchFileSnapshot(…)`,
 * that every file equals `snapshots/<name>/<fixture>/<path>`: a missing snapshot file is written (vitest's rule:
 * not on CI), a different one fails with vitest's diff, `vitest -u` rewrites it. Files of the snapshot folder the
 * template no longer renders fail the test too; under `-u` they are deleted. Every file is checked before the
 * test fails; the error shows the first difference and names the others.
 * Call it inside a vitest test.
 * @throws MetarepoError for an unknown template, an invalid template.yaml or fixture, a missing generator, or a
 *   render error (with file, line and column).
 */
export async function expectTemplateSnapshots(name: string, options: TemplateSnapshotOptions = {}): Promise<void> {
  const { catalog, close } = await openTemplateCatalog(options.cwd ?? process.cwd());
  try {
    const [t] = catalog.select([name], { builtin: options.builtin });
    const manifest = await catalog.manifest(t);
    const problems = await validateFixtures(manifest);
    if (problems.length > 0) {
      throw new MetarepoError(`Fixtures of template "${name}" break its variables schema: ${problems[0].message}.`, { location: problems[0].location });
    }
    const fixtures = Object.keys(manifest.fixtures).filter((f) => !options.fixture || f === options.fixture);
    if (fixtures.length === 0) throw new MetarepoError(`Template "${name}" has no fixture "${options.fixture}".`);
    const generator = await catalog.generator(t);
    const failures: Error[] = [];
    for (const fixture of fixtures) {
      const { files } = await renderFixture(t, manifest, generator, fixture);
      const dir = path.join(snapshotsDir(t), fixture);
      // Every file is compared (and, under -u, written) before anything fails; the hint names the file in
      // vitest's "Snapshot `…` mismatched" line.
      const settled = await Promise.allSettled([...files].map(([p, content]) => expect(content).toMatchFileSnapshot(path.join(dir, p), `${name}/${fixture}: ${p}`)));
      for (const r of settled) if (r.status === 'rejected') failures.push(r.reason as Error);
      const stale = [...(readSnapshot(dir)?.keys() ?? [])].filter((p) => !files.has(p));
      if (stale.length === 0) continue;
      if (updating()) {
        for (const p of stale) fs.rmSync(path.join(dir, p));
      } else {
        failures.push(new Error(`${name}/${fixture}: files in ${displayPath(dir, t.home)} that the template no longer renders (vitest -u deletes them): ${stale.join(', ')}`));
      }
    }
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
