import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { createEnvelope, type EventEnvelope } from '../../../src/events/envelope.js';
import { coreEventTypes, envelopeSchema, eventTypeTable, EVENT_SCHEMAS_DIR } from '../../../src/events/types.js';
import { createPayloadValidator, dataschemaFor, eventValidatorBuilds } from '../../../src/events/validate.js';

const validate = createPayloadValidator();
const fileEvent = (data: unknown, type = 'core:file:created'): EventEnvelope => ({ ...createEnvelope(type, data, 'core', 'run-1'), sequence: 7 });

/** Every (sub)schema that declares `properties`, with its location, for the "every field is described" rule. */
function propertiesOf(schema: Record<string, unknown>, at: string): Array<[string, Record<string, unknown>]> {
  const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(props).flatMap(([name, sub]) => [
    [`${at}/${name}`, sub] as [string, Record<string, unknown>],
    ...propertiesOf((sub.items as Record<string, unknown>) ?? sub, `${at}/${name}`),
  ]);
}

describe('the core event type registry', () => {
  it('lists one entry per schema folder, named after the type, with the schema $id as dataschema', () => {
    const types = coreEventTypes();
    const folders = fs.readdirSync(EVENT_SCHEMAS_DIR).filter((f) => f !== 'envelope').sort();
    expect(types.map((t) => t.type.replaceAll(':', '.'))).toEqual(folders);
    for (const t of types) {
      const schema = JSON.parse(fs.readFileSync(t.schemaFile, 'utf8'));
      expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
      expect(schema.$id).toBe(t.dataschema);
      expect(t.dataschema).toBe(`https://metarepo.dev/meta-models/events/${t.type.replaceAll(':', '.')}/${t.version}.schema.json`);
      expect(t.description).toBe(schema.description);
      expect(t.description.length).toBeGreaterThan(10);
      expect(t.declaredBy).toBe('core');
    }
    expect(types.find((t) => t.type === 'core:file:created')?.version).toBe('1.0.0');
  });

  it('describes every field of every schema, the envelope included', () => {
    const files = [...coreEventTypes().map((t) => t.schemaFile), envelopeSchema().schemaFile];
    const undescribed = files.flatMap((file) =>
      propertiesOf(JSON.parse(fs.readFileSync(file, 'utf8')), path.basename(path.dirname(file)))
        .filter(([, sub]) => typeof sub.description !== 'string' || sub.description === '')
        .map(([where]) => where),
    );
    expect(undescribed).toEqual([]);
  });

  it('merges the types plugins declare, one row per declarer, sorted by type then core first', () => {
    const core = coreEventTypes().filter((t) => t.type === 'core:file:created' || t.type === 'core:health:ping');
    const table = eventTypeTable(core, [
      { name: 'zeta', contributes: { events: ['docs:page:written', 'core:file:created'] } },
      { name: 'alpha', contributes: { events: ['docs:page:written'] } },
    ]);
    expect(table.map((r) => [r.type, r.declaredBy, r.dataschema])).toEqual([
      ['core:file:created', 'core', dataschemaFor('core:file:created')],
      ['core:file:created', 'zeta', undefined],
      ['core:health:ping', 'core', dataschemaFor('core:health:ping')],
      ['docs:page:written', 'alpha', undefined],
      ['docs:page:written', 'zeta', undefined],
    ]);
  });

  it('gives a dataschema to core types only', () => {
    expect(dataschemaFor('core:file:created')).toBe('https://metarepo.dev/meta-models/events/core.file.created/1.0.0.schema.json');
    expect(dataschemaFor('core:file:exploded')).toBeUndefined();
    expect(dataschemaFor('docs:page:written')).toBeUndefined();
  });
});

describe('createPayloadValidator for the buses own envelopes', () => {
  it('checks an envelope once per type and source, and the data every time', () => {
    const own = createPayloadValidator({ ownEnvelopes: true });
    const bad = (data: unknown) => createEnvelope('Not:A:Type', data, 'docs', 'run-1');
    const typeProblem = 'envelope/type must match pattern "^[a-z0-9-]+:[a-z0-9-]+:[a-z0-9-]+$"';
    expect(own(bad(1))).toEqual([typeProblem]);
    expect(own(bad(2))).toEqual([typeProblem]); // still reported, from the first check
    expect(own(createEnvelope('docs:page:written', {}, '', 'run-1'))).toEqual(['envelope/source must NOT have fewer than 1 characters']);
    const file = (data: Record<string, unknown>) => createEnvelope('core:file:created', data, 'core', 'run-1');
    expect(own(file({ path: 'a.ts', target: 'a.ts' }))).toEqual([]);
    expect(own(file({ path: 3, target: 'a.ts' }))).toEqual(['data/path must be string']);
    // Missing data is told apart from present data of the same type and source, in either order.
    expect(own(createEnvelope('docs:page:written', undefined, 'docs', 'run-1'))).toEqual(["envelope must have required property 'data'"]);
    expect(own(createEnvelope('docs:page:written', { ok: true }, 'docs', 'run-1'))).toEqual([]);
    expect(own(createEnvelope('docs:page:written', undefined, 'docs', 'run-1'))).toEqual(["envelope must have required property 'data'"]);
  });
});

