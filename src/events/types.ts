import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { EXIT_FAILURE, MetarepoError } from '../core/errors.js';
import { PACKAGE_ROOT } from '../core/package-root.js';

/** Absolute path of the folder holding the event schemas: `<package>/meta-models/events`. */
export const EVENT_SCHEMAS_DIR = path.join(PACKAGE_ROOT, 'meta-models', 'events');

/** Base of the `$id` (and so of `dataschema`) of every event schema; the folder and file name follow. */
export const EVENT_SCHEMA_BASE_URI = 'https://metarepo.dev/meta-models/events/';

/** Version of the CloudEvents envelope schema, `meta-models/events/envelope/<version>.schema.json`. */
export const ENVELOPE_SCHEMA_VERSION = '1.0.0';

/** One row of the event type table (`metarepo events types`). */
export interface EventTypeInfo {
  /** `domain:entity:action`, e.g. `core:file:created`. */
  type: string;
  /** semver version of the payload schema; absent for a plugin type without one. */
  version?: string;
  /** Absolute path of the payload schema. */
  schemaFile?: string;
  /** The schema's `$id`, which envelopes of a core type carry as `dataschema` (a plugin schema may have none). */
  dataschema?: string;
  /** What the event means (the schema's `description`). */
  description?: string;
  /** `core`, or the name of the plugin whose manifest declares the type in `contributes.events`. */
  declaredBy: string;
}

/** A core event type: all fields known. */
export type CoreEventType = Required<EventTypeInfo> & { declaredBy: 'core' };

/** Schema folders are named after the type with `:` as `.` (`core.file.created`); `envelope` is not a type. */
const TYPE_FOLDER = /^[a-z0-9-]+\.[a-z0-9-]+\.[a-z0-9-]+$/;
const SCHEMA_FILE = /^(.+)\.schema\.json$/;

let cached: { list: CoreEventType[]; byType: Map<string, CoreEventType> } | undefined;

/**
 * Every core event type with its newest payload schema, sorted by type. Read once per process from the
 * folders of {@link EVENT_SCHEMAS_DIR} (one folder per type, one `<semver>.schema.json` per version); only
 * the newest version's file is parsed, for its description, when that is first read. No Ajv involved. The list is shared: do not mutate it.
 * @throws MetarepoError (exit 1) when a schema file cannot be read or parsed (see {@link readEventSchema}).
 */
export function coreEventTypes(): readonly CoreEventType[] {
  return loadCoreTypes().list;
}

/**
 * The core type named `type`, if it has a schema. Looks in that type's own folder only (a run publishes a dozen
 * types: the other schema folders are not listed), once per type.
 */
export function coreEventType(type: string): CoreEventType | undefined {
  if (cached) return cached.byType.get(type);
  let found = seen.get(type);
  if (found === undefined) seen.set(type, (found = lookUp(type) ?? null));
  return found ?? undefined;
}

/** Types looked up one by one (before the whole table was read); `null`: no such core type. */
const seen = new Map<string, CoreEventType | null>();

function lookUp(type: string): CoreEventType | undefined {
  const folder = type.replaceAll(':', '.');
  if (!TYPE_FOLDER.test(folder)) return undefined;
  let version: string | undefined;
  try {
    version = newestVersion(path.join(EVENT_SCHEMAS_DIR, folder));
  } catch {
    return undefined; // no such folder
  }
  return version ? describeCoreType(folder, version) : undefined;
}

function loadCoreTypes(): NonNullable<typeof cached> {
  if (cached) return cached;
  const list = fs
    .readdirSync(EVENT_SCHEMAS_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory() && TYPE_FOLDER.test(e.name))
    .flatMap((e) => {
      const version = newestVersion(path.join(EVENT_SCHEMAS_DIR, e.name));
      return version ? [describeCoreType(e.name, version)] : [];
    })
    .sort((a, b) => compare(a.type, b.type));
  cached = { list, byType: new Map(list.map((t) => [t.type, t])) };
  return cached;
}

/** Absolute path and `$id` of the envelope schema. */
export function envelopeSchema(): { schemaFile: string; dataschema: string } {
  return {
    schemaFile: path.join(EVENT_SCHEMAS_DIR, 'envelope', `${ENVELOPE_SCHEMA_VERSION}.schema.json`),
    dataschema: `${EVENT_SCHEMA_BASE_URI}envelope/${ENVELOPE_SCHEMA_VERSION}.schema.json`,
  };
}

