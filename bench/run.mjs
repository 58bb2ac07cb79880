// `npm run bench`: prints one JSON line of figures per benchmark. Run after `npm run build`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO, addPlugins, median, medianCli, report, round, syntheticWorkspace, tempDir, timeCli } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);

// 1. Cold start: a new Node process each time, as a person or CI runs it.
{
  const ws = tempDir('metarepo-bench-start-');
  timeCli(ws, ['init']);
  report('cold-start', {
    runs: RUNS,
    helpMedianMs: round(medianCli(ws, ['--help'], RUNS)),
    statusMedianMs: round(medianCli(ws, ['status'], RUNS)),
    nodeBaselineMs: round(medianCli(ws, ['--version'], RUNS)),
  });
}

// 1b. The same with 20 workspace plugins installed: lazy activation must keep startup within 10%.
{
  const plain = tempDir('metarepo-bench-plain-');
  timeCli(plain, ['init']);
  const plugged = tempDir('metarepo-bench-plugins-');
  timeCli(plugged, ['init']);
  addPlugins(plugged, 20);
  const figures = {};
  for (const [label, args] of [['help', ['--help']], ['status', ['status']]]) {
    figures[`${label}NoPluginsMs`] = round(medianCli(plain, args, RUNS));
    figures[`${label}With20PluginsMs`] = round(medianCli(plugged, args, RUNS));
    figures[`${label}Ratio`] = Math.round((figures[`${label}With20PluginsMs`] / figures[`${label}NoPluginsMs`]) * 100) / 100;
  }
  report('cold-start-20-plugins', { runs: RUNS, ...figures });
}

// 2. generate on 200 models: cold (nothing generated yet) and no-op (everything up to date),
//    beside the same 200 conversions done by json-schema-to-typescript directly in one process.
{
  const N = 200;
  // Cold runs and direct loops alternate, so a busy moment of the machine hits both alike.
  const coldRuns = [];
  const directRuns = [];
  let ws;
  for (let i = 0; i < 5; i++) {
    ws = syntheticWorkspace(N);
    coldRuns.push(timeCli(ws, ['generate']));
    directRuns.push(directLoop(ws));
  }
  const noop = medianCli(ws, ['generate'], 5);
  const direct = median(directRuns);
  const prebundled = await prebundledLoop(ws, N);
  const cold = median(coldRuns);
  report('generate-200', {
    models: N,
    coldMedianMs: round(cold),
    noopMedianMs: round(noop),
    directJsttLoopMs: round(direct),
    ratioColdToDirect: Math.round((cold / direct) * 100) / 100,
    prebundledJsttLoopMs: round(prebundled),
    ratioColdToPrebundled: Math.round((cold / prebundled) * 100) / 100,
  });
}

/**
 * The same 200 conversions without metarepo, the way a person scripts them: a fresh Node process that calls
 * json-schema-to-typescript's `compileFromFile` on each model file (it resolves the cross-model `$ref`s from disk)
 * and writes each output. Timed like metarepo: the whole process, start to exit.
 */
