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

/**
 * Runs a process to its end, like `spawnSync`, and measures it: `ms` wall time, `cpuMs` the CPU time (user + system,
 * all its threads) it used, or `undefined` where that cannot be read. On a loaded machine the wall time moves with
 * the load while the CPU time mostly does not, so benchmarks report both. The CPU time is the growth of this
 * process's "children" times in /proc/self/stat (Linux: the CPU of the children waited for, in clock ticks of
 * 10 ms, USER_HZ = 100), so it costs no extra process; medians of several runs are finer than one tick.
 * @returns spawnSync's result with `ms` and `cpuMs`.
 */
export function spawnTimed(cmd, args, options) {
  const cpu0 = childrenCpuMs();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, options);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu1 = childrenCpuMs();
  return { ...r, ms, cpuMs: cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0 };
}

/** CPU time (ms) of this process's waited-for children so far (see {@link spawnTimed}); `undefined` without /proc. */
function childrenCpuMs() {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, cutime 16 and cstime 17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

/** Median of numbers, rounded like {@link round}; `undefined` when any is (no CPU times on this system). */
export function medianOrUndefined(xs) {
  return xs.some((x) => x === undefined) ? undefined : round(median(xs));
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
