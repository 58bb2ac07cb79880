import fs from 'node:fs';
import path from 'node:path';
import { MetarepoError, formatLocation } from '../core/errors.js';
import { commitFiles, sweepStrayTemps, type JournalWrite } from '../core/journal.js';
import { STATE_DIR } from '../core/layout.js';
import type { Workspace } from '../workspace/workspace.js';
import { JOURNAL_FILE } from '../workspace/open.js';
import { buildCheckContext, runChecks, workspaceChecks, type ReportedFinding } from './checks.js';
import { MANIFEST_FILE, serializeManifest, type Manifest } from './manifest.js';
import { BASE_DIR, liveBaseHashes, missingBases, pruneBases } from './merge/base-store.js';
import type { PlannedTarget } from './plan.js';
import type { FileChange } from './tree.js';

/**
 * The one commit pipeline every writing command goes through (DESIGN.md, "Layers"): a Tree's changes →
 * checks (an error finding vetoes) → journaled commit (with the manifest and merge bases) → events.
 */

/** What {@link commitTree} commits, and how. */
export interface CommitRequest {
  /** The command, for the journal, the lock and messages (`generate`, `new`, `update`, `model bump`, …). */
  command: string;
  /** The Tree's changes (see `Tree.changes`). */
  changes: FileChange[];
  /** The manifest after this commit (generate); written in the same journal when it changed. */
  manifest?: Manifest;
  /** Contents to keep as merge bases under `.metarepo/base/` (generator and scaffold outputs). */
  bases?: string[];
  /** Files this run writes with conflict markers on purpose (`--conflicts=markers`): the marker check spares them. */
  markers?: ReadonlySet<string>;
  /** The targets a generate run planned, so checks do not plan again. */
  planned?: PlannedTarget[];
  /** Compute and check everything, write nothing. */
  dryRun?: boolean;
  /**
   * Commit without running checks. Only for `plugin install|uninstall|enable|disable`, which edit the plugin list
   * in metarepo.yaml: a failing plugin's own check must not stop the command that disables or removes it.
   */
  skipChecks?: boolean;
  /**
   * Who caused each change, for its `core:file:*` event: exactly one of `{ target }`, `{ generator }` or
   * `{ origin }` (the payload schema's rule). Default: `{ origin: command }`.
   */
  eventData?: (change: FileChange) => Record<string, unknown>;
}

/** What {@link commitTree} did. */
export interface CommitOutcome {
  /** Every finding of every check (errors included: with `dryRun` they do not throw). */
  findings: ReportedFinding[];
  /** Whether any file was written. */
  written: boolean;
}

/**
 * Runs every check on the pending changes, then commits them all or nothing through the journal, stores the merge
 * bases, prunes unused ones, and publishes `core:file:created|modified|deleted` per change.
 * @throws MetarepoError exit 1 when a check reports an error (nothing is written; with `dryRun` the findings are
 *   returned instead) or the commit fails (the files are as they were); exit 2 for a destination that is a folder.
 */
export async function commitTree(ws: Workspace, req: CommitRequest): Promise<CommitOutcome> {
  const checks = req.skipChecks ? [] : await workspaceChecks(ws, req.markers);
  const pending = req.changes.map(({ type, path: p, content }) => ({ type, path: p, ...(content === undefined ? {} : { content }) }));
  const findings = checks.length ? await runChecks(ws, checks, await buildCheckContext(ws, pending, req.planned, req.command)) : [];
  const errors = findings.filter((f) => f.severity === 'error');
  if (req.dryRun) return { findings, written: false };
  if (errors.length > 0) throw checksFailed(errors);

  const manifestText = req.manifest ? serializeManifest(req.manifest) : undefined;
  const manifestChanged = manifestText !== undefined && manifestText !== readText(ws.root, MANIFEST_FILE);
  const writes: JournalWrite[] = req.changes.filter((c) => c.type !== 'delete').map((c) => ({ path: c.path, content: c.content ?? '' }));
  if (manifestChanged) writes.push({ path: MANIFEST_FILE, content: manifestText });
  for (const [hash, content] of missingBases(ws.root, req.bases ?? [])) writes.push({ path: `${BASE_DIR}/${hash}`, content });
  const deletes = req.changes.filter((c) => c.type === 'delete').map((c) => c.path);
  // Temp files an earlier, killed metarepo 0.1 run left beside the files this commit touches.
  sweepStrayTemps([path.join(ws.root, BASE_DIR), ...[...writes, ...deletes.map((p) => ({ path: p }))].map((w) => path.dirname(path.join(ws.root, w.path)))]);
  commitFiles(ws.root, writes, deletes, { journal: JOURNAL_FILE, command: req.command });
  if (manifestChanged) pruneBases(ws.root, liveBaseHashes(ws.root, Object.values(req.manifest!.files).map((e) => e.baseHash ?? e.outputHash)));
  for (const c of req.changes) {
    ws.bus.publish(`core:file:${c.type === 'create' ? 'created' : c.type === 'modify' ? 'modified' : 'deleted'}`, { path: c.path, ...(req.eventData?.(c) ?? { origin: req.command }) });
  }
  return { findings, written: req.changes.length > 0 };
}

/**
 * Commits changes into a folder that is not (yet) a workspace — `metarepo init`, the expected renders of built-in
 * templates — all or nothing, with the journal under `<root>/.metarepo/` when that folder is part of the change.
 * @throws MetarepoError as {@link commitFiles} does.
 */
export function commitChanges(root: string, changes: FileChange[]): void {
  const journal = changes.some((c) => c.path.startsWith(`${STATE_DIR}/`)) ? JOURNAL_FILE : undefined;
  commitFiles(
    root,
    changes.filter((c) => c.type !== 'delete').map((c) => ({ path: c.path, content: c.content ?? '' })),
    changes.filter((c) => c.type === 'delete').map((c) => c.path),
    { journal, command: 'metarepo' },
  );
}

/** The error a vetoing check raises: every error finding, one per line, with file:line:column. */
export function checksFailed(errors: ReportedFinding[]): MetarepoError {
  return new MetarepoError(`${errors.length === 1 ? 'A check' : `${errors.length} checks`} failed; nothing was written.`, {
    exitCode: 1,
    details: errors.map(describeFinding),
    hint: 'Fix what the checks report and run the command again (a plugin\'s checks can be turned off with plugins.<name>.enabled: false in metarepo.yaml).',
  });
}

/** One finding as `file:line:column: message (plugin/check)`. */
export function describeFinding(f: ReportedFinding): string {
  return `${f.file ? `${formatLocation({ file: f.file, line: f.line, column: f.column })}: ` : ''}${f.message} (${f.plugin}/${f.check})`;
}

function readText(root: string, rel: string): string | null {
  try {
    return fs.readFileSync(path.join(root, rel), 'utf8');
  } catch {
    return null;
  }
}