function directLoop(ws) {
  const script = `
    import fs from 'node:fs';
    import path from 'node:path';
    import { compileFromFile } from 'json-schema-to-typescript';
    const ws = ${JSON.stringify(ws)};
    const out = path.join(ws, 'direct-out');
    fs.mkdirSync(out, { recursive: true });
    for (const name of fs.readdirSync(path.join(ws, 'models')).filter((n) => n !== 'common' && !n.startsWith('.')).sort()) {
      const ts = await compileFromFile(path.join(ws, 'models', name, '1.0.0.schema.json'), { format: false, cwd: path.join(ws, 'models', name) });
      fs.writeFileSync(path.join(out, name + '.ts'), ts);
    }`;
  const file = path.join(REPO, 'bench', '.direct-loop.mjs');
  fs.writeFileSync(file, script);
  try {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`direct loop failed: ${r.stderr}`);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** For reference: `compile` on schemas metarepo already bundled, in this process (no start-up, no file I/O). */
async function prebundledLoop(ws, n) {
  const { ModelRegistry } = await import(pathToFileURL(path.join(REPO, 'dist/src/models/registry.js')).href);
  const registry = await ModelRegistry.load(ws);
  const schemas = registry.list().filter((m) => m.name !== 'common').map((m) => registry.bundle(m).schema);
  if (schemas.length !== n) throw new Error(`expected ${n} models, found ${schemas.length}`);
  const t0 = process.hrtime.bigint();
  // The import is timed too: metarepo's cold run pays for loading the library as well.
  const { compile } = await import('json-schema-to-typescript');
  for (const s of schemas) await compile(s, s.title ?? 'Root', { format: false, bannerComment: '' });
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/**
 * Runs a benchmark script that prints its own JSON lines; a failing script fails the whole run. With `quiet`, what
 * the script prints to stderr is shown only when it fails (V8 writes a stack-overflow trace there on purpose).
 */
function runScript(file, { quiet = false } = {}) {
  const r = spawnSync(process.execPath, [path.join(REPO, file)], { encoding: 'utf8', stdio: ['ignore', 'pipe', quiet ? 'pipe' : 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  process.stdout.write(r.stdout);
  if (r.status !== 0) {
    if (quiet) process.stderr.write(r.stderr);
    process.exitCode = r.status ?? 1;
  }
}

// 3. Events through the ZeroMQ broker beside raw PUB/SUB.
runScript('bench/events.mjs');

// 4. The schema diff on two 500-property schemas (exits non-zero over its 200 ms budget).
runScript('bench/diff.mjs');

// 4b. Rename detection at 5,000 properties, 2,500 renamed (exits non-zero over 1 s or 200 MB, or on a missed rename).
runScript('bench/rename.mjs');

// 5. Watch latency: save a model → regenerated output on disk (median over 15 saves).
runScript('bench/watch.mjs');

// 6. Template snapshot tests: 50 templates × 3 fixtures (median seconds).
runScript('bench/templates.mjs');

// 7. Diffs of real published schema histories (webhooks 5 → 6 → 7, OpenAPI 3.0 → 3.1) through the CLI, against
//    their budget (exits 1 over it); once a wall-clock limit inside tests/e2e/model-history.test.ts.
runScript('bench/model-history.mjs');

// 7b. The MCP server on 200 models: a warm server's `status`, and cold start to first answer, beside `metarepo status`
//     (exits 1 over the 20 ms / 300 ms budgets).
runScript('bench/mcp.mjs');

// 8. Recovery: a timed-out codegen job, quicktype on a schema nested too deep, a hung process plugin, each beside
//    the same thing done with bare Node primitives; once wall-clock limits inside unit tests.
runScript('bench/recovery.mjs', { quiet: true });

// 9. generate with nothing to do on 1,000 models and targets (and generate --check), beside `node -e 0`.
runScript('bench/noop-generate.mjs');

// 10. metarepo new of a three-file plopfile generator beside plop itself on the same plopfile and answers.
runScript('bench/new-vs-plop.mjs');

// 11. A ~50 MB model of 110k properties: refused by the codegen size limit by default, then generated with the
//     limit raised (seconds, peak RSS, CPU).
runScript('bench/big-model.mjs');

// 12. Soundness of the typescript generator on the JSON Schema Test Suite, per draft: valid instances its types
//     accept, invalid ones they reject (exits 1 when a valid instance is rejected).
runScript('bench/soundness.mjs');

// 13. The docs site: `docs build` on the example workspace (goal 5 s), and search at 1,000 pages (goal 50 ms a
//     query) beside a substring scan of every page.
runScript('bench/docs.mjs');
// 14. quicktype on 506 real schemas per language (success, failure reasons, toolchain check, seconds, peak RSS), and
//     400 targets (67 models × 6 languages) through the codegen pool.
runScript('bench/quicktype-corpus.mjs');
