import { createHash } from 'node:crypto';
import semver from 'semver';
import { MetarepoError } from '../errors.js';
import type { TextPosition } from './json-positions.js';
import { DEFINITION_CONTAINERS, isObjectSchema, isSchema, keywordKind } from './keywords.js';
import { getAtPointer, joinPointer, parsePointer } from './pointer.js';
import { applyId, idKeyword, withoutFragment, type SchemaIndex, type SchemaLocation } from './schema-index.js';
import type { ModelRecord } from './types.js';

/** A model bundled into one self-contained schema. */
export interface BundledModel {
  /**
   * The root schema with every referenced subschema under `definitions` (keys sorted) and every
   * `$ref` rewritten to `#/definitions/<name>` (or `#` for the root itself).
   */
  schema: Record<string, unknown>;
  /** Other models the root references, directly or transitively; sorted by name, then semver. */
  dependencies: ModelRecord[];
  /** SHA-256 (hex) of name, version and raw text of the root and every dependency: the inputs' identity. */
  hash: string;
}

/** What {@link bundleModel} needs from the registry. */
export interface BundleContext {
  index: SchemaIndex;
  /** Line and column of a JSON pointer in a model's file. */
  locate(record: ModelRecord, pointer: string): TextPosition;
  /**
   * Resolved references, kept across bundles of the same registry: key `<file>#<pointer of the
   * $ref>`. Resolution depends only on the workspace, so sharing it is safe.
   */
  resolved: Map<string, SchemaLocation>;
  /** SHA-256 digests of model texts, kept across bundles of the same registry. */
  digests: WeakMap<ModelRecord, string>;
}

/**
 * Keywords dropped from the output: sample data and comments (`examples`, `example`, `$comment`),
 * vendor extensions (`x-*`), and identifiers that mean nothing once every reference is local
 * (`$id`, anchors, `$schema` below the root). `title`, `description` and `default` are kept.
 */
const DROPPED = new Set(['examples', 'example', '$comment', '$id', '$anchor', '$dynamicAnchor', '$schema']);

/** Reference keywords. `$dynamicRef` is resolved statically, like `$ref` (see {@link bundleModel}). */
const REFS = new Set(['$ref', '$dynamicRef']);

/**
 * Turns a model into one self-contained, normalised schema for codegen libraries.
 *
 * - Every `$ref` is resolved offline against the base URI in effect (RFC 3986 via `URL`; embedded
 *   `$id`s change it): local JSON pointers (`#/definitions/x`, `#/$defs/x`, `~0`/`~1` and
 *   %-escapes), plain-name anchors, `$id` URIs of any model in the workspace, and relative file refs
 *   (`../other/1.0.0.schema.json#/definitions/x`). A relative ref that misses under an `$id` base
 *   is retried against the referring model's own file, so file refs work in models that have an `$id`.
 * - `$dynamicRef` is treated as a `$ref` to the `$dynamicAnchor` (or `$anchor`) of that name in the
 *   same resource. This is the static reading; dynamic-scope overriding (2020-12 §8.2.3.2) is not
 *   modelled, which is what codegen wants for schemas like OpenAPI 3.1's `#meta`.
 * - The root document's `definitions` and `$defs` all become output `definitions` under their own
 *   names; any other referenced subschema is added under its last pointer segment (the model name
 *   for a whole model), on a clash prefixed `<model>_` when it comes from another model, and then
 *   suffixed `_2`, `_3`... until unique; first come, first served, in document order. Names
 *   keep only `[A-Za-z0-9_.$-]`. References are replaced, never expanded, so cycles terminate.
 * - Keyword-aware: keys under `properties`, `definitions`, `patternProperties`, `dependencies`...
 *   are names; `enum`, `const`, `default` and unknown keywords are copied as data, untouched.
 *   See {@link DROPPED} for what is removed.
 * The output never shares objects with `root.schema`.
 * @throws MetarepoError (exit 2) for a `$ref` that is not a URI, names no schema in the workspace,
 *   or whose pointer or anchor does not exist; located at the `$ref` in the referring model.
 */
