import path from 'node:path';
import pc from 'picocolors';
import { MetarepoError } from '../core/errors.js';
import { commitTree, describeFinding } from '../engine/commit.js';
import { findScaffoldGenerator, listScaffoldGenerators, runScaffold, templateOf } from '../templates/scaffold/run.js';
import { Tree } from '../engine/tree.js';
import { sha256 } from '../core/hash.js';
import { TOOL_VERSION } from '../core/version.js';
import { recordAnswers, registerProject } from '../templates/scaffold/projects.js';
import { closeWorkspace, openWorkspace } from '../workspace/open.js';
import { describeChanges } from './diff.js';
import { emit, type GlobalOptions } from './output.js';

interface NewOptions {
  set: string[];
  dryRun?: boolean;
  yes?: boolean;
}

/** `metarepo new [generator] [name]`: lists generators, or runs one into a Tree and commits it. */
export async function newCommand(g: GlobalOptions, generatorName: string | undefined, name: string | undefined, opts: NewOptions): Promise<number> {
  const ws = await openWorkspace(g.cwd, 'new', { strict: g.strict, write: !opts.dryRun });
  let code = 1;
  try {
    const builtins = await (await ws.plugins()).scaffolds();
    if (!generatorName) {
      const all = await listScaffoldGenerators(ws.root, builtins);
      emit(g, { generators: all.map(({ name, description, source }) => ({ name, description, source })) }, () =>
        ['Scaffold generators (metarepo new <generator> [name] --set key=value):', ...all.map((e) => `  ${e.name.padEnd(16)} ${e.description}${e.source === 'workspace' ? pc.dim(' (workspace)') : ''}`)].join('\n'),
      );
      code = 0;
      return code;
    }
    const entry = await findScaffoldGenerator(ws.root, generatorName, builtins);
    const answers = parseSets(opts.set);
    if (name !== undefined) {
      const key = ('positional' in entry.generator && entry.generator.positional) || 'name';
      answers[key] = name;
    }
    const tree = new Tree(ws.root);
    ws.bus.publish('core:scaffold:started', { generator: entry.name, source: entry.source, dryRun: !!opts.dryRun });
    const result = await runScaffold({
      root: ws.root,
      tree,
      generator: entry.generator,
      answers,
      interactive: !!process.stdin.isTTY && !opts.yes && !g.json,
      dryRun: opts.dryRun,
    });
    const written = result.changes.filter((c) => c.content !== undefined);
    if (result.project) {
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
      dryRun: opts.dryRun,
      eventData: () => ({ generator: entry.name }),
    });
    const errors = findings.filter((f) => f.severity === 'error');
    ws.bus.publish('core:scaffold:finished', { generator: entry.name, files: changes.map((c) => c.path), project: result.project?.path, dryRun: !!opts.dryRun });
    code = errors.length ? 1 : 0; // a dry run exits as the real run would: a failing check vetoes it
    emit(g, { generator: entry.name, answers: result.answers, project: result.project, changes: changes.map((c) => ({ type: c.type, path: c.path })), dryRun: !!opts.dryRun, messages: result.messages }, () =>
      opts.dryRun ? [describeChanges(changes), ...errors.map((f) => `${pc.red('error')} ${describeFinding(f)}`), pc.dim('dry run: nothing was written')].join('\n') : changes.map((c) => `  ${c.type === 'create' ? 'create' : c.type === 'modify' ? 'update' : 'remove'} ${c.path}`).join('\n'),
    );
    return code;
  } finally {
    await closeWorkspace(ws, code);
  }
}

/** Parses `--set key=value` flags. @throws MetarepoError (exit 2) for a flag without `=`. */
export function parseSets(sets: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new MetarepoError(`--set ${s} is not of the form key=value.`, { hint: 'Write --set name=value, e.g. --set description="My library".' });
    out[s.slice(0, eq)] = s.slice(eq + 1);
  }
  return out;
}
