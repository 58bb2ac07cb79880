import { MetarepoError } from '../core/errors.js';
import type { TextPosition } from '../core/json-positions.js';
import { DEFINITION_CONTAINERS, isObjectSchema, isSchema, keywordKind } from './keywords.js';
import { getAtPointer, joinPointer, parsePointer } from '../core/pointer.js';
import { applyId, duplicateIdError, idKeyword, withoutFragment, type SchemaIndex, type SchemaLocation } from './schema-index.js';
import type { ModelRecord } from './types.js';
import type { LocatedProblem } from './validate.js';

/** A resolved reference inside a normalised schema; a bundle turns it into a local `$ref`. */
export class ResolvedRef {
  constructor(readonly target: SchemaLocation) {}
}

/** What normalisation needs from the registry, and the cache it fills (one per registry). */
export interface NormalizeContext {
  index: SchemaIndex;
  /** Line and column of a JSON pointer in a model's file. */
  locate(record: ModelRecord, pointer: string): TextPosition;
  /** Normalised subschemas by {@link locationKey}. They depend only on the workspace (and `annotations`). */
  cache: Map<string, unknown>;
  /**
   * Keep sample data, comments and vendor extensions (`examples`, `example`, `$comment`, `x-*`), which codegen
   * does not want but a schema diff reports. Use a cache of its own.
   */
  annotations?: boolean;
  /**
   * Collect every reference that does not resolve here instead of throwing at the first (each is then read as a
   * reference to its own document's root). Use with a cache of its own: results made so are not for keeping.
   */
  problems?: LocatedProblem[];
}

const ANNOTATIONS = new Set(['examples', 'example', '$comment']);

/**
 * Keywords dropped from the output: sample data and comments (`examples`, `example`, `$comment`),
 * vendor extensions (`x-*`), identifiers that mean nothing once every reference is local (`$id`,
 * anchors), and `$schema` below a document's root. `title`, `description` and `default` are kept.
 */
const DROPPED = new Set(['examples', 'example', '$comment', '$id', '$anchor', '$dynamicAnchor']);

/** Reference keywords. `$dynamicRef` (2020-12) and `$recursiveRef` (2019-09) are resolved statically, like `$ref`. */
export const REF_KEYWORDS: ReadonlySet<string> = new Set(['$ref', '$dynamicRef', '$recursiveRef']);

/** Identity of a subschema: `<absolute file>#<JSON pointer>`. */
export function locationKey(location: SchemaLocation): string {
  return `${location.record.file}#${location.pointer}`;
}

/**
 * The subschema at `location`, normalised for codegen (cached in `ctx.cache`):
 * - keyword-aware: keys under `properties`, `definitions`, `patternProperties`, `dependencies`...
 *   are names; `enum`, `const`, `default` and unknown keywords are data, kept as they are (shared
 *   with the source document: callers copy before handing out);
 * - `$ref` and `$dynamicRef` become `$ref` holding a {@link ResolvedRef};
 * - `definitions` / `$defs` are left out (a bundle adds what is referenced), as are the keywords in
 *   {@link DROPPED}, `x-*`, and `$schema` anywhere but at the document root.
 *
 * References resolve offline against the base URI in effect (RFC 3986 through `URL`; an embedded
 * `$id` changes it for everything beneath): JSON pointers (with `~0`/`~1` and %-escapes),
 * plain-name anchors, `$id` URIs of any model, and relative file refs. A relative ref that misses
 * under an `$id` base is retried against the referring model's own file, so file refs keep working
 * in models that have an `$id`. `$dynamicRef` is read statically as a reference to the
 * `$dynamicAnchor` (or `$anchor`) of that name in the same resource; the dynamic-scope override of
 * 2020-12 §8.2.3.2 is not modelled, which is what codegen wants for e.g. OpenAPI 3.1's `#meta`.
 * @param cache - keep the result in `ctx.cache` (and use a cached one). A bundle passes false for its own
 *   model's subschemas, each of which it asks for once: holding them would only keep a copy of the model alive.
 * @throws MetarepoError (exit 2) for a reference that is not a URI, names no schema in the
 *   workspace, or whose pointer or anchor does not exist; located at the `$ref` in its model.
 */
export function normalized(location: SchemaLocation, ctx: NormalizeContext, cache = true): unknown {
  const key = cache ? locationKey(location) : '';
  let result = cache ? ctx.cache.get(key) : undefined;
  if (result === undefined) {
    const node = getAtPointer(location.record.schema, location.pointer);
    result = normalize(node, location, ctx.index.outerBase(location.record, location.pointer), ctx);
    if (cache) ctx.cache.set(key, result);
  }
  return result;
}

/** Definition containers as a set, for the per-keyword test. */
const CONTAINERS: ReadonlySet<string> = new Set(DEFINITION_CONTAINERS);

/**
 * Normalises one subschema and everything beneath it. Linear in its size: a JSON pointer is built only for
 * subschemas (not for every keyword), and only references look anything up. Recurses once per nesting level; the
 * registry bounds nesting (see `MAX_MODEL_DEPTH`).
 */
