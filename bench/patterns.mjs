// `npm run bench:patterns`: pattern detection on real npm code (bench/patterns-corpus.json), installed with npm into
// bench/.cache/patterns/ on first run. Prints JSON lines: one per family (recall, purity, byte-exact coverage,
// variables, seconds and peak memory of the family detected alone), the overall figures (found families, B-cubed
// precision/recall, false-family rate on the negative controls, seconds, peak memory), per negative control its
// false-family rate and the proposals that hold its files (negative controls from metarepo's own node_modules are
// linked, not downloaded), scaling over N = 1k, 2k, 4k,
// 8k, all files (best of BENCH_RUNS cold runs; time with and without the fixed TypeScript-compiler load, and LSH
// comparisons, with their log-log slopes), `metarepo patterns detect` as the CLI on the whole corpus (store writes
// included), jscpd on the same files for time, and the threshold checks.
// Metric definitions: ../shared/reference/pattern-detection.md, section D. A family is found only by a proposed
// cluster: a proposal (an accepted template) and the members it verified or ejected; a candidate family that got no
// template finds nothing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, REPO, report, tempDir } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CACHE = path.join(REPO, 'bench/.cache/patterns');
const corpus = JSON.parse(fs.readFileSync(path.join(REPO, 'bench/patterns-corpus.json'), 'utf8'));
const NODE_MODULES = path.join(CACHE, 'node_modules');

install();
linkLocal();
const { files, label, folder } = corpusFiles();
const positives = groupBy(files.filter((f) => kindOf(label.get(f)) === 'positive'), (f) => label.get(f));
const negatives = files.filter((f) => kindOf(label.get(f)) === 'negative');

// Scaling: random subsets (fixed seed), each size best of RUNS cold runs; the full corpus is the last size.
const order = shuffled(files, 20240611);
const sizes = [1000, 2000, 4000, 8000].filter((n) => n < files.length).concat(files.length);
const scaling = [];
let full;
for (const n of sizes) {
  const runs = bestOf(() => detect(n === files.length ? files : order.slice(0, n).sort()));
  scaling.push({ n, ms: runs.ms, detectMs: runs.detectMs, comparisons: runs.last.stats.comparisons, shapes: runs.last.stats.shapes, maxRssMb: runs.maxRssMb });
  if (n === files.length) full = runs;
}

// Each corpus family's folder detected alone, for its seconds and peak memory.
const alone = new Map(corpus.families.map((f) => [f.id, bestOf(() => detect(files.filter((x) => folder.get(x) === f.id)))]));

// Proposed clusters: each proposal's candidate members (verified and ejected). Rejected candidate families are no
// clusters for recall (nothing was proposed for them), but their negative files still count as false families.
const proposed = full.last.proposals.map((p) => ({ proposal: p, members: [...p.members, ...p.ejected.map((e) => e.path)] }));
const rejected = full.last.rejected.map((r) => ({ proposal: undefined, members: r.members }));
const proposedOf = new Map(proposed.flatMap((c) => c.members.map((m) => [m, c])));
const clusterOf = new Map([...rejected, ...proposed].flatMap((c) => c.members.map((m) => [m, c])));
const checks = [];
const check = (name, ok, value) => checks.push({ name, ok, value });
let found = 0;
for (const [id, members] of positives) {
  const set = new Set(members);
  const touching = proposed.filter((c) => c.members.some((m) => set.has(m)));
  const best = touching.reduce((a, c) => (overlap(c, set) > (a ? overlap(a, set) : -1) ? c : a), undefined);
  const inBest = best ? overlap(best, set) : 0;
  const recall = inBest / set.size;
  const purity = best ? inBest / best.members.length : 0;
  const verified = best ? best.proposal.members.filter((m) => set.has(m)).length : 0;
  const family = corpus.families.find((f) => f.id === id);
  // Every accepted template that verified members of the family, with its variables.
  const templates = touching.filter((c) => c.proposal.members.some((m) => set.has(m))).map((c) => ({
    template: c.proposal.id,
    variables: c.proposal.variables.length,
    nameVariables: c.proposal.variables.filter((v) => v.kind === 'name').length,
  }));
  const time = alone.get(id);
  if (recall >= 0.9 && purity >= 0.9) found++;
  report('patterns-family', {
    family: id,
    files: set.size,
    clusters: touching.length,
    rejectedCandidates: rejected.filter((c) => c.members.some((m) => set.has(m))).length,
    recall: round3(recall),
    purity: round3(purity),
    found: recall >= 0.9 && purity >= 0.9,
    coverageByteExact: round3(verified / set.size),
    astEqual: best ? best.proposal.ejected.filter((e) => e.status === 'ast-equal').length : 0,
    variables: best ? best.proposal.variables.length : 0,
    nameVariables: best ? best.proposal.variables.filter((v) => v.kind === 'name').length : 0,
    templates,
    optionalSections: best?.proposal.sections.optional ?? 0,
    repeatedSections: best?.proposal.sections.repeated ?? 0,
    exactShapes: best?.proposal.shapes ?? 0,
    savings: best ? round3(best.proposal.savings) : 0,
    seconds: round3(time.ms / 1000),
    detectSeconds: round3(time.detectMs / 1000),
    peakRssMb: Math.round(time.maxRssMb),
  });
  check(`${id}: found (recall ≥ 0.9 at purity ≥ 0.9)`, recall >= 0.9 && purity >= 0.9, { recall: round3(recall), purity: round3(purity) });
  check(`${id}: byte-exact coverage = 1`, verified === set.size, round3(verified / set.size));
  const target = family.vendor === 'aws' ? 0.95 : 0.85;
  check(`${id}: byte-exact coverage ≥ ${target}`, verified / set.size >= target, round3(verified / set.size));
  if (family.vendor === 'aws') {
    check(`${id}: every command template has exactly one variable of kind name`, templates.length > 0 && templates.every((t) => t.nameVariables === 1), templates);
  }
}

