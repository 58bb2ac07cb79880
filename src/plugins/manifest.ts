import fs from 'node:fs';
import path from 'node:path';
import type { Ajv, AnySchemaObject, ErrorObject, Options, ValidateFunction } from 'ajv';
import semver from 'semver';
import { MetarepoError } from '../core/errors.js';
import { loadPrecompiled } from '../generated/precompiled.js';
import { metaModelPath } from '../core/package-root.js';

/** Where a plugin was found (see `discoverPlugins`). */
export type PluginSource = 'builtin' | 'workspace' | 'npm' | 'path' | 'git';

/** A CLI command a plugin declares (`metarepo <name>`). */
export interface DeclaredCommand {
  name: string;
  description: string;
  /** Offered as a tool of `metarepo mcp` (default true); `false` opts out. */
  mcp?: boolean;
}

/** What a plugin declares it contributes; every list is present (empty when not declared). */
export interface PluginContributes {
  /** Codegen generator names. */
  generators: string[];
  /** Scaffold generator names (`metarepo new <name>`). */
  scaffolds: string[];
  /** Check names. */
  checks: string[];
  commands: DeclaredCommand[];
  /** Event types the plugin publishes (`domain:entity:action`). */
  events: string[];
  /** Pattern-detection contribution names (languages and unit kinds for `metarepo patterns`). */
  patterns: string[];
  /** Docs page contribution names (pages for `metarepo docs build`). */
  pages: string[];
}

/** What a plugin may do, with the meta-model's defaults applied. */
export interface PluginPermissions {
  /** Paths (relative to the workspace) the plugin may write. */
  write: string[];
  childProcess: boolean;
  network: boolean;
}

/**
 * A plugin's manifest: the `metarepo` field of its package.json (meta-model `plugin/1.0.0`), normalised,
 * plus the package's name and version and where it was found.
 */
export interface PluginManifest {
  /** The package's `name`; also the key of its `metarepo.yaml` entry and the `source` of its events. */
  name: string;
  /** The package's `version` (a valid semver version). */
  version: string;
  /** Absolute folder holding the package.json. */
  dir: string;
  source: PluginSource;
  /** Absolute path of the module whose default export is the plugin: `metarepo.main`, else `main`, else `index.js`. */
  main: string;
  engines: { metarepo: string };
  /** Plugin name → semver range. */
  dependencies: Record<string, string>;
  /** Plugin name → semver range; used when present. */
  optionalDependencies: Record<string, string>;
  /** JSON Schema of `plugins.<name>.config`, if the plugin takes configuration. */
  configSchema?: Record<string, unknown>;
  contributes: PluginContributes;
  /** `onStartup` or `onEvent:<type pattern>`. */
  activationEvents: string[];
  permissions: PluginPermissions;
  isolation: 'in-process' | 'process';
}

/** The version of the plugin meta-model that manifests are validated against. */
export const PLUGIN_SCHEMA_VERSION = '1.0.0';

/** Name of the precompiled manifest validator; `scripts/build-validators.mjs` can build it from {@link createPluginManifestAjv}. */
export const PLUGIN_MANIFEST_VALIDATOR = `plugin-${PLUGIN_SCHEMA_VERSION}`;

/** The Ajv instance and schema that validate a `metarepo` field; `extra` is used at build time to precompile. */
export async function createPluginManifestAjv(extra: Options = {}): Promise<{ ajv: Ajv; schema: AnySchemaObject }> {
  const { default: Ajv } = await import('ajv');
  const schema = JSON.parse(fs.readFileSync(metaModelPath('plugin', PLUGIN_SCHEMA_VERSION), 'utf8'));
  return { ajv: new Ajv.default({ ...extra, allErrors: true, strict: false }), schema };
}

let validator: Promise<ValidateFunction> | undefined;

/** The precompiled validator when built, else Ajv (imported only now, so the common path skips it). */
function manifestValidator(): Promise<ValidateFunction> {
  validator ??= (async () => {
    const precompiled = loadPrecompiled(PLUGIN_MANIFEST_VALIDATOR);
    if (precompiled) return precompiled;
    const { ajv, schema } = await createPluginManifestAjv();
    return ajv.compile(schema);
  })();
  return validator;
}

/**
 * Reads `<dir>/package.json` and, when it has a `metarepo` field, validates that field against the plugin
 * meta-model and normalises it. Reads no other file and imports no plugin code.
 * @param dir - the package folder (made absolute).
 * @returns the manifest, or `null` when the package.json has no `metarepo` field (it is not a plugin).
 * @throws MetarepoError (exit 2) when package.json is missing or is not valid JSON, or when its name, version or
 *   `metarepo` field is invalid; the location is the package.json file with the line and column of the offending
 *   value, and `details` lists every violation.
 */
