import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MetarepoError, formatLocation } from '../core/errors.js';
import { buildCheckContext, runChecks, type ReportedFinding } from './checks.js';
import type { CodegenGenerator, GeneratedFile } from '../plugins/api.js';
import type { CodegenPool } from './worker/pool.js';
import type { DirectCodegen } from '../plugins/process-runtime.js';
import { CODE_EXT, CODE_ROOT } from '../core/package-root.js';
import { CONFIG_FILE } from '../core/layout.js';
import type { Workspace } from '../workspace/workspace.js';
import { commitChanges } from './commit.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import { sha256 } from '../core/hash.js';
import { MANIFEST_FILE, readManifest, serializeManifest, type Manifest } from './manifest.js';
import { safeRelativePath } from '../core/paths.js';
import { codegenGenerators, plan, targetName, validateOptions, type PlannedTarget } from './plan.js';
import { Tree, type FileChange } from './tree.js';
import { DiskCache, filesOfTarget, isEdited } from './disk.js';
import { liveBaseHashes, pruneBases, readBase, storeBases } from './merge/base-store.js';
import { mergeThreeWay, type FileConflict } from './merge/three-way.js';

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
}

const DEFAULT_MEMORY_MB = 1024;

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
  // The worker can load json-schema-to-typescript while this thread parses metarepo.yaml and loads the plugins
  // (which would tell the same, later). A cheap look at the text; a wrong guess costs a little work, nothing else.
  if (usesTypescriptGenerator(root)) pool.warm([{ name: 'typescript', module: TYPESCRIPT_GENERATE_MODULE }]);
  return pool;
}

/** The worker module of the built-in `typescript` generator (plugins/codegen-typescript). */
const TYPESCRIPT_GENERATE_MODULE = pathToFileURL(path.join(CODE_ROOT, 'plugins', 'codegen-typescript', `generate${CODE_EXT}`)).href;

