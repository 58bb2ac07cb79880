// Deeply nested models through the built CLI (issue 12, item 7): a model nested 3,000 levels deep used to end every
// command that loads models with "internal error: Maximum call stack size exceeded" (exit 1). Now it is bad input
// (exit 2) naming the file, line, column and JSON pointer where the depth limit is crossed; a model at the limit
// goes through every command.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { metarepo, setTargets, snapshotTree, tempDir } from '../../e2e/cli.js';
import { MAX_MODEL_DEPTH } from '../../../src/models/limits.js';

/** Schema text nesting `levels` object schemas through `properties`, one schema per line (line k + 1 opens level k). */
function nestedProperties(levels: number, leaf = '{ "type": "string" }'): string {
  let open = '';
  let close = '';
  for (let i = 0; i < levels; i++) {
    open += `{ "type": "object", "properties": { "p${i}":\n`;
    close += '} }\n';
  }
  return `${open}${leaf}\n${close}`;
}

/** Schema text nesting `levels` array schemas through `items`: every level is one object. */
function nestedItems(levels: number, leaf = '{ "type": "string" }'): string {
  return `${'{ "type": "array", "items":\n'.repeat(levels)}${leaf}\n${'}\n'.repeat(levels)}`;
}

function initWorkspace(): string {
  const dir = tempDir();
  expect(metarepo(dir, ['init', '--name', 'deep']).code).toBe(0);
  return dir;
}

function writeModelText(dir: string, name: string, version: string, text: string): void {
  fs.mkdirSync(path.join(dir, 'models', name), { recursive: true });
  fs.writeFileSync(path.join(dir, 'models', name, `${version}.schema.json`), text);
}

describe('a model nested deeper than the limit', () => {
  it('is bad input for every command that loads models, located at the level that crosses the limit', () => {
    const dir = initWorkspace();
    writeModelText(dir, 'deep', '1.0.0', nestedProperties(3000));
    setTargets(dir, ['  - model: deep', '    generator: typescript', '    output: gen/deep.ts']);
    // Levels: the schema on line k is at depth 2k - 1 and its `properties` at 2k, so depth 513 is line 257's schema.
    const line = (MAX_MODEL_DEPTH + 1 + 1) / 2;
    const before = snapshotTree(dir);
    for (const args of [['model', 'list'], ['model', 'show', 'deep'], ['generate'], ['status'], ['check']]) {
      const r = metarepo(dir, args);
      expect(r.code, `metarepo ${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(`models/deep/1.0.0.schema.json:${line}:1: models/deep/1.0.0.schema.json nests objects and arrays deeper than ${MAX_MODEL_DEPTH} levels`);
      // The pointer of the schema on that line (512 segments), shortened to its first and last four.
      expect(r.stderr).toContain('(at /properties/p0/properties/p1/…(504 more)…/properties/p254/properties/p255)');
      expect(r.stderr).toContain('hint:');
      expect(r.stderr).toContain('"$ref"');
      expect(r.stderr).not.toMatch(/Maximum call stack|internal error|\n\s+at /);
    }
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('model add refuses a too-deep source file and writes nothing', () => {
    const dir = initWorkspace();
    fs.writeFileSync(path.join(dir, 'deep.json'), nestedItems(5000));
    const before = snapshotTree(dir);
    const r = metarepo(dir, ['model', 'add', 'deep', '--from', 'deep.json']);
    expect(r.code).toBe(2);
    // Every `items` level is one object: the object on line 513 is at depth 513.
    expect(r.stderr).toContain(`deep.json:${MAX_MODEL_DEPTH + 1}:1: deep.json nests objects and arrays deeper than ${MAX_MODEL_DEPTH} levels`);
    expect(r.stderr).not.toMatch(/Maximum call stack|internal error/);
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('an invalid JSON file nested too deep is reported as too deep before its syntax error is located', () => {
    const dir = initWorkspace();
    writeModelText(dir, 'deep', '1.0.0', `${'['.repeat(100_000)}oops`);
    const r = metarepo(dir, ['model', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`deeper than ${MAX_MODEL_DEPTH} levels`);
  });
});

describe('a model at the depth limit', () => {
  it('goes through model list, show --bundled, diff and generate with typescript and quicktype', () => {
    const dir = initWorkspace();
    // 511 array schemas and the leaf: 512 objects, the deepest at exactly the limit (recursion per schema level).
    const items = nestedItems(MAX_MODEL_DEPTH - 1);
    // 255 object schemas through properties, and a leaf whose enum array is the 512th level.
    const props = nestedProperties((MAX_MODEL_DEPTH - 2) / 2, '{ "type": "string", "enum": ["x"] }');
    writeModelText(dir, 'items', '1.0.0', items);
    writeModelText(dir, 'items', '2.0.0', items.replace('"type": "string"', '"type": "integer"'));
    writeModelText(dir, 'props', '1.0.0', props);
    // A model referencing the props model: the bundle holds it under definitions/, two levels deeper.
    writeModelText(dir, 'outer', '1.0.0', '{ "type": "object", "properties": { "inner": { "$ref": "../props/1.0.0.schema.json" } } }\n');
    setTargets(dir, [
      '  - model: items@2',
      '    generator: typescript',
      '    output: gen/items.ts',
      '  - model: outer',
      '    generator: typescript',
      '    output: gen/outer.ts',
      '  - model: items@2',
      '    generator: quicktype',
      '    output: gen/items.py',
      '    options:',
      '      lang: python',
      '  - model: outer',
      '    generator: quicktype',
      '    output: gen/outer.py',
      '    options:',
      '      lang: python',
    ]);
    expect(metarepo(dir, ['model', 'list']).code).toBe(0);
    const shown = metarepo(dir, ['model', 'show', 'outer', '--bundled']);
    expect(shown.code, shown.stderr).toBe(0);
    const diff = metarepo(dir, ['model', 'diff', 'items']);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toContain('TYPE_CHANGED');
    const r = metarepo(dir, ['generate']);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'gen/items.ts'), 'utf8')).toContain(`export type Items = number${'[]'.repeat(MAX_MODEL_DEPTH - 1)}\n`);
    expect(fs.readFileSync(path.join(dir, 'gen/outer.ts'), 'utf8')).toContain('p254?:');
    expect(fs.readFileSync(path.join(dir, 'gen/outer.py'), 'utf8')).toContain('p254');
  });
});
