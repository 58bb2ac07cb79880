import pc from 'picocolors';
import { generate, prestartCodegenPool, type GenerateReport } from '../engine/generate.js';
import { findWorkspaceRoot } from '../workspace/root.js';
import { closeWorkspace, openWorkspace } from '../workspace/open.js';
import { type Workspace } from '../workspace/workspace.js';
import { emit, type GlobalOptions } from './output.js';
import { progressFor } from './progress.js';
import { describeFinding } from '../engine/commit.js';

const VERB = { create: 'create', modify: 'update', delete: 'remove' } as const;

interface GenerateFlags {
  dryRun?: boolean;
  check?: boolean;
  force?: boolean;
  merge?: boolean;
  conflicts?: 'report' | 'markers';
}

export async function generateCommand(g: GlobalOptions, opts: GenerateFlags): Promise<number> {
  // Worker threads boot while metarepo.yaml is read and validated (only when a render is likely).
  const pool = await prestartCodegenPool(findWorkspaceRoot(g.cwd));
  let ws: Workspace;
  try {
    ws = await openWorkspace(g.cwd, 'generate', { strict: g.strict, write: !opts.check && !opts.dryRun });
  } catch (e) {
    await pool?.close();
    throw e;
  }
  let code = 1;
  try {
    const progress = progressFor(g);
    let report: GenerateReport;
    try {
      report = await generate(ws, { ...opts, pool, onProgress: (done, total) => progress.update('rendering', done, total) });
    } finally {
      progress.done(); // the bar is erased before the report prints
    }
    const failed = report.targets.filter((t) => t.status === 'failed');
    const stale = opts.check ? report.changes.map((c) => c.path) : [];
    // --check and --dry-run exit as the real run would: 1 for an error finding or an edit the run would refuse.
    const errors = report.findings.filter((f) => f.severity === 'error');
    code = failed.length || stale.length || report.conflicts.length || errors.length || ((opts.dryRun || opts.check) && report.blocked.length) ? 1 : 0;
    // The patch printer (and its diff library) loads only when there is a patch or a conflict to print.
    const diff = !g.json && (opts.dryRun || report.conflicts.length) ? await import('./diff.js') : undefined;
    emit(g, toJson(report, stale), () => human(report, opts, stale, diff));
    return code;
  } finally {
    await closeWorkspace(ws, code);
  }
}

function toJson(r: GenerateReport, stale: string[]) {
  return {
    targets: r.targets,
    changes: r.changes.map((c) => ({ type: c.type, path: c.path, target: c.origin })),
    edited: r.edited,
    blocked: r.blocked,
    findings: r.findings,
    merged: r.merged,
    conflicts: r.conflicts,
    stale,
    written: r.written,
    durationMs: r.durationMs,
  };
}

function human(r: GenerateReport, opts: { dryRun?: boolean; check?: boolean }, stale: string[], diff?: typeof import('./diff.js')): string {
  const lines: string[] = [];
  for (const t of r.targets.filter((t) => t.status === 'failed')) lines.push(`${pc.red('failed')} ${t.target}: ${t.reason}`);
  for (const f of r.findings.filter((f) => f.severity === 'error')) lines.push(`${pc.red('error')} ${describeFinding(f)}`); // warnings: \`metarepo check\``
  if (opts.check) {
    for (const f of r.blocked) lines.push(`${pc.red('edited')} ${f} was edited by hand — run \`metarepo generate --merge\` or revert it`);
    if (stale.length === 0) {
      if (!r.findings.some((f) => f.severity === 'error') && !r.blocked.length && !r.targets.some((t) => t.status === 'failed')) lines.push(`${pc.green('ok')} all ${r.targets.length} targets are up to date`);
    } else {
      lines.push(`${pc.red('stale')} ${stale.length} generated file(s) out of date — run \`metarepo generate\`${r.blocked.length ? ' (with --merge for files edited by hand)' : ''}:`);
      for (const c of r.changes) lines.push(`  ${VERB[c.type]} ${c.path}${r.edited.includes(c.path) ? ' (edited by hand)' : ''}`);
    }
    return lines.join('\n');
  }
  if (opts.dryRun) {
    lines.push(diff!.describeChanges(r.changes, r.edited));
    if (r.blocked.length) lines.push(pc.red(`edited by hand (a real run would refuse; --merge or --force): ${r.blocked.join(', ')}`));
    lines.push(pc.dim('dry run: nothing was written'));
    return lines.join('\n');
  }
  for (const c of r.changes) lines.push(`  ${VERB[c.type]} ${c.path}${r.merged.includes(c.path) ? ' (merged with your edits)' : ''}`);
  for (const c of r.conflicts) lines.push(diff!.describeFileConflict(c));
  const rendered = r.targets.filter((t) => t.status === 'rendered').length;
  const skipped = r.targets.filter((t) => t.status === 'up-to-date').length;
  lines.push(`${r.targets.length} targets: ${rendered} rendered, ${skipped} up to date${r.changes.length ? `, ${r.changes.length} file(s) changed` : ', nothing to write'}${r.conflicts.length ? `, ${pc.red(`${r.conflicts.length} conflict(s)`)}` : ''} (${r.durationMs} ms)`);
  return lines.join('\n');
}
