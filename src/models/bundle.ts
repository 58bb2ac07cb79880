import { createHash } from 'node:crypto';
import semver from 'semver';
import { DEFINITION_CONTAINERS, isObjectSchema, isSchema } from './keywords.js';
import { ResolvedRef, locationKey, normalized, setOwn, type NormalizeContext } from './normalize.js';
import { joinPointer, parsePointer } from '../core/pointer.js';
import type { SchemaLocation } from './schema-index.js';
import type { ModelRecord } from './types.js';
import { MetarepoError } from '../core/errors.js';
import { problemsError, type LocatedProblem } from './validate.js';

/** A model bundled into one self-contained schema. */
export interface BundledModel {
  /**
   * The root schema with every referenced subschema under `definitions` (keys sorted) and every
   * `$ref` rewritten to `#/definitions/<name>` (or `#` for the root itself).
   */
  schema: Record<string, unknown>;
  /** Other models the root references, directly or transitively; sorted by name, then semver. */
  dependencies: ModelRecord[];
  /**
   * SHA-256 (hex) over name, version and the SHA-256 of the raw text of the root and every
   * dependency: the identity of the bundle's inputs.
   */
  hash: string;
}

/** What {@link bundleModel} needs from the registry, and the caches it fills (one per registry). */
export interface BundleContext extends NormalizeContext {
  /** SHA-256 digests of model files (of their bytes, i.e. of `text` encoded as UTF-8); filled here when missing. */
  digests: WeakMap<ModelRecord, string>;
}

/**
 * Turns a model into one self-contained, normalised schema for codegen libraries, which do not
 * resolve references reliably themselves.
 *
 * - Every subschema is normalised by {@link normalized} (which documents reference resolution and
 *   the keywords dropped); the root keeps its `$schema`, nothing else does.
 * - The root document's `definitions` and `$defs` all become output `definitions` under their own
 *   names; any other referenced subschema is added under its last pointer segment (the model name
 *   for a whole model), on a clash prefixed `<model>_` when it comes from another model, and then
 *   suffixed `_2`, `_3`... until unique; first come, first served, in document order. Names keep
 *   only `[A-Za-z0-9_.$-]`, so they need no escaping in a `$ref`.
 * - References are replaced, never expanded, so cycles (recursive schemas, models referencing each
 *   other) terminate; a reference to the root document becomes `#`.
 * The output never shares objects with the registry, so callers may mutate it.
 * @throws MetarepoError (exit 2) for `$ref`s that cannot be resolved inside the workspace: every one the bundle
 *   reaches, each located at its `$ref` (in `details`), so one run lists them all.
 */
export function bundleModel(root: ModelRecord, ctx: BundleContext): BundledModel {
  try {
    return new Bundler(root, ctx).run();
  } catch (e) {
    if (!(e instanceof MetarepoError)) throw e;
    // The common case stays fast: only a failed bundle is redone, collecting every problem, with a cache of its own
    // (what it normalises reads unresolved references as placeholders and must not be shared).
    const problems: LocatedProblem[] = [];
    new Bundler(root, { ...ctx, cache: new Map(), problems }).run();
    throw problems.length > 0 ? problemsError(problems) : e;
  }
}

class Bundler {
  /** Location key → definition name. */
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
    // The root model's own subschemas are normalised without the registry's cache (each is asked for once here, and
    // a cached copy of a big model would stay in memory); those of referenced models are shared by every bundle.
    const schema = this.copy(normalized({ record: this.root, pointer: '' }, this.ctx, false)) as Record<string, unknown>;
    // Definitions found while copying join the queue; each is copied once.
    for (let i = 0; i < this.pending.length; i++) {
      const next = this.pending[i]!;
      const definition = this.copy(normalized(next.location, this.ctx, next.location.record !== this.root));
      if (next.location.pointer === '' && isObjectSchema(definition)) delete definition.$schema;
      this.definitions.set(next.name, definition);
    }
    if (this.definitions.size > 0) {
      schema.definitions = Object.fromEntries([...this.definitions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    const dependencies = [...this.dependencies].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : semver.compare(a.version, b.version),
    );
    return { schema, dependencies, hash: this.inputHash([this.root, ...dependencies]) };
  }

  /**
   * A deep copy of a normalised schema with each {@link ResolvedRef} made a local reference. Recurses once per
   * nesting level (bounded by the registry's depth limit).
   */
  private copy(node: unknown): unknown {
    if (node === null || typeof node !== 'object') return node;
    if (node instanceof ResolvedRef) return this.refTo(node.target);
    if (Array.isArray(node)) {
      const list = new Array<unknown>(node.length);
      for (let i = 0; i < node.length; i++) list[i] = this.copy(node[i]);
      return list;
    }
    const out: Record<string, unknown> = {};
    for (const key in node) setOwn(out, key, this.copy((node as Record<string, unknown>)[key]));
    return out;
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
    const key = locationKey(target);
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
}

/** The readable name a referenced subschema would like: its last pointer segment. */
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
