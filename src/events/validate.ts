import { createRequire } from 'node:module';
import { MetarepoError } from '../core/errors.js';
import type { Ajv, AnySchemaObject, ErrorObject, Options, ValidateFunction } from 'ajv';
import { loadPrecompiled } from '../generated/precompiled.js';
import { coreEventType, coreEventTypes, envelopeSchema, ENVELOPE_SCHEMA_VERSION, readEventSchema, type CoreEventType } from './types.js';

/**
 * Checks one event: the envelope against `meta-models/events/envelope/<version>.schema.json`, then its `data`
 * against the schema of its type.
 * @returns the problems, e.g. `data/path must be string`; empty when the event is valid.
 */
export type PayloadValidator = (envelope: unknown) => string[];

// Ajv is CommonJS: `require` loads it lazily and synchronously on the first schema without a precompiled
// validator, so `publish` can stay synchronous (as in src/models/meta-schema.ts).
const require = createRequire(import.meta.url);
const validators = new Map<string, ValidateFunction>();
let sharedAjv: Ajv | undefined;

/** Payload schemas of plugin event types by `<plugin>\0<type>` (see {@link declarePluginEventSchemas}). */
const pluginSchemas = new Map<string, { file: string; validate: ValidateFunction }>();
/** Plugin schemas get an Ajv of their own: a reloaded plugin recompiles a schema whose `$id` it already added. */
let pluginAjv: Ajv | undefined;

/**
 * Creates the event validator the buses and the broker call on every publish. A core type (`core:*`) must have a
 * schema and its `data` must follow it; when the envelope names a `dataschema` it must be that schema's `$id`.
 * A plugin's type is checked against the schema its plugin (the envelope's `source`) declared with
 * {@link declarePluginEventSchemas}, if any; otherwise only its envelope is checked. Each schema is compiled on first use and
 * kept for the process: a validator precompiled at build time (see {@link eventValidatorBuilds}) is loaded
 * when present, else Ajv compiles the schema file. The returned function throws only the MetarepoError of
 * {@link readEventSchema} (a damaged installation).
 * @param options.ownEnvelopes - the envelopes are the buses' own, made by `createEnvelope`: all but `type` and
 *   `source` are valid by construction, so the envelope is checked once per type and source (the `data` every time).
 */
export function createPayloadValidator(options: { ownEnvelopes?: boolean } = {}): PayloadValidator {
  let envelopeValidator: ValidateFunction | undefined; // looked up on the first event, not on every one
  const checked = new Map<string, string[]>(); // with ownEnvelopes: type + source → the envelope's problems
  const envelopeProblems = (envelope: unknown): string[] => {
    envelopeValidator ??= validatorFor(envelopeValidatorName(), envelopeSchema().schemaFile);
    if (!options.ownEnvelopes || !isRecord(envelope)) return check(envelopeValidator, envelope, 'envelope');
    // `data` must be present (Ajv counts `undefined` as missing): the one problem that depends on more than type and source.
    const key = `${String(envelope.type)}\0${String(envelope.source)}\0${envelope.data === undefined}`;
    let found = checked.get(key);
    if (!found) checked.set(key, (found = check(envelopeValidator, withoutOwnDataschema(envelope), 'envelope')));
    return [...found];
  };
  return (envelope) => {
    const problems = envelopeProblems(envelope);
    if (!isRecord(envelope) || typeof envelope.type !== 'string' || !('data' in envelope)) return problems;
    const { type } = envelope;
    const core = coreEventType(type);
    if (!core) {
      if (type.startsWith('core:')) problems.push(`${type} is not a core event type: meta-models/events/ has no schema for it`);
      else problems.push(...pluginDataProblems(envelope.source, type, envelope.data));
      return problems;
    }
    if (envelope.dataschema !== undefined && envelope.dataschema !== core.dataschema) {
      problems.push(`envelope/dataschema is ${String(envelope.dataschema)}, but ${type} data follows ${core.dataschema}`);
    }
    problems.push(...check(validatorFor(eventValidatorName(core), core.schemaFile), envelope.data, 'data'));
    return problems;
  };
}

/**
 * Declares the payload schemas of one plugin's event types, replacing what it declared before: from now on, every
 * validator of {@link createPayloadValidator} checks the `data` of an event of one of these types whose `source` is
 * the plugin, as it checks core payloads (same Ajv options and formats, draft-07). Compiled now, so a broken schema
 * is found when the plugin loads.
 * @param schemas - one per type: the type, the schema file (named in problems) and its parsed content.
 * @throws MetarepoError (exit 2) located at the file of the first schema that does not compile.
 */
export function declarePluginEventSchemas(plugin: string, schemas: ReadonlyArray<{ type: string; file: string; schema: Record<string, unknown> }>): void {
  const compiled = schemas.map(({ type, file, schema }) => {
    pluginAjv ??= createEventAjv();
    if (typeof schema.$id === 'string') pluginAjv.removeSchema(schema.$id);
    try {
      return { type, file, validate: pluginAjv.compile(schema) };
    } catch (e) {
      throw new MetarepoError(`${file} is not a valid JSON Schema: ${(e as Error).message}.`, {
        location: { file },
        hint: 'An event payload schema is a draft-07 JSON Schema, like those in metarepo\'s meta-models/events/.',
      });
    }
  });
  for (const key of [...pluginSchemas.keys()]) if (key.startsWith(`${plugin}\0`)) pluginSchemas.delete(key);
  for (const { type, file, validate } of compiled) pluginSchemas.set(`${plugin}\0${type}`, { file, validate });
}

