import pc from 'picocolors';
import { commitTree, describeFinding } from '../engine/commit.js';
import { findScaffoldGenerator } from '../templates/scaffold/run.js';
import { planUpdate, readAnswersRecord } from '../templates/scaffold/update.js';
import { recordAnswers } from '../templates/scaffold/projects.js';
import { closeWorkspace, openWorkspace } from '../workspace/open.js';
import { describeChanges, describeFileConflict } from './diff.js';
import { parseSets } from './new.js';
import { emit, type GlobalOptions } from './output.js';

interface UpdateFlags {
  set: string[];
  dryRun?: boolean;
  yes?: boolean;
  conflicts?: 'report' | 'markers';
}

/**
 * `metarepo update <project>`: re-renders the project's generator at its current template version with the
 * recorded answers, merges the result into the project, and records the new answers and template version.
 * Exit code 1 when a file conflicts (other files are still updated).
 */
export async function updateCommand(g: GlobalOptions, project: string, flags: UpdateFlags): Promise<number> {
  const ws = await openWorkspace(g.cwd, 'update', { strict: g.strict, write: !flags.dryRun });
  let code = 1;
  try {
    const record = readAnswersRecord(ws.root, project);
    const entry = await findScaffoldGenerator(ws.root, record.generator, await (await ws.plugins()).scaffolds());
    ws.bus.publish('core:scaffold:started', { generator: entry.name, source: entry.source, dryRun: !!flags.dryRun });
    const plan = await planUpdate({
      root: ws.root,
      record,
      entry,
      set: parseSets(flags.set),
      interactive: !!process.stdin.isTTY && !flags.yes && !g.json,
      conflicts: flags.conflicts,
    });
    recordAnswers(plan.tree, project, plan.record);
    const changes = plan.tree.changes();
    const { findings } = await commitTree(ws, {
      command: 'update',
      changes,
      bases: plan.bases,
      markers: new Set(plan.conflicts.filter((c) => c.resolution === 'markers').map((c) => c.file)),
      dryRun: flags.dryRun,
      eventData: () => ({ generator: plan.generator }),
    });
    const errors = findings.filter((f) => f.severity === 'error');
    ws.bus.publish('core:scaffold:finished', { generator: plan.generator, files: changes.map((c) => c.path), dryRun: !!flags.dryRun });
    code = plan.conflicts.length || errors.length ? 1 : 0;
    const versions = `${plan.fromVersion ?? '(unversioned)'} → ${plan.toVersion ?? '(unversioned)'}`;
    emit(
      g,
      {
        project,
        generator: plan.generator,
        fromVersion: plan.fromVersion,
        toVersion: plan.toVersion,
        newQuestions: plan.newQuestions,
        answers: plan.record.answers,
        changes: changes.map((c) => ({ type: c.type, path: c.path })),
        merged: plan.merged,
        conflicts: plan.conflicts,
        notes: plan.notes,
        dryRun: !!flags.dryRun,
      },
      () =>
        [
          `update ${project}: template ${plan.generator} ${versions}`,
          ...(plan.newQuestions.length ? [`new questions: ${plan.newQuestions.map((q) => `${q}=${JSON.stringify(plan.record.answers[q])}`).join(', ')}`] : []),
          flags.dryRun ? describeChanges(changes) : changes.map((c) => `  ${c.type === 'create' ? 'create' : c.type === 'modify' ? 'update' : 'remove'} ${c.path}${plan.merged.includes(c.path) ? ' (merged with your edits)' : ''}`).join('\n'),
          ...plan.notes.map((n) => `${pc.dim('note')} ${n}`),
          ...plan.conflicts.map(describeFileConflict),
          ...errors.map((f) => `${pc.red('error')} ${describeFinding(f)}`),
          ...(flags.dryRun ? [pc.dim('dry run: nothing was written')] : []),
        ]
          .filter(Boolean)
          .join('\n'),
    );
    return code;
  } finally {
    await closeWorkspace(ws, code);
  }
}
