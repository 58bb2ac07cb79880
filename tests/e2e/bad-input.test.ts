import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { metarepoAsync as metarepo, snapshotTree, tempDir } from './cli.js';
import { initWorkspace } from './workspaces.js';

const badWorkspace = () => initWorkspace('bad');

/** Runs the command and asserts exit 2, a message naming the file (and position), no stack, nothing changed. */
async function expectBadInput(dir: string, args: string[], where: RegExp): Promise<string> {
  const before = snapshotTree(dir);
  const r = await metarepo(dir, args);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(where);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(snapshotTree(dir)).toEqual(before);
  return r.stderr;
}

describe('bad input', () => {
  it('invalid YAML in metarepo.yaml names file, line and column', async () => {
    const dir = await badWorkspace();
    fs.appendFileSync(path.join(dir, 'metarepo.yaml'), 'targets: [\n  - broken: "x\n');
    await expectBadInput(dir, ['generate'], /metarepo\.yaml:\d+:\d+: .*YAML/);
  });

  it('a config that breaks the workspace meta-model names the key and what was expected', async () => {
    const dir = await badWorkspace();
    fs.appendFileSync(path.join(dir, 'metarepo.yaml'), 'colour: blue\n');
    const err = await expectBadInput(dir, ['status'], /metarepo\.yaml:\d+:1: .*unknown property "colour"/);
    expect(err).toContain('hint:');
  });

  it('an invalid schema names the model file with line and column', async () => {
    const dir = await badWorkspace();
    fs.mkdirSync(path.join(dir, 'models/user'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'models/user/1.0.0.schema.json'), '{\n  "type": "object",\n  "properties": {\n    "id": { "type": "strin" }\n  }\n}\n');
    await expectBadInput(dir, ['model', 'list'], /models\/user\/1\.0\.0\.schema\.json:4:\d+/);
  });

  it('model add refuses an invalid schema and writes nothing', async () => {
    const dir = await badWorkspace();
    fs.writeFileSync(path.join(dir, 'in.json'), '{ "type": "object", "required": "id" }');
    await expectBadInput(dir, ['model', 'add', 'user', '--from', 'in.json'], /in\.json:1:\d+/);
  });

  it('an unknown $ref names the model file, the reference and its position, and fails its target (exit 1)', async () => {
    const dir = await badWorkspace();
    fs.mkdirSync(path.join(dir, 'models/user'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'models/user/1.0.0.schema.json'),
      '{\n  "type": "object",\n  "properties": {\n    "org": { "$ref": "https://nowhere.example/org.json" }\n  }\n}\n',
    );
    fs.appendFileSync(path.join(dir, 'metarepo.yaml'), 'targets:\n  - model: user\n    generator: typescript\n    output: gen/user.ts\n');
    fs.writeFileSync(path.join(dir, 'metarepo.yaml'), fs.readFileSync(path.join(dir, 'metarepo.yaml'), 'utf8').replace('targets: []\n', ''));
    // Issue 14, item 3: a model's unresolved references fail its own targets (exit 1), the other targets generate.
    const r = await metarepo(dir, ['generate']);
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/failed gen\/user\.ts: models\/user\/1\.0\.0\.schema\.json:4:\d+: Cannot resolve \$ref "https:\/\/nowhere\.example\/org\.json"/);
    expect(out).not.toMatch(/internal error|\n\s+at /);
    expect(fs.existsSync(path.join(dir, 'gen/user.ts'))).toBe(false);
  });

  it('a target writing outside the workspace is refused', async () => {
    const dir = await badWorkspace();
    fs.mkdirSync(path.join(dir, 'models/user'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'models/user/1.0.0.schema.json'), '{ "type": "object" }\n');
    const yaml = fs.readFileSync(path.join(dir, 'metarepo.yaml'), 'utf8').replace('targets: []\n', '');
    fs.writeFileSync(path.join(dir, 'metarepo.yaml'), `${yaml}targets:\n  - model: user\n    generator: typescript\n    output: ../outside.ts\n`);
    await expectBadInput(dir, ['generate'], /leaves the workspace/);
    expect(fs.existsSync(path.join(dir, '..', 'outside.ts'))).toBe(false);
  });

  it('unknown command or option is bad usage (exit 2)', async () => {
    const dir = await badWorkspace();
    expect((await metarepo(dir, ['frobnicate'])).code).toBe(2);
    expect((await metarepo(dir, ['generate', '--nope'])).code).toBe(2);
  });
});