export function bundleModel(root: ModelRecord, ctx: BundleContext): BundledModel {
  return new Bundler(root, ctx).run();
}

class Bundler {
  /** Location key (`file#pointer`) → definition name. */
  private readonly names = new Map<string, string>();
  private readonly taken = new Set<string>();
  private readonly pending: Array<{ location: SchemaLocation; name: string }> = [];
  private readonly definitions = new Map<string, unknown>();
  private readonly dependencies = new Set<ModelRecord>();

  constructor(
    private readonly root: ModelRecord,
    private readonly ctx: BundleContext,
  ) {}

  run(): BundledModel {
    for (const container of DEFINITION_CONTAINERS) {
      const defs = this.root.schema[container];
      if (!isObjectSchema(defs)) continue;
      for (const [name, sub] of Object.entries(defs)) {
        if (isSchema(sub)) this.nameOf({ record: this.root, pointer: joinPointer('', container, name) }, name);
      }
    }
    const schema = this.transform(this.root.schema, { record: this.root, pointer: '' }, this.ctx.index.fileUri(this.root));
    for (let next = this.pending.shift(); next; next = this.pending.shift()) {
      const { location, name } = next;
      const sub = getAtPointer(location.record.schema, location.pointer);
      this.definitions.set(name, this.transform(sub, location, this.ctx.index.outerBase(location.record, location.pointer)));
    }
    if (this.definitions.size > 0) {
      (schema as Record<string, unknown>).definitions = Object.fromEntries(
        [...this.definitions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      );
    }
    const dependencies = [...this.dependencies].sort(
      (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : semver.compare(a.version, b.version)),
    );
    return { schema: schema as Record<string, unknown>, dependencies, hash: this.inputHash([this.root, ...dependencies]) };
  }

  /** A normalised copy of the subschema `node` found at `at`; `outer` is the base URI around it. */
  private transform(node: unknown, at: SchemaLocation, outer: string): unknown {
    if (!isObjectSchema(node)) return node;
    const base = applyId(node, at.record, outer);
    const isRoot = at.record === this.root && at.pointer === '';
    const out: Record<string, unknown> = {};
    for (const [keyword, value] of Object.entries(node)) {
      if (isRoot && keyword === '$schema') {
        out[keyword] = value; // the root keeps its dialect
        continue;
      }
      if (DROPPED.has(keyword) || keyword.startsWith('x-') || keyword === idKeyword(at.record.draft)) continue;
      if ((DEFINITION_CONTAINERS as readonly string[]).includes(keyword)) continue; // hoisted on demand
      const here = joinPointer(at.pointer, keyword);
      if (REFS.has(keyword) && typeof value === 'string') {
        const site = `${at.record.file}#${here}`;
        let target = this.ctx.resolved.get(site);
        if (!target) {
          target = this.resolve(value, base, { record: at.record, pointer: here });
          this.ctx.resolved.set(site, target);
        }
        out.$ref = this.refTo(target);
        continue;
      }
      const child = (sub: unknown, ...segments: string[]): unknown =>
        this.transform(sub, { record: at.record, pointer: joinPointer(here, ...segments) }, base);
      switch (keywordKind(keyword, value)) {
        case 'single':
          out[keyword] = child(value);
          break;
        case 'array':
          out[keyword] = (value as unknown[]).map((v, i) => child(v, String(i)));
          break;
        case 'map':
          out[keyword] = Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, child(v, k)]));
          break;
        default:
          out[keyword] = typeof value === 'object' && value !== null ? cloneJson(value) : value;
      }
    }
    return out;
  }

  /** SHA-256 over each record's name, version and text digest, in the given order. */
  private inputHash(records: ModelRecord[]): string {
    const hash = createHash('sha256');
    for (const r of records) {
      let digest = this.ctx.digests.get(r);
      if (!digest) {
        digest = createHash('sha256').update(r.text).digest('hex');
        this.ctx.digests.set(r, digest);
      }
      hash.update(`${r.name}@${r.version} ${digest}\n`);
    }
    return hash.digest('hex');
  }

  /** The local reference that replaces a reference to `target`. */
  private refTo(target: SchemaLocation): string {
    if (target.record === this.root && target.pointer === '') return '#';
    if (target.record !== this.root) this.dependencies.add(target.record);
    return `#/definitions/${this.nameOf(target)}`;
  }

  /**
   * The definition name of `target`, assigning a fresh one (and queueing it) on first sight.
   * @param candidate - the preferred name; by default the target's {@link candidateName}.
   */
  private nameOf(target: SchemaLocation, candidate?: string): string {
    const key = `${target.record.file}#${target.pointer}`;
    const known = this.names.get(key);
    if (known) return known;
    const plain = sanitise(candidate ?? candidateName(target));
    // A clash with another model's name gets that model's prefix; a clash inside the root a number.
    let name = this.taken.has(plain) && target.record !== this.root ? `${sanitise(target.record.name)}_${plain}` : plain;
    for (let n = 2; this.taken.has(name); n++) name = `${plain}_${n}`;
    this.names.set(key, name);
    this.taken.add(name);
    this.pending.push({ location: target, name });
    return name;
  }

  /**
   * Where `ref` (found at `at`, a pointer to the `$ref` keyword) leads.
   * @throws MetarepoError when it leads nowhere in the workspace.
   */
  private resolve(ref: string, base: string, at: SchemaLocation): SchemaLocation {
    const fail = (reason: string, hint: string): never => {
      const { line, column } = this.ctx.locate(at.record, at.pointer);
      throw new MetarepoError(`Cannot resolve $ref "${ref}" in ${at.record.relFile}: ${reason}.`, {
        location: { file: at.record.file, line, column },
        hint: `${hint} metarepo resolves references offline and never fetches schemas from the network.`,
      });
    };
    // A relative file ref that misses under an `$id` base is retried against the model's own file.
    const bases = /^[a-z][a-z0-9+.-]*:/i.test(ref) || ref.startsWith('#') ? [base] : [base, this.ctx.index.fileUri(at.record)];
    let found: { uri: string; fragment: string; resource?: SchemaLocation } | undefined;
    for (const b of bases) {
      try {
        const url = new URL(ref, b);
        const uri = withoutFragment(url);
        found = { uri, fragment: decodeURIComponent(url.hash.slice(1)), resource: this.ctx.index.resource(uri) };
      } catch {
        continue;
      }
      if (found.resource) break;
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
        fail(
          `${resource.record.relFile} has no schema at "${pointer}"`,
          'Check the JSON pointer after "#": keys are case-sensitive, "~1" stands for "/" and "~0" for "~".',
        );
      }
      return { record: resource.record, pointer };
    }
    return (
      this.ctx.index.anchor(uri, fragment) ??
      fail(
        `${resource.record.relFile} declares no anchor "${fragment}"`,
        'Add "$anchor" (or "$dynamicAnchor") with that name to the target schema, or use a JSON pointer.',
      )
    );
  }
}

/** The readable name a referenced subschema would like: its last meaningful pointer segment. */
function candidateName(target: SchemaLocation): string {
  const segments = parsePointer(target.pointer);
  const last = segments.at(-1);
  if (last === undefined) return target.record.name;
  return /^\d+$/.test(last) && segments.length > 1 ? `${segments.at(-2)}_${last}` : last;
}

/** Keeps definition names safe inside a `$ref` without escaping (no `/`, `~`, `%`, `#`, spaces). */
function sanitise(name: string): string {
  return name.replace(/[^A-Za-z0-9_.$-]/g, '_') || '_';
}

/** A deep copy of a JSON value (faster than structuredClone for the small values schemas hold). */
function cloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneJson(v)]));
}

