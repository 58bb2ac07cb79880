// `metarepo model infer` through the built CLI in a temp workspace: samples → draft → bump → generated TypeScript
// that compiles; a TypeScript type as the source; refinement printing the diff; bad samples located.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, metarepoAsync, runAsync, setTargets } from './cli.js';
import { initWorkspace } from './workspaces.js';

const FIXTURES = path.join(REPO_ROOT, 'tests/fixtures/infer');

/** An initialised workspace with the infer fixtures copied to samples/. */
async function workspace(): Promise<string> {
  const dir = await initWorkspace('infer');
  fs.cpSync(FIXTURES, path.join(dir, 'samples'), { recursive: true });
  return dir;
}

const readJson = (dir: string, file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));

describe('metarepo model infer', () => {
  it('infers a draft from 3 JSON and 1 YAML samples; bump releases it; the typescript target compiles', async () => {
    const dir = await workspace();
    const r = await metarepoAsync(dir, ['model', 'infer', 'order', '--from', 'samples/a.json', 'samples/b.json', 'samples/c.json', 'samples/d.yaml']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Inferred order from 4 source(s) into models/order/draft.schema.json');
    const draft = readJson(dir, 'models/order/draft.schema.json');
    expect(draft.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(draft.title).toBe('Order');
    expect(draft.properties.id).toEqual({ type: 'string', format: 'uuid' });
    expect(draft.properties.createdAt).toEqual({ type: 'string', format: 'date-time' });
    expect(draft.properties.status).toEqual({ type: 'string', enum: ['open', 'paid'] });
    expect(draft.properties.total).toEqual({ type: 'number' });
    expect(draft.required).toEqual(['id', 'status', 'email', 'createdAt', 'total', 'lines']); // `note` is in one sample only
    expect(draft.$defs.Line.properties.qty).toEqual({ type: 'integer' });

    const bump = await metarepoAsync(dir, ['model', 'bump', 'order']);
    expect(bump.code, bump.stderr).toBe(0);
    expect(fs.existsSync(path.join(dir, 'models/order/1.0.0.schema.json'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'models/order/draft.schema.json'))).toBe(false);

    setTargets(dir, ['  - model: order', '    generator: typescript', '    output: gen/order.ts']);
    const gen = await metarepoAsync(dir, ['generate']);
    expect(gen.code, gen.stderr).toBe(0);
    // The generated types accept a sample: a file assigning one to the root type must compile.
    fs.writeFileSync(path.join(dir, 'gen/use.ts'), `import type { Order } from './order.js';\nexport const a: Order = ${fs.readFileSync(path.join(FIXTURES, 'a.json'), 'utf8')};\n`);
    const tsc = await runAsync(process.execPath, [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--skipLibCheck', '--target', 'ES2022', '--module', 'nodenext', 'gen/order.ts', 'gen/use.ts'], { cwd: dir });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);

    // Refining with a sample that adds optional properties prints the diff as `model diff` does: a minor change.
    const refine = await metarepoAsync(dir, ['model', 'infer', 'order', '--from', 'samples/e.json']);
    expect(refine.code, refine.stderr).toBe(0);
    expect(refine.stdout).toContain('Refined order from models/order/1.0.0.schema.json');
    expect(refine.stdout).toContain('order 1.0.0 → draft (policy backward): 3 change(s); requires a minor bump');
    expect(refine.stdout).toMatch(/· PROPERTY_ADDED_OPTIONAL_CLOSED +\/properties\/coupon/);
    expect(refine.stdout).toMatch(/· PROPERTY_ADDED_OPTIONAL_CLOSED +\/definitions\/Line\/properties\/gift/);
    const refined = readJson(dir, 'models/order/draft.schema.json');
    expect(refined.required).toEqual(draft.required); // e.json has every required property: nothing relaxed
    expect(refined.properties.coupon).toEqual({ type: 'string' });
    const diff = await metarepoAsync(dir, ['model', 'diff', 'order', '--json']);
    expect(JSON.parse(diff.stdout).required).toBe('minor');
    const release = await metarepoAsync(dir, ['model', 'bump', 'order']);
    expect(release.stdout).toContain('Released order@1.1.0 (minor bump from 1.0.0');
    // Samples the newest version accepts as it is: no draft.
    const again = await metarepoAsync(dir, ['model', 'infer', 'order', '--from', 'samples/a.json', 'samples/e.json']);
    expect(again.stdout).toContain('order@1.1.0 already accepts the 2 source(s) as they are; no draft written.');
    expect(fs.existsSync(path.join(dir, 'models/order/draft.schema.json'))).toBe(false);
  });

  it('infers a draft from a TypeScript type (file.ts#Type)', async () => {
    const dir = await workspace();
    const r = await metarepoAsync(dir, ['model', 'infer', 'customer', '--from', 'samples/customer.ts#Customer', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ model: 'customer', draft: 'models/customer/draft.schema.json', written: true, types: ['samples/customer.ts#Customer'], diff: null });
    const draft = readJson(dir, 'models/customer/draft.schema.json');
    expect(draft).toMatchObject({ title: 'Customer', description: 'A customer of the shop.', required: ['id', 'tier', 'since', 'address', 'tags'] });
    expect(draft.properties.tier).toEqual({ type: 'string', enum: ['gold', 'silver'] });
    expect(draft.properties.since).toEqual({ type: 'string', format: 'date-time' });
    expect(draft.properties.address).toEqual({ $ref: '#/$defs/Address' });
    expect(draft.$defs.Address.required).toEqual(['city']);
  });

  it.each([
    ['samples/bad.json', 'samples/bad.json:2:18', 'is not valid JSON'],
    ['samples/bad.yaml', 'samples/bad.yaml:2:9', 'is not valid YAML'],
  ])('a malformed sample (%s) is bad input: exit 2 with its position, nothing written', async (file, where, what) => {
    const dir = await workspace();
    const r = await metarepoAsync(dir, ['model', 'infer', 'order', '--from', 'samples/a.json', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error ${where}`);
    expect(r.stderr).toContain(what);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(fs.existsSync(path.join(dir, 'models/order'))).toBe(false);
  });

  it('a TypeScript type that does not exist, or a file that does not type-check, is bad input naming it', async () => {
    const dir = await workspace();
    const r = await metarepoAsync(dir, ['model', 'infer', 'customer', '--from', 'samples/customer.ts#Nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Cannot make a schema of Nope in samples/customer.ts: No root type "Nope" found');
    const broken = await metarepoAsync(dir, ['model', 'infer', 'customer', '--from', 'samples/broken.ts#Broken']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain("error samples/broken.ts:2:30: Cannot make a schema of Broken in samples/broken.ts: Type check error: Cannot find name 'Strin'.");
    expect(fs.existsSync(path.join(dir, 'models/customer'))).toBe(false);
  });
});
