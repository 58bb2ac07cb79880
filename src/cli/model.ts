import pc from 'picocolors';
import { MetarepoError } from '../core/errors.js';
import { commitTree } from '../engine/commit.js';
import { Tree } from '../engine/tree.js';
import { ModelRegistry } from '../models/registry.js';
import { closeWorkspace, openWorkspace } from '../workspace/open.js';
import { type Workspace } from '../workspace/workspace.js';
import { emit, type GlobalOptions } from './output.js';

/**
 * Opens the workspace (as a writer, taking the lock, when `write`), loads its models, runs `fn`, and closes the
 * workspace with the outcome.
 */
export async function withRegistry<T>(g: GlobalOptions, command: string, fn: (ws: Workspace, r: ModelRegistry) => Promise<T> | T, write = false): Promise<T> {
  const ws = await openWorkspace(g.cwd, command, { strict: g.strict, write });
  let code = 1;
  try {
    const registry = await ws.models();
    const result = await fn(ws, registry);
    code = 0;
    return result;
  } finally {
    await closeWorkspace(ws, code);
  }
}

export async function modelListCommand(g: GlobalOptions): Promise<number> {
  return withRegistry(g, 'model list', (_ws, registry) => {
    const byName = new Map<string, string[]>();
    for (const m of registry.list()) byName.set(m.name, [...(byName.get(m.name) ?? []), m.version]);
    const models = [...byName].map(([name, versions]) => ({ name, versions, latest: versions[versions.length - 1] }));
    emit(g, { models }, () => (models.length ? models.map((m) => `${m.name}  ${m.versions.join(', ')}`).join('\n') : 'no models (add some with `metarepo model add --from <file|folder|glob>` or `metarepo new model <name>`)'));
    return 0;
  });
}

export async function modelShowCommand(g: GlobalOptions, spec: string, opts: { bundled?: boolean }): Promise<number> {
  return withRegistry(g, 'model show', (_ws, registry) => {
    const record = registry.resolve(spec);
    const schema = opts.bundled ? registry.bundle(record).schema : record.schema;
    emit(g, { name: record.name, version: record.version, file: record.relFile, schema }, () => `# ${record.name}@${record.version} (${record.relFile})\n${JSON.stringify(schema, null, 2)}`);
    return 0;
  });
}

/**
 * `model add [name] --from <file|folder|glob>`: one file as model `name` (or a name from its `$id` or path), or a set
 * of schemas, each named from its `$id` or path, references among them kept working (see `prepareModelAdd`). All in
 * one commit, or nothing. References that lead nowhere are listed as a warning (exit 0), or refused with
 * `--strict-refs` (exit 2, nothing written).
 */
export async function modelAddCommand(
  g: GlobalOptions,
  name: string | undefined,
  opts: { from: string; dryRun?: boolean; strictRefs?: boolean },
): Promise<number> {
  const [{ findImportSources }, { prepareModelAdd }] = await Promise.all([import('../models/import/sources.js'), import('../models/add.js')]);
  const { kind, sources } = await findImportSources(g.cwd, opts.from);
  if (name !== undefined && kind !== 'file') {
    throw new MetarepoError(`A model name cannot go with a ${kind} (--from ${opts.from}): it imports ${sources.length} file${sources.length === 1 ? '' : 's'}.`, {
      hint: `Drop "${name}": each file's model name comes from its $id or its path. To name one file, pass --from <file>.`,
    });
  }
  return withRegistry(g, 'model add', async (ws, registry) => {
    const plan = prepareModelAdd(registry, sources, { name });
    const missingLines = plan.missing.map((m) => `${m.file}:${m.line}:${m.column}: ${m.message}`);
    if (opts.strictRefs && plan.missing.length > 0) {
      throw new MetarepoError(`${plan.missing.length} reference${plan.missing.length === 1 ? '' : 's'} in ${opts.from} lead${plan.missing.length === 1 ? 's' : ''} to no schema; nothing was added.`, {
        details: missingLines,
        hint: 'Import the schemas they name too (e.g. --from their folder), fix the references, or drop --strict-refs to add the models anyway.',
      });
    }
    if (!opts.dryRun) {
      const tree = new Tree(ws.root);
      for (const f of plan.files) tree.write(f.path, f.content, { origin: 'model add' });
      await commitTree(ws, { command: 'model add', changes: tree.changes(), eventData: () => ({ origin: 'model add' }) });
    }
    if (!g.json && missingLines.length > 0) {
      process.stderr.write(
        `${pc.yellow('warning')} ${missingLines.length} reference${missingLines.length === 1 ? '' : 's'} lead${missingLines.length === 1 ? 's' : ''} to no schema (generate fails for the models that need them):\n${missingLines.map((l) => `  ${l}\n`).join('')}`,
      );
    }
    emit(g, { added: plan.added, missing: plan.missing, dryRun: !!opts.dryRun }, () =>
      [
        ...plan.added.map((a) => `${opts.dryRun ? 'would add' : 'Added'} model ${a.name}@${a.version} at ${a.path}${kind === 'file' ? '' : ` (from ${a.from})`}${a.assignedId ? `, $id ${a.id}` : ''}${a.rewrittenRefs.length ? `, ${a.rewrittenRefs.length} $ref(s) rewritten` : ''}`),
        ...(opts.dryRun ? [pc.dim('dry run: nothing was written')] : []),
      ].join('\n'),
    );
    return 0;
  }, !opts.dryRun);
}
