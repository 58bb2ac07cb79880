import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { glob } from 'tinyglobby';
import { MetarepoError } from '../core/errors.js';
import { bundleModel, type BundledModel } from './bundle.js';
import type { JsonWithPositions, TextPosition } from '../core/json-positions.js';
import { SchemaIndex, duplicateIdError, idKeyword } from './schema-index.js';
import { problemsError, validateSchemaDocument, type LocatedProblem } from './validate.js';
import type { ModelRecord } from './types.js';

export type { ModelRecord } from './types.js';
export type { BundledModel } from './bundle.js';

/** Options of {@link ModelRegistry.bundle}. */
export interface BundleOptions {
  /** Keep `examples`, `example`, `$comment` and `x-*` (for diffs; codegen gets them dropped). */
  annotations?: boolean;
}

/** Model names: lowercase kebab-case, starting with a letter (`user`, `order-line`). */
export const MODEL_NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** The file suffix of a model version. */
export const MODEL_FILE_SUFFIX = '.schema.json';

/**
 * The working draft of a model: `models/<name>/draft.schema.json`, the next version being edited. It is not a
 * version (targets never resolve to it); `model diff` compares it with the newest version and `model bump`
 * releases it.
 */
export const DRAFT_VERSION = 'draft';

/**
 * The models of a workspace: every `<modelsDir>/<name>/<version>.schema.json`, parsed, checked
 * against its draft's meta-schema and indexed by name, version and `$id`. Immutable once loaded.
 */
export class ModelRegistry {
  private readonly byName = new Map<string, ModelRecord[]>();
  private readonly index: SchemaIndex;
  /** Normalised subschemas (of referenced models), shared by every bundle of this registry. */
  private readonly normalized = new Map<string, unknown>();
  private readonly annotated = new Map<string, unknown>();

  private constructor(
    /** Absolute path of the workspace root. */
    readonly root: string,
    /** Folder of the models relative to the root, `/`-separated (default `models`). */
    readonly modelsDir: string,
    private readonly records: ModelRecord[],
    private readonly positions: Map<ModelRecord, JsonWithPositions>,
    private readonly drafts: Map<string, ModelRecord>,
    /** SHA-256 (hex) of each model file's bytes, computed while loading (bundle hashes are made of them). */
    private readonly digests: WeakMap<ModelRecord, string>,
  ) {
    for (const r of records) {
      const list = this.byName.get(r.name) ?? [];
      list.push(r);
      this.byName.set(r.name, list);
    }
    this.index = new SchemaIndex(records);
  }

  /**
   * Loads every model of the workspace.
   * @param root - absolute path of the workspace root.
   * @param opts.modelsDir - folder of the models, relative to the root (default `models`).
   * @throws MetarepoError (exit 2) listing, in `details`, every problem in every model file: a file
   *   not at `<name>/<version>.schema.json`, a name that is not lowercase kebab-case, a version that
   *   is not semver, invalid JSON, an unsupported `$schema`, a meta-schema violation (each located
   *   at the offending keyword). Two models declaring one `$id` do not fail loading: see {@link duplicateIds}.
   */
  static async load(root: string, opts: { modelsDir?: string } = {}): Promise<ModelRegistry> {
    const modelsDir = path.posix.normalize((opts.modelsDir ?? 'models').replace(/\\/g, '/')).replace(/\/+$/, '');
    const dir = path.resolve(root, modelsDir);
    const files = (await glob(`**/*${MODEL_FILE_SUFFIX}`, { cwd: dir, onlyFiles: true })).sort();
    const problems: LocatedProblem[] = [];
    const loaded = files.map((f) => loadModelFile(root, modelsDir, f, problems));
    if (problems.length > 0) throw problemsError(problems);
    const records: ModelRecord[] = [];
    const drafts = new Map<string, ModelRecord>();
    const positions = new Map<ModelRecord, JsonWithPositions>();
    const digests = new WeakMap<ModelRecord, string>();
    for (const item of loaded) {
      if (!item) continue;
      if (item.record.version === DRAFT_VERSION) drafts.set(item.record.name, item.record);
      else records.push(item.record);
      positions.set(item.record, item.json);
      digests.set(item.record, item.digest);
    }
    records.sort(compareRecords);
    return new ModelRegistry(root, modelsDir, records, positions, drafts, digests);
  }