/**
 * What is wrong with a plugin event's data (`source` the plugin) by the schema it declared for `type`, the first
 * problem naming the schema file (`data/n must be integer (plugin typed's schema …/1.0.0.schema.json)`); none without a
 * declared schema. The envelope is not checked: the broker, which checks its shape itself, calls this.
 */
export function pluginDataProblems(source: unknown, type: string, data: unknown): string[] {
  const declared = pluginSchemas.get(`${String(source)}\0${type}`);
  if (!declared) return [];
  const problems = check(declared.validate, data, 'data');
  if (problems.length > 0) problems[0] += ` (plugin ${String(source)}'s schema ${declared.file})`;
  return problems;
}

/**
 * The `dataschema` URI of a core event type (its newest schema's `$id`, e.g.
 * `https://metarepo.dev/meta-models/events/core.file.created/1.0.0.schema.json`); undefined for any other type.
 */
export function dataschemaFor(type: string): string | undefined {
  return coreEventType(type)?.dataschema;
}

/**
 * The Ajv instance event schemas are compiled with (draft-07, all errors, verbose errors, formats `date-time` and
 * `uri` from ajv-formats). `extra` is for the build step (`{ code: { source: true } }` to precompile).
 */
export function createEventAjv(extra: Options = {}): Ajv {
  const { Ajv: AjvDraft07 } = require('ajv') as typeof import('ajv');
  // verbose: errors carry the failing keyword's schema, so a `oneOf` of `required` lists can name the properties.
  const ajv = new AjvDraft07({ ...extra, allErrors: true, verbose: true, logger: false });
  const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
  addFormats(ajv, ['date-time', 'uri']);
  return ajv;
}

/**
 * What `scripts/build-validators.mjs` precompiles so the CLI needs no Ajv to validate events: one
 * `[name, { ajv, schema }]` per schema (the envelope and every core type's newest payload schema), sharing one
 * Ajv instance. Names are those {@link createPayloadValidator} loads with `loadPrecompiled`.
 */
export function eventValidatorBuilds(extra: Options = {}): Array<[string, { ajv: Ajv; schema: AnySchemaObject }]> {
  const ajv = createEventAjv(extra);
  return [
    [envelopeValidatorName(), { ajv, schema: readEventSchema(envelopeSchema().schemaFile) }],
    ...coreEventTypes().map((t): [string, { ajv: Ajv; schema: AnySchemaObject }] => [eventValidatorName(t), { ajv, schema: readEventSchema(t.schemaFile) }]),
  ];
}

function envelopeValidatorName(): string {
  return `event-envelope-${ENVELOPE_SCHEMA_VERSION}`;
}

function eventValidatorName(t: Pick<CoreEventType, 'type' | 'version'>): string {
  return `event-${t.type.replaceAll(':', '.')}-${t.version}`;
}

function validatorFor(name: string, schemaFile: string): ValidateFunction {
  let validate = validators.get(name);
  if (!validate) {
    validate = loadPrecompiled(name) ?? (sharedAjv ??= createEventAjv()).compile(readEventSchema(schemaFile));
    validators.set(name, validate);
  }
  return validate;
}

function check(validate: ValidateFunction, value: unknown, label: string): string[] {
  if (validate(value)) return [];
  // A failed oneOf/anyOf/propertyNames also reports the failure inside it; the summary at its location says more.
  const inner = /\/(?:oneOf|anyOf|propertyNames)\//;
  return (validate.errors ?? []).filter((e) => !inner.test(e.schemaPath)).map((e) => `${label}${e.instancePath} ${describe(e)}`);
}

/** Ajv's message, with the offending or allowed values it keeps in `params` (or, verbose, in `schema`). */
function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  const message = e.message ?? e.keyword;
  switch (e.keyword) {
    case 'additionalProperties':
      return `${message}: ${String(p.additionalProperty)}`;
    case 'propertyNames':
      return `${message}: ${String(p.propertyName)}`;
    case 'enum':
      return `${message}: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${message}: ${JSON.stringify(p.allowedValue)}`;
    case 'oneOf': {
      const names = Array.isArray(e.schema) && e.schema.every((b) => isRecord(b) && Array.isArray(b.required)) ? e.schema.flatMap((b) => b.required) : [];
      return names.length > 0 ? `must have exactly one of: ${names.join(', ')}` : message;
    }
    default:
      return message;
  }
}

/**
 * An own envelope as the envelope schema should see it: a `dataschema` that is the `$id` of a core type's schema
 * (which `createEnvelope` copies from the type table, and the caller compares with that type's below) is left out.
 * Checking it would only run ajv-formats' `uri` pattern, whose first match compiles a very large regular expression:
 * several milliseconds of every CLI start, for a constant of our own. Any other `dataschema` is checked as it is.
 */
function withoutOwnDataschema(envelope: Record<string, unknown>): Record<string, unknown> {
  if (envelope.dataschema === undefined || typeof envelope.type !== 'string' || envelope.dataschema !== coreEventType(envelope.type)?.dataschema) return envelope;
  const { dataschema: _own, ...rest } = envelope;
  return rest;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
