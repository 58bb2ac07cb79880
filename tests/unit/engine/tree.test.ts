import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MetarepoError } from '../../../src/core/errors.js';
import { commitChanges } from '../../../src/engine/commit.js';
import { safeRelativePath } from '../../../src/core/paths.js';
import { Tree } from '../../../src/engine/tree.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-tree-'));

describe('safeRelativePath', () => {
  it('normalises inside paths', () => {
    expect(safeRelativePath('a/./b/../c.ts')).toBe('a/c.ts');
    expect(safeRelativePath('a\\b.ts')).toBe('a/b.ts');
  });
  it.each(['../x', 'a/../../x', '/etc/passwd', 'C:\\x', '', '  '])('refuses %j', (p) => {
    expect(() => safeRelativePath(p)).toThrow(MetarepoError);
  });
});

describe('Tree', () => {
  it('keeps writes in memory and reports changes against disk', () => {
    const root = tmp();
    fs.writeFileSync(path.join(root, 'same.txt'), 'same');
    fs.writeFileSync(path.join(root, 'old.txt'), 'old');
    const tree = new Tree(root);
    tree.write('new/a.txt', 'A');
    tree.write('same.txt', 'same', { overwrite: true });
    tree.write('old.txt', 'new', { overwrite: true });
    tree.rename('new/a.txt', 'new/b.txt');
    expect(fs.existsSync(path.join(root, 'new'))).toBe(false);
    expect(tree.changes().map((c) => [c.type, c.path])).toEqual([
      ['create', 'new/b.txt'],
      ['modify', 'old.txt'],
    ]);
    expect(tree.changes()[1].previous).toBe('old');
  });

  it('never overwrites an existing file unless asked', () => {
    const root = tmp();
    fs.writeFileSync(path.join(root, 'x.txt'), 'mine');
    expect(() => new Tree(root).write('x.txt', 'theirs')).toThrow(/already exists/);
  });
});

describe('commitChanges', () => {
  it('writes, modifies and deletes, leaving no temp files', () => {
    const root = tmp();
    fs.writeFileSync(path.join(root, 'gone.txt'), 'bye');
    fs.writeFileSync(path.join(root, 'keep.txt'), 'v1');
    const tree = new Tree(root);
    tree.write('deep/new.txt', 'hi');
    tree.write('keep.txt', 'v2', { overwrite: true });
    tree.delete('gone.txt');
    commitChanges(root, tree.changes());
    expect(fs.readFileSync(path.join(root, 'deep/new.txt'), 'utf8')).toBe('hi');
    expect(fs.readFileSync(path.join(root, 'keep.txt'), 'utf8')).toBe('v2');
    expect(fs.existsSync(path.join(root, 'gone.txt'))).toBe(false);
    expect(fs.readdirSync(root).some((f) => f.includes('.tmp'))).toBe(false);
  });

  it('refuses a write that escapes through a symbolic link, writing nothing', () => {
    const root = tmp();
    const outside = tmp();
    fs.symlinkSync(outside, path.join(root, 'link'));
    const tree = new Tree(root);
    tree.write('fine.txt', 'ok');
    tree.write('link/escape.txt', 'no');
    expect(() => commitChanges(root, tree.changes())).toThrow(/outside the workspace/);
    expect(fs.existsSync(path.join(root, 'fine.txt'))).toBe(false);
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  it('is all or nothing when staging fails', () => {
    const root = tmp();
    fs.writeFileSync(path.join(root, 'blocker'), 'a file where a folder must go');
    const tree = new Tree(root);
    tree.write('a.txt', 'A');
    tree.write('blocker2/x.txt', 'X');
    const changes = tree.changes();
    changes.push({ type: 'create', path: 'blocker/inner.txt', content: 'nope' });
    expect(() => commitChanges(root, changes)).toThrow(MetarepoError);
    expect(fs.readdirSync(root).sort()).toEqual(['blocker']);
    expect(fs.existsSync(path.join(root, 'a.txt'))).toBe(false);
  });
});
