import { pathToFileURL } from 'node:url';
import { MetarepoError } from '../core/errors.js';
import { isObjectSchema, isSchema, keywordKind } from './keywords.js';
import { joinPointer } from '../core/pointer.js';
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

/**
 * Every URI by which a `$ref` can reach a schema in the workspace, without the network: each model's
 * file URL, its `$id`, every embedded `$id` (a subschema with its own `$id` is a new resource and the
 * base URI beneath it), and plain-name anchors (`$anchor`, `$dynamicAnchor`, and draft-04..07
 * `$id: "#name"`). Base URI resolution follows RFC 3986 through WHATWG `URL`, as JSON Schema Core
 * (2020-12 §8.2) prescribes.
 */
export class SchemaIndex {
  private readonly resources = new Map<string, SchemaLocation>();
  private readonly anchors = new Map<string, SchemaLocation>();
  private readonly scopes = new Map<ModelRecord, Resource[]>();
  private readonly fileUris = new Map<ModelRecord, string>();

  /**
   * Indexes every schema of every record.
   * @throws MetarepoError (exit 2) when two schemas declare the same `$id`.
   */
  constructor(records: readonly ModelRecord[]) {
    for (const record of records) {
      const fileUri = pathToFileURL(record.file).href;
      this.fileUris.set(record, fileUri);
      this.scopes.set(record, []);
      this.addResource(fileUri, { record, pointer: '' });
      this.walk(record, record.schema, '', fileUri);
    }
  }

  /** The `file:` URL of a model's file: the base URI of its document before any `$id`. */
  fileUri(record: ModelRecord): string {
    return this.fileUris.get(record)!;
  }

  /** The schema resource with this absolute URI (no fragment). */
  resource(uri: string): SchemaLocation | undefined {
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
    const existing = this.resources.get(uri);
    if (existing && existing.record === location.record && existing.pointer === location.pointer) return;
    if (existing) {
      throw new MetarepoError(
        `Two schemas declare the same $id "${uri}": ${describe(existing)} and ${describe(location)}.`,
        {
          location: { file: location.record.file },
          hint: 'Give each model (and each embedded schema with an $id) a unique $id.',
        },
      );
    }
    this.resources.set(uri, location);
  }
}

/** The `$id` keyword of a draft: draft-04 spells it `id`. */
export function idKeyword(draft: Draft): '$id' | 'id' {
  return draft === 'draft-04' ? 'id' : '$id';
}

/**
 * The base URI of `schema` given the base around it: its `$id` resolved against `outer`, without
 * fragment. Unparseable ids are ignored (the meta-schema has already reported them).
 */
export function applyId(schema: Record<string, unknown>, record: ModelRecord, outer: string): string {
  const id = schema[idKeyword(record.draft)];
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
  const id = schema[idKeyword(record.draft)];
  if (record.draft !== '2020-12' && typeof id === 'string' && id.includes('#')) {
    try {
      const fragment = decodeURIComponent(new URL(id, outer).hash.slice(1));
      if (fragment && !fragment.startsWith('/')) names.push(fragment);
    } catch {
      // an unparseable id declares nothing
    }
  }
  return names;
}

/** `url` as a string without its fragment. */
export function withoutFragment(url: URL): string {
  const copy = new URL(url.href);
  copy.hash = '';
  return copy.href;
}

function describe(loc: SchemaLocation): string {
  return loc.pointer ? `${loc.record.relFile}#${loc.pointer}` : loc.record.relFile;
}
