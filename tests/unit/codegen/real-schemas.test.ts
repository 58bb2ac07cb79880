// The built-in codegen generators on real-world schemas: every example model (octokit webhooks split into
// 11 models, OpenAPI 2.0/3.0/3.1), bundled by the model registry, through the codegen worker pool; the
// output must pass each language's own syntax check (tsc --strict, py_compile, gofmt -e, rustfmt).
// quicktype runs on a subset that covers every model it used to fail on (empty union from `format`
// inside `allOf`) and every OpenAPI version, in four languages, to stay well under a minute on 2 cores.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExampleModels } from '../../../examples/real-schemas/build-models.mjs';
import { createCodegenPool, type CodegenPool } from '../../../src/engine/worker/pool.js';
import { ModelRegistry } from '../../../src/models/registry.js';
import type { CodegenModel, GeneratedFile } from '../../../src/plugins/api.js';
import { distUrl } from './dist.js';
import { typeErrors } from './typecheck.js';

const typescript = { name: 'typescript', module: distUrl('plugins/codegen-typescript/generate.js').href };
const quicktype = { name: 'quicktype', module: distUrl('plugins/codegen-quicktype/generate.js').href };

/** Models quicktype runs on: the ones that failed before normalisation, the big root, and all of OpenAPI. */
const QUICKTYPE_MODELS = [
  'webhooks-push@1.0.0',
  'webhooks-issues@1.0.0',
  'webhooks-organization@1.0.0',
  'webhooks-security@1.0.0',
  'webhooks@1.0.0',
  'openapi@2.0.0',
  'openapi@3.0.0',
  'openapi@3.1.0',
];
/** File extension per quicktype language. */
const EXTENSIONS = { typescript: 'ts', python: 'py', go: 'go', rust: 'rs' } as const;

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

let dir: string;
let pool: CodegenPool;
const models = new Map<string, CodegenModel>();

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-real-codegen-'));
  await buildExampleModels(path.join(dir, 'models'));
  const registry = await ModelRegistry.load(dir);
  for (const record of registry.list()) {
    models.set(`${record.name}@${record.version}`, { name: record.name, version: record.version, schema: registry.bundle(record).schema });
  }
  pool = createCodegenPool({ workerUrl: distUrl('src/engine/worker/worker.js'), size: 2 });
});

