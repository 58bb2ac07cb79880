// Diffs of real published schema histories (issue 5), as tests/e2e/model-history.test.ts runs them: three majors
// of @octokit/webhooks-schemas and OpenAPI 3.0 → 3.1, about 600 KB a side. `metarepo model diff --json` reports
// its own `durationMs` (both sides bundled, then diffed); this script takes the median over runs of each pair.
// There is no peer to run beside it (no other tool classifies schema changes by compatibility rule); a plain line
// diff of these files is no comparison either (the `diff` package takes seconds on them). Prints one JSON line;
// exits 1 when a pair's median reaches the budget. Run after a build (`npm run bench` builds first).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, REPO, median, report, round, tempDir, timeCli } from './lib.mjs';

const RUNS = Math.max(3, Number(process.env.BENCH_HISTORY_RUNS ?? 7));
/** The budget of one diff, bundling included: about 20× the 13–70 ms measured on an idle 2-core machine. */
const BUDGET_MS = 1500;
const WEBHOOKS = { '5.8.0': 'webhooks-schemas-5', '6.11.0': 'webhooks-schemas-6', '7.6.1': '@octokit/webhooks-schemas' };
const PAIRS = [
  ['webhooks', '5.8.0', '6.11.0'],
  ['webhooks', '6.11.0', '7.6.1'],
  ['openapi', '3.0.0', '3.1.0'],
];

const dir = tempDir('metarepo-bench-history-');
timeCli(dir, ['init', '--name', 'history']);
fs.mkdirSync(path.join(dir, 'models/webhooks'), { recursive: true });
for (const [version, pkg] of Object.entries(WEBHOOKS)) {
  fs.copyFileSync(path.join(REPO, 'node_modules', pkg, 'schema.json'), path.join(dir, `models/webhooks/${version}.schema.json`));
}
const built = spawnSync(process.execPath, [path.join(REPO, 'examples/real-schemas/build-models.mjs'), path.join(dir, 'tmp-models')], { encoding: 'utf8' });
if (built.status !== 0) throw new Error(`build-models failed: ${built.stderr}`);
fs.renameSync(path.join(dir, 'tmp-models/openapi'), path.join(dir, 'models/openapi'));
fs.appendFileSync(path.join(dir, 'metarepo.yaml'), 'models:\n  openapi:\n    compatibility: none\n');

const figures = {};
const over = [];
for (const [model, from, to] of PAIRS) {
  const label = `${model} ${from}→${to}`;
  const durations = [];
  let changes = 0;
  for (let i = 0; i < RUNS + 1; i++) {
    const r = spawnSync(process.execPath, [BIN, 'model', 'diff', model, from, to, '--json'], { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`model diff ${label} exited ${r.status}: ${r.stderr}`);
    const out = JSON.parse(r.stdout);
    changes = out.changes.length;
    if (i > 0) durations.push(out.durationMs); // the first run warms the file-system cache
  }
  const medianMs = round(median(durations));
  figures[label] = { medianMs, changes };
  if (medianMs >= BUDGET_MS) over.push(`${label}: median ${medianMs} ms`);
}
report('model-history-diff', { runs: RUNS, budgetMs: BUDGET_MS, pairs: figures });
fs.rmSync(dir, { recursive: true, force: true });
if (over.length) {
  process.stderr.write(`model-history-diff: over the ${BUDGET_MS} ms budget: ${over.join('; ')}\n`);
  process.exitCode = 1;
}
