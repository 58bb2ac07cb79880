// The write-ahead journal: all or nothing, crash recovery forward and back, a failed rename rolled back.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MetarepoError } from '../../../src/core/errors.js';
import { commitFiles, recoverJournal, sweepStrayTemps } from '../../../src/core/journal.js';

const JOURNAL = '.metarepo/journal.json';

function workspace(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-journal-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of fs.readdirSync(root, { recursive: true }) as string[]) {
    const abs = path.join(root, rel);
    if (fs.statSync(abs).isFile()) out[rel.split(path.sep).join('/')] = fs.readFileSync(abs, 'utf8');
  }
  return out;
}

describe('commitFiles', () => {
  it('writes, replaces and deletes, and leaves neither journal nor temp nor backup', () => {
    const root = workspace({ 'a.txt': 'old a', 'gone/b.txt': 'old b', '.metarepo/x': '' });
    commitFiles(root, [{ path: 'a.txt', content: 'new a' }, { path: 'dir/c.txt', content: 'c' }], ['gone/b.txt'], { journal: JOURNAL, command: 'test' });
    expect(tree(root)).toEqual({ 'a.txt': 'new a', 'dir/c.txt': 'c', '.metarepo/x': '' });
  });

  it('refuses a destination that is a folder before writing anything', () => {
    const root = workspace({ 'a.txt': 'old', 'folder/inside.txt': 'x' });
    expect(() => commitFiles(root, [{ path: 'a.txt', content: 'new' }, { path: 'folder', content: 'y' }], [], { journal: JOURNAL })).toThrow(/is a folder/);
    expect(tree(root)).toEqual({ 'a.txt': 'old', 'folder/inside.txt': 'x' });
  });

  it('a rename that fails while applying restores every file already replaced', () => {
    const root = workspace({ 'a.txt': 'old a', 'z.txt': 'old z' });
    // `z.txt` turns into a folder after the checks and staging: its rename fails (EISDIR), a.txt was already replaced.
    const realRename = fs.renameSync;
    let armed = true;
    fs.renameSync = ((from: fs.PathLike, to: fs.PathLike) => {
      if (armed && String(to).endsWith('z.txt') && String(from).includes('.metarepo-')) {
        armed = false;
        throw Object.assign(new Error('EISDIR: simulated'), { code: 'EISDIR' });
      }
      return realRename(from, to);
    }) as typeof fs.renameSync;
    try {
      expect(() => commitFiles(root, [{ path: 'a.txt', content: 'new a' }, { path: 'new.txt', content: 'n' }, { path: 'z.txt', content: 'new z' }], [], { journal: JOURNAL })).toThrow(MetarepoError);
    } finally {
      fs.renameSync = realRename;
    }
    expect(tree(root)).toEqual({ 'a.txt': 'old a', 'z.txt': 'old z' });
  });
});

describe('recoverJournal', () => {
  it('rolls a committed journal forward: the temps not yet renamed are renamed, deletions done', () => {
    const root = workspace({ 'a.txt': 'new a', 'b.txt': 'old b', 'c.txt': 'to delete', '.b.txt.metarepo-1-0000abcd.tmp': 'new b' });
    fs.mkdirSync(path.join(root, '.metarepo'));
    const record = {
      version: 1,
      state: 'committed',
      command: 'generate',
      pid: 1,
      writes: [
        { path: 'a.txt', temp: '.a.txt.metarepo-1-0000aaaa.tmp' }, // renamed before the crash
        { path: 'b.txt', temp: '.b.txt.metarepo-1-0000abcd.tmp' },
      ],
      deletes: [{ path: 'c.txt' }],
    };
    fs.writeFileSync(path.join(root, JOURNAL), JSON.stringify(record));
    expect(recoverJournal(root, JOURNAL)).toMatch(/completed the commit of an interrupted `generate`/);
    expect(tree(root)).toEqual({ 'a.txt': 'new a', 'b.txt': 'new b' });
  });

  it('rolls a staging journal back: temps removed, files untouched', () => {
    const root = workspace({ 'a.txt': 'old a', '.a.txt.metarepo-1-0000aaaa.tmp': 'half' });
    fs.mkdirSync(path.join(root, '.metarepo'));
    fs.writeFileSync(path.join(root, JOURNAL), JSON.stringify({ version: 1, state: 'staging', command: 'new', pid: 1, writes: [{ path: 'a.txt', temp: '.a.txt.metarepo-1-0000aaaa.tmp' }], deletes: [] }));
    expect(recoverJournal(root, JOURNAL)).toMatch(/rolled back an interrupted `new`/);
    expect(tree(root)).toEqual({ 'a.txt': 'old a' });
  });

  it('says nothing when there is no journal', () => {
    expect(recoverJournal(workspace({ 'a.txt': 'x' }), JOURNAL)).toBeNull();
  });
});

describe('sweepStrayTemps', () => {
  it('removes temps of dead processes, keeps those of live ones and other files', () => {
    const root = workspace({ '.a.ts.metarepo-999999.tmp': 'x', [`.b.ts.metarepo-${process.ppid}-0000abcd.tmp`]: 'y', 'c.ts': 'z' });
    expect(sweepStrayTemps([root]).map((p) => path.basename(p))).toEqual(['.a.ts.metarepo-999999.tmp']);
    expect(Object.keys(tree(root)).sort()).toEqual([`.b.ts.metarepo-${process.ppid}-0000abcd.tmp`, 'c.ts']);
  });
});
