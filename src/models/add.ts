import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MetarepoError } from '../core/errors.js';
import type { JsonWithPositions } from '../core/json-positions.js';
import { deriveModelNames } from './import/naming.js';
import { refSites, type RefSite } from './import/refs.js';
import { rewriteSchemaText, withId, type RefRewrite } from './import/rewrite.js';
import type { ImportSource } from './import/sources.js';
import { refResource, resolveRef, type NormalizeContext } from './normalize.js';
import { MODEL_FILE_SUFFIX, MODEL_NAME_PATTERN, type ModelRegistry } from './registry.js';
import { SchemaIndex, idKeyword, type SchemaLocation } from './schema-index.js';
import type { ModelRecord } from './types.js';
import { problemsError, validateSchemaDocument, type LocatedProblem } from './validate.js';

export type { ImportSource } from './import/sources.js';

/** A file to create: path relative to the workspace root (`/`-separated) and its content. */
export interface PlannedModelFile {
  path: string;
  content: string;
}

/** The version every added model starts at. */
export const ADDED_VERSION = '1.0.0';

/**
 * The base of the `$id`s given to imported files that have none and that other files refer to by path:
 * `https://metarepo.local/models/<name>/1.0.0` (a version segment, so `model bump` moves it to the new version).
 */
export const ASSIGNED_ID_BASE = 'https://metarepo.local/models/';

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
  /** The `$id` was assigned by the import (see {@link ASSIGNED_ID_BASE}). */
  assignedId: boolean;
  /** References rewritten to keep leading where they led (see {@link prepareModelAdd}). */
  rewrittenRefs: RefRewrite[];
}

/** A reference in a source file that leads to no schema among the imported files and the workspace's models. */
export interface MissingRef {
  /** The source file, as messages name it. */
  file: string;
  line: number;
  column: number;
  /** JSON pointer of the reference keyword, e.g. `/properties/address/$ref`. */
  pointer: string;
  ref: string;
  /** Why it resolves to nothing. */
  message: string;
}

/** What {@link prepareModelAdd} plans. Nothing is written yet. */
export interface ModelAddPlan {
  files: PlannedModelFile[];
  added: AddedModel[];
  missing: MissingRef[];
}

interface Imported {
  source: ImportSource;
  json: JsonWithPositions;
  /** The file where it is now. */
  before: ModelRecord;
  /** The same document as a model (its `$id` assigned, when it gets one). */
  after: ModelRecord;
  rewrites: RefRewrite[];
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
  const problem = (source: ImportSource, message: string, hint: string, pos?: { line: number; column: number }) =>
    problems.push({ message, hint, displayFile: source.display, location: { file: source.display, line: pos?.line, column: pos?.column } });
  const parsed = sources.flatMap((source) => {
    const checked = validateSchemaDocument(source.text, source.display);
    if (!('problems' in checked)) return [{ source, ...checked }];
    for (const p of checked.problems) problem(source, p.message, p.hint, p.position);
    return [];
  });
  if (problems.length > 0) throw problemsError(problems);

