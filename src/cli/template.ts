import path from 'node:path';
import pc from 'picocolors';
import { formatLocation } from '../core/errors.js';
import { openTemplateCatalog, TemplateCatalog } from '../templates/catalog.js';
import type { CoverageReport } from '../templates/coverage.js';
import { formatLintFindings, lintTemplate, type LintFinding } from '../templates/lint.js';
import { templatePassed, testTemplate, type FixtureOutcome, type TemplateOutcome } from '../templates/snapshot-test.js';
import { commitSnapshotFolder } from '../templates/snapshot.js';
import { commitTree } from '../engine/commit.js';
import type { FileChange } from '../engine/tree.js';
import { findWorkspaceRoot } from '../workspace/root.js';
import { closeWorkspace, openWorkspace } from '../workspace/open.js';
import { type Workspace } from '../workspace/workspace.js';
import { emit, type GlobalOptions } from './output.js';
import { progressFor } from './progress.js';

/** A template command's catalog, and how to close what was opened for it. */
export interface TemplateSession {
  catalog: TemplateCatalog;
  /** The workspace, when the command runs in one (templates work outside one too: built-ins only). */
  ws?: Workspace;
  close(code: number): Promise<void>;
}

/**
 * Opens the templates for a command: in a workspace, the workspace (events, plugin host) and its templates
 * plus the built-ins; outside one, the built-ins through a plugin host of metarepo's own plugins.
 */
export async function openTemplates(g: GlobalOptions, command: string, write = false): Promise<TemplateSession> {
  if (findWorkspaceRoot(g.cwd)) {
    const ws = await openWorkspace(g.cwd, command, { strict: g.strict, write });
    try {
      const catalog = new TemplateCatalog(ws.root, await (await ws.plugins()).scaffolds());
      return { catalog, ws, close: (code) => closeWorkspace(ws, code) };
    } catch (e) {
      await closeWorkspace(ws, 2);
      throw e;
    }
  }
  return openTemplateCatalog(g.cwd);
}

interface SelectOptions {
  builtin?: boolean;
}

/** `metarepo template list`: every template with its source, version, generator and fixtures. */
export async function templateListCommand(g: GlobalOptions): Promise<number> {
  const session = await openTemplates(g, 'template list');
  let code = 1;
  try {
    const rows: Array<{ name: string; version: string; source: string; generator: string; fixtures: string[]; description: string }> = [];
    for (const t of session.catalog.locations) {
      const m = await session.catalog.manifest(t);
      rows.push({ name: t.name, version: m.version, source: t.source, generator: m.generator, fixtures: Object.keys(m.fixtures), description: m.description });
    }
    code = 0;
    emit(g, { templates: rows }, () =>
      rows.map((r) => `${r.name.padEnd(16)} ${r.version.padEnd(8)} ${r.description}${pc.dim(` (${r.source}; generator ${r.generator}; fixtures ${r.fixtures.join(', ')})`)}`).join('\n'),
    );
    return code;
  } finally {
    await session.close(code);
  }
}

interface TestOptions extends SelectOptions {
  update?: boolean;
  fixture?: string;
  coverage?: boolean;
  verify?: boolean;
  ci?: boolean;
}

