import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generatorSourcesHash } from '../../../src/engine/generator-sources.js';

function workspace(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-sources-'));
  fs.mkdirSync(path.join(root, 'plugins/g'), { recursive: true });
  fs.mkdirSync(path.join(root, 'templates/g/partials'), { recursive: true });
  fs.writeFileSync(path.join(root, 'plugins/g/generate.mjs'), 'export async function generate() { return []; }\n');
  fs.writeFileSync(path.join(root, 'templates/g/main.hbs'), 'main');
  fs.writeFileSync(path.join(root, 'templates/g/partials/p.hbs'), 'p');
  return root;
}

describe('generatorSourcesHash', () => {
  it("changes with a workspace module's content and with any file of a declared folder", async () => {
    const root = workspace();
    const g = { name: 'g', version: '1.0.0', module: pathToFileURL(path.join(root, 'plugins/g/generate.mjs')).href, inputs: [path.join(root, 'templates/g')] };
    const first = await generatorSourcesHash(root, g);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(await generatorSourcesHash(root, g)).toBe(first);
    fs.writeFileSync(path.join(root, 'templates/g/partials/p.hbs'), 'p2');
    const second = await generatorSourcesHash(root, g);
    expect(second).not.toBe(first);
    fs.appendFileSync(path.join(root, 'plugins/g/generate.mjs'), '// edited\n');
    const third = await generatorSourcesHash(root, g);
    expect(third).not.toBe(second);
    // A helper the module imports, elsewhere in its package (the folder of the nearest package.json).
    fs.writeFileSync(path.join(root, 'plugins/g/package.json'), '{"name":"g"}');
    fs.mkdirSync(path.join(root, 'plugins/g/lib'));
    fs.mkdirSync(path.join(root, 'plugins/g/src'));
    fs.renameSync(path.join(root, 'plugins/g/generate.mjs'), path.join(root, 'plugins/g/src/generate.mjs'));
    fs.writeFileSync(path.join(root, 'plugins/g/lib/helper.mjs'), 'export const x = 1;\n');
    const moved = { ...g, module: pathToFileURL(path.join(root, 'plugins/g/src/generate.mjs')).href };
    const withHelper = await generatorSourcesHash(root, moved);
    fs.writeFileSync(path.join(root, 'plugins/g/lib/helper.mjs'), 'export const x = 2;\n');
    expect(await generatorSourcesHash(root, moved)).not.toBe(withHelper);
  });

  it('is empty for a generator outside the workspace without inputs (metarepo’s version covers built-ins)', async () => {
    const root = workspace();
    expect(await generatorSourcesHash(root, { name: 'b', version: '1.0.0', module: pathToFileURL(path.join(os.tmpdir(), 'elsewhere.mjs')).href })).toBe('');
  });

  it('names the generator and the path of a declared input that does not exist', async () => {
    const root = workspace();
    const missing = path.join(root, 'templates/nope');
    await expect(generatorSourcesHash(root, { name: 'g', version: '1.0.0', module: 'x', inputs: [missing] })).rejects.toThrow(`Generator g declares the input ${missing}, which does not exist.`);
  });
});
