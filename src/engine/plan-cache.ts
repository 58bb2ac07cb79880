/**
 * The models cache, `.metarepo/cache/models.json`: what the models and metarepo.yaml alone determine, so a run
 * where none of them changed loads, validates and bundles no model at all.
 * - `plan`: every target's resolved model version and input hash (as `plan` computes them), with the identity of
 *   each generator the targets use. `generate` and target statuses then plan from it (see {@link cachedPlan}).
 * - `summary`: the model list and the release checks that check contexts carry (see {@link cachedSummary}).
 *
 * Why it is correct — what invalidates it. It is used only when all of these are as they were when it was written:
 * - metarepo's version and the stamps of the modules that compute it (planning, bundling, the models layer);
 * - the text of metarepo.yaml (its SHA-256: targets, options, outputs, modelsDir, policies, plugin settings);
 * - the stamps of the models folder, of every folder below it and of every `*.schema.json` in it, taken before the
 *   registry read a file (see src/core/stamps.ts): a model edited, added, removed or renamed, a referenced model
 *   included, changes one. A cache is written only from settled stamps, and only by a run that computed it;
 * - for `plan`, each used generator's identity, taken afresh from the loaded plugins on every use: name, version,
 *   module, export, declared inputs, and the hash of its sources (a workspace generator's files and its inputs'
 *   content, see src/engine/generator-sources.ts) — so editing a workspace generator or an input it declares
 *   invalidates it, as a plugin that now registers another generator does.
 * - `summary.releases` is kept only when the release checks did not consult the projects' imports of generated
 *   code (they do so only for a release whose change breaks the policy): those imports are not among the keys.
 * Anything else misses, and the run computes everything as before. Deleting the file only costs time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { MetarepoError } from '../core/errors.js';
import { sha256, stableStringify } from '../core/hash.js';
import { STATE_DIR } from '../core/layout.js';
import { CODE_EXT, CODE_ROOT } from '../core/package-root.js';
import { TOOL_VERSION } from '../core/version.js';
import type { CodegenGenerator, ModelReleaseSummary, ModelSummary } from '../plugins/api.js';
import { stamp, stampsDigest } from '../core/stamps.js';
import type { Workspace } from '../workspace/workspace.js';
import { safeOutputPath } from '../core/paths.js';
import type { PlannedTarget } from './plan.js';

/** The cache file, relative to the workspace root. */
export const MODELS_CACHE = `${STATE_DIR}/cache/models.json`;

/** What the cache says of one target: `[name@version, input hash]` (the rest comes from metarepo.yaml, a key). */
type CachedTarget = [modelId: string, inputHash: string];

/** The model list and release checks of a check context. */
export interface ModelsSummary {
  models: ModelSummary[];
  /** Absent when it could not be cached (see the module comment). */
  releases?: ModelReleaseSummary[];
}

interface Key {
  tool: string;
  code: string;
  config: string;
}

/** The models' stamps: the paths stamped (relative to the root), and the SHA-256 of their stamps in that order. */
interface Stamps {
  paths: string[];
  hash: string;
}

interface CacheFile {
  version: 1;
  key: Key;
  stamps: Stamps;
  plan?: { generators: Record<string, string>; targets: CachedTarget[] };
  summary?: ModelsSummary;
}

/** Per opened workspace (one run): the cache file, once checked against the workspace as it is. */
const checked = new WeakMap<Workspace, CacheFile | undefined>();

/**
 * The targets planned from the cache, or `undefined` when it does not hold (then plan for real). Each target carries
 * its config, generator, output, resolved model and input hash exactly as `plan` would compute them; its
 * `input.model.schema` is not there (reading it throws): a target to render must be planned for real.
 * Activates the plugins of the generators the targets use (as planning does).
 * @param outputs - the targets' outputs as `safeOutputPath` gives them, when the caller has them already.
 */
export async function cachedPlan(ws: Workspace, outputs?: ReadonlyArray<string | undefined>): Promise<PlannedTarget[] | undefined> {
  const targets = ws.config.targets ?? [];
  const plan = validCache(ws)?.plan;
  if (!plan || plan.targets.length !== targets.length || targets.length === 0) return undefined;
  // Planning's modules load only here: a run whose checks need just the model summary (say `metarepo new` in a
  // workspace without targets) does without them.
  const { codegenGenerators, targetName } = await import('./plan.js');
  const generators = await codegenGenerators(ws);
  const names = new Set(targets.map((t) => t.generator));
  if (names.size !== Object.keys(plan.generators).length) return undefined;
  for (const name of names) {
    const g = generators.get(name);
    // A generator that cannot be identified (a declared input gone) is left to planning, which reports it in place.
    if (!g || g instanceof MetarepoError || plan.generators[name] !== (await generatorIdentity(ws.root, g).catch(() => undefined))) return undefined;
  }
  return targets.map((t, index): PlannedTarget => {
    const [modelId, inputHash] = plan.targets[index];
    const name = targetName(t);
    // As `plan` computes it; it cannot throw here: the same config was planned without error when this was cached.
    const output = outputs?.[index] ?? safeOutputPath(t.output, `target ${name}`);
    const at = modelId.lastIndexOf('@');
    return {
      name,
      config: t,
      output,
      generator: generators.get(t.generator) as CodegenGenerator,
      input: { model: unbundled(modelId.slice(0, at), modelId.slice(at + 1)), options: t.options ?? {}, output },
      inputHash,
      modelId,
      index,
    };
  });
}

