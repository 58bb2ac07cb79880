/**
 * Entry points for the `docs` generator and its check (plugins/codegen-docs, through `metarepo/plugin`): one model
 * version's reference page, and the invalid examples of a workspace's models as check findings.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MetarepoError } from '../core/errors.js';
import type { Finding } from '../plugins/api.js';
import { loadConfig } from '../workspace/config.js';
import { ModelRegistry } from '../models/registry.js';
import { modelMarkdown, type ModelLink } from './model-markdown.js';
import { modelExamples, modelReference } from './model-reference.js';

/**
 * The Markdown reference page of model `name` at `version` in the workspace at `root` (see docs/docs.md).
 * @param link - URL of another model's page relative to this one.
 * @throws MetarepoError (exit 2) for an unknown model version or a model that cannot be bundled.
 */
export async function modelReferencePage(root: string, name: string, version: string, link: ModelLink): Promise<string> {
  const { config } = await loadConfig(root);
  const registry = await ModelRegistry.load(root, { modelsDir: config.modelsDir });
  const record = registry.get(name, version);
  if (!record) throw new MetarepoError(`Model ${name}@${version} is not in the workspace.`, { hint: '`metarepo model list` shows the models.' });
  return modelMarkdown(modelReference(registry, config, record), link);
}

/**
 * One error finding per example of a model that its own schema rejects, located at the example in the model file.
 * @param models - the model versions to look at (a check's `ctx.models`), by name and version.
 */
export async function invalidExampleFindings(root: string, models: ReadonlyArray<{ name: string; version: string; file?: string }>): Promise<Finding[]> {
  const { config } = await loadConfig(root);
  // Most models have no example: skip loading (and validating) the registry when no model file mentions one.
  const files = models.map((m) => path.join(root, m.file ?? path.join(config.modelsDir ?? 'models', m.name, `${m.version}.schema.json`)));
  if (!files.some((file) => fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes('"example'))) return [];
  const registry = await ModelRegistry.load(root, { modelsDir: config.modelsDir });
  const findings: Finding[] = [];
  for (const m of models) {
    const record = registry.get(m.name, m.version);
    if (!record) continue;
    for (const ex of modelExamples(registry, record)) {
      if (ex.errors.length === 0) continue;
      findings.push({
        severity: 'error',
        file: record.relFile,
        pointer: ex.pointer,
        message: `${m.name}@${m.version}: example ${ex.pointer} does not match the schema: ${ex.errors.join('; ')}`,
      });
    }
  }
  return findings;
}
