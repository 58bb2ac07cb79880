import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { metarepoAsync as metarepo, setTargets, tempDir, writeModel } from './cli.js';
import { initWorkspace } from './workspaces.js';
import { userSchema as user } from './models.js';

const OUT = 'projects/api/src/generated/user.ts';

/** A workspace with user@1.0.0 generated, and the generated file edited by a person (`edit`). */
async function editedWorkspace(edit: (text: string) => string): Promise<{ dir: string; out: string }> {
  const dir = await initWorkspace('demo');
  writeModel(dir, 'user', '1.0.0', user('Display name.'));
  setTargets(dir, ['  - model: user', '    generator: typescript', `    output: ${OUT}`]);
  expect((await metarepo(dir, ['generate'])).code).toBe(0);
  const out = path.join(dir, OUT);
  fs.writeFileSync(out, edit(fs.readFileSync(out, 'utf8')));
  return { dir, out };
}

const NOTE = '  // Reviewed by the API team.\n';
const addNote = (t: string) => t.replace('export interface User {\n', `export interface User {\n${NOTE}`);
const editNameDoc = (t: string) => t.replace('Display name.', 'Display name, as typed.');

describe('metarepo generate --merge', () => {
  it('without --merge refuses to overwrite the edited file', async () => {
    const { dir, out } = await editedWorkspace(addNote);
    writeModel(dir, 'user', '1.1.0', user('Display name.', { email: { type: 'string' } }));
    const before = fs.readFileSync(out, 'utf8');
    const r = await metarepo(dir, ['generate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('edited by hand');
    expect(fs.readFileSync(out, 'utf8')).toBe(before);
  });

  it('merges a clean edit with the new output, and the next run keeps it', async () => {
    const { dir, out } = await editedWorkspace(addNote);
    writeModel(dir, 'user', '1.1.0', user('Display name.', { email: { type: 'string' } }));
    const r = await metarepo(dir, ['generate', '--merge']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`update ${OUT} (merged with your edits)`);
    const text = fs.readFileSync(out, 'utf8');
    expect(text).toContain(`export interface User {\n${NOTE}`);
    expect(text).toMatch(/email\?: string/);
    // Nothing changed since: a second merge run writes nothing and keeps the edit.
    const again = await metarepo(dir, ['generate', '--merge']);
    expect(again.code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(text);
    // A further model change merges against the new base (the output of 1.1.0), not the first one.
    writeModel(dir, 'user', '1.2.0', user('Display name.', { email: { type: 'string' }, age: { type: 'integer' } }));
    expect((await metarepo(dir, ['generate', '--merge'])).code).toBe(0);
    const third = fs.readFileSync(out, 'utf8');
    expect(third).toContain(NOTE);
    expect(third).toMatch(/age\?: number/);
    expect(third.match(/email\?: string/g)).toHaveLength(1);
  });

  it('leaves a conflicting file untouched and reports the hunk', async () => {
    const { dir, out } = await editedWorkspace(editNameDoc);
    writeModel(dir, 'user', '1.1.0', user('The full display name.'));
    const before = fs.readFileSync(out, 'utf8');
    const r = await metarepo(dir, ['generate', '--merge']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`conflict ${OUT}: left untouched`);
    expect(r.stdout).toMatch(/< +\* Display name, as typed\./);
    expect(r.stdout).toMatch(/> +\* The full display name\./);
    expect(fs.readFileSync(out, 'utf8')).toBe(before);
    const json = JSON.parse((await metarepo(dir, ['generate', '--merge', '--json'])).stdout);
    expect(json.conflicts[0]).toMatchObject({ file: OUT, resolution: 'untouched' });
    expect(json.conflicts[0].hunks[0].ours[0]).toContain('Display name, as typed.');
  });

  it('writes conflict markers with --conflicts=markers; resolving them makes the next merge clean', async () => {
    const { dir, out } = await editedWorkspace(editNameDoc);
    writeModel(dir, 'user', '1.1.0', user('The full display name.'));
    const r = await metarepo(dir, ['generate', '--merge', '--conflicts', 'markers']);
    expect(r.code).toBe(1);
    const text = fs.readFileSync(out, 'utf8');
    expect(text).toMatch(/<<<<<<< ours \(on disk\)\n.*Display name, as typed\.\n\|\|\|\|\|\|\| base\n.*Display name\.\n=======\n.*The full display name\.\n>>>>>>> theirs \(generated\)\n/);
    fs.writeFileSync(out, text.replace(/<<<<<<<[^]*?>>>>>>> theirs \(generated\)\n/, '   * The full display name, as typed.\n'));
    const next = await metarepo(dir, ['generate', '--merge']);
    expect(next.code, next.stdout).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toContain('The full display name, as typed.');
  });

  it('rejects an unknown --conflicts mode as bad usage', async () => {
    const r = await metarepo(tempDir(), ['generate', '--merge', '--conflicts', 'theirs']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Allowed choices are report, markers');
  });
});
