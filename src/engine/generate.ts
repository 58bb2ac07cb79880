import fs from 'node:fs';
import path from 'node:path';
import { MetarepoError } from '../core/errors.js';
import type { ReportedFinding } from './checks.js';
import type { CodegenGenerator, GeneratedFile } from '../plugins/api.js';
import type { CodegenJobGenerator, CodegenPool } from './worker/pool.js';
import type { DirectCodegen } from '../plugins/process-runtime.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import { STATE_DIR } from '../core/layout.js';
import { CONFIG_FILE } from '../core/layout.js';
import type { Workspace } from '../workspace/workspace.js';
import { commitTree } from './commit.js';
import { MANIFEST_FILE, readManifest, type Manifest } from './manifest.js';
import { safeOutputPath } from '../core/paths.js';
import { ModelBundleError, codegenGenerators, plan, targetName, validateOptions, type PlannedTarget } from './plan.js';
import { Tree, type FileChange } from './tree.js';
import { DiskCache, filesOfTarget, withRunDisk } from './disk.js';
import { MODELS_CACHE, cachedPlan, savePlan } from './plan-cache.js';
import { readBase } from './merge/base-store.js';
import type { FileConflict } from './merge/three-way.js';
import type { Reconciliation, RenderedTarget } from './reconcile.js';

/** Flags of `metarepo generate`. */
export interface GenerateOptions {
  /** Compute and report changes, write nothing. */
  dryRun?: boolean;
  /** Write nothing; report stale files (the CLI exits 1 if there are any). */
  check?: boolean;
  /** Overwrite or delete generated files a person edited. */
  force?: boolean;
  /**
   * 3-way merge generated files a person edited (base = what metarepo last wrote, from `.metarepo/base/`; ours =
   * the file on disk; theirs = the new output) instead of refusing to overwrite them.
   */
  merge?: boolean;
  /** With `merge`: leave conflicting files untouched and report the hunks (`report`, default), or write them with conflict markers. */
  conflicts?: 'report' | 'markers';
  /** A codegen pool started before the workspace was loaded (see {@link prestartCodegenPool}); closed by the run. */
  pool?: CodegenPool;
  /** A codegen pool the caller owns and keeps open across runs (`metarepo watch`); used as it is, never closed. */
  sharedPool?: CodegenPool;
  /** Called as each rendered target finishes: `done` of `total` targets to render, and the target's name. */
  onProgress?: (done: number, total: number, target: string) => void;
}

const DEFAULT_MEMORY_MB = 1024;
/** Node's default stack size, the pool's default too. */
const DEFAULT_STACK_MB = 4;

/**
 * Starts the codegen worker threads with the default limits before the workspace is even loaded, when a render is
 * likely (see {@link likelyToRender}): thread start-up then overlaps with reading metarepo.yaml. `generate` adopts
 * the pool when metarepo.yaml keeps the default memory limit, and replaces it otherwise.
 */
export async function prestartCodegenPool(root: string | null): Promise<CodegenPool | undefined> {
  if (!root || !likelyToRender(root)) return undefined;
  const { createCodegenPool } = await import('./worker/pool.js');
  const pool = createCodegenPool({ maxOldGenerationSizeMb: DEFAULT_MEMORY_MB });
  pool.start();
  // The workers can import the generators' modules while this thread parses metarepo.yaml and loads the plugins
  // (which would tell the same, later): the modules the last run used, for the generators metarepo.yaml names.
  const modules = warmableGenerators(root);
  if (modules.length) pool.warm(modules);
  return pool;
}

/** Generator name → `{ name, module, exportName }`, as the last run's plugins registered them (any codegen plugin's). */
const WARM_CACHE = `${STATE_DIR}/cache/codegen-modules.json`;

/**
 * The generators metarepo.yaml names (a cheap look at the text: `generator: <name>` lines) whose worker module the
 * last run recorded. A wrong guess costs a little work, nothing else.
 */
