import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareModelAdd as prepareSet } from '../../../src/models/add.js';
import { ModelRegistry } from '../../../src/models/registry.js';
import { caught, workspace } from './helpers.js';

/** The one file `model add <name> --from <file>` plans (the file named `display`, relative to the workspace root). */
const prepareModelAdd = (registry: ModelRegistry, name: string, text: string, display: string) =>
  prepareSet(registry, [{ file: path.join(registry.root, display), display, rel: path.basename(display), text }], { name }).files[0];

const load = () =>
  ModelRegistry.load(workspace({ 'models/user/1.0.0.schema.json': { $id: 'https://example.com/user', type: 'object' } }));

describe('prepareModelAdd', () => {
  it('plans models/<name>/1.0.0.schema.json with the source text, writing nothing', async () => {
    const registry = await load();
    const source = '{\n  "type": "object",\n  "properties": { "sku": { "type": "string" } }\n}';
    const planned = prepareModelAdd(registry, 'order-line', source, 'in/order.json');
    expect(planned).toEqual({ path: 'models/order-line/1.0.0.schema.json', content: source + '\n' });
    expect(fs.existsSync(path.join(registry.root, planned.path))).toBe(false);
  });

  it('uses the registry models folder', async () => {
    const registry = await ModelRegistry.load(workspace({}), { modelsDir: './schemas/' });
    expect(prepareModelAdd(registry, 'a', '{}\n', 'a.json').path).toBe('schemas/a/1.0.0.schema.json');
  });

  it('locates a JSON syntax error in the source file', async () => {
    const err = await caught(async () => prepareModelAdd(await load(), 'order', '{\n  "type": "object"\n  "title": "x"\n}', 'in/order.json'));
    expect(err.exitCode).toBe(2);
    expect(err.location).toEqual({ file: 'in/order.json', line: 3, column: 3 });
    expect(err.message).toContain('in/order.json is not valid JSON');
  });

  it('locates every invalid keyword of the source schema', async () => {
    const source = '{\n  "type": "objekt",\n  "properties": {\n    "n": { "minLength": -1 }\n  }\n}';
    const err = await caught(async () => prepareModelAdd(await load(), 'order', source, 'in/order.json'));
    expect(err.location).toEqual({ file: 'in/order.json', line: 2, column: 3 });
    expect(err.details).toEqual([
      expect.stringMatching(/^in\/order\.json:2:3: .*\/type must be equal to one of the allowed values/),
      expect.stringMatching(/^in\/order\.json:4:12: .*\/properties\/n\/minLength must be >= 0/),
    ]);
  });

  it('refuses an existing model, pointing at model bump', async () => {
    const err = await caught(async () => prepareModelAdd(await load(), 'user', '{}', 'u.json'));
    expect(err.message).toContain('already exists (versions 1.0.0)');
    expect(err.hint).toContain('metarepo model bump user');
  });

  it('refuses a name that is not kebab-case and an $id another model has', async () => {
    const registry = await load();
    expect((await caught(() => prepareModelAdd(registry, 'OrderLine', '{}', 'o.json'))).message).toContain('kebab-case');
    const err = await caught(() => prepareModelAdd(registry, 'person', '{\n  "$id": "https://example.com/user#"\n}', 'p.json'));
    expect(err.message).toContain('$id "https://example.com/user#" of model user@1.0.0');
    expect(err.location).toEqual({ file: 'p.json', line: 2, column: 3 });
  });
});
