// Rename detection at scale (issue 14, item 9): an object of 5,000 properties of which 2,500 are renamed with only
// their description changed (each property has its own maxLength, so every rename is unique), plus a few ambiguous
// pairs that must stay removals and additions. Times the diff in this process (median of BENCH_RENAME_RUNS after a
// warm-up) beside the same diff with rename detection off (the peer: what the renames cost), and reads the peak
// resident memory of the whole process. Prints one JSON line; exits 1 over the budget (1 s, 200 MB) or when a
// rename is missed. Run after a build (`npm run bench` builds first).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO, median, report, round } from './lib.mjs';

const PROPERTIES = 5000;
const AMBIGUOUS = 10;
const RUNS = Math.max(3, Number(process.env.BENCH_RENAME_RUNS ?? 7));
const BUDGET_MS = 1000;
const BUDGET_MB = 200;

const { diffSchemas } = await import(pathToFileURL(path.join(REPO, 'dist/src/models/diff/index.js')).href);

const before = {};
const after = {};
const required = [[], []];
for (let i = 0; i < PROPERTIES; i++) {
  const schema = { type: 'string', maxLength: i + 1 };
  const renamed = i % 2 === 0;
  before[`f${i}`] = { ...schema, description: `Field ${i}.` };
  after[renamed ? `g${i}` : `f${i}`] = { ...schema, description: renamed ? `Field ${i}, renamed.` : `Field ${i}.` };
  if (i % 3 === 0) {
    required[0].push(`f${i}`);
    required[1].push(renamed ? `g${i}` : `f${i}`);
  }
}
for (let i = 0; i < AMBIGUOUS; i++) {
  before[`old${i}`] = { type: 'integer' };
  after[`new${i}`] = { type: 'integer' };
}
const oldSchema = { type: 'object', properties: before, required: required[0] };
const newSchema = { type: 'object', properties: after, required: required[1] };

const time = (options) => {
  const t0 = performance.now();
  const changes = diffSchemas(oldSchema, newSchema, options);
  return { ms: performance.now() - t0, changes };
};
const first = time();
const renames = first.changes.filter((c) => c.rule === 'PROPERTY_RENAMED').length;
const times = [first.ms];
const peerTimes = [];
for (let i = 1; i < RUNS; i++) {
  times.push(time().ms);
  peerTimes.push(time({ detectRenames: false }).ms);
}
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
const medianMs = round(median(times));
report('model-diff-renames', {
  properties: PROPERTIES,
  renamed: PROPERTIES / 2,
  renames,
  runs: RUNS,
  firstMs: round(first.ms),
  medianMs,
  noRenamesMedianMs: round(median(peerTimes)),
  peakRssMb,
  budgetMs: BUDGET_MS,
  budgetMb: BUDGET_MB,
});
if (renames !== PROPERTIES / 2 || medianMs >= BUDGET_MS || peakRssMb >= BUDGET_MB) {
  process.stderr.write(`model-diff-renames: ${renames} renames (want ${PROPERTIES / 2}), median ${medianMs} ms (budget ${BUDGET_MS}), peak ${peakRssMb} MB (budget ${BUDGET_MB})\n`);
  process.exitCode = 1;
}
