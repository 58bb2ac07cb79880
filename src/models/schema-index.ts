import { pathToFileURL } from 'node:url';
import { MetarepoError } from '../core/errors.js';
import { isObjectSchema, isSchema, keywordKind } from './keywords.js';
import { joinPointer } from '../core/pointer.js';
import { builtinMetaSchemaFor } from './builtin-meta.js';
import type { Draft } from './meta-schema.js';
import type { ModelRecord } from './types.js';

/** A subschema inside a model: the model and the JSON pointer of the subschema in its document. */
export interface SchemaLocation {
  record: ModelRecord;
  pointer: string;
}

interface Resource {
  pointer: string;
  uri: string;
}

/** An `$id` that schemas of different models declare: where each declares it. */
export interface DuplicateId {
  uri: string;
  locations: SchemaLocation[];
}

/**
 * Every URI by which a `$ref` can reach a schema in the workspace, without the network: each model's
 * file URL, its `$id`, every embedded `$id` (a subschema with its own `$id` is a new resource and the
 * base URI beneath it), and plain-name anchors (`$anchor`, `$dynamicAnchor`, and draft-04..07
 * `$id: "#name"`). Base URI resolution follows RFC 3986 through WHATWG `URL`, as JSON Schema Core
 * (2020-12 §8.2) prescribes.
 *
 * Scope of an `$id`: a reference resolves first among the resources of the document it is written in, then among
 * the whole workspace's, then among the official meta-schemas (see {@link builtinMetaSchemaFor}), so
 * - versions of one model may embed subschemas with the same `$id` (specs embed the draft-07 meta-schema that way):
 *   each version resolves its own, and a reference from elsewhere reaches the newest version's;
 * - two different models declaring one `$id` are a {@link DuplicateId}: the index keeps working, and only the models
 *   involved (and references to that `$id`) fail, see {@link SchemaIndex.duplicates}.
 */
export class SchemaIndex {
  private readonly resources = new Map<string, SchemaLocation>();
  /** Each record's own resources (its file URL, its `$id`, its embedded `$id`s). */
  private readonly own = new Map<ModelRecord, Map<string, SchemaLocation>>();
  private readonly clashes = new Map<string, SchemaLocation[]>();
  private readonly anchors = new Map<string, SchemaLocation>();
  private readonly scopes = new Map<ModelRecord, Resource[]>();
  private readonly fileUris = new Map<ModelRecord, string>();

  /** Indexes every schema of every record (records sorted by name, then version: a later version wins a shared `$id`). */
  constructor(records: readonly ModelRecord[]) {
    for (const record of records) this.index(record);
  }

  private index(record: ModelRecord): void {
    const fileUri = pathToFileURL(record.file).href;
    this.fileUris.set(record, fileUri);
    this.scopes.set(record, []);
    this.own.set(record, new Map());
    this.addResource(fileUri, { record, pointer: '' });
    this.walk(record, record.schema, '', fileUri);
  }

  /** Every `$id` that schemas of different models declare, sorted by URI; each with its locations in load order. */
  duplicates(): DuplicateId[] {
    return [...this.clashes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([uri, locations]) => ({ uri, locations }));
  }

  /** The locations declaring `uri` when more than one model does (see {@link duplicates}), else undefined. */
  duplicate(uri: string): SchemaLocation[] | undefined {
    return this.clashes.get(uri);
  }

  /** The `file:` URL of a model's file: the base URI of its document before any `$id`. */
  fileUri(record: ModelRecord): string {
    return this.fileUris.get(record)!;
  }

  /**
   * The schema resource with this absolute URI (no fragment): one of `from`'s own first, then the workspace's (none
   * for a {@link duplicate}), then an official meta-schema's.
   */
  resource(uri: string, from?: ModelRecord): SchemaLocation | undefined {
    const local = from ? this.own.get(from)?.get(uri) : undefined;
    if (local) return local;
    if (this.clashes.has(uri)) return undefined;
    return this.resources.get(uri) ?? this.builtin(uri);
  }

  /** Indexes the meta-schema documents of the draft `uri` names, on first use; workspace models keep their `$id`s. */
  private builtin(uri: string): SchemaLocation | undefined {
    const records = builtinMetaSchemaFor(uri);
    if (!records) return undefined;
    for (const record of records) {
      if (this.own.has(record)) continue;
      const before = new Map(this.resources);
      this.index(record);
      // A meta-schema never displaces a workspace schema, and never counts as a duplicate of one.
      for (const [u, loc] of before) this.resources.set(u, loc);
      for (const [u, locs] of this.clashes) {
        const rest = locs.filter((l) => l.record !== record);
        if (rest.length > 1) this.clashes.set(u, rest);
        else this.clashes.delete(u);
      }
      // Old drafts' ids are http URIs that people also write with https (and the reverse).
      const root = withoutFragment(new URL(record.id ?? '', 'file:///'));
      const twin = root.startsWith('https:') ? `http:${root.slice(6)}` : root.startsWith('http:') ? `https:${root.slice(5)}` : undefined;
      if (twin && !this.resources.has(twin)) this.resources.set(twin, { record, pointer: '' });
    }
    return this.resources.get(uri);
  }

  /** The subschema carrying plain-name anchor `name` inside the resource `uri`. */
  anchor(uri: string, name: string): SchemaLocation | undefined {
    return this.anchors.get(`${uri}#${name}`);
  }

