import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JsonWithPositions } from '../../core/json-positions.js';
import { refResource, resolveRef, type NormalizeContext } from '../normalize.js';
import type { ModelRegistry } from '../registry.js';
import { SchemaIndex, idKeyword, type SchemaLocation } from '../schema-index.js';
import type { ModelRecord } from '../types.js';
import type { LocatedProblem } from '../validate.js';
import { refSites, type RefSite } from './refs.js';
import { withId, type RefRewrite } from './rewrite.js';
import type { ImportSource } from './sources.js';

/**
 * The base of the `$id`s given to imported files that have none and that other files refer to by path:
 * `https://metarepo.local/models/<name>/<version>` (a version segment, so `model bump` moves it to the new version).
 */
export const ASSIGNED_ID_BASE = 'https://metarepo.local/models/';

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

/** One imported file: where it is (`before`) and the model it becomes (`after`, `relFile` its new path). */
export interface ImportedFile {
  source: ImportSource;
  json: JsonWithPositions;
  before: ModelRecord;
  after: ModelRecord;
  /** Filled by {@link wireReferences}. */
  rewrites: RefRewrite[];
}

interface Lead {
  site: RefSite;
  target: SchemaLocation;
  /** The schema resource the reference's URI names (the target is in it, at the fragment). */
  resource: SchemaLocation;
}

/**
 * Makes every reference of the imported files lead, after the move, where it leads now. Each reference is resolved
 * as the registry resolves it (`resolveRef`, offline) among the files where they are plus the workspace's models.
 * A file without `$id` that a reference reaches through a `file:` URI gets one (`after` is replaced, see
 * {@link ASSIGNED_ID_BASE}). Then each is resolved again from the planned files; one that no longer leads to the same
 * schema gets a rewrite in `rewrites`: the URI of the resource it named (its `$id`; its path from the new file when
 * it has none; nothing within its own resource) plus the fragment as written.
 * @returns the references that lead nowhere now (kept as written), located in their source file.
 */
export function wireReferences(registry: ModelRegistry, imported: ImportedFile[]): MissingRef[] {
  const existing = registry.list();
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
  const leads = new Map<ImportedFile, Lead[]>();
  for (const m of imported) {
    const list: Lead[] = [];
    for (const site of refSites(m.before, now.index)) {
      const target = resolveRef(site.ref, site.base, { record: m.before, pointer: site.pointer }, now);
      const failed = now.problems.pop();
      if (failed) {
        const { line = 1, column = 1 } = failed.location;
        missing.push({ file: m.source.display, line, column, pointer: site.pointer, ref: site.ref, message: failed.message });
        continue;
      }
      const found = refResource(site.ref, site.base, m.before, now.index)!;
      list.push({ site, target, resource: found.resource! });
      // A schema without $id that a path from another file leads to gets one, so the reference can name it after the
      // move (a reference into its own document becomes a plain fragment and needs none).
      const targetFile = byBefore.get(found.resource!.record);
      if (found.uri.startsWith('file:') && targetFile && targetFile !== m && targetFile.after.id === undefined) targetFile.after = assignId(targetFile.after);
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
  return missing;
}

/** The record with an assigned `$id` (see {@link ASSIGNED_ID_BASE}). */
function assignId(record: ModelRecord): ModelRecord {
  const id = `${ASSIGNED_ID_BASE}${record.name}/${record.version}`;
  return { ...record, schema: withId(record.schema, idKeyword(record.draft), id), id };
}

/** The path of the file at `uri` relative to the folder of `from`, `/`-separated. */
function relativeFile(from: string, uri: string): string {
  return path.relative(path.dirname(from), fileURLToPath(uri)).split(path.sep).join('/');
}
