import { MetarepoError, type SourceLocation } from '../core/errors.js';
import type { CodegenGenerator, CodegenInput } from '../plugins/api.js';
import type { TargetConfig } from '../workspace/config.js';
import { TOOL_VERSION } from '../core/version.js';
import type { Workspace } from '../workspace/workspace.js';
import { generatorSourcesHash } from './generator-sources.js';
import { sha256, stableStringify } from '../core/hash.js';
import { assertCodegenSize, maxCodegenBytes } from '../models/limits.js';
import { safeOutputPath } from '../core/paths.js';

/** A target with its defaults applied and its model resolved. */
export interface PlannedTarget {
  name: string;
  config: TargetConfig;
  output: string;
  generator: CodegenGenerator;
  input: CodegenInput;
  inputHash: string;
  modelId: string;
  /** Position of the target in `metarepo.yaml` (`targets[index]`), for errors. */
  index: number;
}

/**
 * A target whose model cannot be bundled: unresolved `$ref`s (every one, in `details`) or an `$id` another model
 * declares too. It fails that target only (exit 1); the other targets still generate.
 */
export class ModelBundleError extends MetarepoError {
  constructor(cause: MetarepoError) {
    super(cause.message, { location: cause.location, hint: cause.hint, details: cause.details, exitCode: 1, cause });
  }
}

/** Name of a target: its `name`, or its output path (unique, since two targets may not share an output). */
export function targetName(t: TargetConfig): string {
  return t.name ?? t.output;
}

/**
 * Resolves every target's model and generator and hashes its inputs. A model too big for code generation (see
 * `assertCodegenSize`: more than `METAREPO_MAX_MODEL_MB`, default 20 MB, with the models it references) makes its
 * target invalid, with an error located at the model file. `onPlanned` is called as each target is
 * planned, so the caller can start rendering it while the next one is bundled. Without `onInvalid`, the first
 * invalid target throws; with it, invalid targets are passed to it and left out.
 * The input hash covers metarepo's version, the generator's name and version, its sources (a workspace
 * generator's code and declared `inputs`), the options, the output path, and the texts of the model and of every
 * model it references (the bundle's hash): bundling is a function of those.
 * @throws MetarepoError (exit 2) for the first invalid target when there is no `onInvalid`, and for a
 *   `METAREPO_MAX_MODEL_MB` that is not a positive number.
 */
export async function plan(
  ws: Workspace,
  onPlanned: (p: PlannedTarget) => void = () => undefined,
  onInvalid?: (target: TargetConfig, index: number, error: MetarepoError) => void,
): Promise<PlannedTarget[]> {
  const targets = ws.config.targets ?? [];
  if (targets.length === 0) return [];
  const maxBytes = maxCodegenBytes();
  const [registry, generators] = await Promise.all([ws.models(), codegenGenerators(ws)]);
  const sources = await generatorSources(ws.root, generators);
  const loaded = new Set<string>();
  const outputs = new Map<string, string>();
  const names = new Set<string>();
  const planOne = (t: TargetConfig, i: number): PlannedTarget => {
    const name = targetName(t);
    const at = (key: string) => ws.document.locate(`/targets/${i}/${key}`);
    if (names.has(name)) throw new MetarepoError(`Two targets are called "${name}".`, { location: at('name'), hint: 'Give each target a unique name.' });
    names.add(name);
    const generator = generators.get(t.generator);
    if (!generator || generator instanceof MetarepoError) {
      throw new MetarepoError(generator?.message ?? `Target ${name} uses unknown generator "${t.generator}".`, {
        location: at('generator'),
        exitCode: generator?.exitCode,
        hint: generator?.hint ?? `Known codegen generators: ${generators.known.join(', ')}.`,
      });
    }
    const source = sources.get(generator.name);
    if (source instanceof MetarepoError) throw new MetarepoError(source.message, { location: at('generator'), hint: source.hint });
    const output = withLocation(() => safeOutputPath(t.output, `target ${name}`), () => at('output'));
    const other = outputs.get(output);
    if (other) throw new MetarepoError(`Targets ${other} and ${name} both write ${output}.`, { location: at('output'), hint: 'Give each target its own output path.' });
    outputs.set(output, name);
    const record = withLocation(() => registry.resolve(t.model), () => at('model'));
    assertCodegenSize(record, [], maxBytes); // before bundling: a model too big on its own costs nothing more
    let bundled: ReturnType<typeof registry.bundle>;
    try {
      bundled = registry.bundle(record);
    } catch (e) {
      throw e instanceof MetarepoError ? new ModelBundleError(e) : e;
    }
    assertCodegenSize(record, bundled.dependencies, maxBytes);
    const modelId = `${record.name}@${record.version}`;
    if (!loaded.has(modelId)) {
      loaded.add(modelId);
      ws.bus.publish('core:model:loaded', { name: record.name, version: record.version, file: record.relFile, dependencies: bundled.dependencies.map((d) => `${d.name}@${d.version}`) });
    }
    const input: CodegenInput = { model: { name: record.name, version: record.version, schema: bundled.schema }, options: t.options ?? {}, output, root: ws.root };
    const inputHash = sha256(
      stableStringify({ tool: TOOL_VERSION, generator: `${generator.name}@${generator.version}`, sources: source, options: input.options, output, model: bundled.hash }),
    );
    const planned = { name, config: t, output, generator, input, inputHash, modelId, index: i };
    onPlanned(planned);
    return planned;
  };
  const out: PlannedTarget[] = [];
  let lastYield = performance.now();
  for (const [i, t] of targets.entries()) {
    try {
      out.push(planOne(t, i));
    } catch (e) {
      // With `onInvalid`, one bad target is reported and the others are still planned (status, check).
      if (!onInvalid || !(e instanceof MetarepoError)) throw e;
      onInvalid(t, i, e);
    }
    // Let the event loop run now and then, so codegen workers hear of the jobs `onPlanned` started (and we of
    // their results) while the remaining models are bundled, instead of idling until the loop ends.
    if (performance.now() - lastYield > YIELD_EVERY_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      lastYield = performance.now();
    }
  }
  return out;
}

