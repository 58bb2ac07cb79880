// Dry runs print patches that git applies: describeChanges, formatChangesPatch, printDryRun (src/cli/diff.ts).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pc from 'picocolors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureColors } from '../../../src/cli/output.js';
import { describeChanges, formatChangesPatch, printDryRun, quotePath, summarizeChanges } from '../../../src/cli/diff.js';
import type { FileChange } from '../../../src/engine/tree.js';

/** A git repository holding `files`, committed. */
function repo(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-diff-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  git(dir, ['init', '-q']);
  git(dir, ['add', '-A']);
  git(dir, ['-c', 'user.name=t', '-c', 'user.email=t@example.test', 'commit', '-qm', 'start', '--allow-empty']);
  return dir;
}

function git(cwd: string, args: string[], input?: string) {
  const r = spawnSync('git', args, { cwd, input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file of `dir` but .git, with its content. */
function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of fs.readdirSync(dir, { recursive: true }) as string[]) {
    if (rel === '.git' || rel.startsWith(`.git${path.sep}`)) continue;
    const abs = path.join(dir, rel);
    if (fs.statSync(abs).isFile()) out[rel.split(path.sep).join('/')] = fs.readFileSync(abs, 'utf8');
  }
  return out;
}

// Colours as the CLI sets them for a pipe (picocolors alone would turn them on under CI=true).
const colored = pc.isColorSupported;
beforeAll(() => void configureColors({ isTTY: false }, {}));
afterAll(() => void configureColors({ isTTY: colored }, {}));

const BEFORE = {
  'src/a.ts': 'export const a = 1;\nexport const b = 2;\nexport const c = 3;\n',
  'src/old.ts': 'gone\n',
  'no-newline.txt': 'one\ntwo',
  'empty-to-remove.txt': '',
};

const CHANGES: FileChange[] = [
  { type: 'delete', path: 'empty-to-remove.txt', previous: '' },
  { type: 'modify', path: 'no-newline.txt', previous: 'one\ntwo', content: 'one\nthree\n' },
  { type: 'create', path: 'out/empty.txt', content: '' },
  { type: 'create', path: 'out/my file.ts', content: 'spaced\n' },
  { type: 'create', path: 'out/quote"d.ts', content: 'quoted\n' },
  { type: 'create', path: 'out/üser.ts', content: 'ü\n' },
  { type: 'modify', path: 'src/a.ts', previous: BEFORE['src/a.ts'], content: 'export const a = 1;\nexport const b = 20;\nexport const c = 3;\n' },
  { type: 'create', path: 'src/new.ts', content: 'export const n = 1;\n' },
  { type: 'delete', path: 'src/old.ts', previous: 'gone\n' },
];

const AFTER = {
  'no-newline.txt': 'one\nthree\n',
  'out/empty.txt': '',
  'out/my file.ts': 'spaced\n',
  'out/quote"d.ts': 'quoted\n',
  'out/üser.ts': 'ü\n',
  'src/a.ts': 'export const a = 1;\nexport const b = 20;\nexport const c = 3;\n',
  'src/new.ts': 'export const n = 1;\n',
};

describe('formatChangesPatch', () => {
  it('is a git patch: a/ and b/ names, /dev/null for created and deleted files, no tab after plain names', () => {
    const patch = formatChangesPatch(CHANGES);
    expect(patch).toContain('diff --git a/src/a.ts b/src/a.ts\n--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,3 +1,3 @@\n');
    expect(patch).toContain('diff --git a/src/new.ts b/src/new.ts\nnew file mode 100644\n--- /dev/null\n+++ b/src/new.ts\n@@ -0,0 +1,1 @@\n+export const n = 1;\n');
    expect(patch).toContain('diff --git a/src/old.ts b/src/old.ts\ndeleted file mode 100644\n--- a/src/old.ts\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-gone\n');
    expect(patch).toContain('diff --git a/out/empty.txt b/out/empty.txt\nnew file mode 100644\ndiff --git');
    expect(patch).toContain('-two\n\\ No newline at end of file\n');
    expect(patch).toContain('diff --git "a/out/quote\\"d.ts" "b/out/quote\\"d.ts"');
    expect(patch).not.toMatch(/^(---|\+\+\+) [^ \n]+\t$/m);
    expect(patch).toContain('--- /dev/null\n+++ b/out/my file.ts\t\n');
    expect(patch).not.toContain('\x1b[');
  });

  it('applies with git apply to exactly the new files (created, modified, deleted, empty, odd names)', () => {
    const dir = repo(BEFORE);
    const patch = formatChangesPatch(CHANGES);
    const check = git(dir, ['apply', '--check', '-'], patch);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    expect(git(dir, ['apply', '-'], patch).code).toBe(0);
    expect(files(dir)).toEqual(AFTER);
  });

  it('colours additions and removals only when colours are on (a terminal)', () => {
    configureColors({ isTTY: true }, { TERM: 'xterm' });
    try {
      const patch = formatChangesPatch(CHANGES);
      expect(patch).toContain(pc.green('+export const b = 20;'));
      expect(patch).toContain(pc.red('-export const b = 2;'));
    } finally {
      configureColors({ isTTY: false }, {});
    }
    expect(formatChangesPatch(CHANGES)).not.toContain('\x1b[');
  });

  it('prints nothing for no change and for a write that leaves a file as it is', () => {
    expect(formatChangesPatch([])).toBe('');
    expect(formatChangesPatch([{ type: 'modify', path: 'x', previous: 'same\n', content: 'same\n' }])).toBe('');
  });
});

describe('quotePath', () => {
  it('leaves ordinary names (spaces and non-ASCII too) and C-quotes quotes, backslashes and control characters', () => {
    expect(quotePath('a/src/x y/ü.ts')).toBe('a/src/x y/ü.ts');
    expect(quotePath('a/x"y')).toBe('"a/x\\"y"');
    expect(quotePath('a/x\\y')).toBe('"a/x\\\\y"');
    expect(quotePath('a/x\ty\n')).toBe('"a/x\\ty\\n"');
    expect(quotePath('a/x\x01')).toBe('"a/x\\001"');
  });
});

describe('describeChanges (the human dry-run report)', () => {
  it('is a summary line per file, then the patch; git apply takes the whole text, summary and a trailing note included', () => {
    const text = describeChanges(CHANGES, ['src/a.ts']);
    const [summary] = text.split('\n\n');
    expect(summary.split('\n')).toEqual([
      'remove empty-to-remove.txt',
      'update no-newline.txt',
      'create out/empty.txt (0 lines)',
      'create out/my file.ts (1 lines)',
      'create out/quote"d.ts (1 lines)',
      'create out/üser.ts (1 lines)',
      'update src/a.ts (edited by hand)',
      'create src/new.ts (1 lines)',
      'remove src/old.ts',
    ]);
    expect(text).toContain(formatChangesPatch(CHANGES).trimEnd());
    const dir = repo(BEFORE);
    const printed = `update demo: template widget 1.0.0 → 1.1.0\n${text}\nnote something\ndry run: nothing was written\n`;
    expect(git(dir, ['apply', '--check', '-'], printed).code).toBe(0);
    expect(git(dir, ['apply', '-'], printed).code).toBe(0);
    expect(files(dir)).toEqual(AFTER);
  });

  it('says no changes when there are none', () => {
    expect(describeChanges([])).toBe('no changes');
  });

  it('summary lines can never be read as a patch header', () => {
    for (const line of summarizeChanges(CHANGES)) expect(line).toMatch(/^(create|update|remove) /);
  });
});

describe('printDryRun', () => {
  const sink = () => {
    const s = { text: '', write: (t: string) => ((s.text += t), true) };
    return s;
  };

  it('puts the patch alone on stdout and the summary, notes and the dry-run line on stderr', () => {
    const stdout = sink();
    const stderr = sink();
    printDryRun({ json: false }, CHANGES, { edited: ['src/a.ts'], notes: ['note one'] }, { stdout, stderr });
    expect(stdout.text).toBe(formatChangesPatch(CHANGES));
    expect(stdout.text.startsWith('diff --git ')).toBe(true);
    expect(stderr.text).toBe(`${summarizeChanges(CHANGES, ['src/a.ts']).join('\n')}\nnote one\ndry run: nothing was written\n`);
    const dir = repo(BEFORE);
    expect(git(dir, ['apply', '-'], stdout.text).code).toBe(0);
    expect(files(dir)).toEqual(AFTER);
  });

  it('with no change: nothing on stdout, "no changes" on stderr; with --json: nothing at all', () => {
    const stdout = sink();
    const stderr = sink();
    printDryRun({ json: false }, [], {}, { stdout, stderr });
    expect(stdout.text).toBe('');
    expect(stderr.text).toBe('no changes\ndry run: nothing was written\n');
    const quiet = { stdout: sink(), stderr: sink() };
    printDryRun({ json: true }, CHANGES, {}, quiet);
    expect(quiet.stdout.text + quiet.stderr.text).toBe('');
  });
});
