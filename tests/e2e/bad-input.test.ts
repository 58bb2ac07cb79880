import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { metarepo, snapshotTree, tempDir } from './cli.js';

function initWorkspace(): string {
  const dir = tempDir();
  expect(metarepo(dir, ['init', '--name', 'bad']).code).toBe(0);
  return dir;
}

/** Runs the command and asserts exit 2, a message naming the file (and position), no stack, nothing changed. */
function expectBadInput(dir: string, args: string[], where: RegExp): string {
  const before = snapshotTree(dir);
  const r = metarepo(dir, args);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(where);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(snapshotTree(dir)).toEqual(before);
  return r.stderr;
}

describe('bad input', () => {
  it('invalid YAML in metarepo.yaml names file, line and column', () => {
    const dir = initWorkspace();
    fs.appendFileSync(path.join(dir, 'metarepo.yaml'), 'targets: [\n  - broken: "x\n');
    expectBadInput(dir, ['generate'], /metarepo\.yaml:\d+:\d+: .*YAML/);
  });

  it('a config that breaks the workspace meta-model names the key and what was expected', () => {
    const dir = initWorkspace();
    fs.appendFileSync(path.join(dir, 'metarepo.yaml'), 'colour: blue\n');
    const err = expectBadInput(dir, ['status'], /metarepo\.yaml:\d+:1: .*unknown property "colour"/);
    expect(err).toContain('hint:');
  });

  it('an invalid schema names the model file with line and column', () => {
    const dir = initWorkspace();
    fs.mkdirSync(path.join(dir, 'models/user'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'models/user/1.0.0.schema.json'), '{\n  "type": "object",\n  "properties": {\n    "id": { "type": "strin" }\n  }\n}\n');
    expectBadInput(dir, ['model', 'list'], /models\/user\/1\.0\.0\.schema\.json:4:\d+/);
  });

  it('model add refuses an invalid schema and writes nothing', () => {
    const dir = initWorkspace();
    fs.writeFileSync(path.join(dir, 'in.json'), '{ "type": "object", "required": "id" }');
    expectBadInput(dir, ['model', 'add', 'user', '--from', 'in.json'], /in\.json:1:\d+/);
  });

  it('an unknown $ref names the model file, the reference and its position', () => {
    const dir = initWorkspace();
    fs.mkdirSync(path.join(dir, 'models/user'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'models/user/1.0.0.schema.json'),
      '{\n  "type": "object",\n  "properties": {\n    "org": { "$ref": "https://nowhere.example/org.json" }\n  }\n}\n',
    );
    fs.appendFileSync(path.join(dir, 'metarepo.yaml'), 'targets:\n  - model: user\n    generator: typescript\n    output: gen/user.ts\n');
    fs.writeFileSync(path.join(dir, 'metarepo.yaml'), fs.readFileSync(path.join(dir, 'metarepo.yaml'), 'utf8').replace('targets: []\n', ''));
    const err = expectBadInput(dir, ['generate'], /models\/user\/1\.0\.0\.schema\.json:4:\d+/);
    expect(err).toContain('https://nowhere.example/org.json');
  });

  it('a target writing outside the workspace is refused', () => {
    const dir = initWorkspace();
    fs.mkdirSync(path.join(dir, 'models/user'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'models/user/1.0.0.schema.json'), '{ "type": "object" }\n');
    const yaml = fs.readFileSync(path.join(dir, 'metarepo.yaml'), 'utf8').replace('targets: []\n', '');
    fs.writeFileSync(path.join(dir, 'metarepo.yaml'), `${yaml}targets:\n  - model: user\n    generator: typescript\n    output: ../outside.ts\n`);
    expectBadInput(dir, ['generate'], /leaves the workspace/);
    expect(fs.existsSync(path.join(dir, '..', 'outside.ts'))).toBe(false);
  });

  it('unknown command or option is bad usage (exit 2)', () => {
    const dir = initWorkspace();
    expect(metarepo(dir, ['frobnicate']).code).toBe(2);
    expect(metarepo(dir, ['generate', '--nope']).code).toBe(2);
  });
});

describe('target options', () => {
  it('are validated against the generator options schema, with position', () => {
    const dir = tempDir();
    expect(metarepo(dir, ['init']).code).toBe(0);
    fs.mkdirSync(path.join(dir, 'models/user'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'models/user/1.0.0.schema.json'), '{ "type": "object" }\n');
    const yaml = fs.readFileSync(path.join(dir, 'metarepo.yaml'), 'utf8').replace('targets: []\n', '');
    fs.writeFileSync(path.join(dir, 'metarepo.yaml'), `${yaml}targets:\n  - model: user\n    generator: quicktype\n    output: gen/user.cobol\n    options:\n      lang: cobol\n`);
    const before = snapshotTree(dir);
    const r = metarepo(dir, ['generate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/metarepo\.yaml:\d+:\d+: .*lang/);
    expect(snapshotTree(dir)).toEqual(before);
  });
});