/**
 * The sources hash of each generator the targets use (see {@link generatorSourcesHash}): undefined when it has
 * none, or the error that makes its targets invalid (a declared input that does not exist).
 */
async function generatorSources(root: string, generators: Map<string, CodegenGenerator | MetarepoError>): Promise<Map<string, string | undefined | MetarepoError>> {
  const out = new Map<string, string | undefined | MetarepoError>();
  for (const [name, g] of generators) {
    if (g instanceof MetarepoError) continue;
    try {
      out.set(name, (await generatorSourcesHash(root, g)) || undefined);
    } catch (e) {
      if (!(e instanceof MetarepoError)) throw e;
      out.set(name, e);
    }
  }
  return out;
}

/** Longest stretch of planning without yielding to the event loop, in ms. */
const YIELD_EVERY_MS = 10;


/**
 * The codegen generators the targets name, activating the plugins that contribute them (lazily: only those).
 * A generator whose plugin failed maps to the error; `known` lists every declared generator name.
 */
export async function codegenGenerators(ws: Workspace): Promise<Map<string, CodegenGenerator | MetarepoError> & { known: string[] }> {
  const host = await ws.plugins();
  const out = Object.assign(new Map<string, CodegenGenerator | MetarepoError>(), { known: host.declared('codegen') });
  for (const name of new Set((ws.config.targets ?? []).map((t) => t.generator))) {
    try {
      const g = await host.codegen(name);
      if (g) out.set(name, g);
    } catch (e) {
      if (!(e instanceof MetarepoError)) throw e;
      out.set(name, e);
    }
  }
  return out;
}

/** Runs `fn`; a MetarepoError without a location gets `location()` (where in metarepo.yaml the value stands, computed only then). */
function withLocation<T>(fn: () => T, location: () => SourceLocation): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof MetarepoError && !e.location) {
      throw new MetarepoError(e.message, { location: location(), hint: e.hint, exitCode: e.exitCode, details: e.details, cause: e.cause });
    }
    throw e;
  }
}

/**
 * Validates each target's `options` against its generator's `optionsSchema` (with ajv, loaded only here).
 * Called for targets about to render: an up-to-date target's options were valid when it last rendered, and a
 * generator whose schema changed has a new version, which changes the input hash.
 * @throws MetarepoError (exit 2) naming metarepo.yaml, line and column of the offending option.
 */
export async function validateOptions(ws: Workspace, targets: PlannedTarget[]): Promise<void> {
  // An empty options object can only fail a schema that requires something: skip loading ajv otherwise.
  const withSchema = targets.filter((t) => t.generator.optionsSchema && (Object.keys(t.input.options).length > 0 || 'required' in t.generator.optionsSchema));
  if (withSchema.length === 0) return;
  const { default: Ajv } = await import('ajv');
  const { describeAjvError } = await import('../core/document.js');
  const ajv = new Ajv.default({ allErrors: true, strict: false, useDefaults: false });
  const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
  for (const t of withSchema) {
    let validate = compiled.get(t.generator.name);
    if (!validate) compiled.set(t.generator.name, (validate = ajv.compile(t.generator.optionsSchema!)));
    if (validate(t.input.options)) continue;
    const prefix = `/targets/${t.index}/options`;
    const problems = (validate.errors ?? []).map((e) => describeAjvError({ ...e, instancePath: `${prefix}${e.instancePath}` }, ws.document));
    throw new MetarepoError(`Target ${t.name}: invalid options for generator ${t.generator.name}: ${problems[0].message}.`, {
      location: problems[0].location,
      hint: `See the options of "${t.generator.name}" in docs/generate.md.`,
      details: problems.map((p) => `${p.location.file}:${p.location.line}:${p.location.column}: ${p.message}`),
    });
  }
}
