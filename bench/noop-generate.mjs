// `metarepo generate` with nothing to do, on a workspace of 1,000 models and 1,000 typescript targets: the whole CLI
// process (start, config, plugins, the up-to-date decision, every check, events, exit), beside a bare `node -e 0` in
// the same runs (alternating, so a busy moment of the machine hits both alike). Also `generate --check`, which CI
// runs. Prints one JSON line; the target is a median ≤ 150 ms for `generate` (issue 12).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { BIN, median, report, round, syntheticWorkspace, timeCli } from './lib.mjs';

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

const times = { generate: [], check: [], node: [] };
for (let i = 0; i < RUNS; i++) {
  times.generate.push(noop(['generate']));
  times.check.push(noop(['generate', '--check']));
  const t0 = process.hrtime.bigint();
  spawnSync(process.execPath, ['-e', '0']);
  times.node.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
const generateMs = median(times.generate);
const nodeMs = median(times.node);
report('noop-generate', {
  models: MODELS,
  targets: MODELS,
  runs: RUNS,
  coldMs: round(coldMs),
  noopMedianMs: round(generateMs),
  checkMedianMs: round(median(times.check)),
  nodeBaselineMs: round(nodeMs),
  overNodeMs: round(generateMs - nodeMs),
  targetMs: TARGET_MS,
});
fs.rmSync(ws, { recursive: true, force: true });

/** One run that must find every target up to date and write nothing (its summary line says so); returns ms. */
function noop(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ws, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`metarepo ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const expected = args.includes('--check') ? `all ${MODELS} targets are up to date` : `${MODELS} targets: 0 rendered, ${MODELS} up to date, nothing to write`;
  if (!r.stdout.includes(expected)) throw new Error(`metarepo ${args.join(' ')} was not a no-op: ${r.stdout.slice(0, 500)}`);
  return ms;
}
