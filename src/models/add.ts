import path from 'node:path';
import { MetarepoError } from '../core/errors.js';
import { deriveModelNames } from './import/naming.js';
import { refusals, sourceProblem, type ParsedSource } from './import/refusals.js';
import { rewriteSchemaText, type RefRewrite } from './import/rewrite.js';
import type { ImportSource } from './import/sources.js';
import { wireReferences, type ImportedFile, type MissingRef } from './import/wiring.js';
import { MODEL_FILE_SUFFIX, MODEL_NAME_PATTERN, type ModelRegistry } from './registry.js';
import { idKeyword } from './schema-index.js';
import { problemsError, validateSchemaDocument, type LocatedProblem } from './validate.js';

export type { ImportSource } from './import/sources.js';
export type { MissingRef } from './import/wiring.js';
/** A file to create: path relative to the workspace root (`/`-separated) and its content. */
export interface PlannedModelFile {
  path: string;
  content: string;
}

/** The version every added model starts at. */
export const ADDED_VERSION = '1.0.0';

/** One model an add creates. */
export interface AddedModel {
  name: string;
  version: string;
  /** The new file, relative to the workspace root. */
  path: string;
  /** The source file, as messages name it. */
  from: string;
  /** The model's root `$id` (draft-04 `id`) as written, if it has one. */
  id?: string;
  /** The `$id` was assigned by the import (`https://metarepo.local/models/<name>/1.0.0`). */
  assignedId: boolean;
  /** References rewritten to keep leading where they led (see {@link prepareModelAdd}). */
  rewrittenRefs: RefRewrite[];
}

/** What {@link prepareModelAdd} plans. Nothing is written yet. */
export interface ModelAddPlan {
  files: PlannedModelFile[];
  added: AddedModel[];
  missing: MissingRef[];
}

/**
 * Plans adding schema files as new models at version 1.0.0 (`<modelsDir>/<name>/1.0.0.schema.json`), all or
 * nothing. Writes nothing: the caller writes the result through the Tree, in one commit.
 *
 * - Names: `opts.name` for a single file, else derived from each file's `$id` or path (see {@link deriveModelNames}).
 * - References keep leading where they led before the move. Each `$ref` is resolved as the registry resolves it
 *   (offline; see `normalized`) twice: among the files where they are now plus the workspace's models, and among the
 *   planned model files. A reference through an `$id` leads to the same schema in both and is kept as written
 *   (e.g. `"$ref": "address.json"` under `"$id": "https://x/order.json"` with `address.json` declaring
 *   `https://x/address.json`). Where they differ (a reference by file path), the reference is rewritten to the
 *   absolute `$id` of the schema it led to, fragment kept (`"./customer.json#/definitions/a"` →
 *   `"https://metarepo.local/models/customer/1.0.0#/definitions/a"`); a file without `$id` that such a reference
 *   leads to is given `https://metarepo.local/models/<name>/1.0.0` (placed after `$schema`). A target that is an
 *   existing model without `$id` is named by its relative path from the new file instead. Absolute `$id`s, not
 *   relative paths, so a later `model bump` of one model (which moves its `$id`'s version) breaks no reference.
 * - A file that needs neither is copied byte for byte (a missing final newline added); one that does is rewritten
 *   through `JSON.parse` and `JSON.stringify` with its own indentation: every other key and value is kept, in order
 *   (number spellings such as `1.0` become `1`).
 * - References that lead nowhere are returned in `missing` (file, line, column, pointer), not refused.
 * @param sources - the files; their `text` is checked here.
 * @param opts.name - the model name (a single source only).
 * @throws MetarepoError (exit 2) listing every problem of every file in one error: invalid JSON or schema (located),
 *   a name not kebab-case, names that collide or cannot be derived, a model name that exists already, a root `$id`
 *   another model or another imported file has (located at the `$id`).
 */
export function prepareModelAdd(registry: ModelRegistry, sources: ImportSource[], opts: { name?: string } = {}): ModelAddPlan {
  if (opts.name !== undefined && !MODEL_NAME_PATTERN.test(opts.name)) {
    throw new MetarepoError(`Model name "${opts.name}" is not lowercase kebab-case.`, {
      hint: 'Use lowercase letters, digits and single hyphens, starting with a letter, e.g. "order-line".',
    });
  }
  const problems: LocatedProblem[] = [];
  const parsed: ParsedSource[] = sources.flatMap((source) => {
    const checked = validateSchemaDocument(source.text, source.display);
    if ('problems' in checked) {
      problems.push(...checked.problems.map((p) => sourceProblem(source, p.message, p.hint, p.position)));
      return [];
    }
    const id = checked.schema[idKeyword(checked.draft)];
    return [{ source, ...checked, ...(typeof id === 'string' ? { id } : {}) }];
  });
  if (problems.length > 0) throw problemsError(problems);
  const { names, collisions } = opts.name !== undefined ? { names: [opts.name], collisions: [] } : deriveModelNames(parsed.map((p) => ({ id: p.id, rel: p.source.rel, display: p.source.display })));
  problems.push(...refusals(registry, parsed, names, collisions));
  if (problems.length > 0) throw problemsError(problems);

  const imported: ImportedFile[] = parsed.map((p, i) => {
    const name = names[i]!;
    const relFile = `${registry.modelsDir}/${name}/${ADDED_VERSION}${MODEL_FILE_SUFFIX}`;
    const base = { name, version: ADDED_VERSION, relFile: p.source.display, schema: p.schema, draft: p.draft, text: p.source.text, id: p.id };
    return {
      source: p.source,
      json: p.json,
      before: { ...base, file: p.source.file },
      after: { ...base, file: path.resolve(registry.root, relFile), relFile },
      rewrites: [],
    };
  });
  const missing = wireReferences(registry, imported);

  const files = imported.map((m) => ({
    path: m.after.relFile,
    content: rewriteSchemaText(m.source.text, m.after.id !== m.before.id ? { keyword: idKeyword(m.after.draft), id: m.after.id! } : undefined, m.rewrites),
  }));
  const added = imported.map((m) => ({
    name: m.after.name,
    version: ADDED_VERSION,
    path: m.after.relFile,
    from: m.source.display,
    ...(m.after.id !== undefined ? { id: m.after.id } : {}),
    assignedId: m.after.id !== m.before.id,
    rewrittenRefs: m.rewrites,
  }));
  return { files, added, missing };
}
