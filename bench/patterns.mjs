// `npm run bench:patterns`: pattern detection on real npm code (bench/patterns-corpus.json), installed with npm into
// bench/.cache/patterns/ on first run. Prints JSON lines: one per family (recall, purity, byte-exact coverage,
// variables), the overall figures (found families, B-cubed precision/recall, false-family rate on the negative
// controls, seconds, peak memory), scaling over N = 1k, 2k, 4k, 8k, all files (best of BENCH_RUNS cold runs; time
// and LSH comparisons with their log-log slopes), jscpd on the same files for time, and the threshold checks.
// Metric definitions: ../shared/reference/pattern-detection.md, section D.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO, report, round, tempDir } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CACHE = path.join(REPO, 'bench/.cache/patterns');
const corpus = JSON.parse(fs.readFileSync(path.join(REPO, 'bench/patterns-corpus.json'), 'utf8'));
const NODE_MODULES = path.join(CACHE, 'node_modules');

install();
const { files, label } = corpusFiles();
const positives = groupBy(files.filter((f) => kindOf(label.get(f)) === 'positive'), (f) => label.get(f));
const negatives = files.filter((f) => kindOf(label.get(f)) === 'negative');

// Scaling: random subsets (fixed seed), each size best of RUNS cold runs; the full corpus is the last size.
const order = shuffled(files, 20240611);
const sizes = [1000, 2000, 4000, 8000].filter((n) => n < files.length).concat(files.length);
const scaling = [];
let full;
for (const n of sizes) {
  const runs = Array.from({ length: RUNS }, () => detect(n === files.length ? files : order.slice(0, n).sort()));
  const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
  scaling.push({ n, ms: best.ms, comparisons: best.stats.comparisons, shapes: best.stats.shapes, maxRssMb: Math.max(...runs.map((r) => r.maxRssMb)) });
  if (n === files.length) full = best;
}

// Families: a cluster is a proposal's candidate members (verified and ejected) or a rejected candidate family.
const clusters = [
  ...full.proposals.map((p) => ({ proposal: p, members: [...p.members, ...p.ejected.map((e) => e.path)] })),
  ...full.rejected.map((r) => ({ proposal: undefined, members: r.members })),
];
const clusterOf = new Map(clusters.flatMap((c) => c.members.map((m) => [m, c])));
const checks = [];
const check = (name, ok, value) => checks.push({ name, ok, value });
let found = 0;
for (const [id, members] of positives) {
  const set = new Set(members);
  const touching = clusters.filter((c) => c.members.some((m) => set.has(m)));
  const best = touching.reduce((a, c) => (overlap(c, set) > (a ? overlap(a, set) : -1) ? c : a), undefined);
  const inBest = best ? overlap(best, set) : 0;
  const recall = inBest / set.size;
  const purity = best ? inBest / best.members.length : 0;
  const verified = best?.proposal ? best.proposal.members.filter((m) => set.has(m)).length : 0;
  const family = corpus.families.find((f) => f.id === id);
  const names = best?.proposal ? best.proposal.variables.filter((v) => v.kind === 'name').length : 0;
  if (recall >= 0.9 && purity >= 0.9) found++;
  report('patterns-family', {
    family: id,
    files: set.size,
    clusters: touching.length,
    recall: round3(recall),
    purity: round3(purity),
    found: recall >= 0.9 && purity >= 0.9,
    coverageByteExact: round3(verified / set.size),
    astEqual: best?.proposal ? best.proposal.ejected.filter((e) => e.status === 'ast-equal').length : 0,
    variables: best?.proposal ? best.proposal.variables.length : 0,
    nameVariables: names,
    optionalSections: best?.proposal?.sections.optional ?? 0,
    repeatedSections: best?.proposal?.sections.repeated ?? 0,
    exactShapes: best?.proposal?.shapes ?? 0,
    savings: best?.proposal ? round3(best.proposal.savings) : 0,
  });
  check(`${id}: found (recall ≥ 0.9 at purity ≥ 0.9)`, recall >= 0.9 && purity >= 0.9, { recall: round3(recall), purity: round3(purity) });
  const target = family.vendor === 'aws' ? 0.95 : 0.85;
  check(`${id}: byte-exact coverage ≥ ${target}`, verified / set.size >= target, round3(verified / set.size));
  if (family.vendor === 'aws') check(`${id}: one name variable`, names === 1, names);
}

