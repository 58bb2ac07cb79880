import { describe, expect, it } from 'vitest';
import { checkMetaSchema } from '../../../src/models/meta-schema.js';
import { ModelRegistry } from '../../../src/models/registry.js';
import { workspace } from './helpers.js';

/**
 * 200 small draft-07 models in groups of ten: each references a shared `common` model and the
 * previous model of its group, so a bundle pulls in up to ten other models.
 */
function twoHundredModels(): Record<string, unknown> {
  const files: Record<string, unknown> = {
    'models/common/1.0.0.schema.json': { definitions: { id: { type: 'string', format: 'uuid' } } },
  };
  for (let i = 0; i < 199; i++) {
    files[`models/model-${i}/1.0.${i % 3}.schema.json`] = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: `Model ${i}`,
      type: 'object',
      required: ['id'],
      properties: {
        id: { $ref: '../common/1.0.0.schema.json#/definitions/id' },
        name: { type: 'string', minLength: 1, maxLength: 80, examples: ['x'] },
        tags: { type: 'array', items: { $ref: '#/definitions/tag' } },
        ...(i % 10 > 0 ? { previous: { $ref: `../model-${i - 1}/1.0.${(i - 1) % 3}.schema.json` } } : {}),
      },
      definitions: { tag: { type: 'string', pattern: '^[a-z]+$' } },
    };
  }
  return files;
}

/** Milliseconds to load the registry and bundle every model, with the number of bundles made. */
async function loadAndBundleAll(root: string): Promise<{ ms: number; bundles: number; lastDeps: number }> {
  const start = performance.now();
  const registry = await ModelRegistry.load(root);
  const bundles = registry.list().map((record) => registry.bundle(record));
  return { ms: performance.now() - start, bundles: bundles.length, lastDeps: bundles.at(-1)!.dependencies.length };
}

describe('performance', () => {
  it('loads and bundles 200 small models in well under 300 ms', async () => {
    const root = workspace(twoHundredModels());
    // Once per process, outside the measured runs: loading Ajv and compiling the draft-07 meta-schema.
    checkMetaSchema({}, 'draft-07');
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await loadAndBundleAll(root));
    expect(runs[0]).toMatchObject({ bundles: 200, lastDeps: 10 });
    // Best of three: robust against other processes competing for the CPU.
    expect(Math.min(...runs.map((r) => r.ms))).toBeLessThan(300);
  });
});
