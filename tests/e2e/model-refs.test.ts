// Issue 14, items 3, 4 and 4b through the built CLI: one model with bad `$ref`s fails its own target only, and the
// run lists every unresolved reference with its position; duplicate `$id`s leave the rest of the workspace usable;
// a `$ref` to an official meta-schema resolves offline.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { metarepoAsync as metarepo, setTargets, tempDir, writeModel } from './cli.js';

async function workspace(models: Record<string, Record<string, unknown>>): Promise<string> {
  const dir = tempDir();
  expect((await metarepo(dir, ['init', '--name', 'refs'])).code).toBe(0);
  for (const [name, schema] of Object.entries(models)) writeModel(dir, name, '1.0.0', schema);
  setTargets(
    dir,
    Object.keys(models).flatMap((name) => [`  - model: ${name}`, '    generator: typescript', `    output: gen/${name}.ts`]),
  );
  return dir;
}

describe('unresolved references', () => {
  it('fail only the targets that need them, each listed with file, line and column; the others generate; exit 1', async () => {
    const dir = await workspace({
      good: { title: 'Good', type: 'object', properties: { id: { type: 'string' } } },
      broken: {
        title: 'Broken',
        type: 'object',
        properties: {
          a: { $ref: '../missing/1.0.0.schema.json' },
          b: { $ref: '#/definitions/nowhere' },
          c: { $ref: 'https://example.com/unknown' },
        },
      },
    });
    const r = await metarepo(dir, ['generate']);
    expect(r.code, r.stderr).toBe(1);
    expect(fs.readFileSync(path.join(dir, 'gen/good.ts'), 'utf8')).toContain('export interface Good');
    expect(fs.existsSync(path.join(dir, 'gen/broken.ts'))).toBe(false);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/models\/broken\/1\.0\.0\.schema\.json:\d+:\d+: Cannot resolve \$ref "\.\.\/missing\/1\.0\.0\.schema\.json"/);
    expect(out).toMatch(/models\/broken\/1\.0\.0\.schema\.json:\d+:\d+: Cannot resolve \$ref "#\/definitions\/nowhere"/);
    expect(out).toMatch(/models\/broken\/1\.0\.0\.schema\.json:\d+:\d+: Cannot resolve \$ref "https:\/\/example\.com\/unknown"/);
    const check = await metarepo(dir, ['generate', '--check']);
    expect(check.code).toBe(1);
    expect(check.stdout).not.toContain('up to date');
    const json = JSON.parse((await metarepo(dir, ['generate', '--json'])).stdout) as { targets: Array<{ target: string; status: string }> };
    expect(json.targets.map((t) => [t.target, t.status])).toEqual([
      ['gen/good.ts', 'up-to-date'],
      ['gen/broken.ts', 'failed'],
    ]);
  });
});

describe('duplicate $ids and meta-schemas', () => {
  it('model list works with duplicate $ids; generate fails only the models involved, naming every file', async () => {
    const dir = await workspace({
      one: { $id: 'https://example.com/same/1.0.0', type: 'object', properties: { x: { type: 'string' } } },
      two: { $id: 'https://example.com/same/1.0.0', type: 'object', properties: { y: { type: 'string' } } },
      fine: { title: 'Fine', type: 'object', properties: { plugin: { $ref: 'http://json-schema.org/draft-07/schema#' } } },
    });
    const list = await metarepo(dir, ['model', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain('one');
    const r = await metarepo(dir, ['generate']);
    expect(r.code, r.stderr).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toContain('same $id "https://example.com/same/1.0.0": models/one/1.0.0.schema.json, models/two/1.0.0.schema.json');
    expect(fs.readFileSync(path.join(dir, 'gen/fine.ts'), 'utf8')).toContain('export interface Fine');
  });
});
