/**
 * The snapshot test of one template (`metarepo template test`): render each fixture, compare with
 * `snapshots/<template>/<fixture>/`, write new snapshots, rewrite changed ones on `update`, and optionally
 * record branch coverage and run the template's output checks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MetarepoError, type SourceLocation } from '../core/errors.js';
import { readTemplateFiles, snapshotsDir, type TemplateCatalog, type TemplateLocation } from './catalog.js';
import { BranchCoverage, type CoverageReport } from './coverage.js';
import { createHandlebars, parseTemplate, type TemplateAst } from './handlebars.js';
import { displayPath, validateFixtures, type TemplateManifest } from './manifest.js';
import { renderFixture } from './render.js';
import { compareWithSnapshot, readSnapshot, snapshotFixtures, writeSnapshot, type SnapshotDiff, type SnapshotWriter } from './snapshot.js';
import { verifyOutput, type VerifyResult } from './verify.js';

/**
 * What happened to one fixture: `passed` (output equals the snapshot), `failed` (it differs), `written` (no
 * snapshot yet: written now), `updated` (differed, rewritten by `update`), `missing` (no snapshot and `ci`
 * forbids writing one), `error` (the render failed).
 */
export type FixtureStatus = 'passed' | 'failed' | 'written' | 'updated' | 'missing' | 'error';

/** The outcome of one fixture. */
export interface FixtureOutcome {
  template: string;
  fixture: string;
  status: FixtureStatus;
  /** Whether the fixture counts as a success: snapshot passed, written or updated, and every check passed. */
  ok: boolean;
  /** Number of files the fixture renders. */
  files: number;
  /** The fixture's snapshot folder, relative to the template's home. */
  snapshot: string;
  /** For `failed` and `updated`: what differs (before the update). */
  diffs: SnapshotDiff[];
  /** The paths of `diffs` by kind (relative to the fixture's snapshot folder): what `update` rewrote, added and deleted. */
  changes: SnapshotChanges;
  /** For `error`: the render error. */
  error?: { message: string; location?: SourceLocation; hint?: string; details: string[] };
  /** With `verify`: one result per check of template.yaml. */
  verify?: VerifyResult[];
}

/** Paths of a fixture's snapshot that differ from the render, by kind, each sorted. */
export interface SnapshotChanges {
  changed: string[];
  added: string[];
  removed: string[];
}

/** The outcome of one template. */
export interface TemplateOutcome {
  template: string;
  version: string;
  source: 'builtin' | 'workspace';
  fixtures: FixtureOutcome[];
  /** Snapshot folders of fixtures template.yaml no longer has (removed when `update`; a failure otherwise). */
  obsolete: string[];
  /** Whether `obsolete` folders were removed. */
  obsoleteRemoved: boolean;
  coverage?: CoverageReport;
}

/** Options of {@link testTemplate}. */
export interface TemplateTestOptions {
  /** Rewrite snapshots that differ, and remove obsolete fixture folders. */
  update?: boolean;
  /** Only this fixture. */
  fixture?: string;
  /** Record which `{{#if}}`/`{{#unless}}`/`{{#each}}`/`{{#with}}` branches the fixtures render. */
  coverage?: boolean;
  /** Run template.yaml's `checks` on each fixture's output. */
  verify?: boolean;
  /** Never write a missing snapshot (CI): a fixture without one fails. `update` wins over it, as vitest's `-u` does. */
  ci?: boolean;
  /** Called after each fixture (rendered, compared and checked): fixtures done and the template's fixture count. */
  onFixture?: (done: number, total: number) => void;
  /** How snapshot changes are committed (default: into each snapshot folder, all or nothing). */
  write?: SnapshotWriter;
}

/** Whether a template outcome is a success (every fixture ok and no obsolete snapshot left). */
export function templatePassed(o: TemplateOutcome): boolean {
  return o.fixtures.every((f) => f.ok) && (o.obsolete.length === 0 || o.obsoleteRemoved);
}

/**
 * Checks every fixture of `manifest` against its variables schema.
 * @throws MetarepoError (exit 2) located at the first offending fixture value in template.yaml, every violation in `details`.
 */
export async function requireValidFixtures(manifest: TemplateManifest): Promise<void> {
  const problems = await validateFixtures(manifest);
  if (problems.length === 0) return;
  throw new MetarepoError(`Fixtures of template "${manifest.name}" break its variables schema: ${problems[0].message}.`, {
    location: problems[0].location,
    details: problems.map((p) => `${p.location.file}:${p.location.line}:${p.location.column}: ${p.message}`),
    hint: 'A fixture is a set of answers: make it satisfy variables (required names, types, enums, patterns).',
  });
}

/** Fixture folders under `snapshots/<template>/` whose fixture template.yaml no longer has, sorted. */
export function obsoleteFixtures(t: TemplateLocation, manifest: TemplateManifest): string[] {
  return snapshotFixtures(snapshotsDir(t)).filter((f) => !(f in manifest.fixtures));
}