// False families: negative files in any proposed family (a template that passed verification and the quality
// gates: what a person would be offered to adopt), or in a candidate cluster of ≥ 5 that also holds positive files.
// Stricter than the reference definition (a proposal saving ≥ 50 %): a 181-member family saving 8 % counts too.
const isFalseFamily = (f) => {
  const c = clusterOf.get(f);
  if (!c) return false;
  const mixed = c.members.length >= 5 && c.members.some((m) => kindOf(label.get(m)) === 'positive');
  return mixed || c.proposal !== undefined;
};
const falseFamily = negatives.filter(isFalseFamily);
for (const f of corpus.families.filter((x) => x.kind === 'negative')) {
  const own = negatives.filter((x) => label.get(x) === f.id);
  const time = alone.get(f.id);
  const falseOwn = own.filter(isFalseFamily);
  const rate = own.length === 0 ? 0 : falseOwn.length / own.length;
  report('patterns-negative', {
    family: f.id,
    package: `${f.package}@${f.version}`,
    files: own.length,
    falseFamilyFiles: falseOwn.length,
    falseFamilyRate: round3(rate),
    proposals: [...new Set(falseOwn.map((x) => clusterOf.get(x).proposal?.id).filter(Boolean))].map((id) => {
      const p = full.last.proposals.find((q) => q.id === id);
      return { id, members: p.members.length, variables: p.variables.length, savings: round3(p.savings) };
    }),
    seconds: round3(time.ms / 1000),
    detectSeconds: round3(time.detectMs / 1000),
    peakRssMb: Math.round(time.maxRssMb),
  });
  check(`${f.id}: false-family rate ≤ 0.05`, rate <= 0.05, round3(rate));
}
const bcubed = bCubed(positives, proposedOf);
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
  proposals: full.last.proposals.length,
  rejectedCandidates: full.last.rejected.length,
  seconds: round3(full.ms / 1000),
  detectSeconds: round3(full.detectMs / 1000),
  peakRssMb: Math.round(full.maxRssMb),
  shapes: full.last.stats.shapes,
  comparisons: full.last.stats.comparisons,
  runs: RUNS,
});
report('patterns-scaling', {
  sizes: scaling.map((s) => ({ ...s, ms: Math.round(s.ms), detectMs: Math.round(s.detectMs), maxRssMb: Math.round(s.maxRssMb) })),
  timeSlope: slope('ms'),
  detectTimeSlope: slope('detectMs'),
  comparisonsSlope: slope('comparisons'),
});
const cli = runCli(files);
report('patterns-cli', cli);
const jscpd = runJscpd(files);
report('patterns-jscpd', jscpd);

check(`family recall = 1`, found === positives.size, round3(found / positives.size));
check('false-family rate ≤ 0.05', falseFamily.length / negatives.length <= 0.05, round3(falseFamily.length / negatives.length));
check('time slope ≤ 1.2 (detection, the TypeScript-compiler load excluded)', slope('detectMs') <= 1.2, { detectTimeSlope: slope('detectMs'), timeSlope: slope('ms') });
check('comparisons slope ≤ 1.2', slope('comparisons') <= 1.2, slope('comparisons'));
check(`whole corpus (${files.length} files) with \`metarepo patterns detect\` ≤ 15 s`, cli.seconds <= 15, cli.seconds);
const failed = checks.filter((c) => !c.ok);
report('patterns-checks', { passed: checks.length - failed.length, failed: failed.length, failures: failed.map((c) => `${c.name}: ${JSON.stringify(c.value)}`) });
fs.writeFileSync(path.join(REPO, 'bench/.cache/patterns-report.json'), `${JSON.stringify({ scaling, checks, cli, jscpd }, null, 2)}\n`);
process.stderr.write(`${checks.length - failed.length} passed, ${failed.length} failed\n`);

