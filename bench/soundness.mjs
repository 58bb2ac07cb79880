// Soundness of the typescript generator on the official JSON Schema Test Suite (draft-07 and 2020-12, copied into
// tests/fixtures/json-schema-test-suite/): every group's schema goes the way a model goes (the model registry
// bundles it, the typescript generator turns the bundle into types), then each test instance is assigned to the
// root type, `const t<j>: Root = <instance>;`, and `tsc --strict` judges it. One program per draft.
// Prints one JSON line per draft: {bench: 'soundness', draft, groups, excludedGroups, validAccepted, validTotal,
// invalidRejected, invalidTotal, seconds, jsttValidAccepted, jsttInvalidRejected}, the last two for the peer:
// json-schema-to-typescript alone on the same bundles. Exits 1 when a valid instance is rejected.
//
//   npm run build && node bench/soundness.mjs
//
// tests/unit/codegen/suite-soundness.test.ts runs the same measurement on the TypeScript sources.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { REPO, report } from './lib.mjs';

/** The suite's folder inside the repository. */
export const SUITE_DIR = path.join(REPO, 'tests/fixtures/json-schema-test-suite');

/** The drafts measured, by their folder name in the suite. */
export const DRAFTS = ['draft7', 'draft2020-12'];

const REMOTE_DYNAMIC = 'refers to a remote document (extendible-dynamic-ref.json, tree.json, detached-dynamicref.json) that is not a model of the workspace';

/**
 * Groups left out of the measurement, by `<file>` (all its groups) or `<file>: <group description>`, with the
 * reason. Only groups no generator can type inside metarepo's offline model: their schema refers to a document
 * that is not in the workspace, so the model registry refuses to bundle it (a user adds that document as a model), or
 * its `$schema` is a custom meta-schema; and one group the registry bundles wrongly (draft-07's `$id` beside `$ref`).
 */
export const EXCLUDED = {
  draft7: {
    'refRemote.json': 'remote refs (http://localhost:1234/...): the referenced documents are not models of the workspace',
  },
  'draft2020-12': {
    'refRemote.json': 'remote refs (http://localhost:1234/...): the referenced documents are not models of the workspace',
    'dynamicRef.json: $ref and $dynamicAnchor are independent of order - $defs first': REMOTE_DYNAMIC,
    'dynamicRef.json: $ref and $dynamicAnchor are independent of order - $ref first': REMOTE_DYNAMIC,
    'dynamicRef.json: tests for implementation dynamic anchor and reference link': REMOTE_DYNAMIC,
    'dynamicRef.json: $ref to $dynamicRef finds detached $dynamicAnchor': REMOTE_DYNAMIC,
    'dynamicRef.json: strict-tree schema, guards against misspelled properties': REMOTE_DYNAMIC,
    'vocabulary.json': 'custom meta-schemas (http://localhost:1234/...) that switch vocabularies on and off: metarepo supports the standard drafts only',
  },
};

/**
 * The groups of one draft, in file and group order.
 * @param draft - a folder name of {@link DRAFTS}.
 * @returns `{ file, description, schema, tests: [{ description, data, valid }] }` per group.
 */