function normalize(node: unknown, at: SchemaLocation, outer: string, ctx: NormalizeContext): unknown {
  if (!isObjectSchema(node)) return node;
  const { record, pointer } = at;
  const base = applyId(node, record, outer);
  const id = idKeyword(record.draft);
  const annotations = ctx.annotations === true;
  const out: Record<string, unknown> = {};
  for (const keyword in node) {
    const value = node[keyword];
    if (keyword === '$schema') {
      if (pointer !== '') continue;
    } else if (keyword.startsWith('x-') || ANNOTATIONS.has(keyword)) {
      if (!annotations) continue;
    } else if (DROPPED.has(keyword) || keyword === id) {
      continue;
    }
    if (CONTAINERS.has(keyword)) continue;
    if (REF_KEYWORDS.has(keyword) && typeof value === 'string') {
      out.$ref = new ResolvedRef(resolveRef(value, base, { record, pointer: joinPointer(pointer, keyword) }, ctx));
      continue;
    }
    switch (keywordKind(keyword, value)) {
      case 'single':
        out[keyword] = normalize(value, { record, pointer: joinPointer(pointer, keyword) }, base, ctx);
        break;
      case 'array': {
        const here = joinPointer(pointer, keyword);
        const items = value as unknown[];
        const list = new Array<unknown>(items.length);
        for (let i = 0; i < items.length; i++) list[i] = normalize(items[i], { record, pointer: `${here}/${i}` }, base, ctx);
        out[keyword] = list;
        break;
      }
      case 'map': {
        const here = joinPointer(pointer, keyword);
        const entries = value as Record<string, unknown>;
        const map: Record<string, unknown> = {};
        for (const name in entries) setOwn(map, name, normalize(entries[name], { record, pointer: joinPointer(here, name) }, base, ctx));
        out[keyword] = map;
        break;
      }
      default:
        out[keyword] = value;
    }
  }
  return out;
}

/**
 * `target[key] = value` as an own data property, even for the key `__proto__` (a property may have that name), as
 * `Object.fromEntries` and `JSON.parse` create it.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** The schema resource a reference's URI (without fragment) names, as {@link refResource} finds it. */
export interface RefResource {
  /** The absolute URI the reference names, without fragment. */
  uri: string;
  /** The fragment, percent-decoded (`''` when there is none). */
  fragment: string;
  /** The resource with that URI, when there is one. */
  resource?: SchemaLocation;
  /** The declarations of that URI, when several models declare it (the reference is then ambiguous). */
  duplicate?: SchemaLocation[];
}

/**
 * The resource a reference names: `ref` resolved against `base` (the base URI in effect where it is written), and a
 * relative path that misses there retried against `record`'s own file (so file refs keep working under an `$id`).
 * @returns undefined when `ref` is not a URI reference.
 */
export function refResource(ref: string, base: string, record: ModelRecord, index: SchemaIndex): RefResource | undefined {
  const relativePath = !/^[a-z][a-z0-9+.-]*:/i.test(ref) && !ref.startsWith('#');
  const bases = relativePath ? [base, index.fileUri(record)] : [base];
  let found: RefResource | undefined;
  for (const b of bases) {
    let url: URL;
    try {
      url = new URL(ref, b);
      found = { uri: withoutFragment(url), fragment: decodeURIComponent(url.hash.slice(1)) };
    } catch {
      continue;
    }
    found.resource = index.resource(found.uri, record);
    if (found.resource) return found;
    found.duplicate = index.duplicate(found.uri);
    if (found.duplicate) return found;
  }
  return found;
}

/**
 * Where `ref` (written at `at`, the pointer of the `$ref` keyword) leads.
 * @throws MetarepoError when it leads nowhere in the workspace (with `ctx.problems`: records the problem and returns
 *   `at`'s document root instead).
 */
export function resolveRef(ref: string, base: string, at: SchemaLocation, ctx: NormalizeContext): SchemaLocation {
  const fail = (reason: string, hint: string, message = `Cannot resolve $ref "${ref}" in ${at.record.relFile}: ${reason}.`): SchemaLocation => {
    const { line, column } = ctx.locate(at.record, at.pointer);
    const location = { file: at.record.file, line, column };
    const fullHint = `${hint} metarepo resolves references offline and never fetches schemas from the network.`;
    if (!ctx.problems) throw new MetarepoError(message, { location, hint: fullHint });
    ctx.problems.push({ message, hint: fullHint, location, displayFile: at.record.relFile });
    return { record: at.record, pointer: '' };
  };
  const found = refResource(ref, base, at.record, ctx.index);
  if (found?.duplicate) {
    // A reference to an $id that several models declare is ambiguous: it fails, naming them all.
    const error = duplicateIdError({ uri: found.uri, locations: found.duplicate });
    return fail('', error.hint ?? '', `Cannot resolve $ref "${ref}" in ${at.record.relFile}: ${error.message}`);
  }
  if (!found) {
    return fail('it is not a valid URI reference', 'Write a JSON pointer ("#/definitions/x"), a relative file or an $id URI.');
  }
  const { uri, fragment, resource } = found;
  if (!resource) {
    return uri.startsWith('file:')
      ? fail(
          'the file it names is not a model in the workspace',
          'Point at another model file, e.g. "../other/1.0.0.schema.json#/definitions/x", relative to this model.',
        )
      : fail(`no model in the workspace has $id "${uri}"`, 'Add the schema as a model with that $id, or fix the URI.');
  }
  if (fragment === '') return resource;
  if (fragment.startsWith('/')) {
    const pointer = joinPointer(resource.pointer, ...parsePointer(fragment));
    if (!isSchema(getAtPointer(resource.record.schema, pointer))) {
      return fail(
        `${resource.record.relFile} has no schema at "${pointer}"`,
        'Check the JSON pointer after "#": keys are case-sensitive, "~1" stands for "/" and "~0" for "~".',
      );
    }
    return { record: resource.record, pointer };
  }
  return (
    ctx.index.anchor(uri, fragment) ??
    fail(
      `${resource.record.relFile} declares no anchor "${fragment}"`,
      'Add "$anchor" (or "$dynamicAnchor") with that name to the target schema, or use a JSON pointer.',
    )
  );
}
