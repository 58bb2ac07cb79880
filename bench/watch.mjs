// Watch latency: from saving a model to its regenerated output on disk, with `metarepo watch` running in a
// workspace of 20 models (one edited each time). Prints one JSON line: median and p90 over the saves; exits 1 when
// the p90 reaches the 2 s budget.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, median, report, round, syntheticWorkspace } from './lib.mjs';

const SAVES = Number(process.env.BENCH_WATCH_SAVES ?? 15);
/** From save to regenerated output (the promise tests/e2e/watch.test.ts once checked with a wall clock). */
const BUDGET_MS = 2000;
const ws = syntheticWorkspace(20);
const child = spawn(process.execPath, [BIN, 'watch', '--debounce', '50'], { cwd: ws, stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
child.stdout.on('data', (d) => (out += d));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(test, timeoutMs = 30_000) {
  const t0 = Date.now();
  while (!test()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`watch bench timed out\n${out}`);
    await sleep(2);
  }
}

try {
  await until(() => out.includes('watching '));
  const model = path.join(ws, 'models/entity-000/1.0.0.schema.json');
  const output = path.join(ws, 'projects/gen/src/entity-000.ts');
  const latencies = [];
  for (let i = 0; i < SAVES; i++) {
    const schema = JSON.parse(fs.readFileSync(model, 'utf8'));
    schema.properties[`saved${i}`] = { type: 'string' };
    const t0 = performance.now();
    fs.writeFileSync(model, JSON.stringify(schema, null, 2));
    await until(() => fs.readFileSync(output, 'utf8').includes(`saved${i}?: string`));
    latencies.push(performance.now() - t0);
    await sleep(200); // let the run finish printing before the next save
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const p90Ms = round(sorted[Math.floor(sorted.length * 0.9)]);
  report('watch-latency', { models: 20, saves: SAVES, debounceMs: 50, medianMs: round(median(latencies)), p90Ms, budgetMs: BUDGET_MS });
  if (p90Ms >= BUDGET_MS) {
    process.stderr.write(`watch-latency: p90 ${p90Ms} ms is over the ${BUDGET_MS} ms budget\n`);
    process.exitCode = 1;
  }
} finally {
  child.kill('SIGTERM');
}