/** A payload schema a plugin ships for one of its types (the newest `<plugin>/events/<type>/<semver>.schema.json`). */
export interface PluginTypeSchema {
  type: string;
  version: string;
  /** Absolute path of the schema file. */
  file: string;
  /** Its parsed content: `$id` and `description` are read. */
  schema: Record<string, unknown>;
}

/**
 * The full type table: the core types plus every type a plugin declares in its manifest's `contributes.events`
 * (`declaredBy` its name), with the payload schema the plugin ships for it, if any: its version, file, `$id` (as
 * `dataschema`) and `description`. A type declared by several (say core and a plugin) has one row per declarer.
 * Sorted by type, then `core` first, then plugin name.
 * @param coreTypes - usually {@link coreEventTypes}().
 * @param plugins - the workspace's plugins: `name` and `contributes.events` of the manifest, and their schemas.
 */
export function eventTypeTable(
  coreTypes: readonly EventTypeInfo[],
  plugins: ReadonlyArray<{ name: string; contributes: { events: readonly string[] }; schemas?: readonly PluginTypeSchema[] }>,
): EventTypeInfo[] {
  const rows = new Map<string, EventTypeInfo>();
  for (const t of coreTypes) rows.set(`${t.type}\0${t.declaredBy}`, t);
  for (const p of plugins) {
    const schemas = new Map((p.schemas ?? []).map((s) => [s.type, s]));
    for (const type of p.contributes.events) rows.set(`${type}\0${p.name}`, { type, declaredBy: p.name, ...schemaColumns(schemas.get(type)) });
  }
  const rank = (r: EventTypeInfo) => (r.declaredBy === 'core' ? '' : r.declaredBy);
  return [...rows.values()].sort((a, b) => compare(a.type, b.type) || compare(rank(a), rank(b)));
}

/** The columns a plugin's payload schema fills in a type's row (none without a schema). */
function schemaColumns(s: PluginTypeSchema | undefined): Partial<EventTypeInfo> {
  if (!s) return {};
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return { version: s.version, schemaFile: s.file, dataschema: text(s.schema.$id), description: text(s.schema.description) };
}

/**
 * Reads and parses one of metarepo's own event schemas.
 * @throws MetarepoError (exit 1, located at the file) when it cannot be read or is not JSON: the installation
 *   is damaged.
 */
export function readEventSchema(file: string): Record<string, unknown> {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new MetarepoError(`Cannot load the event schema ${file}: ${(e as Error).message}`, {
      location: { file },
      hint: "metarepo's meta-models/ folder is damaged; reinstall metarepo.",
      exitCode: EXIT_FAILURE,
      cause: e,
    });
  }
}

/** The highest semver among `<version>.schema.json` files of a folder; undefined when there is none. */
function newestVersion(dir: string): string | undefined {
  const versions = fs
    .readdirSync(dir)
    .map((f) => SCHEMA_FILE.exec(f)?.[1])
    .filter((v): v is string => v !== undefined);
  // Plain `major.minor.patch` versions (all of metarepo's own) are compared here; semver — whose load compiles some
  // forty regular expressions, on every bus — is loaded only for anything else (pre-releases, build metadata).
  if (versions.every((v) => PLAIN_VERSION.test(v))) return versions.sort(comparePlainDescending)[0];
  const require = createRequire(import.meta.url);
  const valid = require('semver/functions/valid.js') as (v: string) => string | null;
  const rcompare = require('semver/functions/rcompare.js') as (a: string, b: string) => number;
  return versions.filter((v) => valid(v) === v).sort(rcompare)[0];
}

/** `major.minor.patch` without leading zeros, as semver's `valid` accepts it unchanged. */
const PLAIN_VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

function comparePlainDescending(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  return y[0] - x[0] || y[1] - x[1] || y[2] - x[2];
}

function describeCoreType(folder: string, version: string): CoreEventType {
  const schemaFile = path.join(EVENT_SCHEMAS_DIR, folder, `${version}.schema.json`);
  let description: string | undefined;
  return {
    type: folder.replaceAll('.', ':'),
    version,
    schemaFile,
    dataschema: `${EVENT_SCHEMA_BASE_URI}${folder}/${version}.schema.json`,
    // Read on first use (`metarepo events types`): a bus needs the table, not thirty schema files parsed.
    get description(): string {
      if (description === undefined) {
        const schema = readEventSchema(schemaFile);
        description = typeof schema.description === 'string' ? schema.description : '';
      }
      return description;
    },
    declaredBy: 'core',
  };
}

// Code-unit order, so the table reads the same in every locale.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