afterAll(async () => {
  await pool?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs `generator` on each model (output `gen/<lang>/<model>.<ext>`), all queued at once. Returns model →
 * files, or model → reason for the jobs that failed, so one expectation names every failure.
 */
async function generateAll(generator: typeof typescript, keys: string[], lang: keyof typeof EXTENSIONS, options: Record<string, unknown> = {}) {
  const results = await Promise.all(
    keys.map((key) => pool.run(generator, { model: models.get(key)!, options, output: `gen/${lang}/${key.replace('@', '-')}.${EXTENSIONS[lang]}` })),
  );
  const failures = Object.fromEntries(keys.flatMap((key, i) => (results[i]!.ok ? [] : [[key, (results[i] as { reason: string }).reason]])));
  const files = results.flatMap((r) => (r.ok ? r.files : []));
  return { failures, files };
}

/** quicktype's Go and Rust output, generated once for the test that checks it and the one that syntax-checks it. */
let goOutput: ReturnType<typeof generateAll> | undefined;
let rustOutput: ReturnType<typeof generateAll> | undefined;
const quicktypeGo = () => (goOutput ??= generateAll(quicktype, QUICKTYPE_MODELS, 'go', { lang: 'go' }));
const quicktypeRust = () => (rustOutput ??= generateAll(quicktype, QUICKTYPE_MODELS, 'rust', { lang: 'rust' }));

/** Writes generated files under the temp dir; returns their absolute paths. */
function writeFiles(files: GeneratedFile[]): string[] {
  return files.map((f) => {
    const file = path.join(dir, f.path);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, f.content);
    return file;
  });
}

/** tsc --strict errors per file (none expected), after a sanity check that each file declares something. */
function expectStrictTypescript(files: GeneratedFile[]): void {
  for (const f of files) expect(f.content, f.path).toMatch(/^export (interface|type|class) /m);
  const errors = typeErrors(Object.fromEntries(files.map((f) => [`/virtual/${f.path}`, f.content])));
  expect(Object.fromEntries([...errors].filter(([, list]) => list.length > 0))).toEqual({});
}

describe('built-in generators on the real-world example models', () => {
  it('bundles all 14 example models', () => {
    expect([...models.keys()]).toEqual([
      'openapi@2.0.0',
      'openapi@3.0.0',
      'openapi@3.1.0',
      'webhooks@1.0.0',
      'webhooks-actions@1.0.0',
      'webhooks-common@1.0.0',
      'webhooks-discussions@1.0.0',
      'webhooks-issues@1.0.0',
      'webhooks-organization@1.0.0',
      'webhooks-projects@1.0.0',
      'webhooks-pull-request@1.0.0',
      'webhooks-push@1.0.0',
      'webhooks-repository@1.0.0',
      'webhooks-security@1.0.0',
    ]);
  });

  it('typescript: every model generates and passes tsc --strict', async () => {
    const { failures, files } = await generateAll(typescript, [...models.keys()], 'typescript');
    expect(failures).toEqual({});
    expect(files).toHaveLength(models.size);
    expectStrictTypescript(files);
    // OpenAPI 3.1's `*-or-reference` schemas (if/then/else) type as unions, not as unknown.
    const openapi31 = files.find((f) => f.path.endsWith('openapi-3.1.0.ts'))!.content;
    expect(openapi31).toContain('export type ParameterOrReference = (Reference | Parameter)');
    expect(openapi31).toMatch(/\n {2}deprecated\?: boolean\n/);
  });

  it('quicktype typescript: passes tsc --strict', async () => {
    const { failures, files } = await generateAll(quicktype, QUICKTYPE_MODELS, 'typescript', { lang: 'typescript' });
    expect(failures).toEqual({});
    expectStrictTypescript(files);
  });

  it('quicktype python: passes py_compile', async () => {
    const { failures, files } = await generateAll(quicktype, QUICKTYPE_MODELS, 'python', { lang: 'python' });
    expect(failures).toEqual({});
    const check = spawnSync('python3', ['-m', 'py_compile', ...writeFiles(files)], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    // date-time strings stay strings: quicktype's datetime parsing would reject strings outside the format.
    expect(files.find((f) => f.path.endsWith('webhooks-push-1.0.0.py'))!.content).not.toContain('datetime');
  });

  it('quicktype go: every model generates a Go file', async () => {
    const { failures, files } = await quicktypeGo();
    expect(failures).toEqual({});
    expect(files).toHaveLength(QUICKTYPE_MODELS.length);
    expect(files.every((f) => f.content.includes('package main'))).toBe(true);
  });

  // Without gofmt this shows as skipped in vitest's summary (.ci/run installs Debian golang-go).
  it.skipIf(!has('gofmt'))('quicktype go: gofmt-clean (gofmt -l lists no file: CI running gofmt never fights --check)', async () => {
    const { failures, files } = await quicktypeGo();
    expect(failures).toEqual({});
    const paths = writeFiles(files);
    expect(paths).toHaveLength(QUICKTYPE_MODELS.length);
    const check = spawnSync('gofmt', ['-e', '-l', ...paths], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    expect(check.stdout.split('\n').filter(Boolean).map((f) => path.basename(f))).toEqual([]);
  });

  it('quicktype rust: every model generates a Rust file', async () => {
    const { failures, files } = await quicktypeRust();
    expect(failures).toEqual({});
    expect(files).toHaveLength(QUICKTYPE_MODELS.length);
    expect(files.every((f) => f.content.includes('use serde::{Serialize, Deserialize};'))).toBe(true);
  });

  // Without rustfmt this shows as skipped in vitest's summary (.ci/run installs Debian rustfmt).
  it.skipIf(!has('rustfmt'))('quicktype rust: rustfmt parses it', async () => {
    const { failures, files } = await quicktypeRust();
    expect(failures).toEqual({});
    const paths = writeFiles(files);
    expect(paths).toHaveLength(QUICKTYPE_MODELS.length);
    // --emit stdout: a parse error fails, a mere formatting difference does not.
    const check = spawnSync('rustfmt', ['--edition', '2021', '--emit', 'stdout', ...paths], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('is deterministic on a real model', async () => {
    const [first, second] = await Promise.all([1, 2].map(() => generateAll(quicktype, ['webhooks-push@1.0.0'], 'python', { lang: 'python' })));
    expect(second!.files).toEqual(first!.files);
  });
});
