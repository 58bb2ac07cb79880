// `metarepo generate` with nothing to do, on a workspace of 1,000 models and 1,000 typescript targets: the whole CLI
// process (start, config, plugins, the up-to-date decision, every check, events, exit), beside a bare `node -e 0` in
// the same runs (alternating, so a busy moment of the machine hits both alike). Also `generate --check`, which CI
// runs. Wall time and CPU time (user + system) of each, medians. Prints one JSON line; the target is a median
// ≤ 150 ms for `generate` (issue 12).
import fs from 'node:fs';
import { BIN, median, medianOrUndefined, report, round, spawnTimed, syntheticWorkspace, timeCli } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const MODELS = Number(process.env.BENCH_NOOP_MODELS ?? 1000);
const TARGET_MS = 150;

const ws = syntheticWorkspace(MODELS);
const coldMs = timeCli(ws, ['generate']);
// Steady state: the run after a change (here the cold run) hashes what it must and fills the caches under
// .metarepo/cache/; a file written less than a moment before that run is hashed again by the next one (see
// src/engine/file-facts.ts), so the runs measured here start a second later.
await new Promise((resolve) => setTimeout(resolve, 1000));
for (let i = 0; i < 2; i++) noop(['generate']);

const runs = { generate: [], check: [], node: [] };
for (let i = 0; i < RUNS; i++) {
  runs.generate.push(noop(['generate']));
  runs.check.push(noop(['generate', '--check']));
  runs.node.push(spawnTimed(process.execPath, ['-e', '0']));
}
const wall = (k) => median(runs[k].map((r) => r.ms));
const cpu = (k) => medianOrUndefined(runs[k].map((r) => r.cpuMs));
report('noop-generate', {
  models: MODELS,
  targets: MODELS,
  runs: RUNS,
  coldMs: round(coldMs),
  noopMedianMs: round(wall('generate')),
  checkMedianMs: round(wall('check')),
  nodeBaselineMs: round(wall('node')),
  overNodeMs: round(wall('generate') - wall('node')),
  noopCpuMedianMs: cpu('generate'),
  checkCpuMedianMs: cpu('check'),
  nodeCpuMedianMs: cpu('node'),
  targetMs: TARGET_MS,
});
fs.rmSync(ws, { recursive: true, force: true });

/** One run that must find every target up to date and write nothing (its summary line says so); returns its times. */
function noop(args) {
  const r = spawnTimed(process.execPath, [BIN, ...args], { cwd: ws, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`metarepo ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const expected = args.includes('--check') ? `all ${MODELS} targets are up to date` : `${MODELS} targets: 0 rendered, ${MODELS} up to date, nothing to write`;
  if (!r.stdout.includes(expected)) throw new Error(`metarepo ${args.join(' ')} was not a no-op: ${r.stdout.slice(0, 500)}`);
  return r;
}