describe('target options', () => {
  it('are validated against the generator options schema, with position', async () => {
    const dir = tempDir();
    expect((await metarepo(dir, ['init'])).code).toBe(0);
    fs.mkdirSync(path.join(dir, 'models/user'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'models/user/1.0.0.schema.json'), '{ "type": "object" }\n');
    const yaml = fs.readFileSync(path.join(dir, 'metarepo.yaml'), 'utf8').replace('targets: []\n', '');
    fs.writeFileSync(path.join(dir, 'metarepo.yaml'), `${yaml}targets:\n  - model: user\n    generator: quicktype\n    output: gen/user.cobol\n    options:\n      lang: cobol\n`);
    const before = snapshotTree(dir);
    const r = await metarepo(dir, ['generate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/metarepo\.yaml:\d+:\d+: .*lang/);
    expect(snapshotTree(dir)).toEqual(before);
  });
});

// Issue 12 item 7: bad input is exit 2 with a position (or exit 1 when a generator's own code fails), never an
// internal error, and nothing is written.
describe('bad input is never an internal error', () => {
  /** Runs the command and asserts the exit code, no internal error and no stack, nothing changed; returns stderr. */
  async function expectRefused(dir: string, args: string[], code: number, where: RegExp): Promise<string> {
    const before = snapshotTree(dir);
    const r = await metarepo(dir, args);
    expect(r.code, r.stderr).toBe(code);
    expect(r.stderr).toMatch(where);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(snapshotTree(dir)).toEqual(before);
    return r.stderr;
  }

  it('a YAML alias bomb in metarepo.yaml: exit 2 at the alias, with a hint', async () => {
    const dir = await badWorkspace();
    const lol = Array(9).fill('"lol"').join(',');
    const level = (name: string, of: string) => `  ${name}: &${name} [${Array(9).fill(`*${of}`).join(',')}]`;
    fs.appendFileSync(path.join(dir, 'metarepo.yaml'), ['x:', `  a: &a [${lol}]`, level('b', 'a'), level('c', 'b'), level('d', 'c'), level('e', 'd'), ''].join('\n'));
    const lines = fs.readFileSync(path.join(dir, 'metarepo.yaml'), 'utf8').split('\n');
    const line = lines.findIndex((l) => l.startsWith('  d:')) + 1;
    const err = await expectRefused(dir, ['status'], 2, new RegExp(`metarepo\\.yaml:${line}:10: .*alias`));
    expect(err).toContain('hint:');
  });

  it('a plopfile generator whose actions function throws, or whose function action throws: exit 1 naming it', async () => {
    const dir = await badWorkspace();
    fs.writeFileSync(
      path.join(dir, 'generators/broken.mjs'),
      [
        'export default function (plop) {',
        "  plop.setGenerator('throws', { description: 't', prompts: [], actions: () => { throw new Error('no actions today'); } });",
        "  plop.setGenerator('fails', { description: 'f', prompts: [], actions: [{ type: 'add', path: 'a.txt', template: 'a' }, () => { throw new Error('step two broke'); }] });",
        "  plop.setGenerator('says', { description: 's', prompts: [], actions: [() => 'said hello'] });",
        '}',
        '',
      ].join('\n'),
    );
    await expectRefused(dir, ['new', 'throws'], 1, /Generator "throws" failed: its actions function threw: no actions today/);
    await expectRefused(dir, ['new', 'fails'], 1, /generators\/broken\.mjs: Generator "fails" failed: step two broke/);
    const ok = await metarepo(dir, ['new', 'says', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).messages).toContain('function said hello');
  });

  it('a syntax error in a workspace template.yaml: exit 2 with file:line:column, nothing written', async () => {
    const dir = await badWorkspace();
    expect((await metarepo(dir, ['new', 'generator', 'widget'])).code).toBe(0);
    fs.writeFileSync(path.join(dir, 'templates/widget/template.yaml'), 'name: widget\nversion: 1.0.0\ndescription: "unterminated\nvariables: [\n');
    await expectRefused(dir, ['new', 'widget', 'thing'], 2, /templates\/widget\/template\.yaml:\d+:\d+: .*YAML/);
  });

  it('metarepo new model writes under modelsDir from metarepo.yaml', async () => {
    const dir = await badWorkspace();
    const file = path.join(dir, 'metarepo.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('modelsDir: models', 'modelsDir: schemas'));
    const r = await metarepo(dir, ['new', 'model', 'order']);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.existsSync(path.join(dir, 'schemas/order/1.0.0.schema.json'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'models/order'))).toBe(false);
    expect((await metarepo(dir, ['model', 'list'])).stdout).toContain('order');
  });

  it('a typo in --set is refused (exit 2) with the questions there are, for built-in and workspace generators', async () => {
    const dir = await badWorkspace();
    const err = await expectRefused(dir, ['new', 'model', 'order', '--set', 'nme=x'], 2, /Generator "model" asks no question "nme"/);
    expect(err).toMatch(/hint: .*name, description/);
    fs.writeFileSync(
      path.join(dir, 'generators/note.mjs'),
      "export default (plop) => plop.setGenerator('note', { description: 'n', prompts: [{ type: 'input', name: 'title', message: 't' }], actions: [{ type: 'add', path: 'notes/{{title}}.md', template: '# {{title}}' }] });\n",
    );
    await expectRefused(dir, ['new', 'note', '--set', 'title=a', '--set', 'titel=b'], 2, /Generator "note" asks no question "titel"[\s\S]*hint: .*title/);
    expect((await metarepo(dir, ['new', 'note', '--set', 'title=a'])).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'notes/a.md'), 'utf8')).toBe('# a');
  });
});