export async function tryReadPluginManifest(dir: string, source: PluginSource): Promise<PluginManifest | null> {
  const abs = path.resolve(dir);
  const file = path.join(abs, 'package.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new MetarepoError(`Cannot read ${file}.`, {
      location: { file },
      hint: 'A plugin is a folder with a package.json whose `metarepo` field is its manifest.',
    });
  }
  const pkg = await parseJsonObject(text, file);
  if (pkg.metarepo === undefined) return null;
  const validate = await manifestValidator();
  const errors: ErrorObject[] = [];
  if (!validate(pkg.metarepo)) errors.push(...(validate.errors ?? []).map((e) => ({ ...e, instancePath: `/metarepo${e.instancePath}` })));
  errors.push(...packageErrors(pkg));
  if (errors.length > 0) await throwInvalid(text, file, errors);
  return normalise(pkg as unknown as PackageJson, abs, source);
}

/**
 * Like {@link tryReadPluginManifest}, for a folder that must hold a plugin.
 * @throws MetarepoError as `tryReadPluginManifest` does, and when the package.json has no `metarepo` field.
 */
export async function readPluginManifest(dir: string, source: PluginSource): Promise<PluginManifest> {
  const manifest = await tryReadPluginManifest(dir, source);
  if (manifest) return manifest;
  const file = path.join(path.resolve(dir), 'package.json');
  throw new MetarepoError(`${file} has no "metarepo" field, so it is not a metarepo plugin.`, {
    location: { file },
    hint: 'Add a "metarepo" field with at least { "engines": { "metarepo": "<range>" } } (see docs/plugins.md).',
  });
}

interface PackageJson {
  name: string;
  version: string;
  main?: string;
  metarepo: {
    main?: string;
    engines: { metarepo: string };
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
    configSchema?: Record<string, unknown>;
    contributes?: Partial<PluginContributes>;
    activationEvents?: string[];
    permissions?: Partial<PluginPermissions>;
    isolation?: 'in-process' | 'process';
  };
}

/**
 * Parses a JSON object: JSON.parse on the common path; on a syntax error, the positioned parser names line and column.
 * @throws MetarepoError (exit 2) located in `file` when `text` is not JSON or not an object.
 */
export async function parseJsonObject(text: string, file: string): Promise<Record<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const { loadDocument } = await import('../core/document.js');
    loadDocument(text, file, 'json'); // throws with the position when the yaml parser sees the error too
    throw new MetarepoError(`${file} is not valid JSON: ${(e as Error).message}.`, { location: { file }, hint: 'Fix the JSON syntax.' });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new MetarepoError(`${file} must hold a JSON object.`, { location: { file, line: 1, column: 1 } });
  }
  return value as Record<string, unknown>;
}

/** Checks of the package fields the manifest relies on (the meta-model covers only the `metarepo` field). */
function packageErrors(pkg: Record<string, unknown>): ErrorObject[] {
  const error = (instancePath: string, message: string): ErrorObject => ({ keyword: 'package', instancePath, schemaPath: '', params: {}, message });
  const errors: ErrorObject[] = [];
  if (typeof pkg.name !== 'string' || pkg.name === '') errors.push(error('/name', 'must be a non-empty string (the plugin name)'));
  if (typeof pkg.version !== 'string' || !semver.valid(pkg.version)) errors.push(error('/version', 'must be a semver version, e.g. 1.0.0'));
  if (pkg.main !== undefined && typeof pkg.main !== 'string') errors.push(error('/main', 'must be string'));
  return errors;
}

async function throwInvalid(text: string, file: string, errors: ErrorObject[]): Promise<never> {
  const { describeAjvError, loadDocument } = await import('../core/document.js');
  const doc = loadDocument(text, file, 'json');
  const described = errors.map((e) => describeAjvError(e, doc));
  const first = described[0];
  throw new MetarepoError(`${file} is not a valid metarepo plugin manifest: ${first.message}.`, {
    location: first.location,
    hint: `See the plugin meta-model (${metaModelPath('plugin', PLUGIN_SCHEMA_VERSION)}).`,
    details: described.map((d) => `${d.location.file}:${d.location.line}:${d.location.column}: ${d.message}`),
  });
}

function normalise(pkg: PackageJson, dir: string, source: PluginSource): PluginManifest {
  const m = pkg.metarepo;
  const c = m.contributes ?? {};
  return {
    name: pkg.name,
    version: pkg.version,
    dir,
    source,
    main: path.resolve(dir, m.main ?? pkg.main ?? 'index.js'),
    engines: { metarepo: m.engines.metarepo },
    dependencies: { ...m.dependencies },
    optionalDependencies: { ...m.optionalDependencies },
    ...(m.configSchema === undefined ? {} : { configSchema: m.configSchema }),
    contributes: {
      generators: c.generators ?? [],
      scaffolds: c.scaffolds ?? [],
      checks: c.checks ?? [],
      commands: c.commands ?? [],
      events: c.events ?? [],
      patterns: c.patterns ?? [],
      pages: c.pages ?? [],
    },
    activationEvents: m.activationEvents ?? [],
    permissions: { write: m.permissions?.write ?? [], childProcess: m.permissions?.childProcess ?? false, network: m.permissions?.network ?? false },
    isolation: m.isolation ?? 'in-process',
  };
}
