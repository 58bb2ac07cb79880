import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { metarepoAsync as metarepo, setTargets, snapshotTree, writeModel } from './cli.js';
import { initWorkspace, userModel } from './workspaces.js';

const userV1 = userModel({ address: { $ref: '../address/1.0.0.schema.json' } });
const addressV1 = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Address',
  description: 'A postal address.',
  type: 'object',
  properties: { city: { type: 'string' } },
};

async function workspace(): Promise<string> {
  const dir = await initWorkspace('demo');
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
  it('generates, detects a model change with --check, regenerates, then --check passes', async () => {
    const dir = await workspace();
    const first = await metarepo(dir, ['generate']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const out = path.join(dir, 'projects/api/src/generated/user.ts');
    const ts = fs.readFileSync(out, 'utf8');
    expect(ts).toMatch(/export interface User/);
    expect(ts).toMatch(/city\?: string/);
    expect((await metarepo(dir, ['generate', '--check'])).code).toBe(0);

    writeModel(dir, 'user', '1.1.0', { ...userV1, properties: { ...userV1.properties, email: { type: 'string' } } });
    const stale = await metarepo(dir, ['generate', '--check']);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain('projects/api/src/generated/user.ts');
    expect(fs.readFileSync(out, 'utf8')).toBe(ts); // --check writes nothing

    expect((await metarepo(dir, ['generate'])).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toMatch(/email\?: string/);
    expect((await metarepo(dir, ['generate', '--check'])).code).toBe(0);
  });

  it('is a no-op on unchanged inputs and byte-identical across runs', async () => {
    const dir = await workspace();
    await metarepo(dir, ['generate']);
    const before = snapshotTree(dir);
    const again = await metarepo(dir, ['generate', '--json']);
    expect(again.code).toBe(0);
    const report = JSON.parse(again.stdout);
    expect(report.targets[0].status).toBe('up-to-date');
    expect(report.changes).toEqual([]);
    expect(snapshotTree(dir)).toEqual(before);
    // A fresh workspace with the same inputs produces the same bytes.
    const other = await workspace();
    await metarepo(other, ['generate']);
    const file = 'projects/api/src/generated/user.ts';
    expect(fs.readFileSync(path.join(other, file), 'utf8')).toBe(before[file]);
  });

  it('refuses to overwrite a generated file edited by hand, and leaves it byte-identical; --force overwrites', async () => {
    const dir = await workspace();
    await metarepo(dir, ['generate']);
    const out = path.join(dir, 'projects/api/src/generated/user.ts');
    const edited = `${fs.readFileSync(out, 'utf8')}\n// my note\n`;
    fs.writeFileSync(out, edited);
    writeModel(dir, 'user', '1.1.0', { ...userV1, properties: { ...userV1.properties, email: { type: 'string' } } });
    const refused = await metarepo(dir, ['generate']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('projects/api/src/generated/user.ts');
    expect(refused.stderr).toContain('--force');
    expect(refused.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(fs.readFileSync(out, 'utf8')).toBe(edited);
    const status = JSON.parse((await metarepo(dir, ['status', '--json'])).stdout);
    expect(status.edited).toEqual(['projects/api/src/generated/user.ts']);
    expect((await metarepo(dir, ['generate', '--force'])).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toMatch(/email\?: string/);
  });

  it('removes the output of a removed target and reports it', async () => {
    const dir = await workspace();
    setTargets(dir, [
      '  - model: user@^1',
      '    generator: typescript',
      '    output: projects/api/src/generated/user.ts',
      '  - model: address',
      '    generator: typescript',
      '    output: projects/api/src/generated/address.ts',
    ]);
    expect((await metarepo(dir, ['generate'])).code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'projects/api/src/generated/address.ts'))).toBe(true);
    setTargets(dir, ['  - model: user@^1', '    generator: typescript', '    output: projects/api/src/generated/user.ts']);
    const r = await metarepo(dir, ['generate']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('remove projects/api/src/generated/address.ts');
    expect(fs.existsSync(path.join(dir, 'projects/api/src/generated/address.ts'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'projects/api/src/generated/user.ts'))).toBe(true);
  });

  it('--dry-run prints the changes and writes nothing', async () => {
    const dir = await workspace();
    const before = snapshotTree(dir);
    const r = await metarepo(dir, ['generate', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('create projects/api/src/generated/user.ts');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('generates other languages through quicktype', async () => {
    const dir = await workspace();
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
    const r = await metarepo(dir, ['generate']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'gen/user.py'), 'utf8')).toMatch(/class User/);
    expect(fs.readFileSync(path.join(dir, 'gen/user.go'), 'utf8')).toMatch(/type User struct/);
  });
});
