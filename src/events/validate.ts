import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv, AnySchemaObject, ErrorObject, Options, ValidateFunction } from 'ajv';
import { loadPrecompiled } from '../generated/precompiled.js';
import { coreEventType, coreEventTypes, envelopeSchema, ENVELOPE_SCHEMA_VERSION, type CoreEventType } from './types.js';

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

/**
 * Creates the event validator the buses and the broker call on every publish. A core type (`core:*`) must have a
 * schema and its `data` must follow it; when the envelope names a `dataschema` it must be that schema's `$id`.
 * A plugin's type has no schema, so only its envelope is checked. Each schema is compiled on first use and
 * kept for the process: a validator precompiled at build time (see {@link eventValidatorBuilds}) is loaded
 * when present, else Ajv compiles the schema file.
 */
export function createPayloadValidator(): PayloadValidator {
  return (envelope) => {
    const envelopeFile = envelopeSchema().schemaFile;
    const problems = check(validatorFor(envelopeValidatorName(), envelopeFile), envelope, 'envelope');
    if (!isRecord(envelope) || typeof envelope.type !== 'string' || !('data' in envelope)) return problems;
    const { type } = envelope;
    const core = coreEventType(type);
    if (!core) {
      if (type.startsWith('core:')) problems.push(`${type} is not a core event type: meta-models/events/ has no schema for it`);
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
 * The `dataschema` URI of a core event type (its newest schema's `$id`, e.g.
 * `https://metarepo.dev/meta-models/events/core.file.created/1.0.0.schema.json`); undefined for any other type.
 */
export function dataschemaFor(type: string): string | undefined {
  return coreEventType(type)?.dataschema;
}

/**
 * The Ajv instance event schemas are compiled with (draft-07, all errors, formats `date-time` and `uri` from
 * ajv-formats). `extra` is for the build step (`{ code: { source: true } }` to precompile).
 */
export function createEventAjv(extra: Options = {}): Ajv {
  const { Ajv: AjvDraft07 } = require('ajv') as typeof import('ajv');
  const ajv = new AjvDraft07({ ...extra, allErrors: true, logger: false });
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
    [envelopeValidatorName(), { ajv, schema: readSchema(envelopeSchema().schemaFile) }],
    ...coreEventTypes().map((t): [string, { ajv: Ajv; schema: AnySchemaObject }] => [eventValidatorName(t), { ajv, schema: readSchema(t.schemaFile) }]),
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
    validate = loadPrecompiled(name) ?? (sharedAjv ??= createEventAjv()).compile(readSchema(schemaFile));
    validators.set(name, validate);
  }
  return validate;
}

function readSchema(file: string): AnySchemaObject {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as AnySchemaObject;
}

function check(validate: ValidateFunction, value: unknown, label: string): string[] {
  if (validate(value)) return [];
  // A failed oneOf/anyOf also reports why each branch failed; the summary at its location is enough.
  const branch = /\/(?:oneOf|anyOf)\/\d+\//;
  return (validate.errors ?? []).filter((e) => !branch.test(e.schemaPath)).map((e) => `${label}${e.instancePath} ${e.message ?? e.keyword}${detail(e)}`);
}

/** The offending or allowed values Ajv keeps in `params` but leaves out of its message. */
function detail(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') return `: ${String(p.additionalProperty)}`;
  if (e.keyword === 'enum') return `: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  if (e.keyword === 'const') return `: ${JSON.stringify(p.allowedValue)}`;
  return '';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
