/**
 * The facts of one model version's reference page, read from the model registry: its properties and nested types,
 * its examples (each validated against the schema), the models it references, and its version history judged by
 * the evolution rules. Rendering them is `model-markdown.ts`'s job.
 */
import type { ValidateFunction } from 'ajv';
import semver from 'semver';
import { escapeSegment, getAtPointer } from '../core/pointer.js';
import type { WorkspaceConfig } from '../generated/workspace.js';
import { createMetaAjv } from '../models/meta-schema.js';
import { diffModel, modelPolicy, type ModelDiff } from '../models/evolution.js';
import type { ModelRecord, ModelRegistry } from '../models/registry.js';
import { constraintWords, refName, typeNameOf, typeText } from './schema-words.js';

type Schema = Record<string, unknown>;

const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);

/** One row of a properties table. */
export interface PropertyRow {
  name: string;
  /** The type as the TypeScript generator writes it (see `typeText`). */
  type: string;
  /** The definition the type names, when it is a reference (`address`), for a link. */
  ref?: string;
  required: boolean;
  /** The default, as JSON text. */
  default?: string;
  constraints: string[];
  description?: string;
}

/** An object type of the page: the model's root, or one of the bundle's definitions. */
export interface TypeSection {
  /** Definition key (`address`); `''` for the root. */
  key: string;
  /** TypeScript name (`Address`). */
  typeName: string;
  description?: string;
  /** The type when it is not an object with properties (an enum, a union, an array). */
  type: string;
  properties: PropertyRow[];
  /** For a type without properties: the definitions its `oneOf`/`anyOf`/`allOf` name directly (a union's members). */
  members?: string[];
  /** The other model this type is, when the bundle took it from one (its whole root). */
  model?: string;
}

/** One example of the schema and whether it is valid. */
export interface ExampleFact {
  /** JSON pointer of the `examples` entry (or `example`) in the model file. */
  pointer: string;
  value: unknown;
  /** Ajv's messages for an invalid example; empty when it is valid. */
  errors: string[];
}

/** One step of the version history: the change from `from` to `to` and the bump it took. */
export interface HistoryStep {
  from: string;
  to: string;
  /** The bump the version numbers make (`semver.diff`, pre-release kinds folded into their base). */
  bump: string;
  /** The bump the evolution rules require under the model's policy. */
  required: string;
  changes: Array<{ rule: string; path: string; message: string }>;
}

/** Everything a model version's reference page shows. */
export interface ModelReference {
  name: string;
  version: string;
  /** The model file, relative to the workspace root. */
  file: string;
  title: string;
  description?: string;
  root: TypeSection;
  definitions: TypeSection[];
  examples: ExampleFact[];
  /** Other models it references (directly or through another), as `name@version`. */
  references: Array<{ name: string; version: string }>;
  /** Every version of the model up to this one, oldest first, with the step from the one before. */
  history: HistoryStep[];
  /** The compatibility policy the history was judged under. */
  policy: string;
}

/** The diff of two versions of a model (`diffModel`), or a cache of them when many pages share the steps. */
export type VersionDiff = (name: string, from: string, to: string) => ModelDiff;

/**
 * Reads the reference facts of `record` from `registry`.
 * @param config - metarepo.yaml, for the model's compatibility policy.
 * @param diff - how the history's steps are diffed (default `diffModel` each time).
 * @throws MetarepoError (exit 2) when the model cannot be bundled (a `$ref` that resolves nowhere).
 */
export function modelReference(registry: ModelRegistry, config: WorkspaceConfig, record: ModelRecord, diff?: VersionDiff): ModelReference {
  const bundled = registry.bundle(record, { annotations: true });
  const schema = bundled.schema;
  const definitions = isSchema(schema.definitions) ? schema.definitions : {};
  const dependencies = new Set(bundled.dependencies.map((d) => d.name));
  const title = typeof schema.title === 'string' ? schema.title : record.name;
  return {
    name: record.name,
    version: record.version,
    file: record.relFile,
    title,
    description: typeof schema.description === 'string' ? schema.description : undefined,
    root: typeSection('', typeNameOf(record.name, schema), schema, definitions),
    definitions: Object.keys(definitions).map((key) => ({
      ...typeSection(key, typeNameOf(key, definitions[key]), definitions[key], definitions),
      ...(dependencies.has(key) ? { model: key } : {}),
    })),
    examples: examplesOf(record, schema),
    references: bundled.dependencies.map((d) => ({ name: d.name, version: d.version })),
    history: historyUpTo(registry, record, diff ?? ((name, from, to) => diffModel(registry, config, name, from, to))),
    policy: modelPolicy(config, record.name).compatibility,
  };
}

/**
 * The properties of one object schema as table rows (or its type when it has none).
 * @param definitions - the bundle's `definitions`, to name referenced types.
 */
