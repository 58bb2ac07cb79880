import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import plugin from '../../../plugins/scaffold-core/index.js';
import type { ScaffoldGenerator } from '../../../src/plugins/api.js';
import { MetarepoError } from '../../../src/core/errors.js';
import { recordingPluginApi } from '../../support/plugin-api.js';

/** A fresh temp folder standing in for a workspace root, with the given files. */
export function tempWorkspace(files: Record<string, string> = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-scaffold-'));
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
  return root;
}

/** Every file under `root` with its content, to prove a run left the disk alone. */
export function diskState(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of fs.readdirSync(root, { recursive: true }) as string[]) {
    const abs = path.join(root, rel);
    if (fs.statSync(abs).isFile()) out[rel.split(path.sep).join('/')] = fs.readFileSync(abs, 'utf8');
  }
  return out;
}

/** The generators the scaffold-core plugin registers, through the public plugin API. */
export function builtins(): ScaffoldGenerator[] {
  const { api, registered } = recordingPluginApi();
  void plugin.setup(api);
  return registered.scaffold;
}

export function builtin(name: string): ScaffoldGenerator {
  const g = builtins().find((x) => x.name === name);
  if (!g) throw new Error(`no built-in ${name}`);
  return g;
}

/** Awaits `p` and returns the MetarepoError it rejects with (fails if it resolves or throws something else). */
export async function metarepoError(p: Promise<unknown>): Promise<MetarepoError> {
  const err = await p.then(
    () => new Error('expected a MetarepoError, but the call succeeded'),
    (e: unknown) => e,
  );
  if (!(err instanceof MetarepoError)) throw err;
  return err;
}
