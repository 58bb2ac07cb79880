import fs from 'node:fs';
import path from 'node:path';
import { MetarepoError } from '../core/errors.js';
import { commitTree } from '../engine/commit.js';
import { Tree } from '../engine/tree.js';
import { prepareModelAdd } from '../models/add.js';
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
    emit(g, { models }, () => (models.length ? models.map((m) => `${m.name}  ${m.versions.join(', ')}`).join('\n') : 'no models (add one with `metarepo model add <name> --from <file>` or `metarepo new model <name>`)'));
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

export async function modelAddCommand(g: GlobalOptions, name: string, opts: { from: string }): Promise<number> {
  return withRegistry(g, 'model add', async (ws, registry) => {
    const source = path.resolve(g.cwd, opts.from);
    let text: string;
    try {
      text = fs.readFileSync(source, 'utf8');
    } catch {
      throw new MetarepoError(`Cannot read ${opts.from}.`, { hint: 'Pass --from <file> naming an existing JSON Schema file.' });
    }
    const planned = prepareModelAdd(registry, name, text, opts.from);
    const tree = new Tree(ws.root);
    tree.write(planned.path, planned.content, { origin: 'model add' });
    await commitTree(ws, { command: 'model add', changes: tree.changes(), eventData: () => ({ origin: 'model add' }) });
    emit(g, { created: planned.path, name, version: '1.0.0' }, () => `Added model ${name}@1.0.0 at ${planned.path}`);
    return 0;
  }, true);
}
