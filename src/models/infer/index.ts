/**
 * `metarepo model infer`: a draft schema inferred from sample documents and TypeScript types, optionally refining
 * an existing schema. Pure: reads the sources, writes nothing (the command writes the draft through the Tree).
 */
import { MetarepoError, EXIT_FAILURE } from '../../core/errors.js';
import { diffSchemas } from '../diff/index.js';
import type { Draft } from '../meta-schema.js';
import { validateSchemaDocument } from '../validate.js';
import { widen } from './merge.js';
import { inferWithQuicktype } from './quicktype.js';
import { applyRules, collectStats, type NodeStats } from './rules.js';
import { classifySources, readSamples, type Sample } from './samples.js';
import { fromDocument, toDocument, type Schema, type Shape } from './shape.js';
import { schemaFromTypescript } from './typescript.js';
import { verifySamples } from './verify.js';

export { ENUM_RULE, INFERRED_FORMATS } from './rules.js';

/** The draft a new inferred model is written in. */
export const INFERRED_DRAFT: Draft = '2020-12';

/** The schema being refined: the model's working draft, else its newest version. */
export interface InferBase {
  schema: Schema;
  draft: Draft;
  /** Its file (workspace-relative), for messages. */
  file: string;
}

export interface InferOptions {
  /** The root type's title for a new model (e.g. `Order` for model `order`). */
  title: string;
  /** The `--from` arguments: sample files (JSON, YAML) and `file.ts#Type`. */
  from: string[];
  /** What relative paths in `from` are resolved against. */
  cwd: string;
  base?: InferBase;
  /** The name error messages give the result (the draft file). */
  file: string;
}

export interface InferResult {
  schema: Schema;
  /** The schema as written: 2-space JSON with a final newline. */
  text: string;
  draft: Draft;
  samples: string[];
  types: string[];
}

/**
 * Infers a schema from the sources: samples through quicktype then {@link applyRules}, TypeScript types through
 * ts-json-schema-generator; several sources (and a `base`) are combined with {@link widen}. Before returning it
 * checks that the schema is valid for its draft, that ajv accepts every sample with it, and, refining, that no
 * change from the base rejects data the base accepted (no BACKWARD-breaking change as `model diff` judges it).
 * @throws MetarepoError (exit 2) for an unreadable or malformed source (file:line:column) or a base with `$ref`s
 *   to other models; (exit 1) when a check fails, which is a bug: nothing may be written then.
 */
export async function inferSchema(opts: InferOptions): Promise<InferResult> {
  const sources = classifySources(opts.from);
  const samples = readSamples(opts.cwd, sources.flatMap((s) => (s.kind === 'sample' ? [s.file] : [])));
  if (opts.base) assertLocalRefs(opts.base);
  const draft = opts.base?.draft ?? INFERRED_DRAFT;
  const parts: Array<{ shape: Shape; stats?: Map<Schema, NodeStats> }> = [];
  for (const s of sources) if (s.kind === 'type') parts.push({ shape: await schemaFromTypescript(opts.cwd, s.file, s.type) });
  if (samples.length) parts.push(await fromSamples(opts.title, samples));
  const start = opts.base ? fromDocument(structuredClone(opts.base.schema), opts.title) : parts.shift()!.shape;
  const shape = parts.reduce((acc, p) => widen(acc, p.shape, p.stats, draft), start);
  const schema = toDocument(shape, draft);
  const text = `${JSON.stringify(schema, null, 2)}\n`;
  checkResult(text, opts.file, draft, samples, opts.base);
  return { schema, text, draft, samples: samples.map((s) => s.file), types: sources.flatMap((s) => (s.kind === 'type' ? [`${s.file}#${s.type}`] : [])) };
}

async function fromSamples(title: string, samples: Sample[]): Promise<{ shape: Shape; stats: Map<Schema, NodeStats> }> {
  const shape = await inferWithQuicktype(title, samples);
  const stats = collectStats(shape, samples);
  applyRules(stats);
  return { shape, stats };
}

/** The guards: valid for the meta-schema, every sample accepted, nothing the base accepted rejected. */
function checkResult(text: string, file: string, draft: Draft, samples: Sample[], base: InferBase | undefined): void {
  const checked = validateSchemaDocument(text, file);
  if ('problems' in checked) throw bug(`The inferred schema is not valid JSON Schema: ${checked.problems[0].message}.`, checked.problems.slice(1).map((p) => p.message));
  verifySamples(checked.schema, draft, samples);
  if (!base) return;
  const narrowed = diffSchemas(base.schema, checked.schema).filter((c) => c.impacts.backward);
  if (narrowed.length) {
    throw bug(`Refining ${base.file} would reject data it accepts: ${narrowed[0].rule} at ${narrowed[0].path || '/'} (${narrowed[0].message}).`, narrowed.slice(1).map((c) => `${c.rule} at ${c.path || '/'}: ${c.message}`));
  }
}

function bug(message: string, details: string[]): MetarepoError {
  return new MetarepoError(message, { exitCode: EXIT_FAILURE, details, hint: 'Nothing was written. This is a bug in `metarepo model infer`: please report it with the samples.' });
}

/** Refinement works on one self-contained document: a `$ref` to another model or URI is refused. */
function assertLocalRefs(base: InferBase): void {
  const visit = (node: unknown, pointer: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${pointer}/${i}`));
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && !v.startsWith('#')) {
        throw new MetarepoError(`${base.file} has a $ref to another document ("${v}" at ${pointer}/$ref); \`model infer\` refines self-contained models only.`, {
          location: { file: base.file },
          hint: 'Infer into a new model (`metarepo model infer <new-name> --from …`) and refer to it, or edit the draft by hand.',
        });
      }
      if (k !== 'enum' && k !== 'const' && k !== 'default' && k !== 'examples') visit(v, `${pointer}/${k}`);
    }
  };
  visit(base.schema, '');
}
