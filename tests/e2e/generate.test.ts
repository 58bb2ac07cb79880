import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { metarepo, setTargets, snapshotTree, tempDir, writeModel } from './cli.js';

const userV1 = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://example.test/models/user/1.0.0',
  title: 'User',
  description: 'A user.',
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string' }, address: { $ref: '../address/1.0.0.schema.json' } },
};
const addressV1 = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Address',
  description: 'A postal address.',
  type: 'object',
  properties: { city: { type: 'string' } },
};

function workspace(): string {
  const dir = tempDir();
  expect(metarepo(dir, ['init', '--name', 'demo']).code).toBe(0);
  writeModel(dir, 'user', '1.0.0', userV1);
  writeModel(dir, 'address', '1.0.0', addressV1);
  setTargets(dir, [
    '  - model: user@^1',
    '    generator: typescript',
    '    output: projects/api/src/generated/user.ts',
  ]);
  return dir;
}

describe('metarepo generate', () => {
  it('generates, detects a model change with --check, regenerates, then --check passes', () => {
    const dir = workspace();
    const first = metarepo(dir, ['generate']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const out = path.join(dir, 'projects/api/src/generated/user.ts');
    const ts = fs.readFileSync(out, 'utf8');
    expect(ts).toMatch(/export interface User/);
    expect(ts).toMatch(/city\?: string/);
    expect(metarepo(dir, ['generate', '--check']).code).toBe(0);

    writeModel(dir, 'user', '1.1.0', { ...userV1, properties: { ...userV1.properties, email: { type: 'string' } } });
    const stale = metarepo(dir, ['generate', '--check']);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain('projects/api/src/generated/user.ts');
    expect(fs.readFileSync(out, 'utf8')).toBe(ts); // --check writes nothing

    expect(metarepo(dir, ['generate']).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toMatch(/email\?: string/);
    expect(metarepo(dir, ['generate', '--check']).code).toBe(0);
  });

  it('is a no-op on unchanged inputs and byte-identical across runs', () => {
    const dir = workspace();
    metarepo(dir, ['generate']);
    const before = snapshotTree(dir);
    const again = metarepo(dir, ['generate', '--json']);
    expect(again.code).toBe(0);
    const report = JSON.parse(again.stdout);
    expect(report.targets[0].status).toBe('up-to-date');
    expect(report.changes).toEqual([]);
    expect(snapshotTree(dir)).toEqual(before);
    // A fresh workspace with the same inputs produces the same bytes.
    const other = workspace();
    metarepo(other, ['generate']);
    const file = 'projects/api/src/generated/user.ts';
    expect(fs.readFileSync(path.join(other, file), 'utf8')).toBe(before[file]);
  });

  it('refuses to overwrite a generated file edited by hand, and leaves it byte-identical; --force overwrites', () => {
    const dir = workspace();
    metarepo(dir, ['generate']);
    const out = path.join(dir, 'projects/api/src/generated/user.ts');
    const edited = `${fs.readFileSync(out, 'utf8')}\n// my note\n`;
    fs.writeFileSync(out, edited);
    writeModel(dir, 'user', '1.1.0', { ...userV1, properties: { ...userV1.properties, email: { type: 'string' } } });
    const refused = metarepo(dir, ['generate']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('projects/api/src/generated/user.ts');
    expect(refused.stderr).toContain('--force');
    expect(refused.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(fs.readFileSync(out, 'utf8')).toBe(edited);
    const status = JSON.parse(metarepo(dir, ['status', '--json']).stdout);
    expect(status.edited).toEqual(['projects/api/src/generated/user.ts']);
    expect(metarepo(dir, ['generate', '--force']).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toMatch(/email\?: string/);
  });

  it('removes the output of a removed target and reports it', () => {
    const dir = workspace();
    setTargets(dir, [
      '  - model: user@^1',
      '    generator: typescript',
      '    output: projects/api/src/generated/user.ts',
      '  - model: address',
      '    generator: typescript',
      '    output: projects/api/src/generated/address.ts',
    ]);
    expect(metarepo(dir, ['generate']).code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'projects/api/src/generated/address.ts'))).toBe(true);
    setTargets(dir, ['  - model: user@^1', '    generator: typescript', '    output: projects/api/src/generated/user.ts']);
    const r = metarepo(dir, ['generate']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('remove projects/api/src/generated/address.ts');
    expect(fs.existsSync(path.join(dir, 'projects/api/src/generated/address.ts'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'projects/api/src/generated/user.ts'))).toBe(true);
  });

  it('--dry-run prints the changes and writes nothing', () => {
    const dir = workspace();
    const before = snapshotTree(dir);
    const r = metarepo(dir, ['generate', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('create projects/api/src/generated/user.ts');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('generates other languages through quicktype', () => {
    const dir = workspace();
    setTargets(dir, [
      '  - model: user@^1',
      '    generator: quicktype',
      '    output: gen/user.py',
      '    options: { lang: python }',
      '  - model: user@^1',
      '    generator: quicktype',
      '    output: gen/user.go',
      '    options: { lang: go }',
    ]);
    const r = metarepo(dir, ['generate']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'gen/user.py'), 'utf8')).toMatch(/class User/);
    expect(fs.readFileSync(path.join(dir, 'gen/user.go'), 'utf8')).toMatch(/type User struct/);
  });
});