describe('createPayloadValidator', () => {
  it('accepts valid core events, with or without a matching dataschema', () => {
    expect(validate(fileEvent({ path: 'a.ts', target: 'a.ts' }))).toEqual([]);
    expect(validate({ ...fileEvent({ path: 'a.ts', origin: 'init' }), dataschema: dataschemaFor('core:file:created') })).toEqual([]);
  });

  it('names each problem of a core payload with its location', () => {
    expect(validate(fileEvent({ path: 3, target: 'a', origin: 'init', size: 1 }))).toEqual([
      'data must have exactly one of: target, generator, origin',
      'data must NOT have additional properties: size',
      'data/path must be string',
    ]);
    expect(validate(fileEvent({ path: 'a.ts' }))).toEqual(['data must have exactly one of: target, generator, origin']);
    expect(validate(fileEvent({ plugin: 'p', from: 'resolved', to: 'enabled' }, 'core:plugin:enabled'))).toEqual([
      'data/from must be equal to one of the allowed values: "loaded", "disabled"',
    ]);
    expect(validate(fileEvent({ plugin: 'p', from: 'loaded', to: 'failed' }, 'core:plugin:failed'))).toEqual([
      "data must have required property 'reason'",
    ]);
  });

  it('rejects an unknown core type and a dataschema naming another schema', () => {
    expect(validate(fileEvent({ path: 'a' }, 'core:file:exploded'))).toEqual([
      'core:file:exploded is not a core event type: meta-models/events/ has no schema for it',
    ]);
    expect(validate({ ...fileEvent({ path: 'a', origin: 'init' }), dataschema: 'https://example.test/other.json' })).toEqual([
      `envelope/dataschema is https://example.test/other.json, but core:file:created data follows ${dataschemaFor('core:file:created')}`,
    ]);
  });

  it("accepts any data for a plugin's type, but still checks its envelope", () => {
    expect(validate(createEnvelope('docs:page:written', [1, 'x'], 'docs', 'run-1'))).toEqual([]);
    const broken = { ...createEnvelope('docs:page:written', {}, 'docs', 'run-1'), time: 'yesterday', sequence: 0, Extra: 1 } as Record<string, unknown>;
    delete broken.runid;
    expect(validate(broken)).toEqual([
      "envelope must have required property 'runid'",
      'envelope property name must be valid: Extra',
      'envelope/time must match format "date-time"',
      'envelope/sequence must be >= 1',
    ]);
    expect(validate('not an event')).toEqual(['envelope must be object']);
    expect(validate({ ...createEnvelope('Not A Type', {}, 'core', 'r') })).toEqual(['envelope/type must match pattern "^[a-z0-9-]+:[a-z0-9-]+:[a-z0-9-]+$"']);
  });
});

describe('eventValidatorBuilds', () => {
  it('precompiles (Ajv standalone) to validators that judge like the compiled schemas', async () => {
    // CommonJS: the module object is the function, which also carries itself as `default` (what the types name).
    const standaloneCode = (await import('ajv/dist/standalone/index.js')).default.default;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-event-validators-'));
    const builds = eventValidatorBuilds({ code: { source: true } });
    expect(builds.map(([name]) => name)).toEqual(['event-envelope-1.0.0', ...coreEventTypes().map((t) => `event-${t.type.replaceAll(':', '.')}-1.0.0`)]);
    const byName = new Map(builds);
    // The generated code requires ajv-formats; resolve it from the package, as dist/ does.
    fs.symlinkSync(path.resolve('node_modules'), path.join(dir, 'node_modules'), 'dir');
    const load = (name: string): ValidateFunction => {
      const { ajv, schema } = byName.get(name)!;
      const file = path.join(dir, `${name}.cjs`);
      fs.writeFileSync(file, standaloneCode(ajv, ajv.compile(schema)));
      return createRequire(import.meta.url)(file) as ValidateFunction;
    };
    const fileCreated = load('event-core.file.created-1.0.0');
    expect(fileCreated({ path: 'a.ts', generator: 'ts-library' })).toBe(true);
    expect(fileCreated({ path: 'a.ts', generator: 'ts-library', target: 'x' })).toBe(false);
    expect(fileCreated.errors?.map((e) => e.keyword)).toEqual(['oneOf']);
    expect(fileCreated.errors?.[0]?.schema).toEqual([{ required: ['target'] }, { required: ['generator'] }, { required: ['origin'] }]);
  });
});