// False families: negative files in a cluster of ≥ 5 that also holds positive files, or in a proposal saving ≥ 50 %.
const falseFamily = negatives.filter((f) => {
  const c = clusterOf.get(f);
  if (!c) return false;
  const mixed = c.members.length >= 5 && c.members.some((m) => kindOf(label.get(m)) === 'positive');
  return mixed || (c.proposal !== undefined && c.proposal.savings >= 0.5);
});
const bcubed = bCubed(positives, clusterOf);
const slope = (key) => round3(logLogSlope(scaling.map((s) => [s.n, s[key]])));
report('patterns', {
  files: files.length,
  positiveFamilies: positives.size,
  familiesFound: found,
  familyRecall: round3(found / positives.size),
  bcubedPrecision: round3(bcubed.precision),
  bcubedRecall: round3(bcubed.recall),
  negativeFiles: negatives.length,
  falseFamilyFiles: falseFamily.length,
  falseFamilyRate: round3(falseFamily.length / negatives.length),
  proposals: full.proposals.length,
  seconds: round3(full.ms / 1000),
  peakRssMb: Math.round(full.maxRssMb),
  shapes: full.stats.shapes,
  comparisons: full.stats.comparisons,
  runs: RUNS,
});
report('patterns-scaling', { sizes: scaling.map((s) => ({ ...s, ms: Math.round(s.ms), maxRssMb: Math.round(s.maxRssMb) })), timeSlope: slope('ms'), comparisonsSlope: slope('comparisons') });
const jscpd = runJscpd(files);
report('patterns-jscpd', jscpd);

check(`family recall ≥ 0.9`, found / positives.size >= 0.9, round3(found / positives.size));
check('false-family rate ≤ 0.05', falseFamily.length / negatives.length <= 0.05, round3(falseFamily.length / negatives.length));
check('time slope ≤ 1.2', slope('ms') <= 1.2, slope('ms'));
check('comparisons slope ≤ 1.2', slope('comparisons') <= 1.2, slope('comparisons'));
check(`whole corpus (${files.length} files) ≤ 15 s`, full.ms <= 15_000, round3(full.ms / 1000));
const failed = checks.filter((c) => !c.ok);
report('patterns-checks', { passed: checks.length - failed.length, failed: failed.length, failures: failed.map((c) => `${c.name}: ${JSON.stringify(c.value)}`) });
fs.writeFileSync(path.join(REPO, 'bench/.cache/patterns-report.json'), `${JSON.stringify({ scaling, checks, jscpd }, null, 2)}\n`);
process.stderr.write(`${checks.length - failed.length} passed, ${failed.length} failed\n`);