function usesTypescriptGenerator(root: string): boolean {
  try {
    return /^\s*-?\s*generator:\s*["']?typescript["']?\s*(#.*)?$/m.test(fs.readFileSync(path.join(root, CONFIG_FILE), 'utf8'));
  } catch {
    return false;
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
  files: string[];
}

/** Result of a generate run. */
export interface GenerateReport {
  targets: TargetOutcome[];
  /** Changes written (or, with dryRun/check, that would be written). */
  changes: FileChange[];
  /** Generated files whose content on disk differs from what metarepo last wrote. */
  edited: string[];
  /** Whether anything was written. */
  written: boolean;
  /** What the plugins' checks found in the changes (warnings and infos; an error vetoes the run). */
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
  const pool = new LazyPool(ws, opts.pool, opts.sharedPool);
  if (opts.pool || opts.sharedPool || likelyToRender(ws.root, ws.config.modelsDir)) await pool.warmFor(ws);
  try {
    return await runWithPool(ws, opts, started, manifest, pool);
  } finally {
    await pool.close();
  }
}

async function runWithPool(ws: Workspace, opts: GenerateOptions, started: number, manifest: Manifest, pool: LazyPool): Promise<GenerateReport> {
  const { root, bus } = ws;
  const outcomes = new Map<string, TargetOutcome>();
  const disk = new DiskCache(root);

  // A target is up to date when its inputs hash as recorded and its output is as metarepo wrote it. The others
  // start rendering in the workers as soon as they are planned, while the main thread bundles the next model.
  const toRender: PlannedTarget[] = [];
  const jobs = new Map<string, Promise<RenderResult>>();
  const planned = await plan(ws, (p) => {
    const prior = manifest.files[p.output];
    if (prior && prior.inputHash === p.inputHash && disk.hash(p.output) === prior.outputHash) {
      outcomes.set(p.name, { target: p.name, model: p.modelId, generator: p.generator.name, status: 'up-to-date', files: filesOfTarget(manifest, p.name) });
      return;
    }
    toRender.push(p);
    jobs.set(p.name, render(pool, p));
  });
  await validateOptions(ws, toRender);
  bus.publish('core:generate:planned', { render: toRender.map((p) => p.name), upToDate: planned.length - toRender.length });
  const rendered = new Map<string, RenderResult>();
  for (const [name, job] of jobs) rendered.set(name, await job);

  const tree = new Tree(root);
  const next: Manifest = { version: 1, files: { ...manifest.files } };
  const produced = new Set<string>();
  const edited = new Set<string>();
  const merged: string[] = [];
  const conflicts: FileConflict[] = [];
  const outputs: string[] = [];
  for (const p of planned) {
    const result = rendered.get(p.name);
    const outcome = outcomes.get(p.name);
    if (outcome) {
      outcome.files.forEach((f) => produced.add(f));
      continue;
    }
    if (!result || !result.ok) {
      // Keep what the failed target produced before: a failure must not turn its files into orphans.
      const files = filesOfTarget(manifest, p.name);
      files.forEach((f) => produced.add(f));
      outcomes.set(p.name, { target: p.name, model: p.modelId, generator: p.generator.name, status: 'failed', reason: result?.reason ?? 'not rendered', files });
      continue;
    }
    const files: string[] = [];
    for (const f of result.files) {
      const rel = safeRelativePath(f.path, `target ${p.name}`);
      if (produced.has(rel)) {
        throw new MetarepoError(`Two targets write ${rel}.`, { hint: 'Give each target its own output path in metarepo.yaml.', location: { file: 'metarepo.yaml' } });
      }
      produced.add(rel);
      files.push(rel);
      const prior = manifest.files[rel];
      const current = disk.hash(rel);
      const entry = { target: p.name, generator: p.generator.name, model: p.modelId, inputHash: p.inputHash, outputHash: sha256(f.content) };
      if (current !== null && (prior ? current !== prior.outputHash : current !== sha256(f.content))) {
        if (opts.merge && prior) {
          const outcome = mergeEdited(ws.root, rel, disk.read(rel)!, f.content, prior.outputHash, opts.conflicts ?? 'report');
          if (outcome.conflict) conflicts.push(outcome.conflict);
          if (outcome.text === undefined) continue; // left untouched; the manifest keeps the old base
          if (!outcome.conflict) merged.push(rel);
          tree.write(rel, outcome.text, { overwrite: true, origin: p.name });
          next.files[rel] = entry;
          outputs.push(f.content);
          continue;
        }
        edited.add(rel);
      }
      tree.write(rel, f.content, { overwrite: true, origin: p.name });
      next.files[rel] = entry;
      outputs.push(f.content);
    }
    outcomes.set(p.name, { target: p.name, model: p.modelId, generator: p.generator.name, status: 'rendered', files });
  }

  // Orphans: files metarepo generated that no target produces any more.
  for (const rel of Object.keys(manifest.files)) {
    if (produced.has(rel)) continue;
    delete next.files[rel];
    if (isEdited(manifest.files[rel], disk.hash(rel))) edited.add(rel);
    tree.delete(rel, { origin: manifest.files[rel].target });
  }

  const changes = tree.changes();
  const report: GenerateReport = {
    targets: planned.map((p) => outcomes.get(p.name)!),
    changes,
    edited: [...edited].sort(),
    written: false,
    findings: [],
    merged,
    conflicts,
    durationMs: 0,
  };
  const blocking = report.edited.filter((f) => changes.some((c) => c.path === f));
  if (blocking.length && !opts.force && !opts.check && !opts.dryRun) {
    throw new MetarepoError(`Generated ${blocking.length === 1 ? 'file was' : 'files were'} edited by hand: ${blocking.join(', ')}. Nothing was written.`, {
      exitCode: 1,
      hint: 'Move your edits into the model or template and revert the file, or run `metarepo generate --force` to overwrite them.',
      details: blocking.map((f) => `edited: ${f}`),
    });
  }
  if (changes.length > 0 && !opts.check) report.findings = await vetoingChecks(ws, report, opts, planned);
  if (!opts.dryRun && !opts.check) {
    commitChanges(root, changes);
    for (const c of changes) {
      bus.publish(`core:file:${c.type === 'create' ? 'created' : c.type === 'modify' ? 'modified' : 'deleted'}`, { path: c.path, target: c.origin });
    }
    const manifestText = serializeManifest(next);
    if (manifestText !== disk.read(MANIFEST_FILE)) {
      writeFileAtomic(path.join(root, MANIFEST_FILE), manifestText);
      storeBases(root, outputs);
      pruneBases(root, liveBaseHashes(root, Object.values(next.files).map((e) => e.outputHash)));
    }
    report.written = changes.length > 0;
  }
  report.durationMs = Date.now() - started;
  return report;
}

type RenderResult = { ok: true; files: GeneratedFile[] } | { ok: false; reason: string };

/**
 * The check phase (plan → check → commit): runs every plugin's checks against the pending changes, with targets
 * described as they will be after the commit. An error finding vetoes the commit.
 * @throws MetarepoError (exit 1) listing the error findings; nothing is written then.
 */
async function vetoingChecks(ws: Workspace, report: GenerateReport, opts: GenerateOptions, planned: PlannedTarget[]): Promise<ReportedFinding[]> {
  const checks = await (await ws.plugins()).checks();
  if (checks.length === 0) return [];
  const changes = report.changes.map(({ type, path: p, content }) => ({ type, path: p, ...(content === undefined ? {} : { content }) }));
  const findings = await runChecks(ws, checks, await buildCheckContext(ws, changes, planned));
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length > 0 && !opts.dryRun) {
    throw new MetarepoError(`${errors.length === 1 ? 'A check' : `${errors.length} checks`} failed; nothing was written.`, {
      exitCode: 1,
      details: errors.map((f) => `${f.file ? `${formatLocation({ file: f.file, line: f.line, column: f.column })}: ` : ''}${f.message} (${f.plugin}/${f.check})`),
      hint: 'Fix what the checks report, or disable the plugin in metarepo.yaml (plugins.<name>.enabled: false).',
    });
  }
  return findings;
}

/**
 * Merges a person's edits (`ours`) with new output (`theirs`) against the base metarepo last wrote.
 * @returns `text` to write (clean merge, or conflict markers), or no text when the file stays untouched.
 */
function mergeEdited(root: string, rel: string, ours: string, theirs: string, baseHash: string, mode: 'report' | 'markers'): { text?: string; conflict?: FileConflict } {
  const base = readBase(root, baseHash);
  if (base === null) return { conflict: { file: rel, resolution: 'no-base', hunks: [] } };
  const result = mergeThreeWay(base, ours, theirs);
  if (result.clean) return { text: result.text };
  const conflict: FileConflict = { file: rel, resolution: mode === 'markers' ? 'markers' : 'untouched', hunks: result.conflicts };
  return mode === 'markers' ? { text: result.text, conflict } : { conflict };
}

/** Renders one target in the worker pool (time and memory limited); never rejects for a bad target. */
async function render(pool: LazyPool, t: PlannedTarget): Promise<RenderResult> {
  const r = await runGenerator(pool, t);
  return r.ok ? r : { ok: false, reason: `${t.modelId} via ${t.generator.name}: ${r.reason}` };
}

/** A generator of a `process` plugin runs in that plugin's process (bounded there); any other in the pool. */
async function runGenerator(pool: LazyPool, t: PlannedTarget): Promise<RenderResult> {
  const direct = (t.generator as Partial<DirectCodegen>).run;
  if (!direct) return (pool.current ?? (await pool.get())).run(t.generator, t.input, { timeoutMs: pool.timeoutMs() });
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
      return createCodegenPool({ timeoutMs: this.timeoutMs(), maxOldGenerationSizeMb: memory });
    })().then((pool) => (this.current = pool));
    return this.pool;
  }

  /** Time limit of one conversion, from metarepo.yaml (`codegen.timeoutSeconds`). */
  timeoutMs(): number {
    return (this.ws.config.codegen?.timeoutSeconds ?? 60) * 1000;
  }

  /** Starts the workers and has them load the targets' generators while the main thread plans. */
  async warmFor(ws: Workspace): Promise<void> {
    if (this.shared) return; // its owner warmed it, and its threads have kept what they loaded
    (await this.get()).start(); // threads boot while the plugins that contribute the generators load
    const generators = [...(await codegenGenerators(ws)).values()].filter((g): g is CodegenGenerator => !(g instanceof MetarepoError) && !('run' in g));
    (await this.get()).warm(generators);
  }

  async close(): Promise<void> {
    if (this.pool && !this.shared) await (await this.pool).close();
  }
}

/**
 * A cheap guess, from file times only, whether this run will render anything: no manifest yet, or a model or
 * metarepo.yaml changed after it was written. Only decides whether to warm the workers early; correctness never
 * depends on it.
 */
export function likelyToRender(root: string, modelsFolder = 'models'): boolean {
  const stamp = mtime(path.join(root, MANIFEST_FILE));
  if (stamp === 0 || mtime(path.join(root, 'metarepo.yaml')) > stamp) return true;
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