function warmableGenerators(root: string): CodegenJobGenerator[] {
  try {
    const known = JSON.parse(fs.readFileSync(path.join(root, WARM_CACHE), 'utf8')) as Record<string, CodegenJobGenerator>;
    const named = new Set([...fs.readFileSync(path.join(root, CONFIG_FILE), 'utf8').matchAll(/^\s*-?\s*generator:\s*["']?([\w.@/-]+)["']?\s*(?:#.*)?$/gm)].map((m) => m[1]));
    return [...named].filter((n) => typeof known[n]?.module === 'string').map((n) => known[n]);
  } catch {
    return []; // no cache yet, or no config: nothing to guess from
  }
}

/** Records the worker modules of the generators a run used, for the next run's early warm-up. */
function recordWarmable(root: string, generators: CodegenGenerator[]): void {
  const file = path.join(root, WARM_CACHE);
  const entries = generators.map((g): [string, CodegenJobGenerator] => [g.name, { name: g.name, module: g.module, ...(g.exportName ? { exportName: g.exportName } : {}) }]);
  const next = JSON.stringify(Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b))));
  try {
    if (fs.readFileSync(file, 'utf8') === next) return;
  } catch {
    // no cache yet
  }
  try {
    writeFileAtomic(file, next);
  } catch {
    // a cache: a read-only workspace simply warms later
  }
}

/** Outcome of one target. */
export interface TargetOutcome {
  target: string;
  model: string;
  generator: string;
  status: 'up-to-date' | 'rendered' | 'failed';
  /** Why a target failed (one line). */
  reason?: string;
  /** The files it produced (shared with the run: do not mutate). */
  files: readonly string[];
}

/** Result of a generate run. */
export interface GenerateReport {
  targets: TargetOutcome[];
  /** Changes written (or, with dryRun/check, that would be written). */
  changes: FileChange[];
  /** Generated files whose content on disk differs from their accepted state (what metarepo last wrote or merged). */
  edited: string[];
  /**
   * Edited files this run would change without `force` or a clean merge: a real run refuses (exit 1, nothing
   * written); `--dry-run` and `--check` report them and exit 1 too.
   */
  blocked: string[];
  /** Whether anything was written. */
  written: boolean;
  /**
   * What the checks found (plugins' and built-in). A real run throws on an error finding; with `--check` or
   * `--dry-run` errors are returned here and the CLI exits 1.
   */
  findings: ReportedFinding[];
  /** With `merge`: edited files whose edits were merged with the new output without conflict. */
  merged: string[];
  /** With `merge`: edited files whose merge conflicted (untouched, or written with markers). */
  conflicts: FileConflict[];
  durationMs: number;
}

/**
 * Runs every target of the workspace: plan (resolve models, hash inputs, skip what is up to date) → render the
 * rest in worker threads → compare with disk and the manifest → commit all or nothing.
 * Events: `core:generate:started|planned|finished|failed`, `core:model:loaded`, `core:file:created|modified|deleted`.
 * @throws MetarepoError exit 2 for bad input (unknown model or generator, unsafe or duplicate output path);
 *   exit 1 when generated files were edited by hand (without `force`) — nothing is written then.
 */
export async function generate(ws: Workspace, opts: GenerateOptions = {}): Promise<GenerateReport> {
  const started = Date.now();
  const { bus, root } = ws;
  bus.publish('core:generate:started', { targets: (ws.config.targets ?? []).map(targetName), dryRun: !!opts.dryRun, check: !!opts.check });
  try {
    const report = await run(ws, opts, started);
    bus.publish('core:generate:finished', {
      created: count(report.changes, 'create'),
      modified: count(report.changes, 'modify'),
      deleted: count(report.changes, 'delete'),
      rendered: report.targets.filter((t) => t.status === 'rendered').length,
      skipped: report.targets.filter((t) => t.status === 'up-to-date').length,
      failed: report.targets.filter((t) => t.status === 'failed').map((t) => ({ target: t.target, reason: t.reason })),
      written: report.written,
      durationMs: report.durationMs,
    });
    return report;
  } catch (e) {
    bus.publish('core:generate:failed', { reason: (e as Error).message, root });
    throw e;
  }
}

async function run(ws: Workspace, opts: GenerateOptions, started: number): Promise<GenerateReport> {
  const manifest = readManifest(ws.root);
  const disk = new DiskCache(ws.root);
  const pool = new LazyPool(ws, opts.pool, opts.sharedPool);
  try {
    return await withRunDisk(ws, disk, async () => {
      const outputs = guardTargetOutputs(ws, disk);
      // Nothing changed since the models cache was written, and every output is as accepted: the run renders
      // nothing, and needs no model loaded, no bundle and no worker (see plan-cache.ts for what invalidates it).
      const cached = await cachedPlan(ws, outputs);
      if (cached?.every((p) => isUpToDate(p, manifest, disk))) return runWithPool(ws, opts, started, manifest, disk, pool, cached);
      if (opts.pool || opts.sharedPool || fs.existsSync(path.join(ws.root, MODELS_CACHE)) || changedSinceManifest(ws.root, ws.config.modelsDir)) await pool.warmFor(ws);
      return runWithPool(ws, opts, started, manifest, disk, pool);
    });
  } finally {
    await pool.close();
  }
}

/** Whether a target needs no render: its inputs hash as recorded and its output is in its accepted state. */
function isUpToDate(p: PlannedTarget, manifest: Manifest, disk: DiskCache): boolean {
  const prior = manifest.files[p.output];
  return !!prior && prior.inputHash === p.inputHash && disk.hash(p.output) === prior.outputHash;
}

/**
 * @param cached - targets planned from the models cache, every one up to date; without it, `plan` runs for real
 *   (and its result is cached).
 */
async function runWithPool(ws: Workspace, opts: GenerateOptions, started: number, manifest: Manifest, disk: DiskCache, pool: LazyPool, cached?: PlannedTarget[]): Promise<GenerateReport> {
  const { root, bus } = ws;
  const outcomes = new Map<string, TargetOutcome>();

  // Plan: a target is up to date when its inputs hash as recorded and its output is in its accepted state. The
  // others start rendering in the workers as soon as they are planned, while the main thread bundles the next model.
  const toRender: PlannedTarget[] = [];
  const jobs = new Map<string, Promise<RenderResult>>();
  const onPlanned = (p: PlannedTarget): void => {
    if (isUpToDate(p, manifest, disk)) {
      outcomes.set(p.name, { target: p.name, model: p.modelId, generator: p.generator.name, status: 'up-to-date', files: filesOfTarget(manifest, p.name) });
      return;
    }
    toRender.push(p);
    jobs.set(p.name, render(pool, p));
  };
  // A target whose model does not bundle (bad `$ref`s, a duplicate `$id`) fails alone; its files are kept.
  const unbundled: Array<TargetOutcome & { index: number }> = [];
  const kept: string[] = [];
  let planned: PlannedTarget[];
  if (cached) {
    for (const p of cached) onPlanned(p);
    planned = cached;
  } else {
    planned = await plan(ws, onPlanned, (t, index, error) => {
      if (!(error instanceof ModelBundleError)) throw error;
      const name = targetName(t);
      kept.push(name);
      // Each problem as `file:line:column: message` (the details), so one run lists them all.
      const reason = error.details.length > 1 ? [`${error.details.length} problems:`, ...error.details].join('\n  ') : (error.details[0] ?? error.message);
      unbundled.push({ index, target: name, model: t.model, generator: t.generator, status: 'failed', reason, files: filesOfTarget(manifest, name) });
    });
    await savePlan(ws, planned);
  }
  await validateOptions(ws, toRender);
  bus.publish('core:generate:planned', { render: toRender.map((p) => p.name), upToDate: planned.length - toRender.length });

  // Render: wait for the workers; a failed target keeps what it produced before (its files must not become orphans).
  const rendered: RenderedTarget[] = [];
  let done = 0;
  for (const p of planned) {
    const job = jobs.get(p.name);
    if (!job) {
      kept.push(p.name);
      continue;
    }
    const result = await job;
    opts.onProgress?.(++done, toRender.length, p.name);
    if (!result.ok) {
      kept.push(p.name);
      outcomes.set(p.name, { target: p.name, model: p.modelId, generator: p.generator.name, status: 'failed', reason: result.reason, files: filesOfTarget(manifest, p.name) });
      continue;
    }
    const files = result.files.map((f) => ({ path: safeOutputPath(f.path, `target ${p.name}`), content: f.content }));
    rendered.push({ name: p.name, generator: p.generator.name, model: p.modelId, inputHash: p.inputHash, files });
    outcomes.set(p.name, { target: p.name, model: p.modelId, generator: p.generator.name, status: 'rendered', files: files.map((f) => f.path) });
  }

  // Reconcile: what to write, merge, delete; what blocks the run.
  let rec: Reconciliation;
  try {
    rec = nothingToReconcile(manifest, rendered, kept) ?? (await import('./reconcile.js')).reconcile(manifest, rendered, kept, { read: (rel) => disk.read(rel), hash: (rel) => disk.hash(rel), base: (hash) => readBase(root, hash) }, opts);
  } catch (e) {
    if (!(e instanceof (await import('./reconcile.js')).DuplicateOutputError)) throw e;
    throw new MetarepoError(e.message, { hint: 'Give each target its own output path in metarepo.yaml.', location: { file: CONFIG_FILE } });
  }
  const tree = new Tree(root);
  for (const w of rec.writes) {
    if (w.content === null) tree.delete(w.path, { origin: w.target });
    else tree.write(w.path, w.content, { overwrite: true, origin: w.target });
  }
  const changes = tree.changes();
  const report: GenerateReport = {
    targets: [...planned.map((p) => ({ index: p.index, outcome: outcomes.get(p.name)! })), ...unbundled.map(({ index, ...outcome }) => ({ index, outcome }))]
      .sort((a, b) => a.index - b.index)
      .map((t) => t.outcome),
    changes,
    edited: rec.edited,
    blocked: rec.blocking,
    written: false,
    findings: [],
    merged: rec.merged,
    conflicts: rec.conflicts,
    durationMs: 0,
  };
  if (rec.blocking.length && !opts.check && !opts.dryRun) throw editedByHand(rec.blocking);

  // Checks, then the journaled commit (with --check or --dry-run: checks only).
  const markers = new Set(rec.conflicts.filter((c) => c.resolution === 'markers').map((c) => c.file));
  const outcome = await commitTree(ws, {
    command: 'generate',
    changes,
    // A manifest whose every entry is the one read (a run that changed nothing) need not be serialised and compared.
    manifest: sameEntries(rec.manifest, manifest) ? undefined : rec.manifest,
    bases: rec.bases,
    markers,
    planned,
    dryRun: opts.dryRun || opts.check,
    eventData: (c) => ({ target: c.origin }),
  });
  report.findings = outcome.findings;
  report.written = outcome.written;
  report.durationMs = Date.now() - started;
  return report;
}

/**
 * What `reconcile` decides when no target rendered and every file of the manifest belongs to a kept target: nothing
 * (no write, no orphan, no edit that blocks; the manifest as it is). Decided without copying the manifest, which
 * reconcile does and which costs milliseconds for a thousand entries; `undefined` when there is something to decide.
 */
function nothingToReconcile(manifest: Manifest, rendered: RenderedTarget[], kept: string[]): Reconciliation | undefined {
  if (rendered.length > 0) return undefined;
  const produced = new Set<string>();
  for (const name of kept) for (const f of filesOfTarget(manifest, name)) produced.add(f);
  if (produced.size !== Object.keys(manifest.files).length) return undefined; // orphans to delete
  return { writes: [], manifest, blocking: [], edited: [], merged: [], conflicts: [], bases: [], produced };
}

/** Whether `next` holds exactly the entries (the same objects) of `prior`, a manifest read from disk that has some. */
function sameEntries(next: Manifest, prior: Manifest): boolean {
  const keys = Object.keys(prior.files);
  if (keys.length === 0) return false;
  return next === prior || (keys.length === Object.keys(next.files).length && keys.every((k) => next.files[k] === prior.files[k]));
}

/** The refusal of a run that would overwrite files a person edited. */
function editedByHand(files: string[]): MetarepoError {
  return new MetarepoError(`Generated ${files.length === 1 ? 'file was' : 'files were'} edited by hand: ${files.join(', ')}. Nothing was written.`, {
    exitCode: 1,
    hint: 'Merge your edits with `metarepo generate --merge` (a clean merge becomes the accepted state), move them into the model or template and revert the file, or overwrite them with `metarepo generate --force`.',
    details: files.map((f) => `edited: ${f}`),
  });
}

/**
 * Guards every target's output before anything runs, with the position of `output` in metarepo.yaml: a path that
 * is unsafe (see `safeOutputPath`: outside the workspace, the root, under .metarepo/, control characters) or names
 * an existing folder (a file cannot replace a folder).
 * @returns each target's output as `safeOutputPath` gives it, by index.
 * @throws MetarepoError exit 2.
 */
function guardTargetOutputs(ws: Workspace, disk: DiskCache): Array<string | undefined> {
  const outputs: Array<string | undefined> = [];
  for (const [i, t] of (ws.config.targets ?? []).entries()) {
    if (typeof t.output !== 'string') continue; // the config schema words this
    const location = () => ws.document.locate(`/targets/${i}/output`);
    try {
      outputs[i] = safeOutputPath(t.output, `target ${targetName(t)}`);
    } catch (e) {
      throw e instanceof MetarepoError ? new MetarepoError(e.message, { location: location(), hint: e.hint }) : e;
    }
    if (disk.stat(t.output)?.isDirectory()) {
      throw new MetarepoError(`Target ${targetName(t)}: output "${t.output}" is a folder; it must name a file.`, {
        location: location(),
        hint: 'Name a file inside the folder, e.g. "generated/user.ts".',
      });
    }
  }
  return outputs;
}

type RenderResult = { ok: true; files: GeneratedFile[] } | { ok: false; reason: string };

/** Renders one target in the worker pool (time and memory limited); never rejects for a bad target. */
async function render(pool: LazyPool, t: PlannedTarget): Promise<RenderResult> {
  const r = await runGenerator(pool, t);
  return r.ok ? r : { ok: false, reason: `${t.modelId} via ${t.generator.name}: ${r.reason}` };
}

/** A generator of a `process` plugin runs in that plugin's process (bounded there); any other in the pool. */
async function runGenerator(pool: LazyPool, t: PlannedTarget): Promise<RenderResult> {
  const direct = (t.generator as Partial<DirectCodegen>).run;
  if (!direct) return (pool.current ?? (await pool.get())).run(t.generator, t.input, pool.limitsFor(t.generator.name));
  try {
    return { ok: true, files: await direct(t.input) };
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
}

/** The codegen worker pool, created on first use (a no-op run never starts a worker thread). */
class LazyPool {
  private pool?: Promise<CodegenPool>;
  /** The pool once `get()` resolved: jobs then reach a worker at once, not after the planning loop yields. */
  current?: CodegenPool;
  constructor(
    private readonly ws: Workspace,
    private readonly early?: CodegenPool,
    private readonly shared?: CodegenPool,
  ) {}

  /** The pool: the one started early when its memory limit is the configured one, else a new one. */
  get(): Promise<CodegenPool> {
    this.pool ??= (async () => {
      if (this.shared) return this.shared;
      const memory = this.ws.config.codegen?.memoryLimitMb ?? DEFAULT_MEMORY_MB;
      if (this.early && memory === DEFAULT_MEMORY_MB) return this.early;
      await this.early?.close();
      const { createCodegenPool } = await import('./worker/pool.js');
      const stackSizeMb = this.ws.config.codegen?.stackSizeMb ?? DEFAULT_STACK_MB;
      return createCodegenPool({ timeoutMs: this.timeoutMs(), maxOldGenerationSizeMb: memory, stackSizeMb });
    })().then((pool) => (this.current = pool));
    return this.pool;
  }

  /** Time limit of one conversion, from metarepo.yaml (`codegen.timeoutSeconds`). */
  timeoutMs(): number {
    return (this.ws.config.codegen?.timeoutSeconds ?? 60) * 1000;
  }

  /**
   * The time limit (ms) and worker stack size (MB) of one conversion by `generator`: `codegen.generators.<name>`'s,
   * else `codegen`'s, else 60 s and 4 MB.
   */
  limitsFor(generator: string): { timeoutMs: number; stackSizeMb: number } {
    const codegen = this.ws.config.codegen;
    const own = codegen?.generators?.[generator];
    return {
      timeoutMs: own?.timeoutSeconds !== undefined ? own.timeoutSeconds * 1000 : this.timeoutMs(),
      stackSizeMb: own?.stackSizeMb ?? codegen?.stackSizeMb ?? DEFAULT_STACK_MB,
    };
  }

  /** Starts the workers and has them load the targets' generators while the main thread plans. */
  async warmFor(ws: Workspace): Promise<void> {
    if (this.shared) return; // its owner warmed it, and its threads have kept what they loaded
    (await this.get()).start(); // threads boot while the plugins that contribute the generators load
    const generators = [...(await codegenGenerators(ws)).values()].filter((g): g is CodegenGenerator => !(g instanceof MetarepoError) && !('run' in g));
    (await this.get()).warm(generators);
    recordWarmable(ws.root, generators);
  }

  async close(): Promise<void> {
    if (this.pool && !this.shared) await (await this.pool).close();
    else if (!this.pool) await this.early?.close(); // started early on a wrong guess, never used
  }
}

/**
 * A cheap guess, from file times only, whether this run will render anything: no manifest yet, or metarepo.yaml
 * changed after it (or after the models cache) was written, or — without a models cache — a model did. With a models
 * cache, models are compared with its stamps later, by the run itself (which then warms the workers if they differ):
 * this guess only looks at three files. Only decides whether to start the workers early; correctness never depends
 * on it.
 */
export function likelyToRender(root: string, modelsFolder = 'models'): boolean {
  const stamp = mtime(path.join(root, MANIFEST_FILE));
  const config = mtime(path.join(root, CONFIG_FILE));
  if (stamp === 0 || config > stamp) return true;
  const cache = mtime(path.join(root, MODELS_CACHE));
  if (cache > 0) return config > cache;
  return changedSinceManifest(root, modelsFolder);
}

/** Whether metarepo.yaml, a models folder or a model file is newer than the manifest (file times only). */
function changedSinceManifest(root: string, modelsFolder = 'models'): boolean {
  const stamp = mtime(path.join(root, MANIFEST_FILE));
  if (stamp === 0 || mtime(path.join(root, CONFIG_FILE)) > stamp) return true;
  const modelsDir = path.join(root, modelsFolder);
  try {
    for (const name of fs.readdirSync(modelsDir)) {
      if (mtime(path.join(modelsDir, name)) > stamp) return true; // a folder's time changes when a version is added
      for (const file of fs.readdirSync(path.join(modelsDir, name))) if (mtime(path.join(modelsDir, name, file)) > stamp) return true;
    }
  } catch {
    return false;
  }
  return false;
}

function mtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function count(changes: FileChange[], type: FileChange['type']): number {
  return changes.filter((c) => c.type === type).length;
}
