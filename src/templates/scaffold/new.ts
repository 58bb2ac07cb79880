import path from 'node:path';
import { sha256 } from '../../core/hash.js';
import { TOOL_VERSION } from '../../core/version.js';
import { commitTree } from '../../engine/commit.js';
import type { ReportedFinding } from '../../engine/checks.js';
import { Tree, type FileChange } from '../../engine/tree.js';
import type { Workspace } from '../../workspace/workspace.js';
import { runScaffold, templateOf, type ScaffoldGeneratorEntry, type ScaffoldResult } from './run.js';

/** Options of {@link scaffoldNew}. */
export interface ScaffoldNewOptions {
  /** The generator (see `findScaffoldGenerator`). */
  entry: ScaffoldGeneratorEntry;
  /** Answers by question name (strings are coerced per question, as `--set` values are). */
  answers: Record<string, unknown>;
  /** Ask unanswered questions on the terminal. */
  interactive: boolean;
  /** Compute and check everything, write nothing. */
  dryRun?: boolean;
}

/** What {@link scaffoldNew} did (or, in a dry run, would do). */
export interface ScaffoldNewOutcome {
  result: ScaffoldResult;
  /** Every pending change, the project registration and recorded answers included. */
  changes: FileChange[];
  /** Every check finding (with `dryRun`, error findings are returned instead of thrown). */
  findings: ReportedFinding[];
}

/**
 * `metarepo new <generator>` without its front end (the CLI and the MCP `new` tool both call it): runs the
 * generator into a Tree, registers a scaffolded project in metarepo.yaml with its recorded answers, and commits it
 * all through the engine's commit pipeline (checks, journal, events), publishing `core:scaffold:started|finished`.
 * @throws MetarepoError as `runScaffold` and `commitTree` do (bad answers exit 2; a failing check exits 1).
 */
export async function scaffoldNew(ws: Workspace, opts: ScaffoldNewOptions): Promise<ScaffoldNewOutcome> {
  const { entry, dryRun } = opts;
  const tree = new Tree(ws.root);
  ws.bus.publish('core:scaffold:started', { generator: entry.name, source: entry.source, dryRun: !!dryRun });
  const result = await runScaffold({ root: ws.root, tree, generator: entry.generator, answers: opts.answers, interactive: opts.interactive, dryRun, workspace: ws.config });
  const written = result.changes.filter((c) => c.content !== undefined);
  if (result.project) {
    const { recordAnswers, registerProject } = await import('./projects.js');
    const projectName = path.posix.basename(result.project.path);
    registerProject(tree, { name: projectName, path: result.project.path, generator: entry.name, kind: result.project.kind });
    const templateVersion = (await templateOf(ws.root, entry.generator))?.version;
    recordAnswers(tree, projectName, {
      generator: entry.name,
      answers: result.answers,
      metarepoVersion: TOOL_VERSION,
      ...(templateVersion ? { templateVersion } : {}),
      files: Object.fromEntries(written.map((c) => [c.path, sha256(c.content!)])),
    });
  }
  const changes = tree.changes();
  const { findings } = await commitTree(ws, {
    command: 'new',
    changes,
    bases: result.project ? written.map((c) => c.content!) : [],
    dryRun,
    eventData: () => ({ generator: entry.name }),
  });
  ws.bus.publish('core:scaffold:finished', { generator: entry.name, files: changes.map((c) => c.path), project: result.project?.path, dryRun: !!dryRun });
  return { result, changes, findings };
}
