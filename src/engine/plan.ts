import { MetarepoError, type SourceLocation } from '../errors.js';
import type { CodegenGenerator, CodegenInput } from '../plugins/api.js';
import { loadBuiltinPlugins } from '../plugins/host.js';
import { ModelRegistry } from '../models/registry.js';
import type { TargetConfig } from '../workspace/config.js';
import { TOOL_VERSION } from '../version.js';
import type { Workspace } from '../workspace/workspace.js';
import { sha256, stableStringify } from './hash.js';
import { safeRelativePath } from './paths.js';

/** A target with its defaults applied and its model resolved. */
export interface PlannedTarget {
  name: string;
  config: TargetConfig;
  output: string;
  generator: CodegenGenerator;
  input: CodegenInput;
  inputHash: string;
  modelId: string;
}

/** Name of a target: its `name`, or its output path (unique, since two targets may not share an output). */
export function targetName(t: TargetConfig): string {
  return t.name ?? t.output;
}

/** Resolves every target's model and generator and hashes its inputs. */
export async function plan(ws: Workspace): Promise<PlannedTarget[]> {
  const targets = ws.config.targets ?? [];
  if (targets.length === 0) return [];
  const [registry, plugins] = await Promise.all([ModelRegistry.load(ws.root, { modelsDir: ws.config.modelsDir }), loadBuiltinPlugins()]);
  const loaded = new Set<string>();
  const outputs = new Map<string, string>();
  const names = new Set<string>();
  return targets.map((t, i) => {
    const name = targetName(t);
    const at = (key: string) => ws.document.locate(`/targets/${i}/${key}`);
    if (names.has(name)) throw new MetarepoError(`Two targets are called "${name}".`, { location: at('name'), hint: 'Give each target a unique name.' });
    names.add(name);
    const generator = plugins.codegen.get(t.generator);
    if (!generator) {
      throw new MetarepoError(`Target ${name} uses unknown generator "${t.generator}".`, {
        location: at('generator'),
        hint: `Known codegen generators: ${[...plugins.codegen.keys()].sort().join(', ')}.`,
      });
    }
    const output = withLocation(() => safeRelativePath(t.output, `target ${name}`), at('output'));
    const other = outputs.get(output);
    if (other) throw new MetarepoError(`Targets ${other} and ${name} both write ${output}.`, { location: at('output'), hint: 'Give each target its own output path.' });
    outputs.set(output, name);
    const record = withLocation(() => registry.resolve(t.model), at('model'));
    const bundled = registry.bundle(record);
    const modelId = `${record.name}@${record.version}`;
    if (!loaded.has(modelId)) {
      loaded.add(modelId);
      ws.bus.publish('core:model:loaded', { name: record.name, version: record.version, file: record.relFile, dependencies: bundled.dependencies.map((d) => `${d.name}@${d.version}`) });
    }
    const input: CodegenInput = { model: { name: record.name, version: record.version, schema: bundled.schema }, options: t.options ?? {}, output };
    const inputHash = sha256(stableStringify({ tool: TOOL_VERSION, generator: `${generator.name}@${generator.version}`, input }));
    return { name, config: t, output, generator, input, inputHash, modelId };
  });
}


/** Runs `fn`; a MetarepoError without a location gets `location` (where in metarepo.yaml the value stands). */
function withLocation<T>(fn: () => T, location: SourceLocation): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof MetarepoError && !e.location) {
      throw new MetarepoError(e.message, { location, hint: e.hint, exitCode: e.exitCode, details: e.details, cause: e.cause });
    }
    throw e;
  }
}