  /**
   * Every `$id` that schemas of different models declare (embedded `$id`s shared by versions of one model are not
   * duplicates: each version resolves its own), sorted by URI, with the files declaring each. Those models fail to
   * bundle; the rest of the workspace works.
   */
  duplicateIds(): Array<{ uri: string; files: string[] }> {
    return this.index.duplicates().map((d) => ({ uri: d.uri, files: [...new Set(d.locations.map((l) => l.record.relFile))] }));
  }

  /** The working draft of model `name` (`<name>/draft.schema.json`), if there is one. */
  draft(name: string): ModelRecord | undefined {
    return this.drafts.get(name);
  }

  /**
   * The draft of model `name` bundled as if it were released: it shadows any version with the same `$id`, so its
   * own references resolve inside the draft. See {@link ModelRegistry.bundle}.
   * @throws Error when there is no draft; MetarepoError (exit 2) for a `$ref` that cannot be resolved.
   */
  bundleDraft(name: string, opts: BundleOptions = {}): BundledModel {
    const draft = this.drafts.get(name);
    if (!draft) throw new Error(`model ${name} has no draft`);
    const others = this.records.filter((r) => !(draft.id !== undefined && r.id === draft.id));
    return bundleModel(draft, {
      index: new SchemaIndex([...others, draft]),
      locate: (r, pointer) => this.locate(r, pointer),
      cache: new Map(),
      digests: this.digests,
      annotations: opts.annotations,
    });
  }

  /** Every model version, sorted by name, then semver (ascending). */
  list(): ModelRecord[] {
    return [...this.records];
  }

  /** The versions of model `name`, ascending semver; empty when there is no such model. */
  versions(name: string): string[] {
    return (this.byName.get(name) ?? []).map((r) => r.version);
  }

  /** The model `name` at exactly `version`, or `undefined`. */
  get(name: string, version: string): ModelRecord | undefined {
    return this.byName.get(name)?.find((r) => r.version === version);
  }

  /**
   * The newest version matching a spec: `name` or `name@latest` (the newest release, or the newest
   * pre-release when there is no release), `name@<semver range>` (`user@^1.2`, `user@1.0.0`), as
   * `semver.maxSatisfying` picks it.
   * @throws MetarepoError (exit 2) for an unknown model (naming the models there are), a malformed
   *   range, or a range no version matches (naming the versions there are).
   */
  resolve(spec: string): ModelRecord {
    const at = spec.indexOf('@');
    const name = at < 0 ? spec : spec.slice(0, at);
    const range = at < 0 ? 'latest' : spec.slice(at + 1).trim();
    const versions = this.versions(name);
    if (versions.length === 0) {
      const known = [...this.byName.keys()];
      throw new MetarepoError(`Unknown model "${name}" (in "${spec}").`, {
        hint: known.length
          ? `Models in ${this.modelsDir}/: ${known.join(', ')}.`
          : `There are no models in ${this.modelsDir}/ yet; add one with \`metarepo model add\`.`,
      });
    }
    if (range !== 'latest' && (range === '' || semver.validRange(range) === null)) {
      throw new MetarepoError(`"${range}" in "${spec}" is not a semver range.`, {
        hint: `Write name@range, e.g. ${name}@^${versions.at(-1)}, ${name}@${versions.at(-1)} or ${name}@latest.`,
      });
    }
    const version =
      range === 'latest' ? (semver.maxSatisfying(versions, '*') ?? versions.at(-1)) : semver.maxSatisfying(versions, range);
    if (!version) {
      throw new MetarepoError(`No version of model "${name}" matches "${range}".`, {
        hint: `Available versions of ${name}: ${versions.join(', ')}.`,
      });
    }
    return this.get(name, version)!;
  }

