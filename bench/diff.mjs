// Schema diff benchmark (issue 5): two 500-property schemas (strings, numbers, enums, arrays, nested objects,
// references to definitions, required lists) with changes of every kind between them; the diff is timed in this
// process after a warm-up, median of BENCH_DIFF_RUNS (≥ 20) runs. Prints one JSON line; exits 1 when the median
// reaches the budget. Run after a build (`npm run bench` builds first).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO, median, report } from './lib.mjs';

const PROPERTIES = 500;
const RUNS = Math.max(20, Number(process.env.BENCH_DIFF_RUNS ?? 25));
const BUDGET_MS = 200;

const { diffSchemas } = await import(pathToFileURL(path.join(REPO, 'dist/src/models/diff/index.js')).href);

/** Property `i` of the schema: one of eight shapes; in the changed schema every 5th property gets its shape's edit. */
function property(i, changed) {
  const edit = changed && i % 5 === 0;
  const alt = Math.floor(i / 40) % 2 === 1;
  switch (i % 8) {
    case 0:
      return { type: 'string', maxLength: edit ? (alt ? 128 : 32) : 64, description: `Text ${i}.` };
    case 1:
      return { type: edit && alt ? 'number' : 'integer', minimum: 0, maximum: edit && !alt ? 100 : 1000 };
    case 2:
      return { enum: edit ? (alt ? ['a', 'b'] : ['a', 'b', 'c', 'd']) : ['a', 'b', 'c'], default: 'a' };
    case 3:
      return { type: 'array', items: { type: 'string', ...(edit && alt ? { format: 'uuid' } : {}) }, minItems: edit && !alt ? 1 : 0 };
    case 4:
      return {
        type: 'object',
        properties: { x: { type: 'number' }, y: { type: 'number' }, label: { type: edit && alt ? ['string', 'null'] : 'string' } },
        required: edit && !alt ? ['x'] : ['x', 'y'],
        additionalProperties: false,
      };
    case 5:
      return { $ref: edit ? '#/definitions/address2' : '#/definitions/address' };
    case 6:
      return { type: 'boolean', description: edit ? `Flag ${i}, revised.` : `Flag ${i}.` };
    default:
      return { type: 'string', format: 'date-time', ...(edit ? { pattern: '^2' } : {}) };
  }
}

function schema(changed) {
  const properties = {};
  const required = [];
  for (let i = 0; i < PROPERTIES; i++) {
    // The changed schema drops every 50th property and renames every 45th.
    if (changed && i % 50 === 7) continue;
    const name = changed && i % 45 === 11 ? `field${i}Renamed` : `field${i}`;
    properties[name] = JSON.parse(JSON.stringify(property(i, changed)));
    if (i % 3 === 0) required.push(name);
  }
  if (changed) for (let i = 0; i < 10; i++) properties[`added${i}`] = { type: 'string', maxLength: 10 };
  const address = { type: 'object', properties: { city: { type: 'string' }, zip: { type: 'string', pattern: '^[0-9]{5}$' } }, required: ['city'] };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Bench',
    type: 'object',
    properties,
    required,
    definitions: { address, address2: changed ? { ...address, properties: { ...address.properties, zip: { type: 'string' } } } : address },
  };
}

const before = schema(false);
const after = schema(true);
let changes = 0;
for (let i = 0; i < 5; i++) changes = diffSchemas(before, after).length; // warm-up
const times = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  diffSchemas(before, after);
  times.push(performance.now() - t0);
}
const medianMs = Math.round(median(times) * 100) / 100;
report('model-diff', { properties: PROPERTIES, runs: RUNS, medianMs, changes, budgetMs: BUDGET_MS });
if (medianMs >= BUDGET_MS) {
  process.stderr.write(`model-diff: median ${medianMs} ms is over the ${BUDGET_MS} ms budget\n`);
  process.exitCode = 1;
}