/** Records a plan computed for real in this run (every target valid), when the models' stamps were settled. */
export async function savePlan(ws: Workspace, planned: PlannedTarget[]): Promise<void> {
  const configured = ws.config.targets ?? [];
  if (planned.length === 0 || planned.length !== configured.length || planned.some((p, i) => p.index !== i)) return;
  // Keyed by the generator's name as metarepo.yaml writes it, which is what `cachedPlan` looks up.
  const generators: Record<string, string> = {};
  try {
    for (const p of planned) generators[p.config.generator] ??= await generatorIdentity(ws.root, p.generator);
  } catch {
    return; // a generator's sources went away meanwhile: nothing to cache
  }
  const targets = planned.map((p): CachedTarget => [p.modelId, p.inputHash]);
  write(ws, { plan: { generators, targets } });
}

/** The model list and release checks from the cache, or `undefined` when it does not hold. */
export function cachedSummary(ws: Workspace): ModelsSummary | undefined {
  return validCache(ws)?.summary;
}

/** Records a summary computed in this run from the registry it loaded. */
export function saveSummary(ws: Workspace, summary: ModelsSummary): void {
  write(ws, { summary });
}

/** The cache when its key and stamps hold for this workspace now; checked once per opened workspace. */
function validCache(ws: Workspace): CacheFile | undefined {
  if (checked.has(ws)) return checked.get(ws);
  let found: CacheFile | undefined;
  const key = currentKey(ws);
  if (key) {
    const file = readCache(ws.root);
    if (file && sameKey(file.key, key) && stampsHash(ws.root, file.stamps.paths) === file.stamps.hash) found = file;
  }
  checked.set(ws, found);
  return found;
}

/** Writes a section under this run's key: merged with the file when it has the same key and stamps, else alone. */
function write(ws: Workspace, section: Pick<CacheFile, 'plan'> | Pick<CacheFile, 'summary'>): void {
  const key = currentKey(ws);
  const walked = ws.modelsStamp;
  if (!key || !walked || !fs.existsSync(path.join(ws.root, STATE_DIR))) return;
  // Stamped now, after the registry read the models, but judged from the moment the walk began (before it read any):
  // a model changed since then is not settled, and the cache is not written.
  const paths = walked.paths;
  const stamps = { paths, hash: stampsHash(ws.root, paths, walked.takenAt) };
  if (!stamps.hash) return;
  const existing = readCache(ws.root);
  const same = existing && sameKey(existing.key, key) && existing.stamps.hash === stamps.hash && existing.stamps.paths.join('\n') === paths.join('\n');
  const next: CacheFile = { ...(same ? existing : { version: 1, key, stamps }), ...section };
  try {
    writeFileAtomic(path.join(ws.root, MODELS_CACHE), JSON.stringify(next));
  } catch {
    // a cache that cannot be written only costs time
  }
  // What this run wrote holds for the rest of it (its stamps were taken before the registry read the models).
  checked.set(ws, next);
}

function readCache(root: string): CacheFile | undefined {
  try {
    const data = JSON.parse(fs.readFileSync(path.join(root, MODELS_CACHE), 'utf8')) as CacheFile;
    return data && data.version === 1 && data.key && Array.isArray(data.stamps?.paths) ? data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The digest of the stamps the paths (relative to `root`) have now, in order (see `stampsDigest`); with `since`, ''
 * unless every stamp is settled relative to it.
 */
function stampsHash(root: string, paths: string[], since = Infinity): string {
  const { digest, settled } = stampsDigest(
    paths.map((p) => `${root}/${p}`), // relative, normalised paths: no join needed
    since,
  );
  return settled ? digest : '';
}

function currentKey(ws: Workspace): Key | undefined {
  return ws.configHash ? { tool: TOOL_VERSION, code: codeStamp(), config: ws.configHash } : undefined;
}

function sameKey(a: Key, b: Key): boolean {
  return a.tool === b.tool && a.code === b.code && a.config === b.config;
}

/** Who a generator is, as far as an input hash can tell: what `plan` hashes of it, its sources' hash included. */
async function generatorIdentity(root: string, g: CodegenGenerator): Promise<string> {
  const { generatorSourcesHash } = await import('./generator-sources.js');
  const sources = await generatorSourcesHash(root, g);
  return sha256(stableStringify({ name: g.name, version: g.version, module: g.module ?? null, exportName: g.exportName ?? null, inputs: g.inputs ?? [], sources }));
}

/** A model reference without its bundled schema (see {@link cachedPlan}). */
function unbundled(name: string, version: string): { name: string; version: string; schema: Record<string, unknown> } {
  return {
    name,
    version,
    get schema(): Record<string, unknown> {
      throw new Error(`internal: ${name}@${version} was planned from the cache, without its bundled schema; plan it to render it`);
    },
  };
}

let code: string | undefined;
/**
 * The stamps of metarepo's own modules that compute what the cache holds (planning, generator sources, hashing, the
 * models layer with its diff rules, and this file), so a rebuilt metarepo of the same version misses.
 */
function codeStamp(): string {
  if (code === undefined) {
    const files = ['src/engine/plan', 'src/engine/plan-cache', 'src/engine/generator-sources', 'src/engine/checks', 'src/core/hash'].map((f) => path.join(CODE_ROOT, `${f}${CODE_EXT}`));
    for (const dir of ['src/models', 'src/models/diff']) {
      try {
        for (const name of fs.readdirSync(path.join(CODE_ROOT, dir)).sort()) if (name.endsWith(CODE_EXT)) files.push(path.join(CODE_ROOT, dir, name));
      } catch {
        // not there: the stamp says so by its absence
      }
    }
    code = sha256(files.map((f) => `${f}=${stamp(f)}`).join('\n'));
  }
  return code;
}