  /**
   * The model bundled into one self-contained schema (see {@link bundleModel}). Computed afresh on
   * each call, so callers may mutate the result.
   * @throws MetarepoError (exit 2) for a `$ref` that cannot be resolved inside the workspace, or a model that
   *   declares an `$id` another model declares too; Error when `record` comes from another registry.
   */
  bundle(record: ModelRecord, opts: BundleOptions = {}): BundledModel {
    if (!this.positions.has(record)) throw new Error(`${record.relFile} is not a record of this registry`);
    const duplicate = this.index.duplicates().find((d) => d.locations.some((l) => l.record === record));
    if (duplicate) throw duplicateIdError(duplicate);
    return bundleModel(record, {
      index: this.index,
      locate: (r, pointer) => this.locate(r, pointer),
      cache: opts.annotations ? this.annotated : this.normalized,
      digests: this.digests,
      annotations: opts.annotations,
    });
  }

  /** Line and column of a JSON pointer in a model's file (nearest existing parent when absent). */
  locate(record: ModelRecord, pointer: string): TextPosition {
    return this.positions.get(record)?.locate(pointer) ?? { line: 1, column: 1 };
  }
}

/** Reads and checks one file; records problems and returns nothing when it is invalid. */
function loadModelFile(
  root: string,
  modelsDir: string,
  relToModels: string,
  problems: LocatedProblem[],
): { record: ModelRecord; json: JsonWithPositions; digest: string } | undefined {
  const relFile = path.posix.join(modelsDir, relToModels);
  const file = path.resolve(root, relFile);
  const parts = relToModels.split('/');
  const problem = (message: string, hint: string, pos?: TextPosition): undefined => {
    problems.push({ message, hint, displayFile: relFile, location: { file, line: pos?.line, column: pos?.column } });
    return undefined;
  };
  if (parts.length !== 2) {
    return problem(
      `${relFile} is not at ${modelsDir}/<name>/<version>${MODEL_FILE_SUFFIX}.`,
      `Move it to ${modelsDir}/<name>/<version>${MODEL_FILE_SUFFIX}, e.g. ${modelsDir}/user/1.0.0${MODEL_FILE_SUFFIX}.`,
    );
  }
  const [name, fileName] = parts as [string, string];
  const version = fileName.slice(0, -MODEL_FILE_SUFFIX.length);
  if (!MODEL_NAME_PATTERN.test(name)) {
    problem(
      `Model name "${name}" (${relFile}) is not lowercase kebab-case.`,
      `Rename the folder, e.g. "${name.replace(/[^A-Za-z0-9]+/g, '-').replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}".`,
    );
  }
  if (version !== DRAFT_VERSION && semver.valid(version) !== version) {
    problem(
      `Model version "${version}" (${relFile}) is not a semver version.`,
      `Name the file <major>.<minor>.<patch>${MODEL_FILE_SUFFIX}, e.g. 1.0.0${MODEL_FILE_SUFFIX}, or ${DRAFT_VERSION}${MODEL_FILE_SUFFIX} for the working draft.`,
    );
  }
  // Small files: a sync read is several times faster than fs/promises. Big ones: bytes decoded in one go and hashed
  // as bytes are several times faster than a 'utf8' read and hashing the string (which encodes it again).
  const bytes = readFileSync(file);
  const text = bytes.toString('utf8');
  const checked = validateSchemaDocument(text, relFile);
  if ('problems' in checked) {
    for (const p of checked.problems) problem(p.message, p.hint, p.position);
    return undefined;
  }
  if (problems.some((p) => p.displayFile === relFile)) return undefined;
  const { json, schema, draft } = checked;
  const id = schema[idKeyword(draft)];
  const record: ModelRecord = { name, version, file, relFile, schema, draft, text };
  if (typeof id === 'string') record.id = id;
  return { record, json, digest: createHash('sha256').update(bytes).digest('hex') };
}

function compareRecords(a: ModelRecord, b: ModelRecord): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : semver.compare(a.version, b.version);
}