export function typeSection(key: string, typeName: string, schema: unknown, definitions: Schema): TypeSection {
  const s = isSchema(schema) ? schema : {};
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  const properties = isSchema(s.properties)
    ? Object.entries(s.properties).map(([name, sub]): PropertyRow => {
        const p = isSchema(sub) ? sub : {};
        const ref = refName(p.$ref) ?? (isSchema(p.items) ? refName(p.items.$ref) : undefined);
        return {
          name,
          type: typeText(sub, definitions),
          ...(ref !== undefined ? { ref } : {}),
          required: required.has(name),
          ...('default' in p ? { default: JSON.stringify(p.default) } : {}),
          constraints: constraintWords(p),
          ...(typeof p.description === 'string' ? { description: p.description } : {}),
        };
      })
    : [];
  const members = properties.length > 0 ? [] : (['oneOf', 'anyOf', 'allOf'] as const).flatMap((k) => (Array.isArray(s[k]) ? (s[k] as unknown[]) : []).map((m) => (isSchema(m) ? refName(m.$ref) : undefined)));
  return {
    key,
    typeName,
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
    type: properties.length > 0 ? 'object' : typeText(schema, definitions),
    properties,
    ...(members.some((m) => m !== undefined) ? { members: members.filter((m): m is string => m !== undefined) } : {}),
  };
}

/** Subschema keywords the example walk follows: examples sit on the root, its properties, items and definitions. */
const EXAMPLE_PATHS = ['properties', 'definitions', '$defs'];

/** The examples of `record` (see {@link ModelReference.examples}), each validated against its part of the schema. */
export function modelExamples(registry: ModelRegistry, record: ModelRecord): ExampleFact[] {
  return examplesOf(record, registry.bundle(record, { annotations: true }).schema);
}

/**
 * Every `examples` entry (and OpenAPI's single `example`) of the model file's root, its definitions and their
 * properties and items, validated with Ajv (the model's draft) against the matching part of the bundled schema.
 */
function examplesOf(record: ModelRecord, bundled: Schema): ExampleFact[] {
  const found: Array<{ pointer: string; bundledPointer: string; value: unknown }> = [];
  const walk = (node: unknown, pointer: string, bundledPointer: string, depth: number): void => {
    if (!isSchema(node) || depth > 8) return;
    if (Array.isArray(node.examples)) node.examples.forEach((value, i) => found.push({ pointer: `${pointer}/examples/${i}`, bundledPointer, value }));
    if ('example' in node) found.push({ pointer: `${pointer}/example`, bundledPointer, value: node.example });
    for (const keyword of EXAMPLE_PATHS) {
      if (!isSchema(node[keyword])) continue;
      const into = keyword === '$defs' ? 'definitions' : keyword; // the bundle keeps every definition under `definitions`
      for (const [name, sub] of Object.entries(node[keyword] as Schema)) {
        const part = escapeSegment(name);
        walk(sub, `${pointer}/${keyword}/${part}`, `${bundledPointer}/${into}/${part}`, depth + 1);
      }
    }
    if (isSchema(node.items)) walk(node.items, `${pointer}/items`, `${bundledPointer}/items`, depth + 1);
  };
  walk(record.schema, '', '', 0);
  if (found.length === 0) return [];
  const { ajv } = createMetaAjv(record.draft, { inlineRefs: false });
  const definitions = isSchema(bundled.definitions) ? bundled.definitions : {};
  const compiled = new Map<string, ValidateFunction | undefined>();
  return found.map(({ pointer, bundledPointer, value }) => {
    // Each example's own part is compiled alone (with the definitions it may reference), not the whole model: Ajv
    // compiles a big bundle in seconds, and the part an example sits on is usually small.
    if (!compiled.has(bundledPointer)) {
      const part = getAtPointer(bundled, bundledPointer);
      compiled.set(bundledPointer, isSchema(part) || typeof part === 'boolean' ? ajv.compile(isSchema(part) ? { ...part, definitions } : part) : undefined);
    }
    const validate = compiled.get(bundledPointer);
    if (!validate || validate(value)) return { pointer, value, errors: [] };
    return { pointer, value, errors: (validate.errors ?? []).map((e) => `${e.instancePath || '(the example)'} ${e.message ?? 'is invalid'}`) };
  });
}


/** The steps between consecutive versions up to `record`'s, each judged by `diffModel`. */
function historyUpTo(registry: ModelRegistry, record: ModelRecord, diffOf: VersionDiff): HistoryStep[] {
  const versions = registry.versions(record.name).filter((v) => semver.lte(v, record.version));
  const steps: HistoryStep[] = [];
  for (let i = 1; i < versions.length; i++) {
    const [from, to] = [versions[i - 1]!, versions[i]!];
    const diff = diffOf(record.name, from, to);
    steps.push({
      from,
      to,
      bump: (semver.diff(from, to) ?? 'none').replace(/^pre(?=major|minor|patch)/, ''),
      required: diff.required,
      changes: diff.changes.map((c) => ({ rule: c.rule, path: c.path, message: c.message })),
    });
  }
  return steps;
}