/** Installs the corpus packages and jscpd into bench/.cache/patterns/ unless the right versions are there. */
function install() {
  const wanted = [
    ...corpus.families.filter((f) => f.source !== 'node_modules').map((f) => [f.alias, f.version, `${f.alias}@npm:${f.package}@${f.version}`]),
    ['jscpd', corpus.jscpd, `jscpd@${corpus.jscpd}`],
  ];
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

/**
 * Links each `source: node_modules` family's package from metarepo's own node_modules into the cache under its alias
 * (nothing is downloaded), warning when the installed version is not the corpus's.
 */
function linkLocal() {
  for (const f of corpus.families.filter((x) => x.source === 'node_modules')) {
    const from = path.join(REPO, 'node_modules', f.package);
    const version = JSON.parse(fs.readFileSync(path.join(from, 'package.json'), 'utf8')).version;
    if (version !== f.version) process.stderr.write(`warning: ${f.id}: node_modules has ${f.package}@${version}, the corpus names ${f.version}\n`);
    const link = path.join(NODE_MODULES, f.alias);
    fs.mkdirSync(NODE_MODULES, { recursive: true });
    fs.rmSync(link, { recursive: true, force: true });
    fs.symlinkSync(fs.realpathSync(from), link, 'dir');
  }
}

/**
 * Corpus files (relative to node_modules, sorted), their family labels (`other` for unlabelled files of a family
 * folder) and the family whose folder holds each.
 */
function corpusFiles() {
  const label = new Map();
  const folder = new Map();
  for (const f of corpus.families) {
    const dir = path.join(NODE_MODULES, f.alias, f.dir);
    const names = fs.readdirSync(dir, { recursive: !!f.recursive }).map(String).sort();
    for (const rel of names) {
      const file = path.join(dir, rel);
      const name = path.basename(rel);
      if (!new RegExp(f.files).test(name) || !fs.statSync(file).isFile()) continue;
      label.set(path.relative(NODE_MODULES, file), new RegExp(f.match).test(name) ? f.id : 'other');
      folder.set(path.relative(NODE_MODULES, file), f.id);
    }
  }
  return { files: [...label.keys()].sort(), label, folder };
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

/** RUNS cold runs of `run`: the least time with and without the compiler load, the most memory, the last result. */
function bestOf(run) {
  const runs = Array.from({ length: RUNS }, run);
  return {
    ms: Math.min(...runs.map((r) => r.ms)),
    detectMs: Math.min(...runs.map((r) => r.detectMs)),
    maxRssMb: Math.max(...runs.map((r) => r.maxRssMb)),
    last: runs[runs.length - 1],
  };
}

/**
 * `metarepo patterns detect` as a person runs it, on the whole corpus: a fresh workspace holding a copy of every
 * corpus file (each package's package.json beside its files, so families split per package as in the library
 * runs), best of RUNS, wall time from spawn to exit — workspace load, detection, the `.metarepo/patterns/` store
 * and the `--json` report included.
 */
function runCli(rel) {
  const dir = tempDir('metarepo-bench-patterns-cli-');
  const init = spawnSync(process.execPath, [BIN, 'init', '--name', 'corpus'], { cwd: dir, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`metarepo init failed: ${init.stderr}`);
  const aliases = [...new Set(rel.map((f) => f.split('/')[0]))];
  for (const alias of aliases) {
    fs.mkdirSync(path.join(dir, 'corpus', alias, 'files'), { recursive: true });
    fs.copyFileSync(path.join(NODE_MODULES, alias, 'package.json'), path.join(dir, 'corpus', alias, 'package.json'));
  }
  for (const f of rel) {
    const [alias, ...rest] = f.split('/');
    const to = path.join(dir, 'corpus', alias, 'files', ...rest);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(path.join(NODE_MODULES, f), to);
  }
  // Loaded into the CLI process with --import: writes its peak memory (KiB) where BENCH_RSS_FILE says, at exit.
  const rssProbe = `data:text/javascript,${encodeURIComponent('import fs from "node:fs"; process.on("exit", () => fs.writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));')}`;
  const args = ['--import', rssProbe, BIN, 'patterns', 'detect', ...aliases.map((a) => `corpus/${a}/files`), '--json'];
  const env = { ...process.env, OPENAI_BASE_URL: '', OPENAI_API_KEY: '', NO_COLOR: '1' };
  const runs = Array.from({ length: RUNS }, () => {
    const rss = path.join(dir, 'rss.txt');
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', env: { ...env, BENCH_RSS_FILE: rss }, maxBuffer: 256 * 1024 * 1024 });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`metarepo patterns detect failed: ${r.stderr}`);
    return { ms, maxRssMb: Number(fs.readFileSync(rss, 'utf8')) / 1024, proposals: JSON.parse(r.stdout).proposals.length };
  });
  const storeBytes = folderBytes(path.join(dir, '.metarepo/patterns'));
  return { files: rel.length, seconds: round3(Math.min(...runs.map((r) => r.ms)) / 1000), peakRssMb: Math.round(Math.max(...runs.map((r) => r.maxRssMb))), proposals: runs[0].proposals, storeMb: round3(storeBytes / 1024 / 1024) };
}

function folderBytes(dir) {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? folderBytes(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).size;
  return n;
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
