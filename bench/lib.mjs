// Shared helpers of the benchmarks: run the built CLI, time things, build synthetic workspaces.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = path.join(REPO, 'dist/src/cli/bin.js');

/** Runs the CLI once; throws on a non-zero exit. Returns wall time in ms. */
export function timeCli(cwd, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`metarepo ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const round = (x) => Math.round(x * 10) / 10;

/** Median of `runs` timings of a CLI invocation. */
export function medianCli(cwd, args, runs) {
  timeCli(cwd, args); // warm the file-system cache
  return median(Array.from({ length: runs }, () => timeCli(cwd, args)));
}

export function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * A workspace with `n` models (each references a shared `common` model) and one typescript target per model.
 * Models vary in size and shape so the conversions are not all the same.
 */
export function syntheticWorkspace(n) {
  const dir = tempDir('metarepo-bench-');
  const init = spawnSync(process.execPath, [BIN, 'init', '--name', 'bench'], { cwd: dir, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(init.stderr);
  const write = (name, version, schema) => {
    fs.mkdirSync(path.join(dir, 'models', name), { recursive: true });
    fs.writeFileSync(path.join(dir, 'models', name, `${version}.schema.json`), JSON.stringify(schema, null, 2));
  };
  write('common', '1.0.0', {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Common',
    description: 'Shared definitions.',
    definitions: {
      id: { type: 'string', format: 'uuid' },
      audit: { type: 'object', properties: { createdAt: { type: 'string', format: 'date-time' }, by: { type: 'string' } }, required: ['createdAt'] },
    },
  });
  const targets = [];
  for (let i = 0; i < n; i++) {
    const name = `entity-${String(i).padStart(3, '0')}`;
    const properties = { id: { $ref: '../common/1.0.0.schema.json#/definitions/id' }, audit: { $ref: '../common/1.0.0.schema.json#/definitions/audit' } };
    for (let j = 0; j < 5 + (i % 15); j++) {
      const kinds = [{ type: 'string' }, { type: 'integer', minimum: 0 }, { type: 'boolean' }, { type: 'array', items: { type: 'string' } }, { enum: ['a', 'b', 'c'] }, { type: 'object', properties: { x: { type: 'number' } } }];
      properties[`field${j}`] = { description: `Field ${j} of ${name}.`, ...kinds[(i + j) % kinds.length] };
    }
    write(name, '1.0.0', { $schema: 'http://json-schema.org/draft-07/schema#', title: `Entity ${i}`, description: `Synthetic entity ${i}.`, type: 'object', required: ['id'], properties });
    targets.push(`  - model: ${name}@^1\n    generator: typescript\n    output: projects/gen/src/${name}.ts`);
  }
  const cfg = path.join(dir, 'metarepo.yaml');
  fs.writeFileSync(cfg, fs.readFileSync(cfg, 'utf8').replace('targets: []', `targets:\n${targets.join('\n')}`));
  return dir;
}

/** Prints one benchmark's figures as a JSON line. */
export function report(name, figures) {
  process.stdout.write(`${JSON.stringify({ bench: name, ...figures })}\n`);
}

/** Adds `n` workspace plugins (each declares a check and a command, and would import a module if loaded). */
export function addPlugins(dir, n) {
  for (let i = 0; i < n; i++) {
    const name = `bench-plugin-${i}`;
    const folder = path.join(dir, 'plugins', name);
    fs.mkdirSync(folder, { recursive: true });
    const manifest = { engines: { metarepo: '^0.1.0' }, contributes: { checks: [`${name}-check`], commands: [{ name: `${name}-cmd`, description: `command ${i}` }] } };
    fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'module', main: 'index.mjs', metarepo: manifest }));
    fs.writeFileSync(
      path.join(folder, 'index.mjs'),
      `export default { name: '${name}', setup(api) { api.registerCheck({ name: '${name}-check', description: 'x', run: () => [] }); api.registerCommand({ name: '${name}-cmd', description: 'x', run: () => 0 }); } };\n`,
    );
  }
}