/**
 * Renders every fixture of `t` (or `options.fixture`) and compares it with its snapshot.
 * @throws MetarepoError (exit 2) when template.yaml is invalid, a fixture breaks the variables schema, or the
 *   template's generator cannot be found. A render error is not thrown: it is the fixture's `error` outcome.
 */
export async function testTemplate(t: TemplateLocation, catalog: TemplateCatalog, options: TemplateTestOptions = {}): Promise<TemplateOutcome> {
  const manifest = await catalog.manifest(t);
  await requireValidFixtures(manifest);
  const generator = await catalog.generator(t);
  const coverage = options.coverage ? new BranchCoverage(t.home) : undefined;
  const names = Object.keys(manifest.fixtures).filter((f) => !options.fixture || f === options.fixture);
  const outcomes: FixtureOutcome[] = [];
  for (const fixture of names) {
    const dir = path.join(snapshotsDir(t), fixture);
    const base = { template: t.name, fixture, snapshot: displayPath(dir, t.home), diffs: [] as SnapshotDiff[], changes: changesOf([]) };
    let files: Map<string, string>;
    try {
      files = (await renderFixture(t, manifest, generator, fixture, { handlebars: coverage?.instrument })).files;
    } catch (e) {
      if (!(e instanceof MetarepoError)) throw e;
      outcomes.push({ ...base, status: 'error', ok: false, files: 0, error: { message: e.message, location: e.location, hint: e.hint, details: e.details } });
      options.onFixture?.(outcomes.length, names.length);
      continue;
    }
    const outcome = compare(files, dir, base, options);
    if (options.verify) {
      outcome.verify = await verifyOutput(files, manifest.checks, t.home, manifest.fixtures[fixture]);
      outcome.ok &&= outcome.verify.every((v) => v.ok);
    }
    outcomes.push(outcome);
    options.onFixture?.(outcomes.length, names.length);
  }
  const obsolete = options.fixture ? [] : obsoleteFixtures(t, manifest);
  if (options.update) for (const f of obsolete) writeSnapshot(path.join(snapshotsDir(t), f), new Map(), options.write);
  return {
    template: t.name,
    version: manifest.version,
    source: t.source,
    fixtures: outcomes,
    obsolete: obsolete.map((f) => displayPath(path.join(snapshotsDir(t), f), t.home)),
    obsoleteRemoved: options.update === true && obsolete.length > 0,
    ...(coverage ? { coverage: coverage.report(t.name, parsedFiles(t, coverage.renderedFiles())) } : {}),
  };
}

function changesOf(diffs: SnapshotDiff[]): SnapshotChanges {
  const of = (kind: SnapshotDiff['kind']) => diffs.filter((d) => d.kind === kind).map((d) => d.path);
  return { changed: of('changed'), added: of('added'), removed: of('removed') };
}

function compare(
  files: Map<string, string>,
  dir: string,
  base: Pick<FixtureOutcome, 'template' | 'fixture' | 'snapshot' | 'diffs' | 'changes'>,
  options: TemplateTestOptions,
): FixtureOutcome {
  const snapshot = readSnapshot(dir);
  const count = files.size;
  if (snapshot === null) {
    // An explicit update writes even on CI, as vitest's -u does.
    if (options.ci && !options.update) return { ...base, status: 'missing', ok: false, files: count };
    writeSnapshot(dir, files, options.write);
    return { ...base, status: 'written', ok: true, files: count };
  }
  const diffs = compareWithSnapshot(files, snapshot, base.snapshot);
  if (diffs.length === 0) return { ...base, status: 'passed', ok: true, files: count };
  const changed = { ...base, files: count, diffs, changes: changesOf(diffs) };
  if (options.update) {
    writeSnapshot(dir, files, options.write);
    return { ...changed, status: 'updated', ok: true };
  }
  return { ...changed, status: 'failed', ok: false };
}

/**
 * The template's files that parse, as absolute path → AST (for coverage; lint reports the others): every file of its
 * folder, and `rendered`, the files its generator read from elsewhere.
 */
function parsedFiles(t: TemplateLocation, rendered: string[]): Map<string, TemplateAst> {
  const hb = createHandlebars();
  const out = new Map<string, TemplateAst>();
  const own = readTemplateFiles(t);
  const others = rendered.filter((abs) => !own.some((f) => f.abs === abs));
  const files = [...own, ...others.map((abs) => ({ abs, text: fs.readFileSync(abs, 'utf8') }))];
  for (const f of files) {
    try {
      out.set(f.abs, parseTemplate(hb, f.text, { file: displayPath(f.abs, t.home) }));
    } catch {
      // a syntax error: no branches to count; the render of a fixture reports it
    }
  }
  return out;
}