/** Installs the corpus packages and jscpd into bench/.cache/patterns/ unless the right versions are there. */
function install() {
  const wanted = [...corpus.families.map((f) => [f.alias, f.version, `${f.alias}@npm:${f.package}@${f.version}`]), ['jscpd', corpus.jscpd, `jscpd@${corpus.jscpd}`]];
  const missing = wanted.filter(([alias, version]) => {
    const pkg = path.join(NODE_MODULES, alias, 'package.json');
    return !fs.existsSync(pkg) || JSON.parse(fs.readFileSync(pkg, 'utf8')).version !== version;
  });
  if (missing.length === 0) return;
  fs.mkdirSync(CACHE, { recursive: true });
  process.stderr.write(`installing the corpus into ${path.relative(REPO, CACHE)} (first run only)…\n`);
  // One command for everything: a later `npm install --no-save` would prune what an earlier one added.
  const r = spawnSync('npm', ['install', '--prefix', CACHE, '--no-save', '--ignore-scripts', '--legacy-peer-deps', '--no-audit', '--no-fund', ...wanted.map((w) => w[2])], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('npm install of the corpus failed');
}

/** Corpus files (absolute, sorted) and their family labels (`other` for unlabelled files of a family folder). */
function corpusFiles() {
  const label = new Map();
  for (const f of corpus.families) {
    const dir = path.join(NODE_MODULES, f.alias, f.dir);
    for (const name of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      if (!new RegExp(f.files).test(name) || !fs.statSync(file).isFile()) continue;
      label.set(path.relative(NODE_MODULES, file), new RegExp(f.match).test(name) ? f.id : 'other');
    }
  }
  return { files: [...label.keys()].sort(), label };
}

function kindOf(id) {
  return corpus.families.find((f) => f.id === id)?.kind ?? 'other';
}

/** One cold run of bench/patterns-run.mjs over `rel` (paths relative to node_modules). */
function detect(rel) {
  const input = path.join(tempDir('metarepo-bench-patterns-'), 'input.json');
  fs.writeFileSync(input, JSON.stringify({ root: NODE_MODULES, files: rel.map((f) => path.join(NODE_MODULES, f)) }));
  const r = spawnSync(process.execPath, [path.join(REPO, 'bench/patterns-run.mjs'), input], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`pattern detection failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** jscpd over the same files (a folder of symbolic links to them), timed. */
function runJscpd(rel) {
  const dir = tempDir('metarepo-bench-jscpd-');
  const src = path.join(dir, 'src');
  fs.mkdirSync(src);
  rel.forEach((f, i) => fs.symlinkSync(path.join(NODE_MODULES, f), path.join(src, `${i}-${path.basename(f)}`)));
  const out = path.join(dir, 'report');
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [path.join(NODE_MODULES, 'jscpd/bin/jscpd'), '--silent', '--reporters', 'json', '--output', out, '--format', 'javascript', '--formats-exts', 'javascript:js,mjs', src], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t0;
  const json = path.join(out, 'jscpd-report.json');
  if (r.status !== 0 || !fs.existsSync(json)) return { version: corpus.jscpd, error: (r.stderr || r.stdout).slice(0, 300), seconds: round3(ms / 1000) };
  const total = JSON.parse(fs.readFileSync(json, 'utf8')).statistics.total;
  return { version: corpus.jscpd, files: rel.length, seconds: round3(ms / 1000), clones: total.clones, duplicatedLinesPercent: round3(total.percentage) };
}

function overlap(c, set) {
  return c.members.filter((m) => set.has(m)).length;
}

/** B-cubed precision and recall over positive files (a file in no cluster is a cluster of its own). */
function bCubed(families, clusterOf) {
  let p = 0;
  let r = 0;
  let n = 0;
  for (const [id, members] of families) {
    for (const f of members) {
      const c = clusterOf.get(f);
      const same = c ? c.members.filter((m) => label.get(m) === id).length : 1;
      p += c ? same / c.members.length : 1;
      r += same / members.length;
      n++;
    }
  }
  return { precision: p / n, recall: r / n };
}

function groupBy(xs, key) {
  const out = new Map();
  for (const x of xs) out.set(key(x), [...(out.get(key(x)) ?? []), x]);
  return out;
}

/** Least-squares slope of log(y) against log(x). */
function logLogSlope(points) {
  const pts = points.filter(([x, y]) => x > 0 && y > 0).map(([x, y]) => [Math.log(x), Math.log(y)]);
  const mx = pts.reduce((s, [x]) => s + x, 0) / pts.length;
  const my = pts.reduce((s, [, y]) => s + y, 0) / pts.length;
  return pts.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / pts.reduce((s, [x]) => s + (x - mx) ** 2, 0);
}

/** A deterministic shuffle (mulberry32 PRNG). */
function shuffled(xs, seed) {
  const out = [...xs];
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function round3(x) {
  return Math.round(x * 1000) / 1000;
}