export function loadSuite(draft) {
  const dir = path.join(SUITE_DIR, draft);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((file) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')).map((group) => ({ file, ...group })));
}

/** The reason a group is excluded, or undefined. */
export function exclusion(draft, group) {
  const excluded = EXCLUDED[draft] ?? {};
  return excluded[group.file] ?? excluded[`${group.file}: ${group.description}`];
}

/**
 * Measures one draft.
 * @param draft - a folder name of {@link DRAFTS}.
 * @param deps.generate - the typescript generator's `generate` (source or compiled).
 * @param deps.ModelRegistry - the model registry class (source or compiled) that bundles each group's schema.
 * @returns counts (`validAccepted` of `validTotal`, `invalidRejected` of `invalidTotal`, over the groups not
 *   excluded), `excludedGroups`, `rejectedValid`: one `{ group, test, data, reason }` per valid instance the types
 *   reject (the reason is the compiler's message, or why no types were generated), and `rejectedInvalid`: the
 *   invalid instances the types reject, as `<file>: <group> / <test>`.
 */
export async function measureSoundness(draft, { generate, ModelRegistry }) {
  const groups = loadSuite(draft);
  const included = groups.filter((g) => !exclusion(draft, g));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-soundness-'));
  const files = {};
  const problems = new Map(); // group index → why no types were generated
  try {
    for (const [i, group] of included.entries()) {
      try {
        const schema = await bundled(ModelRegistry, path.join(tmp, String(i)), group.schema);
        const [file] = await generate({ model: { name: 'suite', version: '1.0.0', schema }, options: {}, output: 'suite.ts' });
        files[groupFile(i)] = instanceChecks(file.content, group.tests);
      } catch (error) {
        problems.set(i, error instanceof Error ? error.message : String(error));
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const errors = typeErrorLines(files);
  const counts = { validAccepted: 0, validTotal: 0, invalidRejected: 0, invalidTotal: 0 };
  const rejectedValid = [];
  const rejectedInvalid = [];
  for (const [i, group] of included.entries()) {
    const lines = errors.get(groupFile(i));
    const source = files[groupFile(i)];
    const firstCheck = source ? source.split('\n').length - group.tests.length + 1 : 0;
    const declarationErrors = lines ? [...lines].filter(([line]) => line < firstCheck).flatMap(([, m]) => m) : [];
    for (const [j, test] of group.tests.entries()) {
      const reason = problems.get(i) ?? (declarationErrors.length ? `generated types do not compile: ${declarationErrors.join('; ')}` : lines?.get(firstCheck + j)?.join('; '));
      counts[test.valid ? 'validTotal' : 'invalidTotal']++;
      if (test.valid && !reason) counts.validAccepted++;
      else if (!test.valid && reason) {
        counts.invalidRejected++;
        rejectedInvalid.push(`${group.file}: ${group.description} / ${test.description}`);
      }
      else if (test.valid) rejectedValid.push({ group: `${group.file}: ${group.description}`, test: test.description, data: test.data, reason });
    }
  }
  return { draft, groups: groups.length, excludedGroups: groups.length - included.length, ...counts, rejectedValid, rejectedInvalid };
}

const groupFile = (i) => `/virtual/group${i}.ts`;

/**
 * The schema as the generator receives a model: written as the only model of a fresh workspace and bundled by the
 * registry. A boolean schema (which a model file cannot be) goes to the generator as it is.
 */
async function bundled(ModelRegistry, root, schema) {
  if (typeof schema === 'boolean') return schema;
  fs.mkdirSync(path.join(root, 'models/suite'), { recursive: true });
  fs.writeFileSync(path.join(root, 'models/suite/1.0.0.schema.json'), JSON.stringify(schema));
  const registry = await ModelRegistry.load(root);
  return registry.bundle(registry.get('suite', '1.0.0')).schema;
}

/**
 * The generated module followed by one line per test, `export const t<j>: Suite = <instance>;` (the root type is
 * named after the model, `suite`: no schema of the suite has a root `title`).
 */
function instanceChecks(code, tests) {
  if (!/^export (?:type|interface) Suite\b/m.test(code)) throw new Error('no root type Suite in the generated module');
  return [code.trimEnd(), ...tests.map((t, j) => `export const t${j}: Suite = ${literal(t.data)};`)].join('\n');
}

/**
 * A JSON value as a TypeScript expression of one line. An object key `__proto__` is written computed
 * (`["__proto__"]`): written plainly it would set the object's prototype instead of creating a property.
 */
function literal(value) {
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value).map(([k, v]) => `${k === '__proto__' ? `[${JSON.stringify(k)}]` : JSON.stringify(k)}: ${literal(v)}`);
    return `{${members.join(', ')}}`;
  }
  return JSON.stringify(value);
}

const COMPILER_OPTIONS = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  lib: ['lib.es2022.d.ts'],
  types: [],
};

/**
 * Type-checks in-memory modules in one program (`--strict`, ES2022 lib).
 * @param files - absolute virtual file name → source.
 * @returns file name → (1-based line → the compiler's messages there).
 */
function typeErrorLines(files) {
  const host = ts.createCompilerHost(COMPILER_OPTIONS);
  const own = (name) => Object.hasOwn(files, name);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, version, ...rest) => (own(name) ? ts.createSourceFile(name, files[name], version) : getSourceFile.call(host, name, version, ...rest));
  host.fileExists = (name) => own(name) || fileExists.call(host, name);
  host.readFile = (name) => (own(name) ? files[name] : readFile.call(host, name));
  const program = ts.createProgram(Object.keys(files), COMPILER_OPTIONS, host);
  const result = new Map();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const name = d.file?.fileName ?? '(global)';
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    const lines = result.get(name) ?? new Map();
    lines.set(line, [...(lines.get(line) ?? []), ts.flattenDiagnosticMessageText(d.messageText, ' ')]);
    result.set(name, lines);
  }
  return result;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dist = (file) => import(pathToFileURL(path.join(REPO, 'dist', file)).href);
  const { generate } = await dist('plugins/codegen-typescript/generate.js');
  const { ModelRegistry } = await dist('src/models/registry.js');
  for (const draft of DRAFTS) {
    const t0 = process.hrtime.bigint();
    const { rejectedValid, rejectedInvalid, ...figures } = await measureSoundness(draft, { generate, ModelRegistry });
    const seconds = Math.round(Number(process.hrtime.bigint() - t0) / 1e7) / 100;
    const peer = await measureSoundness(draft, { generate: plainLibrary, ModelRegistry });
    report('soundness', {
      ...figures,
      seconds,
      jsttValidAccepted: peer.validAccepted,
      jsttInvalidRejected: peer.invalidRejected,
    });
    for (const r of rejectedValid) process.stderr.write(`${draft} valid instance rejected: ${r.group} / ${r.test}: ${JSON.stringify(r.data)}\n  ${r.reason}\n`);
    if (rejectedValid.length) process.exitCode = 1;
  }
}

/**
 * The peer: json-schema-to-typescript's `compile` on the same bundled schema with its defaults (open objects,
 * `unknown`), offline and unformatted like metarepo's generator, without metarepo's normalisation.
 */
async function plainLibrary({ model }) {
  const { compile } = await import('json-schema-to-typescript');
  const content = await compile(model.schema, model.name, { bannerComment: '', format: false, $refOptions: { resolve: { external: false } } });
  return [{ path: 'suite.ts', content }];
}
