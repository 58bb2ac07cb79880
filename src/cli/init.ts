import fs from 'node:fs';
import path from 'node:path';
import { commitChanges } from '../engine/commit.js';
import { planInit } from '../templates/scaffold/init.js';
import { createBus } from '../workspace/open.js';
import { emit, type GlobalOptions } from './output.js';

export async function initCommand(g: GlobalOptions, dir: string | undefined, opts: { name?: string }): Promise<number> {
  const target = path.resolve(g.cwd, dir ?? '.');
  fs.mkdirSync(target, { recursive: true });
  const tree = planInit(target, opts.name);
  const changes = tree.changes();
  commitChanges(target, changes);
  const bus = createBus(target, undefined, { strict: g.strict });
  for (const c of changes) bus.publish('core:file:created', { path: c.path, origin: 'init' });
  await bus.close();
  emit(g, { root: target, created: changes.map((c) => c.path) }, () =>
    [`Created workspace in ${target}`, ...changes.map((c) => `  create ${c.path}`), '', 'Next: metarepo new ts-library <name>'].join('\n'),
  );
  return 0;
}
