import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { MetarepoError, EXIT_FAILURE } from '../core/errors.js';
import { commitTree } from '../engine/commit.js';
import { Tree } from '../engine/tree.js';
import { DRAFT_VERSION, MODEL_FILE_SUFFIX, MODEL_NAME_PATTERN, ModelRegistry } from '../models/registry.js';
import type { Schema } from '../models/infer/shape.js';
import type { Workspace } from '../workspace/workspace.js';
import { withRegistry } from './model.js';
import { modelDiffReport } from '../engine/model-impact.js';
import { renderModelDiff } from './model-diff.js';
import { emit, type GlobalOptions } from './output.js';

/**
 * `metarepo model infer <name> --from <sources…>`: infers a schema from sample documents (JSON, YAML) and
 * TypeScript types (`file.ts#Type`) and writes it as the model's working draft (`models/<name>/draft.schema.json`),
 * which `model bump` releases. On a model that exists, the draft (else the newest version) is widened to accept the
 * new sources too, and the diff against the newest version is printed as `model diff` prints it.
 * Before writing, the TypeScript generator must accept the schema (see `inferSchema` for the other checks).
 * @throws MetarepoError (exit 2) for a bad name or bad sources; (exit 1) when a check fails.
 */
export async function modelInferCommand(g: GlobalOptions, name: string, opts: { from: string[] }): Promise<number> {
  if (!MODEL_NAME_PATTERN.test(name)) {
    throw new MetarepoError(`Model name "${name}" is not lowercase kebab-case.`, { hint: 'Use lowercase letters, digits and single hyphens, starting with a letter, e.g. "order-line".' });
  }
  return withRegistry(g, 'model infer', async (ws, registry) => {
    const versions = registry.versions(name);
    const base = registry.draft(name) ?? (versions.length ? registry.get(name, versions.at(-1)!) : undefined);
    const file = path.posix.join(registry.modelsDir, name, `${DRAFT_VERSION}${MODEL_FILE_SUFFIX}`);
    const { inferSchema } = await import('../models/infer/index.js');
    const { pascalCase } = await import('change-case');
    const result = await inferSchema({ title: pascalCase(name), from: opts.from, cwd: g.cwd, file, ...(base ? { base: { schema: base.schema, draft: base.draft, file: base.relFile } } : {}) });
    const generator = await checkTypescriptGenerator(ws, name, result.schema);
    // A released version that already accepts every source needs no draft: nothing is written then.
    const unchanged = base !== undefined && base.version !== DRAFT_VERSION && isDeepStrictEqual(result.schema, base.schema);
    const tree = new Tree(ws.root);
    if (!unchanged) tree.write(file, result.text, { overwrite: true, origin: 'model infer' });
    const changes = tree.changes();
    if (changes.length) await commitTree(ws, { command: 'model infer', changes, eventData: () => ({ origin: 'model infer' }) });
    const diff = versions.length && !unchanged ? renderModelDiff(await modelDiffReport(ws, await ModelRegistry.load(ws.root, { modelsDir: ws.config.modelsDir }), name, versions.at(-1)!, DRAFT_VERSION)) : undefined;
    const sources = [...result.samples, ...result.types];
    const head = unchanged
      ? `${name}@${base.version} already accepts the ${sources.length} source(s) as they are; no draft written.`
      : changes.length === 0
      ? `${file} already says what ${sources.length} source(s) show; nothing written.`
      : `${base ? `Refined ${name} from ${base.relFile}` : `Inferred ${name}`} from ${sources.length} source(s) into ${file}${generator ? '' : ' (no typescript generator here: not checked with it)'}; release it with \`metarepo model bump ${name}\`.`;
    emit(g, { model: name, draft: file, written: changes.length > 0, base: base?.relFile ?? null, samples: result.samples, types: result.types, schemaDraft: result.draft, schema: result.schema, diff: diff?.data ?? null }, () =>
      [head, ...(diff ? [diff.text] : [])].join('\n'),
    );
    return 0;
  }, true);
}

/**
 * Runs the workspace's `typescript` codegen generator on the schema in-process, as `generate` would run it.
 * @returns false when no plugin provides a `typescript` generator (nothing checked).
 * @throws MetarepoError (exit 1) when the generator rejects the schema: nothing is written then.
 */
async function checkTypescriptGenerator(ws: Workspace, name: string, schema: Schema): Promise<boolean> {
  const host = await ws.plugins();
  const generator = await host.codegen('typescript');
  if (!generator) return false;
  const mod = (await import(generator.module)) as Record<string, unknown>;
  const generate = mod[generator.exportName ?? 'generate'] as (input: unknown) => Promise<Array<{ content: string }>>;
  try {
    await generate({ model: { name, version: DRAFT_VERSION, schema }, options: {}, output: `${name}.ts` });
  } catch (error) {
    throw new MetarepoError(`The typescript generator rejects the inferred schema of ${name}: ${error instanceof Error ? error.message : String(error)}`, {
      exitCode: EXIT_FAILURE,
      hint: 'Nothing was written. This is a bug in `metarepo model infer`: please report it with the samples.',
      cause: error,
    });
  }
  return true;
}