  const rootId = (schema: Record<string, unknown>, draft: ModelRecord['draft']) => {
    const id = schema[idKeyword(draft)];
    return typeof id === 'string' ? id : undefined;
  };
  const naming = opts.name !== undefined ? { names: [opts.name], collisions: [] } : deriveModelNames(parsed.map((p) => ({ id: rootId(p.schema, p.draft), rel: p.source.rel, display: p.source.display })));
  for (const c of naming.collisions) {
    const source = parsed.find((p) => p.source.display === c.files[0])!.source;
    if (c.name === '') problem(source, `No model name can be derived from ${c.files[0]}.`, 'Give the file an $id whose last path segment is a name (e.g. ".../order-line.json"), or rename it to start with a letter.');
    else problem(source, `${c.files.join(', ')} would all be model "${c.name}".`, 'Give the files $ids that end differently, or import them separately with `metarepo model add <name> --from <file>`.');
  }
  const existingIds = registry.list().filter((r) => r.id !== undefined);
  const seenIds = new Map<string, string>();
  parsed.forEach((p, i) => {
    const name = naming.names[i]!;
    const versions = name ? registry.versions(name) : [];
    if (versions.length > 0) {
      problem(p.source, `Model "${name}" already exists (versions ${versions.join(', ')}).`, `Run \`metarepo model bump ${name}\` to add a new version, or choose another name.`);
    }
    const id = rootId(p.schema, p.draft);
    if (id === undefined) return;
    const at = p.json.locate(`/${idKeyword(p.draft)}`);
    const clash = existingIds.find((r) => sameId(r.id!, id));
    if (clash) {
      problem(p.source, `${p.source.display} has the $id "${id}" of model ${clash.name}@${clash.version}.`, `Give the new model its own $id, or add it as a version of ${clash.name} with \`metarepo model bump ${clash.name}\`.`, at);
    }
    const twin = seenIds.get(id.replace(/#$/, ''));
    if (twin) problem(p.source, `${p.source.display} has the $id "${id}" of ${twin}, which is imported too.`, 'Give each imported file its own $id, or leave one of them out.', at);
    seenIds.set(id.replace(/#$/, ''), p.source.display);
  });
  if (problems.length > 0) throw problemsError(problems);

  const existing = registry.list();
  const imported: Imported[] = parsed.map((p, i) => {
    const name = naming.names[i]!;
    const relFile = `${registry.modelsDir}/${name}/${ADDED_VERSION}${MODEL_FILE_SUFFIX}`;
    const base = { name, version: ADDED_VERSION, relFile: p.source.display, schema: p.schema, draft: p.draft, text: p.source.text, id: rootId(p.schema, p.draft) };
    return {
      source: p.source,
      json: p.json,
      before: { ...base, file: p.source.file },
      after: { ...base, file: path.resolve(registry.root, relFile), relFile },
      rewrites: [],
    };
  });
  const byBefore = new Map(imported.map((m) => [m.before, m]));
  const world = (records: ModelRecord[]): NormalizeContext & { problems: LocatedProblem[] } => ({
    index: new SchemaIndex([...existing, ...records]),
    locate: (record, pointer) => imported.find((m) => m.before === record || m.after === record)?.json.locate(pointer) ?? registry.locate(record, pointer),
    cache: new Map(),
    problems: [],
  });

  // Where every reference leads now.
  const now = world(imported.map((m) => m.before));
  const missing: MissingRef[] = [];
  const leads = new Map<Imported, Array<{ site: RefSite; target: SchemaLocation; resource: SchemaLocation; uri: string }>>();
  for (const m of imported) {
    const list: Array<{ site: RefSite; target: SchemaLocation; resource: SchemaLocation; uri: string }> = [];
    for (const site of refSites(m.before, now.index)) {
      const target = resolveRef(site.ref, site.base, { record: m.before, pointer: site.pointer }, now);
      const failed = now.problems.pop();
      if (failed) {
        const { line = 1, column = 1 } = failed.location;
        missing.push({ file: m.source.display, line, column, pointer: site.pointer, ref: site.ref, message: failed.message });
        continue;
      }
      const found = refResource(site.ref, site.base, m.before, now.index)!;
      list.push({ site, target, resource: found.resource!, uri: found.uri });
      // A schema without $id that a path leads to gets one, so the reference can name it after the move.
      const targetFile = byBefore.get(found.resource!.record);
      if (found.uri.startsWith('file:') && targetFile && targetFile.after.id === undefined) {
        targetFile.after = assignId(targetFile.after);
      }
    }
    leads.set(m, list);
  }

  // Where they lead from the planned files; those that no longer lead to the same schema are rewritten.
  const then = world(imported.map((m) => m.after));
  const moved = (record: ModelRecord) => byBefore.get(record)?.after ?? record;
  for (const m of imported) {
    const sites = new Map(refSites(m.after, then.index).map((s) => [s.pointer, s]));
    for (const lead of leads.get(m)!) {
      const site = sites.get(lead.site.pointer)!;
      const target = resolveRef(site.ref, site.base, { record: m.after, pointer: site.pointer }, then);
      const failed = then.problems.pop();
      if (!failed && target.record === moved(lead.target.record) && target.pointer === lead.target.pointer) continue;
      const uri = then.index.outerBase(moved(lead.resource.record), `${lead.resource.pointer}/-`);
      const hash = site.ref.indexOf('#');
      const fragment = hash >= 0 ? site.ref.slice(hash) : '';
      // Within its own resource a reference needs no URI (and keeps none that `model bump` would leave behind).
      const to = uri === site.base ? fragment || '#' : uri.startsWith('file:') ? relativeFile(m.after.file, uri) + fragment : uri + fragment;
      m.rewrites.push({ pointer: site.pointer, from: site.ref, to });
    }
  }

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

/** The record with an assigned `$id` (see {@link ASSIGNED_ID_BASE}). */
function assignId(record: ModelRecord): ModelRecord {
  const id = `${ASSIGNED_ID_BASE}${record.name}/${ADDED_VERSION}`;
  return { ...record, schema: withId(record.schema, idKeyword(record.draft), id), id };
}

/** The path of the file at `uri` relative to the folder of `from`, `/`-separated. */
function relativeFile(from: string, uri: string): string {
  return path.relative(path.dirname(from), fileURLToPath(uri)).split(path.sep).join('/');
}

/** `$id`s compare equal regardless of an empty trailing fragment (`...schema#`). */
function sameId(a: string, b: string): boolean {
  return a.replace(/#$/, '') === b.replace(/#$/, '');
}