  /**
   * The base URI in effect around the subschema at `pointer`, i.e. from its enclosing resources only
   * (its own `$id`, if any, still has to be applied).
   */
  outerBase(record: ModelRecord, pointer: string): string {
    let best: Resource | undefined;
    for (const r of this.scopes.get(record)!) {
      if (pointer.startsWith(r.pointer + '/') && (!best || r.pointer.length > best.pointer.length)) best = r;
    }
    return best?.uri ?? this.fileUri(record);
  }

  /**
   * Indexes `schema` and every subschema beneath it. Recurses once per nesting level (the registry bounds nesting,
   * see `MAX_MODEL_DEPTH`); builds a JSON pointer per subschema, and looks further only at schemas with an id or an
   * anchor.
   */
  private walk(record: ModelRecord, schema: unknown, pointer: string, outer: string): void {
    if (!isObjectSchema(schema)) return;
    const base = applyId(schema, record, outer);
    if (base !== outer || pointer === '') {
      this.scopes.get(record)!.push({ pointer, uri: base });
      this.addResource(base, { record, pointer });
    }
    for (const name of anchorNames(schema, record, outer)) {
      if (!this.anchors.has(`${base}#${name}`)) this.anchors.set(`${base}#${name}`, { record, pointer });
    }
    for (const keyword in schema) {
      const value = schema[keyword];
      const kind = keywordKind(keyword, value);
      if (kind === 'none') continue;
      const here = joinPointer(pointer, keyword);
      if (kind === 'single') this.walk(record, value, here, base);
      else if (kind === 'array') (value as unknown[]).forEach((v, i) => isSchema(v) && this.walk(record, v, `${here}/${i}`, base));
      else for (const name in value as Record<string, unknown>) this.walk(record, (value as Record<string, unknown>)[name], joinPointer(here, name), base);
    }
  }

  private addResource(uri: string, location: SchemaLocation): void {
    const own = this.own.get(location.record)!;
    if (!own.has(uri)) own.set(uri, location);
    const existing = this.resources.get(uri);
    if (!existing || (existing.record === location.record && existing.pointer === location.pointer)) {
      this.resources.set(uri, location);
      return;
    }
    if (existing.record.name === location.record.name && existing.pointer !== '' && location.pointer !== '') {
      this.resources.set(uri, location); // versions of one model embedding one $id: the newer version's, from outside
      return;
    }
    const clash = this.clashes.get(uri) ?? [existing];
    if (!clash.some((l) => l.record === location.record && l.pointer === location.pointer)) clash.push(location);
    this.clashes.set(uri, clash);
  }
}

/** The `$id` keyword of a draft: draft-04 spells it `id`. */
export function idKeyword(draft: Draft): '$id' | 'id' {
  return draft === 'draft-04' ? 'id' : '$id';
}

/**
 * The base URI of `schema` given the base around it: its `$id` resolved against `outer`, without
 * fragment. Unparseable ids are ignored (the meta-schema has already reported them), and so is an `$id` beside a
 * `$ref` in drafts 04–07, where `$ref` makes every sibling keyword ignored (draft-07 Core §8.3).
 */
export function applyId(schema: Record<string, unknown>, record: ModelRecord, outer: string): string {
  const id = declaredId(schema, record.draft);
  if (typeof id !== 'string') return outer;
  try {
    return withoutFragment(new URL(id, outer));
  } catch {
    return outer;
  }
}

/** The plain-name anchors a schema declares. */
function anchorNames(schema: Record<string, unknown>, record: ModelRecord, outer: string): string[] {
  const names: string[] = [];
  for (const keyword of ['$anchor', '$dynamicAnchor']) {
    if (typeof schema[keyword] === 'string') names.push(schema[keyword] as string);
  }
  const id = declaredId(schema, record.draft);
  if (record.draft !== '2020-12' && record.draft !== '2019-09' && typeof id === 'string' && id.includes('#')) {
    try {
      const fragment = decodeURIComponent(new URL(id, outer).hash.slice(1));
      if (fragment && !fragment.startsWith('/')) names.push(fragment);
    } catch {
      // an unparseable id declares nothing
    }
  }
  return names;
}

/** The `$id` (`id`) a schema declares, as its draft reads it: none beside a `$ref` before 2019-09. */
function declaredId(schema: Record<string, unknown>, draft: Draft): unknown {
  if (typeof schema.$ref === 'string' && draft !== '2019-09' && draft !== '2020-12') return undefined;
  return schema[idKeyword(draft)];
}

/** `url` as a string without its fragment. */
export function withoutFragment(url: URL): string {
  const copy = new URL(url.href);
  copy.hash = '';
  return copy.href;
}

/** Where a schema is, for messages: `models/a/1.0.0.schema.json` or `models/a/1.0.0.schema.json#/definitions/x`. */
export function describeLocation(loc: SchemaLocation): string {
  return loc.pointer ? `${loc.record.relFile}#${loc.pointer}` : loc.record.relFile;
}

/** The error of a model (or a reference) involved in a duplicate `$id`: every declaration of it. */
export function duplicateIdError(duplicate: DuplicateId): MetarepoError {
  const [first] = duplicate.locations;
  return new MetarepoError(`Several schemas declare the same $id "${duplicate.uri}": ${duplicate.locations.map(describeLocation).join(', ')}.`, {
    location: { file: first!.record.file },
    hint: 'Give each model (and each embedded schema with an $id) a unique $id.',
  });
}