/** Whether the environment says this is CI (the `CI` variable most CI services set), as vitest decides it. */
function inCi(): boolean {
  const v = process.env.CI;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/** `metarepo template test [name…]`: snapshot tests; exit 1 when a fixture differs, fails to render or a check fails. */
export async function templateTestCommand(g: GlobalOptions, names: string[], opts: TestOptions): Promise<number> {
  const ci = opts.ci || inCi();
  // Writes snapshots (missing ones, or every changed one with --update): a writer of the workspace then.
  const session = await openTemplates(g, 'template test', opts.update || !ci);
  let code = 1;
  try {
    // Snapshots inside the workspace commit once, at the end, through the pipeline; others (built-in templates'
    // snapshots outside any workspace) into their own folders.
    const pending: FileChange[] = [];
    const ws = session.ws;
    const write = (dir: string, changes: FileChange[]) => {
      const rel = ws ? path.relative(ws.root, dir) : '..';
      if (!ws || rel.startsWith('..') || path.isAbsolute(rel)) return commitSnapshotFolder(dir, changes);
      for (const c of changes) pending.push({ ...c, path: path.posix.join(rel.split(path.sep).join('/'), c.path) });
    };
    const selected = session.catalog.select(names, opts);
    if (opts.fixture) await requireFixture(session.catalog, selected, opts.fixture);
    const outcomes: TemplateOutcome[] = [];
    // One bar over every fixture of the selected templates.
    const counts = await Promise.all(selected.map(async (t) => Object.keys((await session.catalog.manifest(t)).fixtures).filter((f) => !opts.fixture || f === opts.fixture).length));
    const total = counts.reduce((a, b) => a + b, 0);
    const progress = progressFor(g);
    try {
      let before = 0;
      for (const [i, t] of selected.entries()) {
        const onFixture = (done: number) => progress.update('fixtures', Math.min(before + done, total), total);
        outcomes.push(await testTemplate(t, session.catalog, { ...opts, ci, onFixture, write }));
        before += counts[i];
      }
    } finally {
      progress.done();
    }
    if (ws && pending.length) await commitTree(ws, { command: 'template test', changes: pending });
    code = outcomes.every(templatePassed) ? 0 : 1;
    emit(g, { ok: code === 0, templates: outcomes }, () => describeOutcomes(outcomes, opts));
    return code;
  } finally {
    await session.close(code);
  }
}

async function requireFixture(catalog: TemplateCatalog, selected: ReturnType<TemplateCatalog['select']>, fixture: string): Promise<void> {
  for (const t of selected) if (fixture in (await catalog.manifest(t)).fixtures) return;
  const { MetarepoError } = await import('../core/errors.js');
  throw new MetarepoError(`No selected template has a fixture called "${fixture}".`, {
    hint: 'Fixtures are the keys of "fixtures:" in template.yaml; run "metarepo template list" to see them.',
  });
}

const STATUS_LABEL: Record<FixtureOutcome['status'], (s: string) => string> = {
  passed: pc.green,
  written: pc.cyan,
  updated: pc.cyan,
  failed: pc.red,
  missing: pc.red,
  error: pc.red,
};

const CHANGE_KINDS = ['changed', 'added', 'removed'] as const;

function countDiffs(f: FixtureOutcome): string {
  return CHANGE_KINDS.filter((k) => f.changes[k].length)
    .map((k) => `${f.changes[k].length} ${k}`)
    .join(', ');
}

/** One line per file an update rewrote, added or deleted, in that order: `  changed example/README.md`. */
function listChanges(f: FixtureOutcome): string[] {
  return CHANGE_KINDS.flatMap((k) => f.changes[k].map((p) => `  ${k.padEnd(7)} ${p}`));
}

function describeFixture(f: FixtureOutcome): string[] {
  const name = `${f.template}/${f.fixture}`;
  const label = STATUS_LABEL[f.status](f.status.toUpperCase().padEnd(7));
  const lines: string[] = [];
  switch (f.status) {
    case 'passed':
      lines.push(`${label} ${name} ${pc.dim(`(${f.files} files)`)}`);
      break;
    case 'written':
      lines.push(`${label} ${name}: new fixture, ${f.files} files written to ${f.snapshot}`);
      break;
    case 'missing':
      lines.push(`${label} ${name}: no snapshot in ${f.snapshot}, and CI mode does not write one`);
      break;
    case 'updated':
      lines.push(`${label} ${name}: ${countDiffs(f)} (${f.snapshot} rewritten)`, ...listChanges(f));
      break;
    case 'failed':
      lines.push(`${label} ${name}: ${countDiffs(f)}`, ...f.diffs.map((d) => d.patch.trimEnd()));
      break;
    case 'error': {
      const where = f.error?.location ? `${formatLocation(f.error.location)}: ` : '';
      lines.push(`${label} ${name}: ${where}${f.error?.message}`, ...(f.error?.details ?? []).map((d) => `  ${d}`));
      break;
    }
  }
  for (const v of f.verify ?? []) {
    lines.push(`  ${v.ok ? pc.green('ok') : pc.red('FAILED')} ${v.check}`);
    if (!v.ok) lines.push(...v.output.split('\n').map((l) => `    ${l}`));
  }
  return lines;
}

function describeCoverage(c: CoverageReport): string[] {
  const head = `coverage ${c.template}: ${c.covered}/${c.branches} branches`;
  return [c.missed.length ? pc.yellow(head) : head, ...c.missed.map((m) => `  ${m.file}:${m.line}:${m.column} {{#${m.helper}}} ${m.branch} branch never rendered`)];
}

function describeOutcomes(outcomes: TemplateOutcome[], opts: TestOptions): string {
  const lines: string[] = [];
  for (const o of outcomes) {
    for (const f of o.fixtures) lines.push(...describeFixture(f));
    for (const dir of o.obsolete) {
      lines.push(o.obsoleteRemoved ? `${pc.cyan('REMOVED')} ${dir}: its fixture is no longer in template.yaml` : `${pc.red('OBSOLETE')} ${dir}: its fixture is not in template.yaml (--update removes it)`);
    }
    if (opts.verify && o.fixtures.length > 0 && o.fixtures.every((f) => f.verify?.length === 0)) lines.push(pc.dim(`  ${o.template}: template.yaml declares no checks`));
  }
  for (const o of outcomes) if (o.coverage) lines.push(...describeCoverage(o.coverage));
  const all = outcomes.flatMap((o) => o.fixtures);
  const count = (s: FixtureOutcome['status']) => all.filter((f) => f.status === s).length;
  const parts = (['passed', 'failed', 'written', 'updated', 'missing', 'error'] as const).filter((s) => count(s)).map((s) => `${count(s)} ${s}`);
  const failedChecks = all.filter((f) => f.verify?.some((v) => !v.ok)).length;
  if (failedChecks) parts.push(`${failedChecks} with failed checks`);
  lines.push(`${outcomes.length} templates, ${all.length} fixtures: ${parts.join(', ') || 'nothing to test'}`);
  if (all.some((f) => f.status === 'failed') || outcomes.some((o) => o.obsolete.length && !o.obsoleteRemoved)) {
    lines.push(`${pc.dim('hint:')} if the new output is right, accept it with metarepo template test --update`);
  }
  return lines.join('\n');
}

/** `metarepo template lint [name…]`: lint findings; exit 1 when any is an error. */
export async function templateLintCommand(g: GlobalOptions, names: string[], opts: SelectOptions): Promise<number> {
  const session = await openTemplates(g, 'template lint');
  let code = 1;
  try {
    const findings: LintFinding[] = [];
    const selected = session.catalog.select(names, opts);
    for (const t of selected) findings.push(...(await lintTemplate(t, session.catalog)));
    const errors = findings.filter((f) => f.severity === 'error').length;
    code = errors > 0 ? 1 : 0;
    emit(g, { templates: selected.map((t) => t.name), findings, errors }, () =>
      [...formatLintFindings(findings), `${selected.length} templates: ${errors} errors, ${findings.length - errors} warnings`].join('\n'),
    );
    return code;
  } finally {
    await session.close(code);
  }
}
